/** The CLI session without a terminal: statement completion, routing, local SET/DEFINE, output. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Session } from '../../src/cli-client/session.js';
import { startTestServer, type TestServer } from '../server/helpers.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

function session() {
  const out: string[] = [];
  const errors: string[] = [];
  const s = new Session(t.url, { print: (x) => out.push(x), error: (x) => errors.push(x), width: () => 100 });
  return { s, out, errors };
}

test('input is complete at a ; outside quotes, or for a CLI command', () => {
  assert.equal(Session.isComplete('SELECT * FROM X'), false);
  assert.equal(Session.isComplete('SELECT *\nFROM X;'), true);
  assert.equal(Session.isComplete("SELECT ';"), false);
  assert.equal(Session.isComplete('exit'), true);
  assert.equal(Session.isComplete('output json'), true);
});

test('statements go to /ksql, SELECT streams, SET stays local and travels with queries', async () => {
  const { s, out, errors } = session();
  await s.run("CREATE STREAM CLICKS (USERID STRING KEY, URL STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);\nINSERT INTO CLICKS (USERID, URL) VALUES ('ann', '/a');");
  assert.deepEqual(errors, []);
  assert.match(out.join('\n'), /Stream created/);
  out.length = 0;
  await s.run("SET 'auto.offset.reset'='earliest';\nSELECT USERID, URL FROM CLICKS EMIT CHANGES LIMIT 1;");
  assert.deepEqual(errors, []);
  assert.equal(s.properties['auto.offset.reset'], 'earliest');
  const text = out.join('\n');
  assert.match(text, /\| USERID\s+\| URL\s+\|/);
  assert.match(text, /\| ann\s+\| \/a\s+\|/);
  assert.match(text, /1 row/);
});

test('errors are reported, not thrown; JSON output; completion knows sources', async () => {
  const { s, out, errors } = session();
  await s.run('DESCRIBE NOPE;');
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /NOPE/);
  await s.run('output json');
  assert.equal(s.format, 'JSON');
  await s.run('SHOW STREAMS;');
  assert.equal(JSON.parse(out[out.length - 1]!)['@type'], 'streams');
  await s.refreshNames();
  assert.ok(s.complete('SELECT * FROM CLI').includes('CLICKS'));
  assert.ok(s.complete('SEL').includes('SELECT'));
});

test('a cancelled push query is closed on the server', async () => {
  const { s, out } = session();
  const ac = new AbortController();
  const running = s.run('SELECT * FROM CLICKS EMIT CHANGES;', ac.signal);
  for (let i = 0; i < 200 && t.server.state.transients.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(t.server.state.transients.size, 1);
  ac.abort();
  await running;
  assert.match(out.join('\n'), /Query terminated/);
  for (let i = 0; i < 200 && t.server.state.transients.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(t.server.state.transients.size, 0);
});
