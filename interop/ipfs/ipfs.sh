#!/usr/bin/env bash
# A js-ipfs daemon on loopback, serving the Kubo-compatible RPC API, for HealthBlock's content-store tests.
#
#   ipfs.sh init  [REPO]   install js-ipfs (npm ci) if needed and create the repo
#   ipfs.sh start [REPO]   init if needed, start the daemon in the background, wait until
#                          /api/v0/version answers, print the API base URL (http://127.0.0.1:PORT)
#   ipfs.sh api   [REPO]   print the API base URL of the running daemon (fails if it does not answer)
#   ipfs.sh stop  [REPO]   stop the daemon (by its pid file)
#
# REPO defaults to $IPFS_PATH, else interop/ipfs/.run/repo. Only the URL goes to stdout; progress and
# errors go to stderr, so `export HEALTHBLOCK_IPFS_API="$(interop/ipfs/ipfs.sh start)"` works.
# The daemon is offline: no swarm, no bootstrap peers, no MDNS, no preload, API and gateway on
# 127.0.0.1 with ports chosen by the OS. Env: IPFS_START_TIMEOUT (seconds, default 90).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
COMMAND="${1:-}"
export IPFS_PATH="${2:-${IPFS_PATH:-$HERE/.run/repo}}"
START_TIMEOUT="${IPFS_START_TIMEOUT:-90}"
PID_FILE="$IPFS_PATH/daemon.pid"
LOG_FILE="$IPFS_PATH/daemon.log"

log() { printf 'ipfs.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

jsipfs() { node -r "$HERE/polyfill.cjs" "$HERE/node_modules/ipfs/src/cli.js" "$@"; }

ensure_installed() {
  command -v node >/dev/null 2>&1 || die "node is not on PATH (js-ipfs needs Node 20 or later)"
  if [ ! -f "$HERE/node_modules/ipfs/src/cli.js" ]; then
    log "node_modules missing: running npm ci in $HERE (about a minute)"
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error 1>&2) || die "npm ci failed in $HERE"
  fi
}

# The daemon's API multiaddr (/ip4/127.0.0.1/tcp/PORT/http), written by js-ipfs to $IPFS_PATH/api, as a URL.
api_url() {
  local addr
  addr="$(cat "$IPFS_PATH/api" 2>/dev/null)" || return 1
  [[ "$addr" =~ ^/ip4/([0-9.]+)/tcp/([0-9]+) ]] || return 1
  printf 'http://%s:%s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
}

# Exit 0 when POST URL/api/v0/version answers 200 within 2 s.
answers() {
  node -e '
    fetch(process.argv[1] + "/api/v0/version", { method: "POST", signal: AbortSignal.timeout(2000) })
      .then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
}

daemon_pid() {
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: it must still be our daemon.
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'ipfs' || return 1
  printf '%s\n' "$pid"
}

cmd_init() {
  ensure_installed
  if [ -f "$IPFS_PATH/config" ]; then
    log "repo already initialised at $IPFS_PATH"
    return 0
  fi
  mkdir -p "$IPFS_PATH"
  jsipfs init --emptyRepo --defaultConfig "$HERE/config.json" 1>&2 || die "jsipfs init failed for $IPFS_PATH"
  log "repo initialised at $IPFS_PATH"
}

cmd_start() {
  cmd_init
  local pid url started deadline
  if pid="$(daemon_pid)" && url="$(api_url)" && answers "$url"; then
    log "daemon already running (pid $pid) at $url"
    printf '%s\n' "$url"
    return 0
  fi
  # Left by a daemon that was killed: js-ipfs would refuse to start, or we would read its old port.
  rm -rf "$IPFS_PATH/api" "$IPFS_PATH/repo.lock" "$PID_FILE"

  started="$(date +%s.%N)"
  deadline=$(( $(date +%s) + START_TIMEOUT ))
  # Own session (setsid), so a Ctrl-C in the calling terminal does not reach it; stdio detached, so
  # $(ipfs.sh start) returns as soon as the URL is printed.
  setsid node -r "$HERE/polyfill.cjs" "$HERE/node_modules/ipfs/src/cli.js" daemon --offline --enable-preload=false \
    </dev/null >"$LOG_FILE" 2>&1 &
  pid=$!
  printf '%s\n' "$pid" > "$PID_FILE"

  until url="$(api_url)" && answers "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      die "the js-ipfs daemon exited before its API answered (log: $LOG_FILE)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 30 "$LOG_FILE" >&2 || true
      cmd_stop
      die "the js-ipfs daemon did not answer /api/v0/version within ${START_TIMEOUT}s (log: $LOG_FILE)"
    fi
    sleep 0.2
  done
  log "daemon ready at $url (pid $pid, $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $started }") s)"
  printf '%s\n' "$url"
}

cmd_api() {
  local url
  daemon_pid >/dev/null || die "no daemon running for $IPFS_PATH (start it with: $0 start)"
  url="$(api_url)" || die "the daemon for $IPFS_PATH has not written its API address"
  answers "$url" || die "the daemon at $url does not answer /api/v0/version"
  printf '%s\n' "$url"
}

cmd_stop() {
  local pid
  if ! pid="$(daemon_pid)"; then
    log "no daemon running for $IPFS_PATH"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "daemon $pid ignored SIGTERM for 10 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$IPFS_PATH/api"
  log "daemon $pid stopped"
}

case "$COMMAND" in
  init) cmd_init ;;
  start) cmd_start ;;
  api) cmd_api ;;
  stop) cmd_stop ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
