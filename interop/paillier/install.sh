#!/usr/bin/env bash
# Installs paillier-bigint for HealthBlock.Paillier's interop tests and prints the folder to export:
#
#   HEALTHBLOCK_PAILLIER_JS="$(interop/paillier/install.sh)" && export HEALTHBLOCK_PAILLIER_JS
#
# Runs `npm ci` from the committed package-lock.json when node_modules is missing or stale, then checks that
# paillier.mjs answers. Only the path goes to stdout; progress and errors go to stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf 'paillier/install.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not on PATH (paillier-bigint needs Node 12 or later; Node 20 is used here)"
if [ ! -f "$HERE/node_modules/paillier-bigint/package.json" ] || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
  log "running npm ci in $HERE"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error 1>&2) || die "npm ci failed in $HERE"
fi

answer="$(printf '{"op":"add","publicKey":{"n":"15"},"ciphertexts":["2","7"]}' | node "$HERE/paillier.mjs")" \
  || die "paillier.mjs does not run"
[ "$answer" = '{"ciphertext":"14"}' ] || die "paillier.mjs answered $answer to a smoke test"
printf '%s\n' "$HERE"
