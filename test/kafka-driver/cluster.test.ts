/**
 * The command topic: servers with one service id share one metastore. A statement issued to
 * any server runs on all of them; TERMINATE and DROP stop a query everywhere and clean up its
 * internal topics and state; a restarted server replays the log and resumes its queries.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { KafkaDriver } from '../../src/runtime/drivers/kafka-driver.js';
import { startClusteredEngine } from '../../src/server/clustered-engine.js';
import { commandTopicName } from '../../src/server/command-topic.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { kafkaFor, produceJson, startTestBroker, tempDir, type JsonRecord, type TestBroker } from './helpers.js';

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

interface Node {
  url: string;
  driver: KafkaDriver;
  server: RunningServer;
  dataDir: string;
  close(): Promise<void>;
}

const CONFIG = { 'auto.offset.reset': 'earliest', 'session.timeout.ms': 6000 };

async function startNode(serviceId: string, dataDir = tempDir()): Promise<Node> {
  const driver = await KafkaDriver.connect({ brokers: [`127.0.0.1:${broker.port}`], serviceId, dataDir, config: CONFIG });
  const { engine, runner } = await startClusteredEngine({ driver, kafka: driver.kafka, serviceId, config: CONFIG, info: () => undefined, warn: () => undefined });
  const server = await startServer({ engine, driver, runner, listeners: 'http://127.0.0.1:0', logger: pino({ level: 'silent' }), serviceId });
  return {
    url: server.url,
    driver,
    server,
    dataDir,
    async close() {
      await server.close();
      await runner.close();
      await driver.close();
    },
  };
}

async function ksql(n: Node, statements: string, commandSequenceNumber?: number): Promise<any[]> {
  const res = await fetch(`${n.url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: statements, ...(commandSequenceNumber !== undefined ? { commandSequenceNumber } : {}) }) });
  const body = (await res.json()) as any;
  if (res.status !== 200) throw Object.assign(new Error(`${res.status}: ${body.message}`), { status: res.status, body });
  return body as any[];
}

const lastSeq = (entities: any[]) => Math.max(...entities.map((e) => e.commandSequenceNumber ?? -1));

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function pullCount(n: Node, table: string, key: string): Promise<number | undefined> {
  const res = await fetch(`${n.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: `SELECT * FROM ${table} WHERE K='${key}';` }) });
  const rows = ((await res.json()) as any[]).filter((x) => x.row);
  return rows.length === 0 ? undefined : Number(rows[0].row.columns[1]);
}

function input(topic: string, from: number, to: number): JsonRecord[] {
  const out: JsonRecord[] = [];
  for (let i = from; i < to; i++) out.push({ topic, key: `k${i % 5}`, value: { V: i }, timestamp: 1000 + i });
  return out;
}

test('a statement issued to one server runs on every server; TERMINATE and DROP issued to another stop it everywhere and clean up', async () => {
  const a = await startNode('cl1_');
  const b = await startNode('cl1_');
  try {
    const created = await ksql(
      a,
      "CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='cl1_e', VALUE_FORMAT='JSON', PARTITIONS=2);" +
        "CREATE TABLE C WITH (KAFKA_TOPIC='cl1_c') AS SELECT K, COUNT(*) AS N FROM E GROUP BY K;",
    );
    const queryId = created[1].commandStatus.queryId as string;
    assert.equal(queryId, 'CTAS_C_0');
    // B applied both commands: waiting for A's sequence number makes that certain
    const tables = await ksql(b, 'SHOW TABLES;', lastSeq(created));
    assert.deepEqual(tables[0].tables.map((t: { name: string }) => t.name), ['C']);
    assert.ok(a.driver.query(queryId) && b.driver.query(queryId), 'the query runs on both servers');
    await until('both servers to hold tasks', () => a.driver.query(queryId)!.assignedPartitions().length === 1 && b.driver.query(queryId)!.assignedPartitions().length === 1);
    await produceJson(kafkaFor(broker), input('cl1_e', 0, 40));
    await a.driver.waitForQuery(queryId, 30000);
    const changelogs = a.driver.query(queryId)!.internalTopics();
    assert.ok(changelogs.length > 0);
    assert.ok(fs.existsSync(path.join(a.dataDir, queryId)) && fs.existsSync(path.join(b.dataDir, queryId)));

    // TERMINATE on B: the query stops on A as well
    const terminated = await ksql(b, `TERMINATE ${queryId};`);
    await ksql(a, 'SHOW QUERIES;', lastSeq(terminated));
    assert.equal(a.driver.query(queryId), undefined, 'A stopped the query');
    assert.equal(b.driver.query(queryId), undefined, 'B stopped the query');
    assert.deepEqual((await ksql(a, 'SHOW QUERIES;'))[0].queries, []);
    // its internal topics, consumer group and local state go
    await until('internal topics deleted', async () => {
      const admin = kafkaFor(broker).admin();
      await admin.connect();
      const topics = new Set(await admin.listTopics());
      await admin.disconnect();
      return changelogs.every((t) => !topics.has(t));
    });
    await until('local state removed', () => !fs.existsSync(path.join(a.dataDir, queryId)) && !fs.existsSync(path.join(b.dataDir, queryId)));

    // DROP on A: B no longer knows the table; the stream stays
    const dropped = await ksql(a, 'DROP TABLE C;');
    const shown = await ksql(b, 'SHOW TABLES; SHOW STREAMS;', lastSeq(dropped));
    assert.deepEqual(shown[0].tables, []);
    assert.deepEqual(shown[1].streams.map((s: { name: string }) => s.name), ['E']);
    // /status on B knows the command A issued
    const status = await (await fetch(`${b.url}/status`)).json();
    assert.equal((status as any).commandStatuses['table/C/drop'], 'SUCCESS');
  } finally {
    await b.close();
    await a.close();
  }
});

test('a restarted server replays the command topic: the same sources and types, the live queries resume with their state', async () => {
  const dataDir = tempDir();
  let a = await startNode('cl2_', dataDir);
  try {
    await ksql(
      a,
      "CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='cl2_e', VALUE_FORMAT='JSON', PARTITIONS=2);" +
        "CREATE TABLE C WITH (KAFKA_TOPIC='cl2_c') AS SELECT K, COUNT(*) AS N FROM E GROUP BY K;" +
        "CREATE STREAM GONE (K STRING KEY, V INT) WITH (KAFKA_TOPIC='cl2_gone', VALUE_FORMAT='JSON', PARTITIONS=1);" +
        "CREATE TYPE ADDR AS STRUCT<STREET STRING>;" +
        "CREATE STREAM F WITH (KAFKA_TOPIC='cl2_f') AS SELECT K, V FROM E;",
    );
    await ksql(a, 'TERMINATE CSAS_F_1; DROP STREAM F; DROP STREAM GONE DELETE TOPIC;');
    await produceJson(kafkaFor(broker), input('cl2_e', 0, 50));
    await a.driver.waitForQuery('CTAS_C_0', 30000);
    assert.equal(await pullCount(a, 'C', 'k1'), 10);
    await a.close();

    a = await startNode('cl2_', dataDir);
    const [streams, tables, types, queries] = await ksql(a, 'SHOW STREAMS; SHOW TABLES; SHOW TYPES; SHOW QUERIES;');
    assert.deepEqual(streams.streams.map((s: { name: string }) => s.name), ['E']);
    assert.deepEqual(tables.tables.map((s: { name: string }) => s.name), ['C']);
    assert.ok(types.types.ADDR);
    assert.deepEqual(queries.queries.map((q: { id: string }) => q.id), ['CTAS_C_0']);
    assert.equal(a.driver.describeTopic('cl2_gone'), undefined, 'a topic deleted by a replayed DROP is not created again');
    // the next query id continues the log's numbering
    const next = await ksql(a, "CREATE STREAM G WITH (KAFKA_TOPIC='cl2_g') AS SELECT K, V FROM E;");
    assert.equal(next[0].commandStatus.queryId, 'CSAS_G_2');
    await produceJson(kafkaFor(broker), input('cl2_e', 50, 100));
    await a.driver.waitForQuery('CTAS_C_0', 30000);
    assert.equal(await pullCount(a, 'C', 'k1'), 20, 'the count continued from the restored state');
  } finally {
    await a.close();
  }
});

test('a batch is validated whole before anything is distributed; a commandSequenceNumber not reached times out with 50301', async () => {
  const a = await startNode('cl3_');
  try {
    await assert.rejects(
      ksql(a, "CREATE STREAM OK1 (K STRING KEY, V INT) WITH (KAFKA_TOPIC='cl3_ok', VALUE_FORMAT='JSON', PARTITIONS=1); CREATE STREAM BAD AS SELECT NOPE FROM OK1;"),
      (err: Error & { status?: number; body?: any }) => err.status === 400 && err.body['@type'] === 'statement_error' && /NOPE/.test(err.body.message),
    );
    assert.deepEqual((await ksql(a, 'SHOW STREAMS;'))[0].streams, []);
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    const [end] = await admin.fetchTopicOffsets(commandTopicName('cl3_'));
    await admin.disconnect();
    assert.equal(Number(end!.high), 0, 'nothing reached the command topic');
    await assert.rejects(ksql(a, 'SHOW STREAMS;', 1000), (err: Error & { status?: number; body?: any }) => err.status === 503 && err.body.error_code === 50301);
    const res = await fetch(`${a.url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: 'SHOW STREAMS;', commandSequenceNumber: 'soon' }) });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as any).message, '"commandSequenceNumber" must be a number');
  } finally {
    await a.close();
  }
});

test('an unreadable record in the command topic is skipped with a warning; the server starts and serves the rest', async () => {
  const kafka = kafkaFor(broker);
  const first = await startNode('cl4_');
  await ksql(first, "CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='cl4_e', VALUE_FORMAT='JSON', PARTITIONS=1);");
  await first.close();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: commandTopicName('cl4_'), acks: -1, messages: [{ key: 'junk', value: 'not json {' }, { key: 'junk', value: '{"no":"statement"}' }] });
  await producer.disconnect();
  const warnings: string[] = [];
  const driver = await KafkaDriver.connect({ brokers: [`127.0.0.1:${broker.port}`], serviceId: 'cl4_', dataDir: tempDir(), config: CONFIG });
  const { engine, runner } = await startClusteredEngine({ driver, kafka: driver.kafka, serviceId: 'cl4_', config: CONFIG, info: () => undefined, warn: (m) => warnings.push(m) });
  try {
    assert.deepEqual([...engine.metastore.sources.keys()], ['E']);
    assert.equal(warnings.filter((w) => /unreadable command skipped/.test(w)).length, 2, warnings.join('\n'));
    assert.ok(runner.healthy());
  } finally {
    await runner.close();
    await driver.close();
  }
});
