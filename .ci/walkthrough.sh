#!/usr/bin/env bash
# Runs the walk-through of docs/deployment.md ("The walk-through"): the bash block between the walkthrough markers,
# exactly as documented, in a new temporary folder, with `healthblock` on the PATH. Every role is its own process.
# HEALTHBLOCK_DLL names the built CLI (healthblock.dll); without it the script builds nodes/HealthBlock.Cli.
# Raft ports: three free ports chosen here (the block's defaults are 9001-9003). Exit 0 only if every command succeeds.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dll=${HEALTHBLOCK_DLL:-}
if [ -z "$dll" ]; then
  dotnet build "$repo/nodes/HealthBlock.Cli/HealthBlock.Cli.csproj" -c Release -o "$repo/.ci-out/walkthrough-cli" 2>&1 | tail -n 2
  dll="$repo/.ci-out/walkthrough-cli/healthblock.dll"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/healthblock-walkthrough-XXXXXX")
keep=${HEALTHBLOCK_WALKTHROUGH_KEEP:-}
cleanup() { [ -n "$keep" ] || rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/bin" "$work/run"
printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$dll" > "$work/bin/healthblock"
chmod +x "$work/bin/healthblock"
ln -s "$repo/data" "$work/run/data"

# The documented block, and nothing else.
awk '/<!-- walkthrough:begin -->/ { on = 1; next } /<!-- walkthrough:end -->/ { on = 0 } on && !/^```/' "$repo/docs/deployment.md" > "$work/walkthrough.sh"
[ -s "$work/walkthrough.sh" ] || { echo "docs/deployment.md has no walk-through block"; exit 1; }

read -r R1 R2 R3 < <(python3 -c 'import socket
s = [socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(" ".join("127.0.0.1:%d" % x.getsockname()[1] for x in s))')
export R1 R2 R3

echo "walk-through in $work/run (Raft $R1 $R2 $R3)"
set +e
(cd "$work/run" && PATH="$work/bin:$PATH" timeout --kill-after=20 "${HEALTHBLOCK_WALKTHROUGH_TIMEOUT:-600}" \
  bash -c 'trap "rc=\$?; kill \$(jobs -p) 2>/dev/null || true; exit \$rc" EXIT; set -x; source ../walkthrough.sh' ) 2>&1 | tee "$work/walkthrough.log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
  echo "walk-through failed (exit code $rc); role outputs:"
  for f in "$work"/run/*.out; do echo "--- $f"; tail -n 20 "$f"; done
  exit 1
fi
echo "walk-through passed"
