#!/usr/bin/env bash
# Starts a single-node KRaft Apache Kafka 3.9 (jars from Maven Central) in the foreground:
#   scripts/kafka/start-kafka.sh DATA_DIR [PORT]   (PORT default 19092; controller on PORT+1)
# Prints "kafka ready on 127.0.0.1:PORT" once the broker accepts connections.
# With SLUICE_KAFKA_SECURITY=1 the broker also has authenticated listeners, for the client-security
# tests (the PLAINTEXT listener stays as it is):
#   PORT+2 SASL_PLAINTEXT   PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; user alice / alice-secret
#   PORT+3 SSL              ssl.client.auth=required (the client certificate below)
#   PORT+4 SASL_SSL         the same SASL users over TLS
# The certificates are made at start with openssl under DATA_DIR/tls (a throwaway CA, the
# broker's for 127.0.0.1/localhost and a client's, PEM), and DATA_DIR/security.json describes it
# all for the tests; "kafka security listeners in DATA_DIR/security.json" is printed after ready.
# SCRAM users are created when the data dir is formatted (a fresh DATA_DIR).
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
SECURE="${SLUICE_KAFKA_SECURITY:-}"
LISTENERS="PLAINTEXT://127.0.0.1:$PORT"
PROTOCOL_MAP="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
if [ -n "$SECURE" ]; then
  SASL_PORT=$((PORT + 2)); SSL_PORT=$((PORT + 3)); SASL_SSL_PORT=$((PORT + 4))
  LISTENERS="$LISTENERS,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT,SSL://127.0.0.1:$SSL_PORT,SASL_SSL://127.0.0.1:$SASL_SSL_PORT"
  PROTOCOL_MAP="$PROTOCOL_MAP,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL"
  TLS="$DATA/tls"
  mkdir -p "$TLS"
  if [ ! -f "$TLS/client.pem" ]; then
    # a throwaway CA, and broker and client certificates it signs (keys unencrypted PKCS#8, as Kafka's PEM stores want)
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TLS/ca-key.pem" -out "$TLS/ca.pem" -days 2 -subj "/CN=sluice-test-ca" 2>/dev/null
    for who in broker client; do
      openssl req -newkey rsa:2048 -nodes -keyout "$TLS/$who-key.pem" -out "$TLS/$who.csr" -subj "/CN=$who" 2>/dev/null
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$TLS/$who.ext"
      openssl x509 -req -in "$TLS/$who.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca-key.pem" -CAcreateserial -out "$TLS/$who-cert.pem" -days 2 -extfile "$TLS/$who.ext" 2>/dev/null
      openssl pkcs8 -topk8 -nocrypt -in "$TLS/$who-key.pem" -out "$TLS/$who-key.p8"
      cat "$TLS/$who-key.p8" "$TLS/$who-cert.pem" >"$TLS/$who.pem"
    done
  fi
fi
cat >"$DATA/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=$LISTENERS,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=$LISTENERS
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=$PROTOCOL_MAP
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
if [ -n "$SECURE" ]; then
  for l in sasl_plaintext sasl_ssl; do
    cat >>"$DATA/server.properties" <<PROPS
listener.name.$l.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.$l.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret";
listener.name.$l.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.$l.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
PROPS
  done
  cat >>"$DATA/server.properties" <<PROPS
ssl.keystore.type=PEM
ssl.keystore.location=$TLS/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS/ca.pem
listener.name.ssl.ssl.client.auth=required
PROPS
  cat >"$DATA/security.json" <<JSON
{
  "saslPlaintext": "127.0.0.1:$SASL_PORT",
  "ssl": "127.0.0.1:$SSL_PORT",
  "saslSsl": "127.0.0.1:$SASL_SSL_PORT",
  "username": "alice",
  "password": "alice-secret",
  "ca": "$TLS/ca.pem",
  "clientKeystore": "$TLS/client.pem",
  "clientCert": "$TLS/client-cert.pem",
  "clientKey": "$TLS/client-key.p8"
}
JSON
fi
printf 'log4j.rootLogger=WARN, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\nlog4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stderr.layout.ConversionPattern=[%%d] %%p %%m (%%c)%%n\n' >"$DATA/log4j.properties"
CP="$CACHE/klib-server/*"
JOPTS=(-Xmx512m -Dlog4j.configuration="file:$DATA/log4j.properties")
if [ ! -f "$DATA/logs/meta.properties" ]; then
  ID="$(java "${JOPTS[@]}" -cp "$CP" kafka.tools.StorageTool random-uuid)"
  SCRAM=()
  [ -n "$SECURE" ] && SCRAM=(--add-scram 'SCRAM-SHA-256=[name=alice,password=alice-secret]' --add-scram 'SCRAM-SHA-512=[name=alice,password=alice-secret]')
  java "${JOPTS[@]}" -cp "$CP" kafka.tools.StorageTool format -t "$ID" -c "$DATA/server.properties" "${SCRAM[@]}" >/dev/null
fi
java "${JOPTS[@]}" -cp "$CP" kafka.Kafka "$DATA/server.properties" &
KPID=$!
trap 'kill $KPID 2>/dev/null; wait $KPID 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 600); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "kafka ready on 127.0.0.1:$PORT"
    [ -n "$SECURE" ] && echo "kafka security listeners in $DATA/security.json"
    break
  fi
  kill -0 $KPID 2>/dev/null || { echo "kafka exited during startup"; exit 1; }
  sleep 0.1
done
wait $KPID
