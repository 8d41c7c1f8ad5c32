import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Consumer, Kafka } from 'kafkajs';
import { kafkaFor, startTestBroker } from './helpers.js';

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 30000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function groupConsumer(kafka: Kafka, assigned: Map<string, number>, name: string): Consumer {
  const c = kafka.consumer({ groupId: 'grp', sessionTimeout: 6000, heartbeatInterval: 200, maxWaitTimeInMs: 100, rebalanceTimeout: 10000 });
  c.on(c.events.GROUP_JOIN, (e) => {
    const parts = Object.values(e.payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
    assigned.set(name, parts);
  });
  return c;
}

test('kafkajs consumer group: two members share partitions, rebalance on join and leave, offsets committed', async () => {
  const broker = await startTestBroker();
  const kafka = kafkaFor(broker);
  const admin = kafka.admin();
  const producer = kafka.producer();
  const seen: string[] = [];
  const assigned = new Map<string, number>();
  const a = groupConsumer(kafka, assigned, 'a');
  const b = groupConsumer(kafka, assigned, 'b');
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 4 }] });
    await producer.connect();
    await a.connect();
    await a.subscribe({ topics: ['events'], fromBeginning: true });
    await a.run({ eachMessage: async ({ message }) => { seen.push(String(message.value)); } });
    await until(() => assigned.get('a') === 4, 'a owns all 4 partitions');

    await producer.send({ topic: 'events', messages: Array.from({ length: 20 }, (_, i) => ({ value: `m${i}`, partition: i % 4 })) });
    await until(() => new Set(seen).size === 20, 'a consumed the first 20');

    await b.connect();
    await b.subscribe({ topics: ['events'], fromBeginning: true });
    await b.run({ eachMessage: async ({ message }) => { seen.push(String(message.value)); } });
    await until(() => assigned.get('a') === 2 && assigned.get('b') === 2, 'rebalance to 2+2');

    await producer.send({ topic: 'events', messages: Array.from({ length: 20 }, (_, i) => ({ value: `n${i}`, partition: i % 4 })) });
    await until(() => new Set(seen).size === 40, 'all 40 consumed');

    const desc = await admin.describeGroups(['grp']);
    assert.equal(desc.groups[0]!.state, 'Stable');
    assert.equal(desc.groups[0]!.members.length, 2);
    const listed = await admin.listGroups();
    assert.ok(listed.groups.some((g) => g.groupId === 'grp'));

    await b.disconnect();
    await until(() => assigned.get('a') === 4, 'a takes all partitions back after b leaves');

    await until(async () => {
      const offs = await admin.fetchOffsets({ groupId: 'grp', topics: ['events'] });
      return offs[0]!.partitions.every((p) => p.offset === '10');
    }, 'committed offsets reach 10 on every partition');
  } finally {
    await a.disconnect();
    await b.disconnect();
    await producer.disconnect();
    await admin.disconnect();
    await broker.close();
  }
});
