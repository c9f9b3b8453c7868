#!/usr/bin/env bash
# Re-checks firmware/facades against the upstream nanoFramework sources recorded in manifest.json.
# Needs git, python3 and access to GitHub (or --mirror-root with local copies). See verify_upstream.py for what
# is checked; --record rewrites commits and hashes after a reviewed facade change.
set -euo pipefail
exec python3 "$(dirname "$0")/verify_upstream.py" "$@"
