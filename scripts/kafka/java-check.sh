#!/usr/bin/env bash
# Java interop: kafka-clients 3.9 (admin, idempotent producer, group consumer) and a Kafka Streams
# exactly_once_v2 app against the embedded broker. Jars come from Maven Central via Maven.
# KAFKA_CLIENTS_VERSION selects the client line (default 3.9.1; 4.0.0 and 4.1.0 work too).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
VERSION="${KAFKA_CLIENTS_VERSION:-3.9.1}"
LIB="$CACHE/klib-clients-$VERSION"
mkdir -p "$LIB"
mvn -q -f "$ROOT/scripts/kafka/clients-pom.xml" -Dkafka.version="$VERSION" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB"
start_sluice_broker
java -cp "$LIB/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  "$ROOT/scripts/kafka/java-check/JavaCheck.java" "$BOOTSTRAP"
