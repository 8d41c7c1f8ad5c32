import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { kafkaFor, startTestBroker } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('a crashed member (SIGKILLed process) loses its partitions after its session timeout', async () => {
  const broker = await startTestBroker();
  const kafka = kafkaFor(broker);
  const admin = kafka.admin();
  const survivorParts: number[] = [];
  const survivor = kafka.consumer({ groupId: 'crash', sessionTimeout: 6000, heartbeatInterval: 200, maxWaitTimeInMs: 100, rebalanceTimeout: 8000 });
  survivor.on(survivor.events.GROUP_JOIN, (e) => {
    survivorParts.push(Object.values(e.payload.memberAssignment).reduce((n, ps) => n + ps.length, 0));
  });
  // The member to be killed runs in its own process so that SIGKILL leaves no LeaveGroup behind.
  const script = `
    import { Kafka, logLevel } from 'kafkajs';
    const kafka = new Kafka({ brokers: ['127.0.0.1:${broker.port}'], logLevel: logLevel.NOTHING });
    const c = kafka.consumer({ groupId: 'crash', sessionTimeout: 6000, heartbeatInterval: 200, maxWaitTimeInMs: 100, rebalanceTimeout: 8000 });
    c.on(c.events.GROUP_JOIN, (e) => console.log('joined ' + Object.values(e.payload.memberAssignment).reduce((n, ps) => n + ps.length, 0)));
    await c.connect();
    await c.subscribe({ topics: ['crash-topic'] });
    await c.run({ eachMessage: async () => {} });
  `;
  const victim = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let victimOut = '';
  victim.stdout!.on('data', (d) => { victimOut += String(d); });
  const until = async (cond: () => boolean, what: string, ms = 40000): Promise<void> => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'crash-topic', numPartitions: 4 }] });
    await until(() => /joined 4/.test(victimOut), 'victim owns all partitions');
    await survivor.connect();
    await survivor.subscribe({ topics: ['crash-topic'] });
    await survivor.run({ eachMessage: async () => {} });
    await until(() => survivorParts.at(-1) === 2 && /joined 2/.test(victimOut), 'partitions split 2+2');
    victim.kill('SIGKILL');
    await until(() => survivorParts.at(-1) === 4, 'survivor takes over all partitions after the session timeout');
    const desc = await admin.describeGroups(['crash']);
    assert.equal(desc.groups[0]!.members.length, 1);
  } finally {
    victim.kill('SIGKILL');
    await survivor.disconnect();
    await admin.disconnect();
    await broker.close();
  }
});
