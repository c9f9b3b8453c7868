#!/usr/bin/env bash
# Starts and stops a Mosquitto broker on 127.0.0.1 for the external-broker tests and benchmarks.
#   mosquitto.sh start DIR [PORT]   writes DIR/mosquitto.conf, starts the broker, prints mqtt://127.0.0.1:PORT
#   mosquitto.sh stop DIR
# The settings are the ones the gateway's external-broker path needs (docs/gateway.md): an unlimited queue for
# the gateway's persistent session (the default of 1000 drops acknowledged QoS 1 messages once the subscriber
# falls behind), TCP_NODELAY (without it Nagle and delayed ACKs stall a QoS 1 subscriber at ~40 msg/s), and
# persistence so that a broker restart keeps queued messages.
set -euo pipefail

cmd=${1:?usage: mosquitto.sh start|stop DIR [PORT]}
dir=${2:?usage: mosquitto.sh start|stop DIR [PORT]}

case "$cmd" in
  start)
    port=${3:-0}
    if [ "$port" = 0 ]; then
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    fi
    mkdir -p "$dir/data"
    # Mosquitto drops root to the 'mosquitto' user: its data folder must be that user's, and it gets no pid file.
    if [ "$(id -u)" = 0 ] && id mosquitto >/dev/null 2>&1; then
      chown -R mosquitto "$dir/data"
    fi
    cat > "$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $dir/data/
autosave_interval 1
set_tcp_nodelay true
max_queued_messages 0
max_inflight_messages 100
log_dest stderr
log_type error
log_type warning
CONF
    mosquitto -c "$dir/mosquitto.conf" > "$dir/mosquitto.log" 2>&1 &
    echo $! > "$dir/pid"
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "mqtt://127.0.0.1:$port"
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        echo "mosquitto exited:" >&2
        cat "$dir/mosquitto.log" >&2
        exit 1
      fi
      sleep 0.1
    done
    echo "mosquitto did not listen on $port within 10 s" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/pid" ]; then
      kill "$(cat "$dir/pid")" 2>/dev/null || true
      rm -f "$dir/pid"
    fi
    ;;
  *)
    echo "usage: mosquitto.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
