/** Headless mode: a queries file is the deployment; statements over REST are refused. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { QueriesFileError, runQueriesFile } from '../../src/server/headless.js';
import { startServer } from '../../src/server/index.js';
import { get, post } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-headless-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('a queries file runs and its queries produce their output topics', async () => {
  const driver = new TestDriver();
  const engine = new Engine(driver);
  runQueriesFile(
    engine,
    file(
      'app.sql',
      "SET 'auto.offset.reset'='earliest';\nCREATE STREAM RAW (ID INT KEY, V STRING) WITH (kafka_topic='raw', value_format='JSON', partitions=1);\n\nCREATE STREAM UPPERED WITH (kafka_topic='uppered') AS SELECT ID, UCASE(V) AS V FROM RAW;\n",
    ),
  );
  driver.pipe({ topic: 'raw', key: Buffer.from([0, 0, 0, 7]), value: Buffer.from('{"V":"hi"}'), timestamp: 1 });
  const out = driver.records('uppered');
  assert.equal(out.length, 1);
  assert.equal(out[0]!.value!.toString(), '{"V":"HI"}');

  const server = await startServer({ engine, driver, listeners: 'http://127.0.0.1:0', logger: pino({ level: 'silent' }), headless: true });
  try {
    assert.equal((await get(`${server.url}/healthcheck`)).status, 200);
    const refused = await post(`${server.url}/ksql`, { ksql: 'SHOW STREAMS;' });
    assert.equal(refused.status, 403);
    assert.match(refused.json().message, /headless/);
    // queries are still served
    const q = await post(`${server.url}/query`, { ksql: 'SELECT * FROM UPPERED;' });
    assert.equal(q.status, 200);
    assert.deepEqual(JSON.parse(q.text)[1], { row: { columns: [7, 'HI'] } });
  } finally {
    await server.close();
  }
});

test('an invalid file fails naming the line', () => {
  const engine = new Engine(new TestDriver());
  const syntax = file('bad-syntax.sql', "CREATE STREAM A (ID INT KEY) WITH (kafka_topic='a', value_format='JSON', partitions=1);\n\nCREATE STREAM B WITH (;\n");
  assert.throws(() => runQueriesFile(engine, syntax), (e: unknown) => e instanceof QueriesFileError && e.line === 3 && e.message.startsWith(`${syntax}:3:`));
  const unsupported = file('bad-kind.sql', "CREATE STREAM C (ID INT KEY) WITH (kafka_topic='c', value_format='JSON', partitions=1);\nSHOW STREAMS;\n");
  assert.throws(() => runQueriesFile(new Engine(new TestDriver()), unsupported), (e: unknown) => e instanceof QueriesFileError && e.line === 2 && /Unsupported statement/.test(e.message));
  const semantic = file('bad-ref.sql', '\n\nCREATE STREAM D AS SELECT * FROM MISSING;\n');
  assert.throws(() => runQueriesFile(new Engine(new TestDriver()), semantic), (e: unknown) => e instanceof QueriesFileError && e.line === 3 && /MISSING/.test(e.message));
});
