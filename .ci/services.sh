# Sourced by .ci/run: installs and starts the servers the tests need on 127.0.0.1 and exports the variables
# the tests read. Every service registers its pid in services_pids so .ci/run stops it on exit.

install_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "apt install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

step "tools: curl (the deployment walk-through reads /readyz and /metrics with it)"
install_apt curl

step "services: chromium (browser tests of the web pages, driven by Playwright for .NET; no browser download)"
install_apt chromium
HEALTHBLOCK_CHROMIUM=$(command -v chromium)
export HEALTHBLOCK_CHROMIUM
echo "HEALTHBLOCK_CHROMIUM=$HEALTHBLOCK_CHROMIUM"

step "services: Mosquitto"
install_apt mosquitto
HEALTHBLOCK_MQTT_URL=$("$repo/interop/mosquitto/mosquitto.sh" start "$out/mosquitto")
export HEALTHBLOCK_MQTT_URL
services_pids+=("$(cat "$out/mosquitto/pid")")
echo "HEALTHBLOCK_MQTT_URL=$HEALTHBLOCK_MQTT_URL"

step "services: IPFS (js-ipfs, Kubo-compatible RPC API)"
# npm ci on first use (about a minute); the daemon is offline and bound to 127.0.0.1.
HEALTHBLOCK_IPFS_API=$(bash "$repo/interop/ipfs/ipfs.sh" start "$out/ipfs-repo")
export HEALTHBLOCK_IPFS_API
services_pids+=("$(cat "$out/ipfs-repo/daemon.pid")")
echo "HEALTHBLOCK_IPFS_API=$HEALTHBLOCK_IPFS_API"

step "services: paillier-bigint (independent Paillier implementation for the interop tests)"
# npm ci from interop/paillier/package-lock.json on first use (seconds); no daemon, node runs per test.
HEALTHBLOCK_PAILLIER_JS=$(bash "$repo/interop/paillier/install.sh")
export HEALTHBLOCK_PAILLIER_JS
echo "HEALTHBLOCK_PAILLIER_JS=$HEALTHBLOCK_PAILLIER_JS"

step "services: FHIR.js (second validator of the FHIR export)"
# npm ci on first use (a few seconds); no server: the FHIR tests run node interop/fhir/validate.js.
if [ ! -f "$repo/interop/fhir/node_modules/fhir/package.json" ]; then
  (cd "$repo/interop/fhir" && npm ci --no-audit --no-fund --loglevel=error 1>&2)
fi
HEALTHBLOCK_FHIR_JS="$repo/interop/fhir"
export HEALTHBLOCK_FHIR_JS
echo "HEALTHBLOCK_FHIR_JS=$HEALTHBLOCK_FHIR_JS"
