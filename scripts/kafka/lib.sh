# Shared helpers for the interop scripts: start/stop `sluice broker` on an ephemeral port.
# Sourced, not executed. Requires a built tree (npx tsc -p .).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${SLUICE_KAFKA_CACHE:-$ROOT/.kafka-cache}"

start_sluice_broker() {
  BROKER_DIR="$(mktemp -d)"
  BROKER_LOG="$BROKER_DIR/broker.out"
  node "$ROOT/bin/sluice.js" broker --listener 127.0.0.1:0 --data-dir "$BROKER_DIR/data" >"$BROKER_LOG" 2>&1 &
  BROKER_PID=$!
  for _ in $(seq 1 100); do
    BROKER_PORT="$(sed -n 's/^sluice broker ready on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$BROKER_LOG")"
    [ -n "$BROKER_PORT" ] && break
    sleep 0.1
  done
  if [ -z "$BROKER_PORT" ]; then echo "sluice broker did not start:"; cat "$BROKER_LOG"; return 1; fi
  BOOTSTRAP="127.0.0.1:$BROKER_PORT"
  trap stop_sluice_broker EXIT
}

stop_sluice_broker() {
  if [ -n "${BROKER_PID:-}" ]; then kill "$BROKER_PID" 2>/dev/null; wait "$BROKER_PID" 2>/dev/null; BROKER_PID=; fi
  [ -n "${BROKER_DIR:-}" ] && rm -rf "$BROKER_DIR"
}
