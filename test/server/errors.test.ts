/** Bad requests get ksqlDB's error envelope and status, and the server keeps answering. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { get, ksql, post, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startTestServer({ bodyLimit: 64 * 1024 });
  await ksql(t, "CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);");
});
after(() => t.close());

test('malformed JSON → 400 generic_error 40000', async () => {
  const a = await post(`${t.url}/ksql`, '{"ksql": ');
  assert.equal(a.status, 400);
  const e = a.json();
  assert.equal(e['@type'], 'generic_error');
  assert.equal(e.error_code, 40000);
  assert.match(e.message, /^Invalid JSON in request/);
  assert.deepEqual(e.stackTrace, []);
});

test('a syntax error → 400 statement_error 40001 naming the statement', async () => {
  const a = await ksql(t, 'CREATE STREAM S2 WITH (;');
  assert.equal(a.status, 400);
  const e = a.json();
  assert.equal(e['@type'], 'statement_error');
  assert.equal(e.error_code, 40001);
  assert.equal(e.statementText, 'CREATE STREAM S2 WITH (;');
  assert.deepEqual(e.entities, []);
});

test('a semantic error → 40001 with the failing statement', async () => {
  const e = (await ksql(t, 'DESCRIBE NOPE;')).json();
  assert.equal(e.error_code, 40001);
  assert.match(e.message, /NOPE/);
  assert.equal(e.statementText, 'DESCRIBE NOPE;');
});

test('SELECT on /ksql → 40002', async () => {
  const a = await ksql(t, 'SELECT * FROM S EMIT CHANGES;');
  assert.equal(a.status, 400);
  assert.equal(a.json().error_code, 40002);
});

test('unknown endpoint → 404 Not Found', async () => {
  const a = await post(`${t.url}/nope`, {});
  assert.equal(a.status, 404);
  assert.equal(a.text, 'Not Found');
});

test('a body over the limit → 413 with an error body', async () => {
  const a = await post(`${t.url}/ksql`, { ksql: `-- ${'x'.repeat(100 * 1024)}\nSHOW STREAMS;` });
  assert.equal(a.status, 413);
  assert.equal(a.json()['@type'], 'generic_error');
});

test('closing an unknown query → 400/40000 "No query with id"', async () => {
  const a = await post(`${t.url}/close-query`, { queryId: 'transient_NOPE_1' });
  assert.equal(a.status, 400);
  assert.equal(a.json().error_code, 40000);
  assert.equal(a.json().message, 'No query with id transient_NOPE_1');
});

test('a missing ksql field, an empty /query-stream sql and an unacceptable Accept', async () => {
  assert.equal((await post(`${t.url}/ksql`, { streamsProperties: {} })).status, 400);
  assert.equal((await post(`${t.url}/query-stream`, { sql: '' })).status, 400);
  assert.equal((await post(`${t.url}/query-stream`, { sql: 'SELECT * FROM S;' }, { accept: 'text/html' })).status, 406);
});

test('after all that the server still answers', async () => {
  const info = await get(`${t.url}/info`);
  assert.equal(info.status, 200);
  assert.equal((await ksql(t, 'SHOW STREAMS;')).status, 200);
});
