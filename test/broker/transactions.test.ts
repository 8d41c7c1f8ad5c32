import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaFor, startTestBroker, RawClient } from './helpers.js';
import { buildBatch, decodeRecords, iterateBatches, ATTR_CONTROL } from '../../src/broker/records/batch.js';

function batch(pid: bigint, epoch: number, seq: number, values: string[]): Buffer {
  return buildBatch({
    baseOffset: 0n,
    baseTimestamp: BigInt(Date.now()),
    producerId: pid,
    producerEpoch: epoch,
    baseSequence: seq,
    records: values.map((v, i) => ({ offsetDelta: i, timestampDelta: 0n, key: null, value: Buffer.from(v), headers: [] })),
  });
}

test('idempotent produce: duplicates are acknowledged once, gaps and stale epochs are refused', async () => {
  const broker = await startTestBroker();
  const raw = await RawClient.connect(broker.port);
  try {
    await raw.request(19, 4, { topics: [{ name: 'idem', num_partitions: 1, replication_factor: 1, assignments: [], configs: [] }], timeout_ms: 1000 });
    const init = await raw.request(22, 1, { transactional_id: null, transaction_timeout_ms: 0 });
    assert.equal(init.error_code, 0);
    const pid: bigint = init.producer_id;
    const send = async (b: Buffer) => {
      const r = await raw.request(0, 7, { transactional_id: null, acks: -1, timeout_ms: 1000, topic_data: [{ name: 'idem', partition_data: [{ index: 0, records: b }] }] });
      return r.responses[0].partition_responses[0];
    };
    assert.equal((await send(batch(pid, 0, 0, ['a', 'b']))).base_offset, 0n);
    const dup = await send(batch(pid, 0, 0, ['a', 'b']));
    assert.equal(dup.error_code, 0);
    assert.equal(dup.base_offset, 0n);
    assert.equal((await send(batch(pid, 0, 2, ['c']))).base_offset, 2n);
    assert.equal((await send(batch(pid, 0, 7, ['gap']))).error_code, 45);
    // KIP-360 epoch bump, then the old epoch is stale.
    const bumped = await raw.request(22, 3, { transactional_id: null, transaction_timeout_ms: 0, producer_id: pid, producer_epoch: 0 });
    assert.equal(bumped.producer_epoch, 1);
    assert.equal((await send(batch(pid, 1, 0, ['d']))).base_offset, 3n);
    assert.equal((await send(batch(pid, 0, 3, ['stale']))).error_code, 47);
    const lo = await raw.request(2, 3, { replica_id: -1, isolation_level: 0, topics: [{ name: 'idem', partitions: [{ partition_index: 0, timestamp: -1n }] }] });
    assert.equal(lo.topics[0].partitions[0].offset, 4n);
  } finally {
    raw.close();
    await broker.close();
  }
});

test('kafkajs transactions: commit, abort, sendOffsets, read_committed consumers, fencing, restart', async () => {
  const { tempDir } = await import('./helpers.js');
  const dir = tempDir();
  let broker = await startTestBroker(dir);
  let kafka = kafkaFor(broker);
  const admin = kafka.admin();
  const producer = kafka.producer({ transactionalId: 'tx-1', maxInFlightRequests: 1, idempotent: true });
  const raw = await RawClient.connect(broker.port);
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'tx', numPartitions: 2 }, { topic: 'src', numPartitions: 1 }] });
    await producer.connect();

    const t1 = await producer.transaction();
    await t1.send({ topic: 'tx', messages: [{ key: 'a', value: 'committed-1', partition: 0 }, { key: 'b', value: 'committed-2', partition: 1 }] });
    await t1.sendOffsets({ consumerGroupId: 'eos', topics: [{ topic: 'src', partitions: [{ partition: 0, offset: '5' }] }] });
    await t1.commit();

    const t2 = await producer.transaction();
    await t2.send({ topic: 'tx', messages: [{ key: 'c', value: 'aborted-1', partition: 0 }] });
    await t2.sendOffsets({ consumerGroupId: 'eos', topics: [{ topic: 'src', partitions: [{ partition: 0, offset: '9' }] }] });
    await t2.abort();

    const t3 = await producer.transaction();
    await t3.send({ topic: 'tx', messages: [{ key: 'd', value: 'committed-3', partition: 0 }] });
    // Open transaction: LSO stays at its first offset, read_committed sees nothing past it.
    const lso = await raw.request(2, 3, { replica_id: -1, isolation_level: 1, topics: [{ name: 'tx', partitions: [{ partition_index: 0, timestamp: -1n }] }] });
    const hw = await raw.request(2, 3, { replica_id: -1, isolation_level: 0, topics: [{ name: 'tx', partitions: [{ partition_index: 0, timestamp: -1n }] }] });
    assert.ok(lso.topics[0].partitions[0].offset < hw.topics[0].partitions[0].offset);
    await t3.commit();

    const offs = await admin.fetchOffsets({ groupId: 'eos', topics: ['src'] });
    assert.equal(offs[0]!.partitions[0]!.offset, '5');

    // read_uncommitted sees aborted data and control batches; read_committed gets the aborted list.
    const fetchReq = (isolation: number) => raw.request(1, 11, {
      replica_id: -1, max_wait_ms: 0, min_bytes: 1, max_bytes: 1 << 20, isolation_level: isolation,
      topics: [{ topic: 'tx', partitions: [{ partition: 0, fetch_offset: 0n, partition_max_bytes: 1 << 20 }] }],
    });
    const uncommitted = (await fetchReq(0)).responses[0].partitions[0];
    const values: string[] = [];
    let controls = 0;
    for (const { pos, size, header } of iterateBatches(uncommitted.records)) {
      if (header.attributes & ATTR_CONTROL) controls++;
      else for (const r of decodeRecords(uncommitted.records.subarray(pos, pos + size))) values.push(String(r.value));
    }
    assert.deepEqual(values, ['committed-1', 'aborted-1', 'committed-3']);
    assert.equal(controls, 3);
    const committed = (await fetchReq(1)).responses[0].partitions[0];
    assert.equal(committed.aborted_transactions.length, 1);

    // kafkajs consumers default to read_committed.
    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId: 'reader', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: ['tx'], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { seen.push(String(message.value)); } });
    const end = Date.now() + 30000;
    while (seen.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await consumer.disconnect();
    assert.deepEqual([...seen].sort(), ['committed-1', 'committed-2', 'committed-3']);

    // A second producer with the same transactional id fences the first.
    const zombieKiller = kafka.producer({ transactionalId: 'tx-1', maxInFlightRequests: 1, idempotent: true });
    await zombieKiller.connect();
    const fresh = await zombieKiller.transaction(); // InitProducerId happens here, bumping the epoch
    const t4 = await producer.transaction();
    await assert.rejects(async () => {
      await t4.send({ topic: 'tx', messages: [{ value: 'zombie', partition: 1 }] });
      await t4.commit();
    });
    await fresh.abort();
    await zombieKiller.disconnect();
  } finally {
    raw.close();
    await producer.disconnect().catch(() => {});
    await admin.disconnect();
    await broker.close();
  }

  // Producer ids and transactional state survive a restart: a fresh init bumps the epoch.
  broker = await startTestBroker(dir);
  const raw2 = await RawClient.connect(broker.port);
  try {
    const init = await raw2.request(22, 1, { transactional_id: 'tx-1', transaction_timeout_ms: 60000 });
    assert.equal(init.error_code, 0);
    assert.ok(init.producer_epoch >= 2);
    const other = await raw2.request(22, 1, { transactional_id: null, transaction_timeout_ms: 0 });
    assert.notEqual(other.producer_id, init.producer_id);
    assert.ok(other.producer_id > 0n);
  } finally {
    raw2.close();
    await broker.close();
  }
});
