/**
 * /metrics of a server on the Kafka driver: per-query consumer lag (sum and per partition, for
 * the tasks this server runs) and restore progress (per task, while it runs and after).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { openTaskState } from '../../src/runtime/state/leveldb-persistence.js';
import { restoreTask, type RestoreProgress } from '../../src/runtime/drivers/kafka/restore.js';
import { AdminOffsets } from '../../src/runtime/drivers/kafka/wire-offsets.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import type { Engine } from '../../src/engine/engine.js';
import type { KafkaDriver } from '../../src/runtime/drivers/kafka-driver.js';
import { kafkaEngine, kafkaFor, produceJson, startTestBroker, tempDir, type TestBroker } from './helpers.js';

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every sample `name{...labels...} value` of a Prometheus text body whose labels include `labels`. */
function samples(text: string, name: string, labels = ''): number[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
}

async function scrape(server: RunningServer): Promise<string> {
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

/** Scrapes until `ok` holds for the body (the broker and the query move on their own). */
async function scrapeUntil(server: RunningServer, what: string, ok: (text: string) => boolean): Promise<string> {
  let text = '';
  for (let i = 0; i < 150; i++) {
    text = await scrape(server);
    if (ok(text)) return text;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; last scrape:\n${text.split('\n').filter((l) => l.startsWith('sluice_query')).join('\n')}`);
}

async function serve(engine: Engine, driver: KafkaDriver): Promise<RunningServer> {
  return startServer({ engine, driver, listeners: 'http://127.0.0.1:0', logger: pino({ level: 'silent' }) });
}

test('consumer lag: a query with a backlog shows it (sum and per partition), then 0 once it caught up', async () => {
  const kafka = kafkaFor(broker);
  const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'mlag_' });
  const server = await serve(engine, driver);
  try {
    engine.executeScript("CREATE STREAM MLAG_IN (K STRING KEY, V INT) WITH (KAFKA_TOPIC='mlag_in', VALUE_FORMAT='JSON', PARTITIONS=2);\nCREATE STREAM MLAG_OUT WITH (KAFKA_TOPIC='mlag_out') AS SELECT K, V FROM MLAG_IN;");
    await driver.settle();
    const queryId = [...engine.metastore.queries.keys()][0]!;
    const q = driver.query(queryId)!;
    for (let i = 0; i < 150 && q.assignedPartitions().length < 2; i++) await sleep(100);
    assert.deepEqual(q.assignedPartitions(), [0, 1]);
    // nothing to read yet: lag 0 on both partitions
    const idle = await scrapeUntil(server, 'lag 0 before any record', (t) => samples(t, 'sluice_query_consumer_lag', `query_id="${queryId}"`)[0] === 0);
    assert.deepEqual(samples(idle, 'sluice_query_partition_consumer_lag', `query_id="${queryId}",topic="mlag_in"`), [0, 0]);
    // the query stops fetching (a fetch already under way ends within its 500 ms wait), then a backlog arrives
    q.pause();
    await sleep(1500);
    const n = 7;
    await produceJson(kafka, Array.from({ length: n }, (_, i) => ({ topic: 'mlag_in', key: `k${i}`, value: { V: i }, timestamp: i })));
    const backlog = await scrapeUntil(server, `lag ${n}`, (t) => samples(t, 'sluice_query_consumer_lag', `query_id="${queryId}"`)[0] === n);
    const perPartition = samples(backlog, 'sluice_query_partition_consumer_lag', `query_id="${queryId}",topic="mlag_in"`);
    assert.equal(perPartition.length, 2);
    assert.equal(perPartition.reduce((a, b) => a + b, 0), n);
    assert.match(backlog, /# TYPE sluice_query_consumer_lag gauge/);
    q.resume();
    await driver.waitForQuery(queryId);
    const caughtUp = await scrapeUntil(server, 'lag 0 again', (t) => samples(t, 'sluice_query_consumer_lag', `query_id="${queryId}"`)[0] === 0);
    assert.deepEqual(samples(caughtUp, 'sluice_query_partition_consumer_lag', `query_id="${queryId}",topic="mlag_in"`), [0, 0]);
  } finally {
    await server.close();
    await driver.close();
  }
});

test('restore metrics: a restart with a wiped data dir restores each task from its changelog and reports it', async () => {
  const kafka = kafkaFor(broker);
  const script =
    "CREATE STREAM MREST_IN (K STRING KEY, V INT) WITH (KAFKA_TOPIC='mrest_in', VALUE_FORMAT='JSON', PARTITIONS=2);\n" +
    "CREATE TABLE MREST_COUNTS WITH (KAFKA_TOPIC='mrest_counts') AS SELECT K, COUNT(*) AS N FROM MREST_IN GROUP BY K;";
  const first = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'mrest_' });
  try {
    first.engine.executeScript(script);
    await first.driver.settle();
    await produceJson(kafka, Array.from({ length: 40 }, (_, i) => ({ topic: 'mrest_in', key: `k${i % 10}`, value: { V: i }, timestamp: i })));
    await first.driver.waitForQuery([...first.engine.metastore.queries.keys()][0]!);
  } finally {
    await first.driver.close();
  }
  // the same service on an empty data dir: every task restores from the changelog
  const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'mrest_' });
  const server = await serve(engine, driver);
  try {
    engine.executeScript(script);
    await driver.settle();
    const queryId = [...engine.metastore.queries.keys()][0]!;
    const text = await scrapeUntil(server, 'both tasks restored', (t) => samples(t, 'sluice_query_restore_records_remaining', `query_id="${queryId}"`).length === 2 && driver.restores.filter((r) => r.queryId === queryId).length === 2);
    const done = driver.restores.filter((r) => r.queryId === queryId);
    let total = 0;
    for (const task of [0, 1]) {
      const labels = `query_id="${queryId}",task="${task}"`;
      const restored = samples(text, 'sluice_query_restore_records_restored', labels)[0]!;
      assert.equal(restored, done.find((r) => r.partition === task)!.records);
      assert.ok(restored > 0, `task ${task} restored records`);
      assert.equal(samples(text, 'sluice_query_restore_records_remaining', labels)[0], 0);
      assert.ok(samples(text, 'sluice_query_restore_rate', labels)[0]! > 0);
      total += restored;
    }
    // the 10 keys' final counts are what the table's state holds after the restore
    assert.ok(total >= 10, `restored ${total} changelog records`);
    assert.equal(samples(text, 'sluice_query_restored_records_total', `query_id="${queryId}"`)[0], total);
    const rows = [...driver.materializedRows(queryId)!];
    assert.equal(rows.length, 10);
  } finally {
    await server.close();
    await driver.close();
  }
});

test('a restore reports its progress while it runs: from everything remaining to nothing remaining', async () => {
  const kafka = kafkaFor(broker);
  const admin = kafka.admin();
  await admin.connect();
  const topic = 'mprog-store-changelog';
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    const n = 300;
    // in several requests, so the restore reads more than one batch
    for (let i = 0; i < n; i += 50) await producer.send({ topic, acks: -1, messages: Array.from({ length: 50 }, (_, j) => ({ key: `k${i + j}`, value: `v${i + j}`, partition: 0 })) });
    await producer.disconnect();
    const state = await openTaskState(tempDir());
    const events: RestoreProgress[] = [];
    try {
      const r = await restoreTask({ kafka, admin, wire: new AdminOffsets(admin), appId: 'mprog_', state, partition: 0, changelogs: new Map([['store', topic]]), onProgress: (p) => events.push(p) });
      assert.equal(r.records, n);
    } finally {
      await state.close();
    }
    // the start, a report per fetched batch (at least one), the end
    assert.ok(events.length >= 3, `${events.length} progress reports`);
    assert.deepEqual([events[0]!.restored, events[0]!.remaining], [0, n]);
    assert.deepEqual([events.at(-1)!.restored, events.at(-1)!.remaining], [n, 0]);
    for (let i = 1; i < events.length; i++) {
      assert.ok(events[i]!.restored >= events[i - 1]!.restored, 'restored never goes down');
      assert.ok(events[i]!.remaining <= events[i - 1]!.remaining, 'remaining never goes up');
      assert.ok(events[i]!.restored + events[i]!.remaining <= n || events[i]!.remaining === 0);
    }
  } finally {
    await admin.disconnect();
  }
});
