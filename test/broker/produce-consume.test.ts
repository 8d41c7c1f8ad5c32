import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaFor, startTestBroker, RawClient } from './helpers.js';
import { decodeRecords, iterateBatches } from '../../src/broker/records/batch.js';
import { crc32c } from '../../src/broker/records/crc32c.js';

test('crc32c matches the standard check value', () => {
  assert.equal(crc32c(Buffer.from('123456789')).toString(16), 'e3069283');
});

test('kafkajs creates a topic, produces, and a raw Fetch/ListOffsets reads it back', async () => {
  const broker = await startTestBroker();
  const kafka = kafkaFor(broker);
  const admin = kafka.admin();
  const producer = kafka.producer();
  const raw = await RawClient.connect(broker.port);
  try {
    await admin.connect();
    assert.equal(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] }), true);
    assert.equal(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] }), false);
    const md = await admin.fetchTopicMetadata({ topics: ['orders'] });
    assert.equal(md.topics[0]!.partitions.length, 2);

    await producer.connect();
    const sent = await producer.send({
      topic: 'orders',
      messages: [
        { key: 'a', value: 'one', partition: 0, headers: { h: 'x' } },
        { key: null, value: 'two', partition: 0 },
        { key: 'c', value: null, partition: 1 },
      ],
    });
    assert.deepEqual(sent.map((s) => [s.partition, s.baseOffset]).sort(), [[0, '0'], [1, '0']]);
    await producer.send({ topic: 'orders', messages: [{ key: 'd', value: 'three', partition: 0 }] });

    const offsets = await admin.fetchTopicOffsets('orders');
    const p0 = offsets.find((o) => o.partition === 0)!;
    assert.equal(p0.high, '3');
    assert.equal(p0.low, '0');

    const res = await raw.request(1, 11, {
      replica_id: -1, max_wait_ms: 0, min_bytes: 1, max_bytes: 1 << 20, isolation_level: 0,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetch_offset: 1n, partition_max_bytes: 1 << 20 }] }],
    });
    const part = res.responses[0].partitions[0];
    assert.equal(part.error_code, 0);
    assert.equal(part.high_watermark, 3n);
    const values: string[] = [];
    for (const { pos, size } of iterateBatches(part.records)) {
      const batch = part.records.subarray(pos, pos + size);
      const base = Number(batch.readBigInt64BE(0));
      for (const rec of decodeRecords(batch)) if (base + rec.offsetDelta >= 1) values.push(String(rec.value));
    }
    assert.deepEqual(values, ['two', 'three']);

    const oor = await raw.request(1, 11, {
      replica_id: -1, max_wait_ms: 0, min_bytes: 1, max_bytes: 1 << 20,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetch_offset: 99n, partition_max_bytes: 1 << 20 }] }],
    });
    assert.equal(oor.responses[0].partitions[0].error_code, 1);
  } finally {
    raw.close();
    await producer.disconnect();
    await admin.disconnect();
    await broker.close();
  }
});

test('Fetch long-polls until data arrives', async () => {
  const broker = await startTestBroker();
  const kafka = kafkaFor(broker);
  const producer = kafka.producer();
  const raw = await RawClient.connect(broker.port);
  try {
    await producer.connect();
    await producer.send({ topic: 'poll', messages: [{ value: 'first' }] });
    const pending = raw.request(1, 11, {
      replica_id: -1, max_wait_ms: 20000, min_bytes: 1, max_bytes: 1 << 20,
      topics: [{ topic: 'poll', partitions: [{ partition: 0, fetch_offset: 1n, partition_max_bytes: 1 << 20 }] }],
    });
    await producer.send({ topic: 'poll', messages: [{ value: 'second' }] });
    const res = await pending;
    const recs = decodeRecords(res.responses[0].partitions[0].records);
    assert.equal(String(recs[0]!.value), 'second');
  } finally {
    raw.close();
    await producer.disconnect();
    await broker.close();
  }
});

test('acks=0 produce gets no response; the next response is for the next request', async () => {
  const broker = await startTestBroker();
  const raw = await RawClient.connect(broker.port);
  try {
    const { buildBatch } = await import('../../src/broker/records/batch.js');
    await raw.request(19, 4, { topics: [{ name: 'fire', num_partitions: 1, replication_factor: 1, assignments: [], configs: [] }], timeout_ms: 1000 });
    const batch = buildBatch({ baseOffset: 0n, baseTimestamp: 1n, records: [{ offsetDelta: 0, timestampDelta: 0n, key: null, value: Buffer.from('x'), headers: [] }] });
    const next = raw.nextFrame();
    raw.writeRaw(raw.encode(0, 7, { transactional_id: null, acks: 0, timeout_ms: 1000, topic_data: [{ name: 'fire', partition_data: [{ index: 0, records: batch }] }] }, 700));
    raw.writeRaw(raw.encode(2, 3, { replica_id: -1, isolation_level: 0, topics: [{ name: 'fire', partitions: [{ partition_index: 0, timestamp: -1n }] }] }, 701));
    const frame = await next;
    assert.equal(frame.readInt32BE(0), 701);
    const lo = await raw.request(2, 3, { replica_id: -1, isolation_level: 0, topics: [{ name: 'fire', partitions: [{ partition_index: 0, timestamp: -1n }] }] });
    assert.equal(lo.topics[0].partitions[0].offset, 1n);
  } finally {
    raw.close();
    await broker.close();
  }
});

test('large batches: refused above max.message.bytes, accepted and read back when the topic allows them', async () => {
  const broker = await startTestBroker();
  const kafka = kafkaFor(broker);
  const admin = kafka.admin();
  const producer = kafka.producer({ retry: { retries: 0 } });
  const raw = await RawClient.connect(broker.port);
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'small' }, { topic: 'big', configEntries: [{ name: 'max.message.bytes', value: String(8 << 20) }] }] });
    await producer.connect();
    const value = Buffer.alloc(3 << 20, 7);
    await assert.rejects(producer.send({ topic: 'small', messages: [{ value }] }), (e: Error & { type?: string }) => e.type === 'MESSAGE_TOO_LARGE');
    await producer.send({ topic: 'big', messages: [{ value }] });
    const res = await raw.request(1, 11, {
      replica_id: -1, max_wait_ms: 0, min_bytes: 1, max_bytes: 1024, isolation_level: 0,
      topics: [{ topic: 'big', partitions: [{ partition: 0, fetch_offset: 0n, partition_max_bytes: 1024 }] }],
    });
    // The first batch is returned whole even though it exceeds max_bytes (KIP-74).
    const recs = decodeRecords(res.responses[0].partitions[0].records);
    assert.equal(recs[0]!.value!.length, 3 << 20);
  } finally {
    raw.close();
    await producer.disconnect();
    await admin.disconnect();
    await broker.close();
  }
});
