/**
 * `sluice server` as the README starts it: no Kafka configured, so it runs its embedded broker
 * in-process and the queries as Kafka consumer groups on it; statements over REST work end to
 * end and SIGTERM stops everything cleanly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const BIN = join(process.cwd(), 'bin', 'sluice.js');

async function ksql(url: string, sql: string): Promise<unknown> {
  const res = await fetch(`${url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/vnd.ksql.v1+json' }, body: JSON.stringify({ ksql: sql, streamsProperties: {} }) });
  return res.json();
}

test('sluice server runs queries on its embedded broker and stops on SIGTERM', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-server-'));
  const proc = spawn(process.execPath, [BIN, 'server', '--listeners', 'http://127.0.0.1:0', '--kafka-listener', '127.0.0.1:0', '--schema-registry-listener', '127.0.0.1:0', '--data-dir', dir, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => (output += String(d)));
  proc.stderr.on('data', (d) => (output += String(d)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
      const check = () => {
        const m = /listening on (http:\/\/[^\s]+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        } else setTimeout(check, 100);
      };
      check();
      proc.once('exit', (code) => reject(new Error(`server exited ${code}:\n${output}`)));
    });
    const created = (await ksql(url, "CREATE STREAM PV (ID STRING KEY, N INT) WITH (KAFKA_TOPIC='pv', VALUE_FORMAT='JSON', PARTITIONS=2); CREATE TABLE C AS SELECT ID, COUNT(*) AS CNT FROM PV GROUP BY ID;")) as { commandStatus?: { status: string } }[];
    assert.equal(created.length, 2, JSON.stringify(created));
    for (const id of ['a', 'b', 'a']) await ksql(url, `INSERT INTO PV (ID, N) VALUES ('${id}', 1);`);
    // the count for 'a' reaches 2 once the consumer group has processed the inserts
    let rows: unknown = null;
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${url}/query`, { method: 'POST', headers: { 'content-type': 'application/vnd.ksql.v1+json' }, body: JSON.stringify({ ksql: "SELECT * FROM C WHERE ID='a';" }) });
      rows = await res.json();
      if (JSON.stringify(rows).includes('["a",2]')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.match(JSON.stringify(rows), /\["a",2\]/);
    // PRINT reads the raw topic through the Kafka driver
    const printed = await (await fetch(`${url}/query`, { method: 'POST', headers: { 'content-type': 'application/vnd.ksql.v1+json' }, body: JSON.stringify({ ksql: "PRINT 'pv' FROM BEGINNING LIMIT 3;" }) })).text();
    assert.equal((printed.match(/rowtime: /g) ?? []).length, 3, printed);
    assert.match(printed, /key: a, value: \{"N":1\}/);
  } finally {
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    const code = await exited;
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, output);
  }
});
