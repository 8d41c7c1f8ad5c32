/** GET /ws/query: the legacy WebSocket query endpoint. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { ksql, SETUP, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
  await ksql(t, SETUP);
  await ksql(t, "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('alice', 'home', 1);" + "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('bob', 'news', 2);");
});
after(() => t.close());

/** Opens /ws/query with `request`, collects the frames until the server closes. */
function wsQuery(request: unknown, onOpen?: (ws: WebSocket, frames: string[]) => void): Promise<{ frames: string[]; code: number; reason: string }> {
  const url = `${t.url.replace(/^http/, 'ws')}/ws/query?request=${encodeURIComponent(typeof request === 'string' ? request : JSON.stringify(request))}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: string[] = [];
    ws.on('open', () => onOpen?.(ws, frames));
    ws.on('message', (m) => frames.push(m.toString()));
    ws.on('close', (code, reason) => resolve({ frames, code, reason: reason.toString() }));
    ws.on('error', reject);
  });
}

test('a table pull: schema frame with KEY, a row frame, close 1000 done', async () => {
  const r = await wsQuery({ ksql: "SELECT * FROM VIEWS_PER_USER WHERE USERID = 'alice';" });
  assert.equal(r.code, 1000);
  assert.equal(r.reason, 'done');
  assert.deepEqual(JSON.parse(r.frames[0]!), [
    { name: 'USERID', schema: { type: 'STRING', fields: null, memberSchema: null }, type: 'KEY' },
    { name: 'N', schema: { type: 'BIGINT', fields: null, memberSchema: null } },
    { name: 'TOTAL', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
  ]);
  assert.deepEqual(JSON.parse(r.frames[1]!), { row: { columns: ['alice', 1, 1] } });
  assert.equal(r.frames.length, 2);
});

test('a push query with LIMIT from earliest, and PRINT, close when done', async () => {
  const r = await wsQuery({ ksql: 'SELECT USERID, VIEWS FROM PAGEVIEWS EMIT CHANGES LIMIT 2;', streamsProperties: { 'auto.offset.reset': 'earliest' } });
  assert.equal(r.code, 1000);
  assert.deepEqual(r.frames.slice(1).map((f) => JSON.parse(f).row.columns).sort(), [['alice', 1], ['bob', 2]]);
  const p = await wsQuery({ ksql: "PRINT 'pageviews' FROM BEGINNING LIMIT 2;" });
  assert.equal(p.code, 1000);
  assert.equal(p.frames.length, 2);
  for (const f of p.frames) assert.match(f, /^rowtime: .*, key: (alice|bob), value: \{.*\}, partition: \d$/);
});

test('a push query runs until the client closes the socket', async () => {
  let running = 0;
  const r = await wsQuery({ ksql: 'SELECT * FROM PAGEVIEWS EMIT CHANGES;' }, (ws, frames) => {
    const wait = setInterval(() => {
      if (frames.length > 0) {
        clearInterval(wait);
        running = t.server.state.transients.size;
        ws.close(1000);
      }
    }, 5);
  });
  assert.equal(running, 1);
  assert.equal(r.code, 1000);
  assert.equal(r.frames.length, 1); // the schema
  for (let i = 0; i < 100 && t.server.state.transients.size > 0; i++) await new Promise((res) => setTimeout(res, 10));
  assert.equal(t.server.state.transients.size, 0);
});

test('bad requests close 1003 with the message', async () => {
  const r = await wsQuery('not json');
  assert.equal(r.code, 1003);
  const s = await wsQuery({ ksql: 'SELECT * FROM NOPE EMIT CHANGES;' });
  assert.equal(s.code, 1003);
  assert.match(s.reason, /NOPE/);
  const e = await wsQuery({ ksql: '' });
  assert.equal(e.code, 1003);
  assert.equal(e.reason, '"ksql" field must be populated');
});
