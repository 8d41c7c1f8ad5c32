/**
 * Transient (push) queries on Kafka read the inputs with a private consumer and hand rows to the
 * caller; records that cannot be read go to the processing-log topic and the query keeps running.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TransientRow } from '../../src/engine/driver.js';
import { kafkaEngine, kafkaFor, produceJson, readTopic, startTestBroker, tempDir, type TestBroker } from './helpers.js';

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

test('a push query with LIMIT reads from the beginning, stops after its rows and releases its consumer', async () => {
  const kafka = kafkaFor(broker);
  const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'tq_' });
  try {
    engine.executeScript("CREATE STREAM P (K STRING KEY, V INT) WITH (KAFKA_TOPIC='tq_p', VALUE_FORMAT='JSON', PARTITIONS=2);");
    await driver.settle();
    await produceJson(kafka, [1, 2, 3, 4, 5, 6].map((v) => ({ topic: 'tq_p', key: `k${v}`, value: { V: v }, timestamp: v })));
    const [res] = engine.executeScript('SELECT K, V * 10 AS X FROM P WHERE V > 2 EMIT CHANGES LIMIT 3;');
    if (res?.kind !== 'TransientQuery') throw new Error(`expected a transient query, got ${res?.kind}`);
    const plan = engine.transientPlan(res.planned, 'SELECT ...');
    const rows: TransientRow[] = [];
    const ended = new Promise<Error | undefined>((resolve) => {
      driver.startTransientQuery(plan, engine.compileContext(), { fromBeginning: true, limit: 3 }, { onRow: (r) => rows.push(r), onEnd: resolve });
    });
    assert.equal(await ended, undefined);
    assert.equal(rows.length, 3);
    for (const r of rows) {
      const v = Number((r.values as unknown[])[0]);
      assert.ok(v > 20 && v <= 60 && v % 10 === 0, `projected value ${v}`);
    }
  } finally {
    await driver.close();
  }
});

test('unreadable records go to the processing-log topic as JSON; the query keeps running', async () => {
  const kafka = kafkaFor(broker);
  const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'pl_' });
  try {
    engine.executeScript("CREATE STREAM Q (K STRING KEY, V INT) WITH (KAFKA_TOPIC='pl_q', VALUE_FORMAT='JSON', PARTITIONS=1);\nCREATE STREAM Q2 WITH (KAFKA_TOPIC='pl_out') AS SELECT K, V FROM Q;");
    await driver.settle();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'pl_q', messages: [{ key: 'a', value: '{"V": 1}' }, { key: 'b', value: 'not json' }, { key: 'c', value: '{"V": 3}' }] });
    await producer.disconnect();
    await driver.waitForQuery('CSAS_Q2_0');
    const out = await readTopic(kafka, 'pl_out');
    assert.deepEqual(out.map((r) => r.key).sort(), ['a', 'c']);
    await driver.processingLog.flush();
    const log = await readTopic(kafka, 'pl_ksql_processing_log');
    assert.equal(log.length, 1);
    const entry = log[0]!.value as { logger: string; message: { type: string; topic: string; offset: number } };
    assert.equal(entry.logger, 'processing.CSAS_Q2_0');
    assert.equal(entry.message.type, 'DESERIALIZATION_ERROR');
    assert.equal(entry.message.topic, 'pl_q');
    assert.equal(entry.message.offset, 1);
    assert.equal(driver.processingLog.counts.get('CSAS_Q2_0'), 1);
  } finally {
    await driver.close();
  }
});

test('a stream pull (untilEnd) reads what the inputs hold at its start and ends on its own', async () => {
  const kafka = kafkaFor(broker);
  const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'tu_' });
  try {
    engine.executeScript("CREATE STREAM U (K STRING KEY, V INT) WITH (KAFKA_TOPIC='tu_u', VALUE_FORMAT='JSON', PARTITIONS=3);");
    await driver.settle();
    await produceJson(kafka, [1, 2, 3, 4, 5, 6].map((v) => ({ topic: 'tu_u', key: `k${v}`, value: { V: v }, timestamp: v })));
    const [res] = engine.executeScript('SELECT K, V FROM U WHERE V > 2 EMIT CHANGES;');
    if (res?.kind !== 'TransientQuery') throw new Error(`expected a transient query, got ${res?.kind}`);
    const rows: TransientRow[] = [];
    const ended = new Promise<Error | undefined>((resolve) => {
      driver.startTransientQuery(engine.transientPlan(res.planned, 'SELECT ...'), engine.compileContext(), { fromBeginning: false, untilEnd: true }, { onRow: (r) => rows.push(r), onEnd: resolve });
    });
    assert.equal(await ended, undefined);
    assert.deepEqual(rows.map((r) => Number((r.values as unknown[])[0])).sort(), [3, 4, 5, 6]);
  } finally {
    await driver.close();
  }
});
