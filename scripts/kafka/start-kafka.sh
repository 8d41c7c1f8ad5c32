#!/usr/bin/env bash
# Starts a single-node KRaft Apache Kafka 3.9 (jars from Maven Central) in the foreground:
#   scripts/kafka/start-kafka.sh DATA_DIR [PORT]   (PORT default 19092; controller on PORT+1)
# Prints "kafka ready on 127.0.0.1:PORT" once the broker accepts connections.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DATA="${1:?usage: start-kafka.sh DATA_DIR [PORT]}"
PORT="${2:-19092}"
CPORT=$((PORT + 1))
mkdir -p "$CACHE/klib-server" "$DATA"
if [ ! -f "$CACHE/klib-server/.complete" ]; then
  mvn -q -f "$ROOT/scripts/kafka/kafka-server-pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$CACHE/klib-server"
  touch "$CACHE/klib-server/.complete"
fi
cat >"$DATA/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA/logs
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# test records carry small event times (1970): with the default 7-day time retention the periodic
# check (30 s after start, then every 5 min) deletes them mid-test, inputs and outputs alike
log.retention.ms=-1
PROPS
printf 'log4j.rootLogger=WARN, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\nlog4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stderr.layout.ConversionPattern=[%%d] %%p %%m (%%c)%%n\n' >"$DATA/log4j.properties"
CP="$CACHE/klib-server/*"
JOPTS=(-Xmx512m -Dlog4j.configuration="file:$DATA/log4j.properties")
if [ ! -f "$DATA/logs/meta.properties" ]; then
  ID="$(java "${JOPTS[@]}" -cp "$CP" kafka.tools.StorageTool random-uuid)"
  java "${JOPTS[@]}" -cp "$CP" kafka.tools.StorageTool format -t "$ID" -c "$DATA/server.properties" >/dev/null
fi
java "${JOPTS[@]}" -cp "$CP" kafka.Kafka "$DATA/server.properties" &
KPID=$!
trap 'kill $KPID 2>/dev/null; wait $KPID 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 600); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "kafka ready on 127.0.0.1:$PORT"; break; fi
  kill -0 $KPID 2>/dev/null || { echo "kafka exited during startup"; exit 1; }
  sleep 0.1
done
wait $KPID
