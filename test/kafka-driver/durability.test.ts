/**
 * State that survives: a driver restarted on the same data dir continues without loss, a wiped
 * data dir is restored from the changelog topics, and two drivers with one service id split a
 * query's partitions — each time outputs and pull-visible rows equal the test driver's.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import type { MaterializedRow } from '../../src/engine/driver.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { T0, expectedOutputs, kafkaEngine, kafkaFor, produceJson, readTopic, sorted, startTestBroker, tempDir, type JsonRecord, type TestBroker } from './helpers.js';

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

const script = (p: string) =>
  `CREATE STREAM E (K STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='${p}_e', VALUE_FORMAT='JSON', PARTITIONS=4);\n` +
  `CREATE TABLE A WITH (KAFKA_TOPIC='${p}_out') AS SELECT G, COUNT(*) AS N, SUM(V) AS S FROM E GROUP BY G;`;
const QUERY = 'CTAS_A_0';

function input(p: string, from: number, to: number): JsonRecord[] {
  const out: JsonRecord[] = [];
  for (let i = from; i < to; i++) {
    const k = `k${i % 9}`;
    out.push({ topic: `${p}_e`, key: k, value: { G: `g${i % 9}`, V: i }, timestamp: T0 + 1000 + i });
  }
  return out;
}

const rowText = (rows: Iterable<MaterializedRow>) => [...rows].map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).sort();

function expectedTable(sql: string, phases: JsonRecord[][]): string[] {
  const driver = new TestDriver();
  const engine = new Engine(driver, { config: {} });
  engine.executeScript(sql);
  for (const phase of phases) for (const r of phase) driver.pipe({ topic: r.topic, key: r.key === null ? null : Buffer.from(r.key), value: Buffer.from(JSON.stringify(r.value)), timestamp: r.timestamp });
  return rowText(driver.materializedRows(QUERY)!);
}

async function restartCase(prefix: string, wipe: boolean, config: Record<string, unknown> = {}): Promise<void> {
  const kafka = kafkaFor(broker);
  const dataDir = tempDir();
  const sql = script(prefix);
  const phases = [input(prefix, 0, 60), input(prefix, 60, 120)];
  const first = await kafkaEngine(broker, { dataDir, serviceId: `${prefix}_`, config });
  first.engine.executeScript(sql);
  await first.driver.settle();
  await produceJson(kafka, phases[0]!);
  await first.driver.waitForQuery(QUERY);
  await first.driver.close();
  if (wipe) fs.rmSync(dataDir, { recursive: true, force: true });

  const second = await kafkaEngine(broker, { dataDir, serviceId: `${prefix}_`, config });
  try {
    second.engine.executeScript(sql);
    await second.driver.settle();
    await produceJson(kafka, phases[1]!);
    await second.driver.waitForQuery(QUERY);
    const restored = second.driver.restores.reduce((n, r) => n + r.records, 0);
    if (wipe) assert.ok(restored > 0, 'a wiped task restores its stores from the changelog');
    else assert.equal(restored, 0, 'an intact data dir needs no changelog restore');
    assert.deepEqual(sorted(await readTopic(kafka, `${prefix}_out`)), sorted(expectedOutputs(sql, phases, `${prefix}_out`)));
    assert.deepEqual(rowText(second.driver.materializedRows(QUERY)!), expectedTable(sql, phases));
  } finally {
    await second.driver.close();
  }
}

test('a driver restarted on its data dir mid-stream loses and repeats nothing', async () => {
  await restartCase('rs', false);
});

test('a wiped data dir is restored from the changelog', async () => {
  await restartCase('wp', true);
});

test('exactly_once_v2: restart and wipe give exact outputs', async () => {
  await restartCase('eos', true, { 'ksql.streams.processing.guarantee': 'exactly_once_v2' });
});

test('two drivers with one service id split a query’s partitions', async () => {
  const kafka = kafkaFor(broker);
  const sql = script('sp');
  const phases = [input('sp', 0, 120)];
  const a = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'sp_' });
  const b = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'sp_' });
  try {
    a.engine.executeScript(sql);
    b.engine.executeScript(sql);
    await a.driver.settle();
    await b.driver.settle();
    // wait until the group has settled with both members holding tasks
    const qa = a.driver.query(QUERY)!;
    const qb = b.driver.query(QUERY)!;
    for (let i = 0; i < 200 && (qa.assignedPartitions().length === 0 || qb.assignedPartitions().length === 0 || qa.assignedPartitions().length + qb.assignedPartitions().length !== 4); i++) await new Promise((r) => setTimeout(r, 100));
    const pa = qa.assignedPartitions();
    const pb = qb.assignedPartitions();
    assert.ok(pa.length > 0 && pb.length > 0, `both members hold tasks (${pa} / ${pb})`);
    assert.deepEqual([...pa, ...pb].sort(), [0, 1, 2, 3]);
    await produceJson(kafka, phases[0]!);
    await a.driver.waitForQuery(QUERY);
    assert.deepEqual(sorted(await readTopic(kafka, 'sp_out')), sorted(expectedOutputs(sql, phases, 'sp_out')));
    const rows = [...rowText(a.driver.materializedRows(QUERY)!), ...rowText(b.driver.materializedRows(QUERY)!)].sort();
    assert.deepEqual(rows, expectedTable(sql, phases));
    assert.ok(rowText(a.driver.materializedRows(QUERY)!).length > 0 && rowText(b.driver.materializedRows(QUERY)!).length > 0, 'each member materialises its share');
  } finally {
    await a.driver.close();
    await b.driver.close();
  }
});
