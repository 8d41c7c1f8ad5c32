#!/usr/bin/env bash
# librdkafka interop: kcat -L / -P / -C round trips with every compression codec, then a librdkafka consumer
# group (python3-confluent-kafka) with an idempotent lz4 producer, and librdkafka transactions (read_committed). Needs: apt-get install kcat python3-confluent-kafka
set -euo pipefail
source "$(dirname "$0")/lib.sh"
start_sluice_broker
fail() { echo "KCAT CHECK FAILED: $*"; exit 1; }
kcat -b "$BOOTSTRAP" -L -m 10 | grep -q "broker 1 at $BOOTSTRAP" || fail "kcat -L does not list the broker"
echo "ok - kcat -L"
for codec in none gzip snappy lz4 zstd; do
  seq 1 100 | sed "s/^/$codec-/" | kcat -b "$BOOTSTRAP" -P -t "kcat-$codec" -z "$codec" -K: -m 10
  got="$(kcat -b "$BOOTSTRAP" -C -t "kcat-$codec" -o beginning -e -q -m 10 | sort -t- -k2 -n | tr '\n' ' ')"
  want="$(seq 1 100 | sed "s/^/$codec-/" | tr '\n' ' ')"
  [ "$got" = "$want" ] || fail "$codec round trip: got '$got'"
  echo "ok - kcat -P/-C with $codec"
done
/usr/bin/python3 "$ROOT/scripts/kafka/rdkafka_group_check.py" "$BOOTSTRAP"
/usr/bin/python3 "$ROOT/scripts/kafka/rdkafka_txn_check.py" "$BOOTSTRAP"
