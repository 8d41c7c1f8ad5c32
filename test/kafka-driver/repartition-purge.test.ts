/**
 * Repartition topics keep their records by time forever (retention.ms=-1), so a query deletes
 * what it has consumed and committed (DeleteRecords), as Kafka Streams does; the results stay
 * those of the test driver.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectedOutputs, kafkaEngine, kafkaFor, produceJson, readTopic, sorted, startTestBroker, T0, tempDir, type JsonRecord, type TestBroker } from './helpers.js';

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

for (const guarantee of ['at_least_once', 'exactly_once_v2']) {
  test(`${guarantee}: consumed repartition records are purged; the outputs are unchanged`, async () => {
    const p = guarantee === 'at_least_once' ? 'pg1' : 'pg2';
    const script =
      `CREATE STREAM E (K STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='${p}_e', VALUE_FORMAT='JSON', PARTITIONS=2);\n` +
      `CREATE TABLE A WITH (KAFKA_TOPIC='${p}_out') AS SELECT G, COUNT(*) AS N FROM E GROUP BY G;`;
    const config = { 'ksql.streams.processing.guarantee': guarantee, 'repartition.purge.interval.ms': 0 };
    const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: `${p}_`, config });
    const kafka = kafkaFor(broker);
    try {
      engine.executeScript(script);
      await driver.settle();
      // one input key per group: a group's rows come from one partition, in order, on both drivers
      const phases: JsonRecord[][] = [[], []];
      for (let i = 0; i < 200; i++) phases[i < 100 ? 0 : 1]!.push({ topic: `${p}_e`, key: `k${i % 7}`, value: { G: `g${i % 7}`, V: i }, timestamp: T0 + i });
      for (const phase of phases) {
        await produceJson(kafka, phase);
        await driver.waitForQuery('CTAS_A_0', 30000);
      }
      const topic = driver.query('CTAS_A_0')!.subscribedTopics().find((t) => t.internal)!.topic;
      const admin = kafka.admin();
      await admin.connect();
      let low = 0;
      for (let i = 0; i < 100 && low === 0; i++) {
        low = (await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.low), 0);
        if (low === 0) await new Promise((r) => setTimeout(r, 100));
      }
      await admin.disconnect();
      assert.ok(low > 0, `the repartition topic ${topic} was purged (log start offsets sum ${low})`);
      assert.deepEqual(sorted(await readTopic(kafka, `${p}_out`)), sorted(expectedOutputs(script, phases, `${p}_out`)));
    } finally {
      await driver.close();
    }
  });
}
