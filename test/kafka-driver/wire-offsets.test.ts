/**
 * WireOffsets against the suite's broker (embedded or Apache Kafka): with a transaction open on a
 * partition the high watermark is past the last stable offset and the offsets it staged are
 * 'unstable'; once committed both agree and the offset is visible.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WireOffsets } from '../../src/runtime/drivers/kafka/wire-offsets.js';
import { kafkaFor, startTestBroker, type TestBroker } from './helpers.js';

let broker: TestBroker;
before(async () => {
  broker = await startTestBroker();
});
after(async () => {
  await broker.close();
});

test('high watermark, last stable offset and stable committed offsets around a transaction', async () => {
  const run = Date.now().toString(36);
  const topic = `wo_t${run}`;
  const group = `wo_g${run}`;
  const kafka = kafkaFor(broker);
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ transactionalId: `wo_tx${run}`, idempotent: true, maxInFlightRequests: 1 });
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await producer.connect();
    const wire = new WireOffsets([`127.0.0.1:${broker.port}`]);
    assert.deepEqual(await wire.stableCommitted(group, [{ topic, partitions: [0, 1] }]), new Map([[`${topic}:0`, -1], [`${topic}:1`, -1]]));

    const tx = await producer.transaction();
    await tx.send({ topic, messages: [{ partition: 0, value: 'a' }, { partition: 0, value: 'b' }] });
    await tx.sendOffsets({ consumerGroupId: group, topics: [{ topic, partitions: [{ partition: 1, offset: '0' }] }] });
    const open = await wire.ends(topic);
    assert.deepEqual(open.get(0), { low: 0, high: 2, stable: 0 });
    assert.deepEqual(open.get(1), { low: 0, high: 0, stable: 0 });
    assert.equal((await wire.stableCommitted(group, [{ topic, partitions: [1] }])).get(`${topic}:1`), 'unstable');

    await tx.commit();
    // Apache Kafka writes the markers after answering EndTxn
    let ends = await wire.ends(topic);
    let committed = await wire.stableCommitted(group, [{ topic, partitions: [1] }]);
    for (let i = 0; i < 50 && (ends.get(0)!.stable !== 3 || committed.get(`${topic}:1`) !== 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      ends = await wire.ends(topic);
      committed = await wire.stableCommitted(group, [{ topic, partitions: [1] }]);
    }
    assert.deepEqual(ends.get(0), { low: 0, high: 3, stable: 3 }, 'two records and the commit marker');
    assert.equal(committed.get(`${topic}:1`), 0);
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
});
