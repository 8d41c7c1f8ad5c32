#!/usr/bin/env bash
# Java interop: kafka-clients 3.9 (admin, idempotent producer, group consumer) and a Kafka Streams
# exactly_once_v2 app against the embedded broker. Jars come from Maven Central via Maven.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$CACHE/klib-clients"
mvn -q -f "$ROOT/scripts/kafka/clients-pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$CACHE/klib-clients"
start_sluice_broker
java -cp "$CACHE/klib-clients/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  "$ROOT/scripts/kafka/java-check/JavaCheck.java" "$BOOTSTRAP"
