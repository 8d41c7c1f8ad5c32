import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { tempDir } from './helpers.js';
import { parseHostPort } from '../../cli/host-port.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/sluice.js');

function startCli(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'broker', '--listener', '127.0.0.1:0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /ready on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`broker exited early with ${code}: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

test('parseHostPort accepts host:port and [ipv6]:port and rejects the rest', () => {
  assert.deepEqual(parseHostPort('127.0.0.1:9092', '--listener'), { host: '127.0.0.1', port: 9092 });
  assert.deepEqual(parseHostPort('[::1]:19092', '--listener'), { host: '::1', port: 19092 });
  assert.throws(() => parseHostPort('localhost', '--listener'), /HOST:PORT/);
  assert.throws(() => parseHostPort('h:70000', '--listener'), /between 0 and 65535/);
});

test('sluice broker: serves kafkajs, loses nothing acknowledged across SIGKILL, exits 0 on SIGTERM', async () => {
  const dir = tempDir();
  let { child, port } = await startCli(dir);
  const kafka = (p: number) => new Kafka({ clientId: 'cli-test', brokers: [`127.0.0.1:${p}`], logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 50 } });
  const producer = kafka(port).producer();
  await producer.connect();
  for (let i = 0; i < 5; i++) {
    await producer.send({ topic: 'durable', acks: -1, messages: Array.from({ length: 20 }, (_, j) => ({ value: `m${i * 20 + j}` })) });
  }
  await producer.disconnect();
  child.kill('SIGKILL');
  await exited(child);

  ({ child, port } = await startCli(dir));
  const admin = kafka(port).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets('durable');
  assert.equal(offsets[0]!.high, '100');
  await admin.disconnect();
  child.kill('SIGTERM');
  assert.equal(await exited(child), 0);
});
