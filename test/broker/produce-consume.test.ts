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
