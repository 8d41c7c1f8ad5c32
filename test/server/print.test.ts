/** PRINT over /query and /query-stream, and the format guessing behind it. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { startServer } from '../../src/server/index.js';
import { escapedBytes, formatRowtime, javaDouble, RecordFormatter } from '../../src/server/print-format.js';
import { ksql, post, SETUP, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
  await ksql(t, SETUP);
  for (const [u, p, v] of [['alice', 'home', 1], ['bob', 'home', 2], ['alice', 'news', 4], ['carol', 'news', 8]] as const) {
    await ksql(t, `INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('${u}', '${p}', ${v});`);
  }
});
after(() => t.close());

const ROWTIME = /^rowtime: \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3} Z, /;

test('PRINT FROM BEGINNING LIMIT on /query: format lines, then one line per record', async () => {
  const a = await post(`${t.url}/query`, { ksql: "PRINT 'pageviews' FROM BEGINNING LIMIT 2;" });
  assert.equal(a.status, 200);
  const lines = a.text.split('\n').filter((l) => l !== '');
  assert.equal(lines[0], 'Key format: KAFKA_STRING');
  assert.equal(lines[1], 'Value format: JSON or KAFKA_STRING');
  assert.equal(lines.length, 4);
  for (const l of lines.slice(2)) assert.match(l, ROWTIME);
  const shown = lines.slice(2).map((l) => l.replace(ROWTIME, '').replace(/, partition: \d$/, ''));
  assert.deepEqual(shown.sort(), ['key: alice, value: {"PAGEID":"home","VIEWS":1}', 'key: bob, value: {"PAGEID":"home","VIEWS":2}']);
});

test('PRINT on /query-stream: record lines only; INTERVAL shows every n-th record', async () => {
  const a = await post(`${t.url}/query-stream`, { sql: "PRINT 'pageviews' FROM BEGINNING INTERVAL 2 LIMIT 2;" });
  assert.equal(a.status, 200);
  assert.match(a.contentType ?? '', /delimited/);
  const lines = a.text.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 2);
  // the 1st and 3rd records in topic order
  const all = t.driver.records('pageviews');
  const keyOf = (l: string) => /key: (\w+),/.exec(l)![1];
  assert.deepEqual(lines.map(keyOf), [all[0]!.key!.toString(), all[2]!.key!.toString()]);
  assert.match(lines[0]!, new RegExp(`, partition: ${all[0]!.partition}$`));
  const json = await post(`${t.url}/query-stream`, { sql: "PRINT 'pageviews' FROM BEGINNING LIMIT 1;" }, { accept: 'application/json' });
  assert.equal(json.status, 406);
});

test('PRINT without FROM BEGINNING streams new records until the client goes away', async () => {
  const ac = new AbortController();
  const res = await fetch(`${t.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: "PRINT 'pageviews';" }), signal: ac.signal });
  assert.equal(res.status, 200);
  assert.equal(t.server.state.transients.size, 1);
  await ksql(t, "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('dennis', 'x', 16);");
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value);
  assert.match(text, /key: dennis, value: \{"PAGEID":"x","VIEWS":16\}, partition: \d\n$/);
  ac.abort();
  for (let i = 0; i < 100 && t.server.state.transients.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(t.server.state.transients.size, 0);
});

test('an unknown topic is a 400 suggesting the names that differ in case', async () => {
  const a = await post(`${t.url}/query`, { ksql: "PRINT 'PageViews';" });
  assert.equal(a.status, 400);
  assert.equal(a.json().error_code, 40000);
  assert.equal(a.json().message, "Could not find topic 'PageViews', or the KSQL user does not have permissions to list the topic. Topic names are case-sensitive.\nDid you mean:\n\tprint pageviews;");
  const b = await post(`${t.url}/query`, { ksql: "PRINT 'pageviews' INTERVAL 0;" });
  assert.equal(b.status, 400);
});

test('a driver without readTopic: PRINT answers a clear error', async () => {
  const driver = new TestDriver();
  Object.defineProperty(driver, 'readTopic', { value: undefined });
  const engine = new Engine(driver);
  const s = await startServer({ engine, driver, listeners: 'http://127.0.0.1:0', logger: pino({ level: 'silent' }) });
  try {
    driver.createTopic('t', 1, 1);
    const a = await post(`${s.url}/query`, { ksql: "PRINT 't';" });
    assert.equal(a.status, 400);
    assert.match(a.json().message, /PRINT is not supported by this server/);
  } finally {
    await s.close();
  }
});

test('format guessing: ints, doubles, windowed keys, nulls and undecodable bytes', () => {
  const f = new RecordFormatter();
  const int = Buffer.alloc(4);
  int.writeInt32BE(-7);
  const dbl = Buffer.alloc(8);
  dbl.writeDoubleBE(2.5);
  const rec = (key: Buffer | null, value: Buffer | null, ts = 0) => ({ topic: 't', partition: 0, offset: 0, key, value, timestamp: ts, headers: [] });
  assert.deepEqual(f.possibleKeyFormats(), ['¯\\_(ツ)_/¯ - no data processed']);
  assert.equal(f.format(rec(int, dbl, 1669999322556)), 'rowtime: 2022/12/02 16:42:02.556 Z, key: -7, value: 4612811918334230528, partition: 0');
  // an 8-byte value is a BIGINT or a DOUBLE; a 4-byte key an INT (or, since it is valid UTF-8, a string)
  assert.deepEqual(f.possibleValueFormats(), ['KAFKA_BIGINT', 'KAFKA_DOUBLE', 'KAFKA_STRING'].filter((n) => n !== 'KAFKA_STRING' || dbl.toString('utf8').indexOf('\uFFFD') < 0));
  assert.ok(f.possibleKeyFormats().includes('KAFKA_INT'));
  // a key of another size rules KAFKA_INT out (-7 was no UTF-8 string): no format is left, and
  // the record shows as its escaped bytes
  assert.equal(f.format(rec(Buffer.from('hello'), null)).split(', ')[1], 'key: hello');
  assert.deepEqual(f.possibleKeyFormats(), []);
  assert.match(f.format(rec(null, null)), /key: <null>, value: <null>/);

  const w = new RecordFormatter();
  const key = Buffer.concat([Buffer.from('"k"'), Buffer.alloc(8)]);
  key.writeBigInt64BE(1000n, 3);
  assert.match(w.format(rec(key, Buffer.from([0xff, 0x5c]))), /key: \["k"@1000\/-\], value: \\xFF\\x5C,/);
  assert.deepEqual(w.possibleKeyFormats().slice(0, 2), ['HOPPING(JSON)', 'TUMBLING(JSON)']);
  assert.deepEqual(w.possibleValueFormats(), []);

  assert.equal(javaDouble(1), '1.0');
  assert.equal(javaDouble(1e10), '1.0E10');
  assert.equal(javaDouble(1.5e-5), '1.5E-5');
  assert.equal(formatRowtime(-1), 'N/A');
  assert.equal(escapedBytes(Buffer.from('a\\')), 'a\\x5C');
});
