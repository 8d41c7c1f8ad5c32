/**
 * The same scripts and inputs on the Kafka driver (embedded broker, several partitions, GROUP BY
 * and join re-keying through repartition topics) and on the test driver give the same outputs.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { T0, expectedOutputs, kafkaEngine, kafkaFor, produceJson, readTopic, sorted, startTestBroker, tempDir, type JsonRecord, type TestBroker } from './helpers.js';

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

async function compare(name: string, script: string, phases: JsonRecord[][], sinkTopic: string, config: Record<string, unknown> = {}): Promise<void> {
  const expected = expectedOutputs(script, phases, sinkTopic);
  assert.ok(expected.length > 0, `${name}: the test driver produced nothing`);
  const kafka = kafkaFor(broker);
  const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: `${name}_`, config });
  try {
    const results = engine.executeScript(script);
    await driver.settle();
    const queryId = results.map((r) => (r as { queryId?: string }).queryId).find((q) => q !== undefined);
    assert.ok(queryId, 'the script starts a query');
    for (const phase of phases) {
      await produceJson(kafka, phase);
      await driver.waitForQuery(queryId);
    }
    const actual = await readTopic(kafka, sinkTopic);
    assert.deepEqual(sorted(actual), sorted(expected));
  } finally {
    await driver.close();
  }
}

const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

test('windowed aggregation (GROUP BY through a repartition topic) matches the test driver', async () => {
  const script =
    "CREATE STREAM E (K STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='wa_e', VALUE_FORMAT='JSON', PARTITIONS=3);\n" +
    "CREATE TABLE W WITH (KAFKA_TOPIC='wa_out') AS SELECT G, COUNT(*) AS N, SUM(V) AS S FROM E WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY G;";
  const input: JsonRecord[] = [];
  for (let i = 0; i < 60; i++) {
    const k = keys[(i * 5) % keys.length]!;
    input.push({ topic: 'wa_e', key: k, value: { G: `g${k}`, V: i }, timestamp: T0 + 1000 * i });
  }
  await compare('wagg', script, [input], 'wa_out');
});

test('stream-table join (stream re-keyed onto the table key) matches the test driver', async () => {
  const script =
    "CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='st_t', VALUE_FORMAT='JSON', PARTITIONS=3);\n" +
    "CREATE STREAM S (K STRING KEY, TID STRING, V INT) WITH (KAFKA_TOPIC='st_s', VALUE_FORMAT='JSON', PARTITIONS=3);\n" +
    "CREATE STREAM J WITH (KAFKA_TOPIC='st_out') AS SELECT S.TID, S.V, T.NAME FROM S LEFT JOIN T ON S.TID = T.ID;";
  const table: JsonRecord[] = keys.slice(0, 5).map((k, i) => ({ topic: 'st_t', key: k, value: { NAME: `name-${k}` }, timestamp: i }));
  const stream: JsonRecord[] = [];
  for (let i = 0; i < 40; i++) stream.push({ topic: 'st_s', key: `s${i}`, value: { TID: keys[i % keys.length], V: i }, timestamp: 100 + i });
  await compare('stjoin', script, [table, stream], 'st_out');
});

test('stream-table join where the re-keyed stream has more partitions than the table: the repartition topic takes the table’s count', async () => {
  const script =
    "CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='rpj_t', VALUE_FORMAT='JSON', PARTITIONS=2);\n" +
    "CREATE STREAM S (K STRING KEY, TID STRING, V INT) WITH (KAFKA_TOPIC='rpj_s', VALUE_FORMAT='JSON', PARTITIONS=3);\n" +
    "CREATE STREAM J WITH (KAFKA_TOPIC='rpj_out') AS SELECT S.TID, S.V, T.NAME FROM S JOIN T ON S.TID = T.ID;";
  const table: JsonRecord[] = keys.map((k, i) => ({ topic: 'rpj_t', key: k, value: { NAME: `name-${k}` }, timestamp: T0 + i }));
  const stream: JsonRecord[] = [];
  for (let i = 0; i < 60; i++) stream.push({ topic: 'rpj_s', key: `s${i}`, value: { TID: keys[i % keys.length], V: i }, timestamp: T0 + 100 + i });
  await compare('rpjoin', script, [table, stream], 'rpj_out');
});

test('stream-stream join matches the test driver', async () => {
  const script =
    "CREATE STREAM L (ID STRING KEY, LV INT) WITH (KAFKA_TOPIC='ss_l', VALUE_FORMAT='JSON', PARTITIONS=2);\n" +
    "CREATE STREAM R (ID STRING KEY, RV INT) WITH (KAFKA_TOPIC='ss_r', VALUE_FORMAT='JSON', PARTITIONS=2);\n" +
    "CREATE STREAM LR WITH (KAFKA_TOPIC='ss_out') AS SELECT L.ID, LV, RV FROM L JOIN R WITHIN 5 SECONDS ON L.ID = R.ID;";
  const input: JsonRecord[] = [];
  for (let i = 0; i < 30; i++) {
    const k = keys[i % 4]!;
    input.push({ topic: i % 3 === 0 ? 'ss_r' : 'ss_l', key: k, value: i % 3 === 0 ? { RV: i } : { LV: i }, timestamp: T0 + 1000 * i });
  }
  await compare('ssjoin', script, [input], 'ss_out');
});

test('table GROUP BY whose rows move between groups (subtract and add in different tasks) ends with the test driver’s table', async () => {
  const script =
    "CREATE TABLE T (ID STRING PRIMARY KEY, REGION STRING, AMOUNT INT) WITH (KAFKA_TOPIC='tg_t', VALUE_FORMAT='JSON', PARTITIONS=3);\n" +
    "CREATE TABLE R WITH (KAFKA_TOPIC='tg_out') AS SELECT REGION, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM T GROUP BY REGION;";
  const regions = ['north', 'south', 'east', 'west', 'up'];
  const input: JsonRecord[] = [];
  for (let i = 0; i < 80; i++) input.push({ topic: 'tg_t', key: `id${i % 13}`, value: i % 17 === 16 ? null : { REGION: regions[(i * 7) % regions.length], AMOUNT: i }, timestamp: i });
  const expected = expectedOutputs(script, [input], 'tg_out');
  const lastPerKey = (recs: { key: string | null; value: unknown }[]) => {
    const m = new Map<string | null, unknown>();
    for (const r of recs) m.set(r.key, r.value);
    return [...m].map((e) => JSON.stringify(e)).sort();
  };
  const kafka = kafkaFor(broker);
  const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'tgroup_' });
  try {
    engine.executeScript(script);
    await driver.settle();
    await produceJson(kafka, input);
    await driver.waitForQuery('CTAS_R_0');
    assert.deepEqual(lastPerKey(await readTopic(kafka, 'tg_out')), lastPerKey(expected));
  } finally {
    await driver.close();
  }
});
