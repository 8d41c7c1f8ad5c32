#!/usr/bin/env bash
# `npm run test:kafka`: the Kafka-driver integration suite (test/kafka-driver) against a real
# Apache Kafka 3.9 — a single-node KRaft broker from Maven Central jars (start-kafka.sh) —
# instead of the embedded broker it uses under `npm test`. The test files run one after another
# on the one broker (their topics and service ids are distinct). The broker also has SASL and
# TLS listeners (PORT+2..PORT+4), described for the tests in SLUICE_TEST_KAFKA_SECURITY.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DATA="$(mktemp -d)"
PORT="${SLUICE_KAFKA_PORT:-19292}"
# with SASL and TLS listeners on PORT+2..PORT+4 for secure-connection.test (see start-kafka.sh)
SLUICE_KAFKA_SECURITY=1 setsid bash "$ROOT/scripts/kafka/start-kafka.sh" "$DATA" "$PORT" >"$DATA/kafka.out" 2>&1 &
KAFKA_PID=$!
cleanup() {
  kill -- -"$KAFKA_PID" 2>/dev/null || kill "$KAFKA_PID" 2>/dev/null || true
  wait "$KAFKA_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 600); do
  grep -q "kafka ready" "$DATA/kafka.out" && break
  kill -0 "$KAFKA_PID" 2>/dev/null || { cat "$DATA/kafka.out"; echo "Apache Kafka did not start"; exit 1; }
  sleep 0.5
done
grep -q "kafka ready" "$DATA/kafka.out" || { cat "$DATA/kafka.out"; echo "Apache Kafka did not start in time"; exit 1; }
echo "Apache Kafka ready on 127.0.0.1:$PORT"
SLUICE_TEST_KAFKA="127.0.0.1:$PORT" SLUICE_TEST_KAFKA_SECURITY="$DATA/security.json" node --test --test-concurrency=1 "$ROOT/dist/test/kafka-driver/"
