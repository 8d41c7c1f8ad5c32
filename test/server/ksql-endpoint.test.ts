/** POST /ksql: statements answered with ksqlDB's entities. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { get, ksql, SETUP, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

test('CREATE STREAM and CTAS answer currentStatus entities with command ids and query ids', async () => {
  const a = await ksql(t, SETUP);
  assert.equal(a.status, 200);
  assert.match(a.contentType ?? '', /^application\/json/);
  const [stream, table] = a.json();
  assert.equal(stream['@type'], 'currentStatus');
  assert.equal(stream.commandId, 'stream/`PAGEVIEWS`/create');
  assert.equal(stream.commandStatus.status, 'SUCCESS');
  assert.equal(stream.commandStatus.message, 'Stream created');
  assert.deepEqual(stream.warnings, []);
  assert.equal(table.commandId, 'table/`VIEWS_PER_USER`/create');
  assert.match(table.commandStatus.queryId, /^CTAS_VIEWS_PER_USER_\d+$/);
  assert.equal(typeof table.commandSequenceNumber, 'number');
  assert.ok(table.commandSequenceNumber > stream.commandSequenceNumber);
});

test('INSERT VALUES and SET produce no entity', async () => {
  const a = await ksql(t, "SET 'auto.offset.reset'='earliest'; INSERT INTO PAGEVIEWS (USERID, PAGEID, VIEWS) VALUES ('u1', 'p1', 3);");
  assert.equal(a.status, 200);
  assert.deepEqual(a.json(), []);
  // SET applied to the request only
  assert.equal(t.engine.config['auto.offset.reset'], undefined);
});

test('SHOW STREAMS / TABLES list sources with formats', async () => {
  const [streams] = (await ksql(t, 'SHOW STREAMS;')).json();
  assert.equal(streams['@type'], 'streams');
  assert.deepEqual(streams.streams, [{ type: 'STREAM', name: 'PAGEVIEWS', topic: 'pageviews', keyFormat: 'KAFKA', valueFormat: 'JSON', isWindowed: false }]);
  const [tables] = (await ksql(t, 'LIST TABLES;')).json();
  assert.equal(tables['@type'], 'tables');
  assert.equal(tables.tables[0].name, 'VIEWS_PER_USER');
});

test('DESCRIBE gives fields in ksqlDB shape, KEY marked, partitions and the writing query', async () => {
  const [d] = (await ksql(t, 'DESCRIBE VIEWS_PER_USER;')).json();
  assert.equal(d['@type'], 'sourceDescription');
  const sd = d.sourceDescription;
  assert.equal(sd.name, 'VIEWS_PER_USER');
  assert.equal(sd.type, 'TABLE');
  assert.equal(sd.partitions, 2);
  assert.deepEqual(sd.fields[0], { name: 'USERID', schema: { type: 'STRING', fields: null, memberSchema: null }, type: 'KEY' });
  assert.deepEqual(sd.fields[1], { name: 'N', schema: { type: 'BIGINT', fields: null, memberSchema: null } });
  assert.equal(sd.writeQueries.length, 1);
  assert.match(sd.writeQueries[0].id, /^CTAS_/);
  const [ps] = (await ksql(t, 'DESCRIBE PAGEVIEWS EXTENDED;')).json();
  assert.equal(ps.sourceDescription.extended, true);
  assert.deepEqual(ps.sourceDescription.readQueries.map((q: { id: string }) => q.id), sd.writeQueries.map((q: { id: string }) => q.id));
});

test('DESCRIBE of a struct column nests its fields', async () => {
  await ksql(t, "CREATE STREAM NESTED (ID INT KEY, S STRUCT<A INT, B ARRAY<DECIMAL(4, 2)>>) WITH (kafka_topic='nested', value_format='JSON', partitions=1);");
  const [d] = (await ksql(t, 'DESCRIBE NESTED;')).json();
  const s = d.sourceDescription.fields[1].schema;
  assert.equal(s.type, 'STRUCT');
  assert.equal(s.fields[0].name, 'A');
  assert.equal(s.fields[1].schema.type, 'ARRAY');
  assert.deepEqual(s.fields[1].schema.memberSchema, { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: 4, scale: 2 } });
});

test('SHOW QUERIES and EXPLAIN describe the persistent query', async () => {
  const [q] = (await ksql(t, 'SHOW QUERIES;')).json();
  assert.equal(q['@type'], 'queries');
  const id = q.queries[0].id;
  assert.equal(q.queries[0].queryType, 'PERSISTENT');
  assert.deepEqual(q.queries[0].sinks, ['VIEWS_PER_USER']);
  const [e] = (await ksql(t, `EXPLAIN ${id};`)).json();
  assert.equal(e['@type'], 'queryDescription');
  assert.equal(e.queryDescription.id, id);
  assert.deepEqual(e.queryDescription.sources, ['PAGEVIEWS']);
  assert.deepEqual(e.queryDescription.sinks, ['VIEWS_PER_USER']);
  assert.ok(e.queryDescription.fields.some((f: { name: string; type?: string }) => f.name === 'USERID' && f.type === 'KEY'));
});

test('SHOW PROPERTIES is a list of objects; functions, topics, types and variables have their entities', async () => {
  const [p] = (await ksql(t, 'SHOW PROPERTIES;', { 'ksql.streams.num.stream.threads': 4 })).json();
  assert.equal(p['@type'], 'properties');
  assert.ok(Array.isArray(p.properties));
  assert.deepEqual(
    p.properties.find((x: { name: string }) => x.name === 'ksql.streams.num.stream.threads'),
    { name: 'ksql.streams.num.stream.threads', scope: 'STREAMS', value: '4', editable: true, level: 'SERVER' },
  );
  const [f] = (await ksql(t, 'SHOW FUNCTIONS;')).json();
  assert.equal(f['@type'], 'function_names');
  assert.ok(f.functions.some((x: { name: string; type: string }) => x.name === 'COUNT' && x.type === 'AGGREGATE'));
  const [df] = (await ksql(t, 'DESCRIBE FUNCTION UCASE;')).json();
  assert.equal(df['@type'], 'describe_function');
  assert.equal(df.name, 'UCASE');
  assert.ok(df.functions.length > 0);
  const [topics] = (await ksql(t, 'SHOW TOPICS;')).json();
  assert.equal(topics['@type'], 'kafka_topics');
  assert.deepEqual(topics.topics.find((x: { name: string }) => x.name === 'pageviews'), { name: 'pageviews', replicaInfo: [1, 1] });
  const [types] = (await ksql(t, 'CREATE TYPE ADDRESS AS STRUCT<STREET STRING>; SHOW TYPES;')).json().slice(1);
  assert.equal(types['@type'], 'type_list');
  assert.equal(types.types.ADDRESS.type, 'STRUCT');
  const [vars] = (await ksql(t, "DEFINE who = 'me'; SHOW VARIABLES;")).json();
  assert.equal(vars['@type'], 'variables');
  assert.deepEqual(vars.variables, [{ name: 'who', value: 'me' }]);
});

test('CREATE IF NOT EXISTS on an existing source is a warning entity saying "Cannot add"', async () => {
  const [w] = (await ksql(t, "CREATE STREAM IF NOT EXISTS PAGEVIEWS (USERID STRING KEY) WITH (kafka_topic='pageviews', value_format='JSON');")).json();
  assert.equal(w['@type'], 'warning_entity');
  assert.match(w.message, /^Cannot add stream PAGEVIEWS/);
});

test('/status lists commands; /status/{id} gives one; unknown is 404/40400', async () => {
  const all = (await get(`${t.url}/status`)).json();
  assert.equal(all.commandStatuses['stream/`PAGEVIEWS`/create'], 'SUCCESS');
  const one = await get(`${t.url}/status/stream/PAGEVIEWS/create`);
  assert.equal(one.status, 200);
  assert.equal(one.json().status, 'SUCCESS');
  const none = await get(`${t.url}/status/stream/NOPE/create`);
  assert.equal(none.status, 404);
  assert.equal(none.json().error_code, 40400);
});

test('/info, /healthcheck, /clusterStatus and the / redirect', async () => {
  const info = (await get(`${t.url}/info`)).json();
  assert.equal(info.KsqlServerInfo.serverStatus, 'RUNNING');
  assert.equal(typeof info.KsqlServerInfo.version, 'string');
  const hc = (await get(`${t.url}/healthcheck`)).json();
  assert.equal(hc.isHealthy, true);
  assert.equal(hc.serverState, 'READY');
  const cs = (await get(`${t.url}/clusterStatus`)).json();
  const host = Object.values(cs.clusterStatus)[0] as { hostAlive: boolean; activeStandbyPerQuery: Record<string, unknown> };
  assert.equal(host.hostAlive, true);
  assert.ok(Object.keys(host.activeStandbyPerQuery).some((id) => id.startsWith('CTAS_')));
  const root = await get(`${t.url}/`);
  assert.equal(root.status, 307);
});
