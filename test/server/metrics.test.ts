/** GET /metrics: Prometheus text with REST latency, per-query record counts and running queries. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { get, ksql, SETUP, startTestServer, type TestServer } from './helpers.js';

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
