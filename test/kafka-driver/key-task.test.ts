/**
 * Pull-query routing sends a key lookup to the task the driver says holds the key
 * (drivers/kafka/key-task.ts). Here every kind of table it predicts for is run over four
 * partitions, fed by a plain Kafka producer (default partitioner), and each key's row is checked
 * to be in exactly the predicted task's state.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Partitioners } from 'kafkajs';
import { kafkaEngine, kafkaFor, startTestBroker, tempDir, type TestBroker } from './helpers.js';

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

test('each key lives in the task key-task predicts: GROUP BY INT and BIGINT, a source-table copy, a table-table join', async () => {
  const kafka = kafkaFor(broker);
  const { engine, driver } = await kafkaEngine(broker, { dataDir: tempDir(), serviceId: 'kt_' });
  try {
    engine.executeScript(
      "CREATE STREAM KT_E (K STRING KEY, G INT) WITH (KAFKA_TOPIC='kt_e', VALUE_FORMAT='JSON', PARTITIONS=4);\n" +
        "CREATE TABLE KT_T (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='kt_t', VALUE_FORMAT='JSON', PARTITIONS=4);\n" +
        "CREATE TABLE KT_U (ID INT PRIMARY KEY, X INT) WITH (KAFKA_TOPIC='kt_u', VALUE_FORMAT='JSON', PARTITIONS=4);\n" +
        'CREATE TABLE KT_G AS SELECT G, COUNT(*) AS N FROM KT_E GROUP BY G;\n' +
        'CREATE TABLE KT_B AS SELECT CAST(G AS BIGINT) AS B, COUNT(*) AS N FROM KT_E GROUP BY CAST(G AS BIGINT);\n' +
        'CREATE TABLE KT_C AS SELECT * FROM KT_T;\n' +
        'CREATE TABLE KT_J AS SELECT KT_T.ID AS ID, NAME, X FROM KT_T JOIN KT_U ON KT_T.ID = KT_U.ID;\n',
    );
    await driver.settle();
    const ids = Array.from({ length: 20 }, (_x, i) => i * 7 - 30);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: 'kt_e', acks: -1, messages: ids.map((g, i) => ({ key: `k${i}`, value: JSON.stringify({ G: g }) })) });
    await producer.send({ topic: 'kt_t', acks: -1, messages: ids.map((id) => ({ key: int32(id), value: JSON.stringify({ NAME: `n${id}` }) })) });
    await producer.send({ topic: 'kt_u', acks: -1, messages: ids.map((id) => ({ key: int32(id), value: JSON.stringify({ X: id * 2 }) })) });
    await producer.disconnect();
    const cases: [string, unknown[]][] = [
      ['CTAS_KT_G_0', ids],
      ['CTAS_KT_B_1', ids.map((i) => BigInt(i))],
      ['CTAS_KT_C_2', ids],
      ['CTAS_KT_J_3', ids],
    ];
    for (const [queryId] of cases) await driver.waitForQuery(queryId, 60000);
    for (const [queryId, keys] of cases) {
      const locs = driver.taskLocations(queryId)!;
      assert.equal(locs.tasks, 4);
      const spread = new Set<number>();
      for (const k of keys) {
        const t = locs.taskOfKey([k]);
        assert.ok(t !== undefined, `${queryId}: a task for ${k}`);
        spread.add(t);
        for (const other of [0, 1, 2, 3]) {
          const found = driver.materializedRowsOfTasks(queryId, [other])!.filter((r) => r.key[0] === k).length;
          assert.equal(found, other === t ? 1 : 0, `${queryId}: key ${k} in task ${other} (predicted ${t})`);
        }
      }
      assert.ok(spread.size > 1, `${queryId}: the keys are spread over several tasks`);
    }
  } finally {
    await driver.close();
  }
});
