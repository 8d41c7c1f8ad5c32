/** The npm package ksqldb-client (HTTP/2 prior knowledge) drives a whole session against the server. */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from './helpers.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const KsqldbClient = require('ksqldb-client') as new (opts: { host: string; port: string | number }) => any;

let t: TestServer;
let client: any;
before(async () => {
  t = await startTestServer();
  client = new KsqldbClient({ host: 'http://127.0.0.1', port: new URL(t.url).port });
  await client.connect();
});
after(async () => {
  await client.disconnect();
  await t.close();
});

test('create a stream, CTAS, inserts, pull query, push query with LIMIT, describe', async () => {
  const created = await client.executeStatement("CREATE STREAM ORDERS (ID STRING KEY, ITEM STRING, QTY INT) WITH (kafka_topic='orders', value_format='JSON', partitions=1);");
  assert.equal(created.status, 200);
  assert.equal(created.data.rows[0]['@type'], 'currentStatus');
  const ctas = await client.executeStatement('CREATE TABLE QTY_BY_ITEM AS SELECT ITEM, SUM(QTY) AS QTY FROM ORDERS GROUP BY ITEM;');
  assert.equal(ctas.status, 200);
  assert.match(ctas.data.rows[0].commandStatus.queryId, /^CTAS_QTY_BY_ITEM_/);

  for (const [id, item, qty] of [['o1', 'apple', 2], ['o2', 'pear', 1], ['o3', 'apple', 5]] as const) {
    const ins = await client.insertInto('ORDERS', { ID: id, ITEM: item, QTY: qty });
    assert.equal(ins.status, 200);
    assert.equal(ins.data.rows[0].status, 'ok');
  }

  const pulled = await client.query("SELECT * FROM QTY_BY_ITEM WHERE ITEM = 'apple';");
  assert.equal(pulled.status, 200);
  assert.deepEqual(pulled.data.metadata.columnNames, ['ITEM', 'QTY']);
  assert.deepEqual(pulled.data.rows, [{ ITEM: 'apple', QTY: 7 }]);

  const received: any[] = [];
  const pushed = await client.streamQuery('SELECT ID, QTY FROM ORDERS EMIT CHANGES LIMIT 2;', (d: any) => received.push(d), { streamsProperties: { 'auto.offset.reset': 'earliest' } });
  assert.equal(pushed.status, 200);
  const rows = received.flatMap((d) => d.rows ?? []);
  assert.deepEqual(rows, [{ ID: 'o1', QTY: 2 }, { ID: 'o2', QTY: 1 }]);

  const described = await client.describeSource('QTY_BY_ITEM');
  assert.equal(described.name, 'QTY_BY_ITEM');
  assert.equal(described.type, 'TABLE');
  assert.deepEqual(described.fields.map((f: { name: string }) => f.name), ['ITEM', 'QTY']);

  const streams = await client.listStreams();
  assert.deepEqual(streams.map((s: { name: string }) => s.name), ['ORDERS']);
  const queries = await client.listQueries();
  assert.equal(queries.length, 1);
});
