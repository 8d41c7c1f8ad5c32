/** /query, /query-stream, /close-query and /inserts-stream over the in-memory driver. */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { after, before, test } from 'node:test';
import { ksql, post, SETUP, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
  await ksql(t, SETUP);
  await ksql(
    t,
    "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('alice', 'home', 1);" +
      "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('bob', 'home', 2);" +
      "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('alice', 'news', 4);",
  );
});
after(() => t.close());

test('pull query by key on /query: header with KEY marker, one row, no final message', async () => {
  const a = await post(`${t.url}/query`, { ksql: "SELECT * FROM VIEWS_PER_USER WHERE USERID = 'alice';" });
  assert.equal(a.status, 200);
  assert.match(a.contentType ?? '', /application\/vnd\.ksql\.v1\+json/);
  const lines = a.text.split('\n');
  assert.match(lines[0]!, /^\[\{"header":\{"queryId":"query_\d+","schema":"`USERID` STRING KEY, `N` BIGINT, `TOTAL` INTEGER"\}\},$/);
  assert.equal(lines[1], '{"row":{"columns":["alice",2,5]}}]');
  assert.equal(lines.length, 2);
});

test('pull queries: IN lookups, ranges and a full scan with LIMIT', async () => {
  const rows = (sql: string) => post(`${t.url}/query-stream`, { sql }, { accept: 'application/json' }).then((a) => a.json().slice(1));
  assert.deepEqual(await rows("SELECT USERID, TOTAL FROM VIEWS_PER_USER WHERE USERID IN ('bob', 'alice');"), [['bob', 2], ['alice', 5]]);
  assert.deepEqual(await rows("SELECT USERID FROM VIEWS_PER_USER WHERE USERID > 'b';"), [['bob']]);
  assert.equal((await rows('SELECT * FROM VIEWS_PER_USER LIMIT 1;')).length, 1);
  assert.deepEqual(await rows("SELECT * FROM VIEWS_PER_USER WHERE USERID = 'nobody';"), []);
});

test('a stream pull reads what is there and ends with Query Completed', async () => {
  const a = await post(`${t.url}/query`, { ksql: 'SELECT PAGEID, VIEWS FROM PAGEVIEWS;' });
  const elems = JSON.parse(a.text);
  assert.deepEqual(elems[0].header.schema, '`PAGEID` STRING, `VIEWS` INTEGER');
  assert.equal(elems.length, 5);
  assert.deepEqual(elems[4], { finalMessage: 'Query Completed' });
});

test('push query with LIMIT from earliest: rows then Limit Reached, in the delimited framing', async () => {
  const a = await post(`${t.url}/query-stream`, { sql: 'SELECT USERID, VIEWS FROM PAGEVIEWS EMIT CHANGES LIMIT 2;', properties: { 'ksql.streams.auto.offset.reset': 'earliest' } });
  assert.equal(a.status, 200);
  assert.match(a.contentType ?? '', /application\/vnd\.ksqlapi\.delimited\.v1/);
  const lines = a.text.split('\n');
  const meta = JSON.parse(lines[0]!);
  assert.match(meta.queryId, /^transient_PAGEVIEWS_/);
  assert.deepEqual(meta.columnNames, ['USERID', 'VIEWS']);
  assert.deepEqual(meta.columnTypes, ['STRING', 'INTEGER']);
  assert.equal(lines.length, 4);
  assert.equal(lines[3], '');
  const got = [JSON.parse(lines[1]!), JSON.parse(lines[2]!)];
  assert.deepEqual(got.sort(), [['alice', 1], ['bob', 2]].sort());
});

/** Reads a streaming response incrementally. */
async function openStream(path: string, body: unknown, accept?: string) {
  const res = await fetch(`${t.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    status: res.status,
    /** wait until the body holds `n` lines */
    async lines(n: number): Promise<string[]> {
      while (buffer.split('\n').length - 1 < n) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
      }
      return buffer.split('\n').slice(0, n);
    },
    /** wait for the first bytes (the StreamedRow header has no newline of its own) */
    async started(): Promise<void> {
      while (buffer === '') {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    async rest(): Promise<string> {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return buffer;
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}

test('push query streams new rows as they arrive, and /close-query ends it', async () => {
  const s = await openStream('/query-stream', { sql: 'SELECT USERID, PAGEID FROM PAGEVIEWS EMIT CHANGES;' });
  assert.equal(s.status, 200);
  const [metaLine] = await s.lines(1);
  const meta = JSON.parse(metaLine!);
  // from latest: nothing yet; a new insert shows up
  await ksql(t, "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('carol', 'shop', 1);");
  const [, row] = await s.lines(2);
  assert.deepEqual(JSON.parse(row!), ['carol', 'shop']);
  assert.ok(t.server.state.transients.has(meta.queryId));
  const closed = await post(`${t.url}/close-query`, { queryId: meta.queryId });
  assert.equal(closed.status, 200);
  assert.equal(closed.text, '');
  const body = await s.rest();
  assert.equal(body.split('\n').filter((l) => l).length, 2);
  assert.ok(!t.server.state.transients.has(meta.queryId));
});

test('a push query over a table streams updates in the StreamedRow framing', async () => {
  const s = await openStream('/query', { ksql: 'SELECT * FROM VIEWS_PER_USER EMIT CHANGES LIMIT 1;' }, 'application/vnd.ksql.v1+json');
  await s.started();
  await ksql(t, "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('bob', 'shop', 10);");
  const body = await s.rest();
  const elems = JSON.parse(body);
  assert.equal(elems[0].header.schema, '`USERID` STRING, `N` BIGINT, `TOTAL` INTEGER');
  assert.deepEqual(elems[1], { row: { columns: ['bob', 2, 12] } });
  assert.deepEqual(elems[2], { finalMessage: 'Limit Reached' });
});

test('a client that goes away stops its push query', async () => {
  const ac = new AbortController();
  const res = await fetch(`${t.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT * FROM PAGEVIEWS EMIT CHANGES;' }), signal: ac.signal });
  const reader = res.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  const id = JSON.parse(first.split('\n')[0]!).queryId;
  assert.ok(t.server.state.transients.has(id));
  ac.abort();
  for (let i = 0; i < 100 && t.server.state.transients.has(id); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(!t.server.state.transients.has(id), 'query still registered after disconnect');
});

test('/inserts-stream: acks per row (an unterminated last line counts), key required', async () => {
  const a = await post(`${t.url}/inserts-stream`, '{"target":"pageviews"}\n{"USERID":"dave","PAGEID":"a","VIEWS":1}\n{"userid":"dave","pageid":"b","views":2}');
  assert.equal(a.status, 200);
  assert.deepEqual(a.text.trim().split('\n').map((l) => JSON.parse(l)), [{ status: 'ok', seq: 0 }, { status: 'ok', seq: 1 }]);
  const pulled = await post(`${t.url}/query-stream`, { sql: "SELECT TOTAL FROM VIEWS_PER_USER WHERE USERID='dave';" }, { accept: 'application/json' });
  assert.deepEqual(pulled.json().slice(1), [[3]]);
  const bad = await post(`${t.url}/inserts-stream`, '{"target":"PAGEVIEWS"}\n{"PAGEID":"x"}\n', { accept: 'application/json' });
  const acks = bad.json();
  assert.equal(acks[0].status, 'error');
  assert.equal(acks[0].error_code, 40000);
  assert.match(acks[0].message, /Key field must be specified: USERID/);
  const unknown = await post(`${t.url}/inserts-stream`, '{"target":"NOPE"}\n{}');
  assert.equal(unknown.status, 400);
});

test('HTTP/2 with prior knowledge on the same port', async () => {
  const session = http2.connect(t.url);
  try {
    const body = await new Promise<string>((resolve, reject) => {
      const req = session.request({ ':method': 'POST', ':path': '/query-stream', 'content-type': 'application/json' });
      let data = '';
      req.on('data', (d) => (data += d));
      req.on('end', () => resolve(data));
      req.on('error', reject);
      req.end(JSON.stringify({ sql: "SELECT * FROM VIEWS_PER_USER WHERE USERID='alice';" }));
    });
    const lines = body.trim().split('\n');
    assert.deepEqual(JSON.parse(lines[0]!).columnNames, ['USERID', 'N', 'TOTAL']);
    assert.deepEqual(JSON.parse(lines[1]!), ['alice', 2, 5]);
  } finally {
    session.close();
  }
});

test('query errors before streaming are statement errors', async () => {
  const a = await post(`${t.url}/query-stream`, { sql: 'SELECT * FROM NOPE EMIT CHANGES;' });
  assert.equal(a.status, 400);
  assert.equal(a.json().error_code, 40001);
  const b = await post(`${t.url}/query`, { ksql: 'SELECT * FROM VIEWS_PER_USER WINDOW TUMBLING (SIZE 1 SECOND);' });
  assert.equal(b.status, 400);
});
