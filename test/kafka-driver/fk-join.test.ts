/**
 * Foreign-key table-table joins on Kafka with a left table of 3 partitions and a right table of
 * 2: the left rows and the right rows they refer to live in different tasks and meet through the
 * subscription-registration / subscription-response topics. Compared with the single-task test
 * driver, for INNER and LEFT joins, with foreign keys that change, right-side updates and deletes
 * on both sides.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { expectedOutputs, kafkaEngine, kafkaFor, produceJson, readTopic, sorted, startTestBroker, tempDir, type JsonRecord, type OutRecord, type TestBroker } from './helpers.js';

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

/**
 * The tables' layout: partition counts, and the right key's type and format (the foreign key is
 * routed to the right table's partition by its bytes in that format).
 */
interface Shape {
  leftPartitions: number;
  rightPartitions: number;
  /** STRING in KAFKA format (keys c0, c1, ...), or INT in JSON format (keys 0, 1, ...) */
  rightKey: 'STRING' | 'INT_JSON';
}
const shape = (rightPartitions: number, more: Partial<Shape> = {}): Shape => ({ leftPartitions: 3, rightPartitions, rightKey: 'STRING', ...more });

/** two queries over the same tables: an inner and a left FK join */
const script = (p: string, t: Shape) =>
  `CREATE TABLE O (ID STRING PRIMARY KEY, CID ${t.rightKey === 'STRING' ? 'STRING' : 'INT'}, QTY INT) WITH (KAFKA_TOPIC='${p}_o', VALUE_FORMAT='JSON', PARTITIONS=${t.leftPartitions});\n` +
  `CREATE TABLE C (CID ${t.rightKey === 'STRING' ? 'STRING' : 'INT'} PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='${p}_c', ${t.rightKey === 'STRING' ? '' : "KEY_FORMAT='JSON', "}VALUE_FORMAT='JSON', PARTITIONS=${t.rightPartitions});\n` +
  `CREATE TABLE INNERJ WITH (KAFKA_TOPIC='${p}_inner') AS SELECT O.ID, O.CID, QTY, NAME FROM O JOIN C ON O.CID = C.CID;\n` +
  `CREATE TABLE LEFTJ WITH (KAFKA_TOPIC='${p}_left') AS SELECT O.ID, O.CID, QTY, NAME FROM O LEFT JOIN C ON O.CID = C.CID;`;
const QUERIES = ['CTAS_INNERJ_0', 'CTAS_LEFTJ_1'];

/**
 * Event times start near now: Apache Kafka's time retention (7 days by default) deletes, at its
 * periodic check, segments whose records are older than that — records stamped in 1970 would
 * vanish from the inputs and outputs in the middle of a test.
 */
const T0 = Date.now() - 60_000;

/**
 * Inputs in phases; within a phase no two records interact (one side only, each key once), so
 * every output depends only on the phases before it and the Kafka driver must give exactly the
 * test driver's records, whichever task runs first.
 */
function phasedInput(p: string, t: Shape = shape(2)): JsonRecord[][] {
  let ts = T0;
  // right key number n: 'c<n>' (STRING, KAFKA format), or n (INT, JSON format: the key bytes are its JSON text)
  const fk = (cid: string | null) => (cid === null || t.rightKey === 'STRING' ? cid : Number(cid.slice(1)));
  const rightKey = (cid: string) => (t.rightKey === 'STRING' ? cid : cid.slice(1));
  const o = (id: string, cid: string | null, qty = 1): JsonRecord => ({ topic: `${p}_o`, key: id, value: { CID: fk(cid), QTY: qty }, timestamp: ts++ });
  const oDel = (id: string): JsonRecord => ({ topic: `${p}_o`, key: id, value: null, timestamp: ts++ });
  const c = (cid: string, name: string): JsonRecord => ({ topic: `${p}_c`, key: rightKey(cid), value: { NAME: name }, timestamp: ts++ });
  const cDel = (cid: string): JsonRecord => ({ topic: `${p}_c`, key: rightKey(cid), value: null, timestamp: ts++ });
  const ids = Array.from({ length: 14 }, (_x, i) => `o${i}`);
  return [
    // right rows c0..c4 (c5 never exists at first)
    ['c0', 'c1', 'c2', 'c3', 'c4'].map((k) => c(k, `name-${k}`)),
    // left rows referring to existing, missing and null foreign keys
    ids.map((id, i) => o(id, i === 12 ? null : `c${i % 6}`, i)),
    // right updates and a right delete (every referring left row is re-emitted)
    [c('c1', 'renamed-c1'), c('c3', 'renamed-c3'), cDel('c4')],
    // foreign keys that change: to an existing key, a missing one, null, a deleted one; same FK
    [o('o0', 'c2', 100), o('o1', 'c5', 101), o('o2', null, 102), o('o3', 'c4', 103), o('o7', 'c1', 107), o('o12', 'c3', 112)],
    // the missing key appears, another disappears
    [c('c5', 'name-c5'), cDel('c0')],
    // left deletes, one of a key that never existed
    [oDel('o4'), oDel('o5'), oDel('o8'), oDel('o99')],
    // a deleted right key comes back
    [c('c4', 'back-c4'), c('c0', 'back-c0')],
  ];
}

/**
 * One phase where everything races: left rows changing their foreign key several times in a row
 * (the old and the new key's tasks answer at different speeds), right updates and deletes of the
 * keys they move between, left deletes and re-inserts.
 */
function racingInput(p: string): JsonRecord[] {
  const out: JsonRecord[] = [];
  let ts = T0 + 5000;
  for (let i = 0; i < 6; i++) out.push({ topic: `${p}_c`, key: `c${i}`, value: { NAME: `n${i}` }, timestamp: ts++ });
  for (let i = 0; i < 160; i++) {
    const id = `o${(i * 7) % 17}`;
    if (i % 11 === 5) out.push({ topic: `${p}_c`, key: `c${i % 7}`, value: i % 3 === 0 ? null : { NAME: `n${i % 7}-v${i}` }, timestamp: ts++ });
    else if (i % 13 === 6) out.push({ topic: `${p}_o`, key: id, value: null, timestamp: ts++ });
    else out.push({ topic: `${p}_o`, key: id, value: { CID: i % 19 === 0 ? null : `c${(i * 3) % 8}`, QTY: i }, timestamp: ts++ });
  }
  return out;
}

/**
 * A table's final content: the last value per key, keys whose last record is a tombstone left
 * out. Not the timestamps: when the left row's subscription and a change of the right row it
 * refers to race in two tasks, which of them answers last (and so the result's time, the later
 * of the two rows' times) depends on the tasks' speed, as in Kafka Streams — the values do not.
 */
function finalTable(records: OutRecord[]): string[] {
  const last = new Map<string | null, unknown>();
  for (const r of records) last.set(r.key, r.value);
  return [...last].filter(([, v]) => v !== null).map((e) => JSON.stringify(e)).sort();
}

interface RunOptions {
  config?: Record<string, unknown>;
  /** after this many phases, close the driver, wipe its data dir and go on with a new one */
  restartAfter?: number;
}

async function run(p: string, t: Shape, phases: JsonRecord[][], check: (sink: string, actual: OutRecord[], expected: OutRecord[]) => void, opts: RunOptions = {}): Promise<void> {
  const sql = script(p, t);
  const kafka = kafkaFor(broker);
  const start = async () => {
    const dataDir = tempDir();
    const e = await kafkaEngine(broker, { dataDir, serviceId: `${p}_`, ...(opts.config ? { config: opts.config } : {}) });
    try {
      e.engine.executeScript(sql);
      await e.driver.settle();
    } catch (err) {
      await e.driver.close();
      throw err;
    }
    return { ...e, dataDir };
  };
  let current = await start();
  try {
    for (let i = 0; i < phases.length; i++) {
      if (i === opts.restartAfter) {
        await current.driver.close();
        fs.rmSync(current.dataDir, { recursive: true, force: true });
        current = await start();
      }
      await produceJson(kafka, phases[i]!);
      for (const q of QUERIES) await current.driver.waitForQuery(q);
    }
    if (opts.restartAfter !== undefined) assert.ok(current.driver.restores.reduce((n, r) => n + r.records, 0) > 0, 'the new driver restored the tasks from their changelogs');
    for (const sink of [`${p}_inner`, `${p}_left`]) {
      const expected = expectedOutputs(sql, phases, sink);
      assert.ok(expected.length > 0, `${sink}: the test driver produced nothing`);
      check(sink, await readTopic(kafka, sink), expected);
    }
  } finally {
    await current.driver.close();
  }
}

const sameRecords = (sink: string, actual: OutRecord[], expected: OutRecord[]) => assert.deepEqual(sorted(actual), sorted(expected), sink);

test('FK join (inner and LEFT), left 3 partitions, right 2: the test driver’s output records, phase by phase', async () => {
  await run('fkp', shape(2), phasedInput('fkp'), sameRecords);
});

test('FK join (inner and LEFT), left 3 partitions, right 3: the test driver’s output records, phase by phase', async () => {
  await run('fkq', shape(3), phasedInput('fkq'), sameRecords);
});

test('FK join with foreign keys changing while both sides race: the test driver’s final tables', async () => {
  await run('fkr', shape(2), [racingInput('fkr')], (sink, actual, expected) => {
    assert.deepEqual(finalTable(actual), finalTable(expected), sink);
  });
});

test('FK join, left 2 partitions, right 3, the right keyed by INT in JSON format: the test driver’s output records', async () => {
  const t = shape(3, { leftPartitions: 2, rightKey: 'INT_JSON' });
  await run('fkj', t, phasedInput('fkj', t), sameRecords);
});

test('FK join under exactly_once_v2: the test driver’s output records', async () => {
  await run('fke', shape(2), phasedInput('fke'), sameRecords, { config: { 'ksql.streams.processing.guarantee': 'exactly_once_v2' } });
});

test('FK join with a wiped data dir mid-stream: subscriptions and both tables come back from their changelogs', async () => {
  await run('fkw', shape(2), phasedInput('fkw'), sameRecords, { restartAfter: 3 });
});

test('FK join split over two drivers with one service id: left rows and the right rows they refer to in different processes', async () => {
  const p = 'fks';
  const sql = script(p, shape(2));
  const phases = phasedInput(p);
  const kafka = kafkaFor(broker);
  const a = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: `${p}_` });
  const b = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: `${p}_` });
  try {
    a.engine.executeScript(sql);
    b.engine.executeScript(sql);
    await a.driver.settle();
    await b.driver.settle();
    // wait until each query's group has settled with both members holding tasks (3 in all)
    for (const q of QUERIES) {
      const qa = a.driver.query(q)!;
      const qb = b.driver.query(q)!;
      for (let i = 0; i < 200 && (qa.assignedPartitions().length === 0 || qb.assignedPartitions().length === 0 || qa.assignedPartitions().length + qb.assignedPartitions().length !== 3); i++) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual([...qa.assignedPartitions(), ...qb.assignedPartitions()].sort(), [0, 1, 2], `${q}: both members hold tasks`);
    }
    for (const phase of phases) {
      await produceJson(kafka, phase);
      for (const q of QUERIES) await a.driver.waitForQuery(q);
    }
    for (const sink of [`${p}_inner`, `${p}_left`]) sameRecords(sink, await readTopic(kafka, sink), expectedOutputs(sql, phases, sink));
  } finally {
    await a.driver.close();
    await b.driver.close();
  }
});
