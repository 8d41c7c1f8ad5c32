#!/usr/bin/env bash
# Drives the interactive CLI in a real terminal (tmux): a statement typed over two lines, a
# table shown, a push query streamed and cancelled with Ctrl-C, the CLI still running after.
# Usage: test/cli-tmux.sh (needs tmux and a build in dist/). Exits non-zero on the first failure.
set -u
cd "$(dirname "$0")/.."
PORT=${PORT:-18099}
S=sluice-cli-test-$$
LOG=$(mktemp)
node bin/sluice.js server --listeners "http://127.0.0.1:$PORT" --log-level warn >"$LOG" 2>&1 &
SERVER=$!
cleanup() { tmux kill-session -t "$S" 2>/dev/null; kill "$SERVER" 2>/dev/null; rm -f "$LOG"; }
trap cleanup EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/info" >/dev/null && break; sleep 0.1; done
curl -sf -XPOST "http://127.0.0.1:$PORT/ksql" -d "{\"ksql\":\"CREATE STREAM CLICKS (USERID STRING KEY, URL STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=1); CREATE TABLE CLICKS_PER_USER AS SELECT USERID, COUNT(*) AS N FROM CLICKS GROUP BY USERID; INSERT INTO CLICKS (USERID, URL) VALUES ('ann', '/a');\"}" >/dev/null || { echo "FAIL: setup"; exit 1; }

tmux new-session -d -s "$S" -x 120 -y 50 "node bin/sluice.js cli --server http://127.0.0.1:$PORT --history-file $(mktemp)"
screen() { tmux capture-pane -p -t "$S"; }
# type text literally (tmux would take a trailing ';' as its own separator, so it goes as hex)
type_line() { local t=$1; if [[ $t == *";" ]]; then tmux send-keys -t "$S" -l "${t%;}"; tmux send-keys -t "$S" -H 3b; else tmux send-keys -t "$S" -l "$t"; fi; tmux send-keys -t "$S" Enter; }
wait_for() { for _ in $(seq 100); do screen | grep -q -- "$1" && return 0; sleep 0.1; done; echo "FAIL: waiting for '$1'"; screen; exit 1; }

wait_for "Sluice CLI"
# a statement over two lines
type_line "SELECT USERID, N FROM CLICKS_PER_USER"
wait_for "      > "
type_line "WHERE USERID = 'ann';"
wait_for "1 row"
screen | grep -q "| ann" || { echo "FAIL: table row not shown"; screen; exit 1; }
echo "ok - two-line statement, table shown"

# a push query streams until Ctrl-C
type_line "SELECT USERID, URL FROM CLICKS EMIT CHANGES;"
wait_for "Running"
curl -sf -XPOST "http://127.0.0.1:$PORT/ksql" -d "{\"ksql\":\"INSERT INTO CLICKS (USERID, URL) VALUES ('bob', '/streamed');\"}" >/dev/null
wait_for "/streamed"
echo "ok - push query row streamed live"
tmux send-keys -t "$S" C-c
wait_for "Query terminated"
echo "ok - Ctrl-C cancelled the query"

# the CLI is still there
type_line "SHOW STREAMS;"
wait_for "Stream Name"
echo "ok - CLI still running after Ctrl-C"
type_line "exit"
for _ in $(seq 50); do tmux has-session -t "$S" 2>/dev/null || break; sleep 0.1; done
tmux has-session -t "$S" 2>/dev/null && { echo "FAIL: exit did not leave the CLI"; exit 1; }
echo "ok - exit leaves the CLI"
echo "all CLI checks passed"
