import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaFor, startTestBroker, tempDir, RawClient } from './helpers.js';
import { buildBatch, ATTR_TRANSACTIONAL } from '../../src/broker/records/batch.js';

test('topic configs drive the cleaner: compaction keeps latest values, size retention moves the log start', async () => {
  const broker = await startTestBroker(tempDir(), { config: { logCleanupIntervalMs: 0 } });
  const kafka = kafkaFor(broker);
  const admin = kafka.admin();
  const producer = kafka.producer();
  try {
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'table', configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'segment.bytes', value: '500' }] },
        { topic: 'stream', configEntries: [{ name: 'retention.bytes', value: '1000' }, { name: 'segment.bytes', value: '500' }] },
      ],
    });
    await producer.connect();
    for (let i = 0; i < 40; i++) {
      await producer.send({ topic: 'table', messages: [{ key: `k${i % 4}`, value: `v${i}` }] });
      await producer.send({ topic: 'stream', messages: [{ key: `k${i}`, value: `v${i}` }] });
    }
    broker.broker.runLogCleaner();
    const stream = await admin.fetchTopicOffsets('stream');
    assert.ok(Number(stream[0]!.low) > 0, `stream log start ${stream[0]!.low}`);
    assert.equal(stream[0]!.high, '40');

    const seen = new Map<string, string>();
    let count = 0;
    const consumer = kafka.consumer({ groupId: 'table-reader', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: ['table'], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { count++; seen.set(String(message.key), String(message.value)); } });
    const end = Date.now() + 20000;
    while (seen.get('k3') !== 'v39' && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await consumer.disconnect();
    assert.deepEqual([...seen].sort(), [['k0', 'v36'], ['k1', 'v37'], ['k2', 'v38'], ['k3', 'v39']]);
    assert.ok(count < 40, `compaction removed superseded records (read ${count})`);
  } finally {
    await producer.disconnect();
    await admin.disconnect();
    await broker.close();
  }
});

test('a transaction that outlives its timeout is aborted and its producer fenced', async () => {
  const broker = await startTestBroker(tempDir(), { config: { transactionAbortCheckIntervalMs: 50 } });
  const raw = await RawClient.connect(broker.port);
  try {
    await raw.request(19, 4, { topics: [{ name: 'slow', num_partitions: 1, replication_factor: 1, assignments: [], configs: [] }], timeout_ms: 1000 });
    const init = await raw.request(22, 1, { transactional_id: 'slowpoke', transaction_timeout_ms: 200 });
    const pid: bigint = init.producer_id;
    const add = await raw.request(24, 1, { transactional_id: 'slowpoke', producer_id: pid, producer_epoch: init.producer_epoch, topics: [{ name: 'slow', partitions: [0] }] });
    assert.equal(add.results[0].results[0].error_code, 0);
    const batch = buildBatch({
      baseOffset: 0n, baseTimestamp: 1n, attributes: ATTR_TRANSACTIONAL, producerId: pid, producerEpoch: init.producer_epoch, baseSequence: 0,
      records: [{ offsetDelta: 0, timestampDelta: 0n, key: null, value: Buffer.from('late'), headers: [] }],
    });
    const prod = await raw.request(0, 7, { transactional_id: 'slowpoke', acks: -1, timeout_ms: 1000, topic_data: [{ name: 'slow', partition_data: [{ index: 0, records: batch }] }] });
    assert.equal(prod.responses[0].partition_responses[0].error_code, 0);
    const lso = async (): Promise<bigint> => (await raw.request(2, 3, { replica_id: -1, isolation_level: 1, topics: [{ name: 'slow', partitions: [{ partition_index: 0, timestamp: -1n }] }] })).topics[0].partitions[0].offset;
    assert.equal(await lso(), 0n);
    const end = Date.now() + 10000;
    while ((await lso()) === 0n && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await lso(), 2n); // data + abort marker
    const commit = await raw.request(26, 1, { transactional_id: 'slowpoke', producer_id: pid, producer_epoch: init.producer_epoch, committed: true });
    assert.equal(commit.error_code, 47); // the timed-out producer's epoch was bumped
  } finally {
    raw.close();
    await broker.close();
  }
});
