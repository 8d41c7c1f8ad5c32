import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { kafkaFor, startTestBroker, tempDir } from './helpers.js';

test('topics, records, committed offsets and group state survive a restart; a torn tail is truncated', async () => {
  const dir = tempDir();
  let broker = await startTestBroker(dir);
  let kafka = kafkaFor(broker);
  const admin1 = kafka.admin();
  const producer1 = kafka.producer();
  await admin1.connect();
  await producer1.connect();
  await admin1.createTopics({ topics: [{ topic: 'keep', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '123456' }] }] });
  await producer1.send({ topic: 'keep', messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 2 })) });
  await admin1.setOffsets({ groupId: 'pg', topic: 'keep', partitions: [{ partition: 0, offset: '20' }, { partition: 1, offset: '7' }] });
  await producer1.disconnect();
  await admin1.disconnect();
  await broker.close();

  // Simulate a crash mid-append: a partial batch at the end of the active segment.
  const segDir = path.join(dir, 'logs', 'keep-0');
  const segFile = path.join(segDir, fs.readdirSync(segDir).filter((n) => n.endsWith('.log')).sort().pop()!);
  const sizeBefore = fs.statSync(segFile).size;
  fs.appendFileSync(segFile, Buffer.from([0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 1, 0, 0, 0]));

  broker = await startTestBroker(dir);
  kafka = kafkaFor(broker);
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: 'pg', maxWaitTimeInMs: 100 });
  try {
    await admin.connect();
    assert.equal(fs.statSync(segFile).size, sizeBefore);
    const md = await admin.fetchTopicMetadata({ topics: ['keep'] });
    assert.equal(md.topics[0]!.partitions.length, 2);
    const offsets = await admin.fetchTopicOffsets('keep');
    assert.deepEqual(offsets.map((o) => [o.partition, o.low, o.high]).sort(), [[0, '0', '25'], [1, '0', '25']]);
    const committed = await admin.fetchOffsets({ groupId: 'pg', topics: ['keep'] });
    assert.deepEqual(committed[0]!.partitions.map((p) => [p.partition, p.offset]).sort(), [[0, '20'], [1, '7']]);
    const cfg = await admin.describeConfigs({ resources: [{ type: 2, name: 'keep', configNames: ['retention.ms'] }], includeSynonyms: false });
    assert.equal(cfg.resources[0]!.configEntries[0]!.configValue, '123456');

    await producer.connect();
    const [r] = await producer.send({ topic: 'keep', messages: [{ value: 'after', partition: 0 }] });
    assert.equal(r!.baseOffset, '25');

    // The group resumes from its committed offsets: 5 + 18 old records on the two partitions plus the new one.
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: ['keep'] });
    await consumer.run({ eachMessage: async ({ message }) => { seen.push(String(message.value)); } });
    const end = Date.now() + 30000;
    while (seen.length < 24 && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    assert.equal(seen.length, 24);
    assert.ok(seen.includes('after'));
    assert.ok(seen.includes('v40') && !seen.includes('v38'));
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
    await broker.close();
  }
});
