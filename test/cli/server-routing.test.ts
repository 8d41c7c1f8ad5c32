/**
 * Two `sluice server` processes, headless with the same queries file and service id, against one
 * broker: the queries file runs before the REST server listens, so the endpoint each advertises
 * to its query groups comes from --listeners. A pull query by key on either server returns the
 * key's row wherever its task runs; after one is stopped (SIGTERM) the other answers alone.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { kafkaFor, produceJson, startTestBroker, tempDir, type TestBroker } from '../kafka-driver/helpers.js';
import { freePort, SLUICE_BIN, waitFor } from './cli-helpers.js';

const SERVICE = 'cli_routing_';
const TOPIC = 'cli_routing_clicks';
const USERS = Array.from({ length: 12 }, (_x, i) => `u${i}`);

let broker: TestBroker | undefined;
const children: ChildProcess[] = [];

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await broker?.close();
});

async function startHeadless(queriesFile: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [SLUICE_BIN, 'server', '--listeners', url, '--bootstrap-servers', `127.0.0.1:${broker!.port}`, '--service-id', SERVICE, '--queries-file', queriesFile, '--data-dir', tempDir('sluice-cli-routing-'), '--schema-registry-listener', '127.0.0.1:0', '--config', 'ksql.streams.session.timeout.ms=6000', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  await waitFor(`${url} to answer /info`, async () => {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${out}`);
    return (await fetch(`${url}/info`)).ok || undefined;
  });
  return { url, child, output: () => out };
}

async function lookup(url: string, user: string): Promise<unknown> {
  const res = await fetch(`${url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: `SELECT * FROM CLI_ROUTING_COUNTS WHERE USERID = '${user}';` }) });
  const elems = (await res.json()) as { row?: { columns: unknown[] } }[];
  return elems.filter((e) => e.row).map((e) => e.row!.columns);
}

/** whether every user's lookup on `url` returns its count */
async function allRight(url: string): Promise<true | undefined> {
  for (const [i, u] of USERS.entries()) if (JSON.stringify(await lookup(url, u)) !== JSON.stringify([[u, 1 + (i % 3)]])) return undefined;
  return true;
}

async function hosts(url: string): Promise<string[]> {
  const s = (await (await fetch(`${url}/clusterStatus`)).json()) as { clusterStatus: Record<string, { activeStandbyPerQuery: Record<string, { activePartitions: unknown[] }> }> };
  return Object.entries(s.clusterStatus)
    .filter(([, h]) => (h.activeStandbyPerQuery['CTAS_CLI_ROUTING_COUNTS_0']?.activePartitions.length ?? 0) > 0)
    .map(([k]) => k)
    .sort();
}

test('headless servers sharing a service id answer each other’s keys', { timeout: 180_000 }, async () => {
  broker = await startTestBroker();
  const dir = tempDir('sluice-cli-routing-sql-');
  const file = join(dir, 'app.sql');
  writeFileSync(
    file,
    "SET 'auto.offset.reset'='earliest';\n" +
      `CREATE STREAM CLI_ROUTING_CLICKS (USERID STRING KEY, PAGE STRING) WITH (kafka_topic='${TOPIC}', value_format='JSON', partitions=4);\n` +
      'CREATE TABLE CLI_ROUTING_COUNTS AS SELECT USERID, COUNT(*) AS N FROM CLI_ROUTING_CLICKS GROUP BY USERID;\n',
  );
  const a = await startHeadless(file);
  const b = await startHeadless(file);
  await produceJson(
    kafkaFor(broker),
    USERS.flatMap((u, i) => Array.from({ length: 1 + (i % 3) }, (_y, j) => ({ topic: TOPIC, key: u, value: { PAGE: `p${j}` }, timestamp: 1000 + i }))),
  );
  const both = [new URL(a.url).host, new URL(b.url).host].sort();
  await waitFor('both hosts to run tasks', async () => ((await hosts(a.url)).join() === both.join() && (await hosts(b.url)).join() === both.join()) || undefined);
  await waitFor('every key on server A', () => allRight(a.url));
  await waitFor('every key on server B', () => allRight(b.url));

  const exited = new Promise<number | null>((r) => b.child.once('exit', (code) => r(code)));
  b.child.kill('SIGTERM');
  assert.equal(await exited, 0, b.output());
  await waitFor('the survivor to run every task', async () => (await hosts(a.url)).join() === new URL(a.url).host || undefined);
  await waitFor('every key on the survivor', () => allRight(a.url));
});
