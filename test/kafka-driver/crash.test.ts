/**
 * SIGKILL a server mid-stream and start it again on the same data dir: with at_least_once every
 * expected output is there (duplicates allowed); with exactly_once_v2 the aggregate's outputs,
 * read with read_committed, are exactly the test driver's.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { T0, expectedOutputs, kafkaEngine, kafkaFor, produceJson, readTopic, sorted, startTestBroker, tempDir, type JsonRecord, type TestBroker } from './helpers.js';

const DRIVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/runtime/drivers/kafka-driver.js');
const ENGINE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/engine/engine.js');

/** topic and service-id suffix: the suite can run again and again against one Apache Kafka */
const RUN = Date.now().toString(36);

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

/** a server in a child process running `script`; prints 'ready' once its query runs */
function startServer(dataDir: string, serviceId: string, script: string, config: Record<string, unknown>): Promise<ChildProcess> {
  const code = `
    const { KafkaDriver } = await import(${JSON.stringify(DRIVER)});
    const { Engine } = await import(${JSON.stringify(ENGINE)});
    const config = ${JSON.stringify({ 'auto.offset.reset': 'earliest', ...config })};
    const driver = await KafkaDriver.connect({ brokers: ['127.0.0.1:${broker.port}'], dataDir: ${JSON.stringify(dataDir)}, serviceId: ${JSON.stringify(serviceId)}, config });
    new Engine(driver, { config }).executeScript(${JSON.stringify(script)});
    await driver.settle();
    console.log('ready');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (c) => reject(new Error(`server exited with ${c}`)));
  });
}

async function crashCase(prefix: string, script: string, inputTopic: string, sinkTopic: string, queryId: string, config: Record<string, unknown>, exact: boolean): Promise<void> {
  const kafka = kafkaFor(broker);
  const dataDir = tempDir();
  const input: JsonRecord[] = [];
  for (let i = 0; i < 3000; i++) input.push({ topic: inputTopic, key: `k${i % 23}`, value: { G: `g${i % 11}`, V: i }, timestamp: T0 + i });
  const child = await startServer(dataDir, `${prefix}_`, script, config);
  // feed in slices and kill the server while it is busy with them
  const slices = 6;
  for (let s = 0; s < slices; s++) {
    await produceJson(kafka, input.slice((s * input.length) / slices, ((s + 1) * input.length) / slices));
    if (s === 2) child.kill('SIGKILL');
  }
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
  const { engine, driver } = await kafkaEngine(broker, { dataDir, serviceId: `${prefix}_`, config });
  try {
    engine.executeScript(script);
    await driver.settle();
    await driver.waitForQuery(queryId, 60000);
    const actual = sorted(await readTopic(kafka, sinkTopic));
    const expected = sorted(expectedOutputs(script, [input], sinkTopic));
    if (exact) {
      assert.deepEqual(diffByKey(actual, expected), [], 'outputs per key (missing / extra)');
      assert.deepEqual(actual, expected);
    } else {
      const have = new Set(actual);
      const missing = expected.filter((e) => !have.has(e));
      assert.deepEqual(missing, [], 'every expected output is there');
      assert.ok(actual.length >= expected.length);
    }
  } finally {
    await driver.close();
  }
}

/** per record key, the outputs only one side has: '<key>: missing [...] extra [...]' */
function diffByKey(actual: string[], expected: string[]): string[] {
  const keyOf = (r: string) => String((JSON.parse(r) as { key: string | null }).key);
  const count = (rs: string[]) => rs.reduce((m, r) => m.set(r, (m.get(r) ?? 0) + 1), new Map<string, number>());
  const [ca, ce] = [count(actual), count(expected)];
  const out = new Map<string, { missing: string[]; extra: string[] }>();
  for (const r of new Set([...ca.keys(), ...ce.keys()])) {
    const d = (ca.get(r) ?? 0) - (ce.get(r) ?? 0);
    if (d === 0) continue;
    const e = out.get(keyOf(r)) ?? { missing: [], extra: [] };
    out.set(keyOf(r), e);
    for (let i = 0; i < Math.abs(d); i++) (d > 0 ? e.extra : e.missing).push(JSON.stringify((JSON.parse(r) as { value: unknown }).value));
  }
  return [...out].map(([k, e]) => `${k}: missing ${e.missing.length} [${e.missing.slice(0, 4).join(' ')}] extra ${e.extra.length} [${e.extra.slice(0, 4).join(' ')}]`);
}

test('at_least_once: SIGKILL mid-stream and restart: no output lost', async () => {
  const script =
    `CREATE STREAM E (K STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='cr_e${RUN}', VALUE_FORMAT='JSON', PARTITIONS=3);\n` +
    `CREATE STREAM F WITH (KAFKA_TOPIC='cr_out${RUN}') AS SELECT K, G, V * 2 AS V2 FROM E WHERE V % 3 <> 0;`;
  await crashCase(`cr${RUN}`, script, `cr_e${RUN}`, `cr_out${RUN}`, 'CSAS_F_0', { 'session.timeout.ms': 6000 }, false);
});

test('exactly_once_v2: SIGKILL mid-stream and restart: aggregate outputs exact', async () => {
  const script =
    `CREATE STREAM E (K STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='ce_e${RUN}', VALUE_FORMAT='JSON', PARTITIONS=3);\n` +
    `CREATE TABLE A WITH (KAFKA_TOPIC='ce_out${RUN}') AS SELECT K, COUNT(*) AS N, SUM(V) AS S FROM E GROUP BY K;`;
  await crashCase(`ce${RUN}`, script, `ce_e${RUN}`, `ce_out${RUN}`, 'CTAS_A_0', { 'ksql.streams.processing.guarantee': 'exactly_once_v2', 'session.timeout.ms': 6000 }, true);
});

// The victim may die with a transaction open: its outputs, repartition records and staged
// offsets then stay pending until the broker aborts it (transaction.timeout.ms), and the survivor
// waits for that before it restores the victim's tasks.
test('two servers share a query; SIGKILL one; the other takes over its tasks and state (exactly_once_v2)', async () => {
  const script =
    `CREATE STREAM E (K STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='tk_e${RUN}', VALUE_FORMAT='JSON', PARTITIONS=4);\n` +
    `CREATE TABLE A WITH (KAFKA_TOPIC='tk_out${RUN}') AS SELECT G, COUNT(*) AS N, SUM(V) AS S FROM E GROUP BY G;`;
  const config = { 'ksql.streams.processing.guarantee': 'exactly_once_v2', 'session.timeout.ms': 6000 };
  const kafka = kafkaFor(broker);
  const input: JsonRecord[] = [];
  // one input key per group: a group's rows come from one partition, in order, on both drivers
  for (let i = 0; i < 2400; i++) input.push({ topic: `tk_e${RUN}`, key: `k${i % 29}`, value: { G: `g${i % 29}`, V: i }, timestamp: T0 + i });
  const victim = await startServer(tempDir(), `tk${RUN}_`, script, config);
  const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: `tk${RUN}_`, config });
  try {
    engine.executeScript(script);
    await driver.settle();
    const q = driver.query('CTAS_A_0')!;
    // both members hold tasks before the input arrives
    for (let i = 0; i < 200 && (q.assignedPartitions().length === 0 || q.assignedPartitions().length === 4); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(q.assignedPartitions().length > 0 && q.assignedPartitions().length < 4, `tasks split (${q.assignedPartitions()})`);
    for (let s = 0; s < 6; s++) {
      await produceJson(kafka, input.slice(s * 400, (s + 1) * 400));
      if (s === 2) {
        // kill the victim once it has committed work on one of its tasks
        const mine = new Set(q.assignedPartitions());
        const admin = kafka.admin();
        await admin.connect();
        for (let i = 0; i < 300; i++) {
          // its aggregation state lives in the tasks' repartition-topic side
          const internal = q.subscribedTopics().filter((t) => t.internal).map((t) => t.topic);
          const offs = await admin.fetchOffsets({ groupId: q.appId, topics: internal });
          if (offs.some((t) => t.partitions.some((p) => !mine.has(p.partition) && Number(p.offset) > 0))) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await admin.disconnect();
        victim.kill('SIGKILL');
      }
    }
    await driver.waitForQuery('CTAS_A_0', 60000);
    assert.deepEqual(q.assignedPartitions(), [0, 1, 2, 3], 'the survivor runs every task');
    assert.ok(driver.restores.some((r) => r.records > 0), 'the survivor restored the dead server’s state from the changelog');
    const actual = await readTopic(kafka, `tk_out${RUN}`);
    const expected = expectedOutputs(script, [input], `tk_out${RUN}`);
    assert.deepEqual(diffByKey(sorted(actual), sorted(expected)), [], 'outputs per group (missing / extra)');
    assert.deepEqual(sorted(actual), sorted(expected));
  } finally {
    victim.kill('SIGKILL');
    await driver.close();
  }
});
