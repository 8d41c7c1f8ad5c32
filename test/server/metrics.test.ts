/** GET /metrics: Prometheus text with REST latency, per-query record counts and running queries. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { get, ksql, post, SETUP, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let other: TestServer;
before(async () => {
  t = await startTestServer();
  other = await startTestServer();
  await ksql(t, SETUP);
  await ksql(
    t,
    "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('alice', 'home', 1);" + "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('bob', 'home', 2);",
  );
  // a record the query cannot read: counted as failed, not consumed into the sink
  t.driver.pipe({ topic: 'pageviews', key: Buffer.from('carol'), value: Buffer.from('{not json'), timestamp: 1 });
});
after(async () => {
  await t.close();
  await other.close();
});

/** the value of the sample `name{labels}` in a Prometheus text body */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('per persistent query: records consumed, produced and failed; running query gauge', async () => {
  const a = await get(`${t.url}/metrics`);
  assert.equal(a.status, 200);
  assert.match(a.contentType ?? '', /^text\/plain; version=0\.0\.4/);
  const qid = [...t.engine.metastore.queries.keys()][0]!;
  assert.match(a.text, /# TYPE sluice_query_records_consumed_total counter/);
  assert.equal(sample(a.text, 'sluice_query_records_consumed_total', `query_id="${qid}"`), 3);
  assert.equal(sample(a.text, 'sluice_query_records_produced_total', `query_id="${qid}"`), 2);
  assert.equal(sample(a.text, 'sluice_query_records_failed_total', `query_id="${qid}"`), 1);
  assert.equal(sample(a.text, 'sluice_running_queries', 'type="persistent"'), 1);
  assert.equal(sample(a.text, 'sluice_running_queries', 'type="push"'), 0);
});

test('REST latency histogram per route pattern and status, per server', async () => {
  await get(`${t.url}/info`);
  await get(`${t.url}/status/stream/X/create`);
  await get(`${t.url}/nowhere`);
  const a = await get(`${t.url}/metrics`);
  assert.ok((sample(a.text, 'sluice_rest_request_duration_seconds_count', 'route="/info",status="200"') ?? 0) >= 1);
  // the route pattern, not the URL
  assert.ok(a.text.includes('route="/status/:type/:entity/:action"'), a.text);
  assert.ok(!a.text.includes('/status/stream/X/create'));
  assert.ok((sample(a.text, 'sluice_rest_request_duration_seconds_count', 'route="unmatched",status="404"') ?? 0) >= 1);
  assert.ok((sample(a.text, 'sluice_rest_request_duration_seconds_count', 'route="/ksql",status="200"') ?? 0) >= 2);
  // the other server has its own registry: none of this server's queries or requests
  const b = await get(`${other.url}/metrics`);
  assert.equal(sample(b.text, 'sluice_running_queries', 'type="persistent"'), 0);
  assert.equal(sample(b.text, 'sluice_rest_request_duration_seconds_count', 'route="/ksql"'), undefined);
});

/** count and sum of the latency histogram for one route and kind */
function latencyOf(text: string, route: string, kind: string): { count: number; sum: number } {
  const pick = (suffix: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`sluice_rest_request_duration_seconds_${suffix}{`) && l.includes(`route="${route}"`) && l.includes(`kind="${kind}"`))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  return { count: pick('count'), sum: pick('sum') };
}

test('streaming requests are in the latency histogram when they end, labelled kind="streaming"', async () => {
  const s = await startTestServer();
  try {
    await ksql(s, SETUP);
    await ksql(s, "INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('alice', 'home', 1);");
    // a push query that ends by itself (LIMIT), over /query and /query-stream
    const q = await post(`${s.url}/query`, { ksql: 'SELECT USERID FROM PAGEVIEWS EMIT CHANGES LIMIT 1;', streamsProperties: { 'auto.offset.reset': 'earliest' } });
    assert.equal(q.status, 200);
    const qs = await post(`${s.url}/query-stream`, { sql: 'SELECT USERID FROM PAGEVIEWS EMIT CHANGES LIMIT 1;', properties: { 'auto.offset.reset': 'earliest' } });
    assert.equal(qs.status, 200);
    // a push query the client holds open for a while and then abandons: the whole stream counts
    const ac = new AbortController();
    const res = await fetch(`${s.url}/query-stream`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT USERID FROM PAGEVIEWS EMIT CHANGES;' }), signal: ac.signal });
    assert.equal(res.status, 200);
    const heldMs = 400;
    await new Promise((r) => setTimeout(r, heldMs));
    ac.abort();
    await res.body?.cancel().catch(() => undefined);
    const ins = await post(`${s.url}/inserts-stream`, '{"target":"PAGEVIEWS"}\n{"USERID":"bob","PAGEID":"x","VIEWS":2}\n');
    assert.equal(ins.status, 200);
    // a websocket push query closed by the client
    const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/ws/query?request=${encodeURIComponent(JSON.stringify({ ksql: 'SELECT USERID FROM PAGEVIEWS EMIT CHANGES;' }))}`);
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => setTimeout(() => ws.close(), 100));
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    // the server sees the ends asynchronously: poll until every stream was observed
    let text = '';
    for (let i = 0; i < 100; i++) {
      text = (await get(`${s.url}/metrics`)).text;
      if (latencyOf(text, '/query-stream', 'streaming').count >= 2 && latencyOf(text, '/ws/query', 'streaming').count >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(latencyOf(text, '/query', 'streaming').count, 1, text);
    assert.equal(latencyOf(text, '/query-stream', 'streaming').count, 2, text);
    // the abandoned stream's duration covers the time it was held open
    assert.ok(latencyOf(text, '/query-stream', 'streaming').sum >= heldMs / 1000, text);
    assert.equal(latencyOf(text, '/inserts-stream', 'streaming').count, 1, text);
    assert.equal(latencyOf(text, '/ws/query', 'streaming').count, 1, text);
    assert.ok(text.includes('route="/ws/query",status="101",kind="streaming"'), text);
    // one-shot requests are kind="request", never "streaming"
    assert.ok(latencyOf(text, '/ksql', 'request').count >= 2);
    assert.equal(latencyOf(text, '/ksql', 'streaming').count, 0);
  } finally {
    await s.close();
  }
});
