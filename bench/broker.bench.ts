/**
 * `npm run bench:broker`: kafkajs produce and consume rates against the embedded broker and, in the same run,
 * against a real Apache Kafka 3.9 started from Maven Central jars (scripts/kafka/start-kafka.sh), reported
 * as ratios. Set BENCH_MESSAGES to change the volume; SKIP_REAL_KAFKA=1 measures the embedded broker only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../src/broker/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const BATCH = 1000;
const VALUE = Buffer.alloc(100, 'x');

interface Rates {
  produce: number;
  consume: number;
}

async function measure(bootstrap: string, label: string): Promise<Rates> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const topic = `bench-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const t0 = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let sent = 0; sent < MESSAGES; sent += BATCH) {
    const messages = Array.from({ length: Math.min(BATCH, MESSAGES - sent) }, (_, i) => ({ key: String((sent + i) % 97), value: VALUE }));
    inflight.push(producer.send({ topic, acks: -1, messages }));
    if (inflight.length >= 8) await inflight.shift();
  }
  await Promise.all(inflight);
  const produceSecs = (performance.now() - t0) / 1000;
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-g`, maxWaitTimeInMs: 100, maxBytes: 10 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let got = 0;
  let t1 = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        if (t1 === 0) t1 = performance.now();
        got += batch.messages.length;
        if (got >= MESSAGES) resolve();
      },
    });
  });
  await done;
  const consumeSecs = (performance.now() - t1) / 1000;
  await consumer.disconnect();
  const r = { produce: MESSAGES / produceSecs, consume: MESSAGES / consumeSecs };
  console.log(`${label.padEnd(10)} produce ${r.produce.toFixed(0).padStart(9)} msg/s   consume ${r.consume.toFixed(0).padStart(9)} msg/s`);
  return r;
}

function startRealKafka(dir: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(ROOT, 'scripts/kafka/start-kafka.sh'), dir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const onData = (d: Buffer): void => {
      out += String(d);
      if (out.includes('kafka ready on')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => { out += String(d); });
    child.once('exit', (code) => reject(new Error(`real Kafka exited (${code}): ${out.slice(-2000)}`)));
  });
}

async function main(): Promise<void> {
  console.log(`bench:broker — ${MESSAGES} messages of ${VALUE.length} bytes, kafkajs, 4 partitions, acks=all`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-'));
  const embedded = await startBroker({ host: '127.0.0.1', port: 0, dataDir });
  let ours: Rates;
  try {
    ours = await measure(`127.0.0.1:${embedded.port}`, 'embedded');
  } finally {
    await embedded.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (process.env.SKIP_REAL_KAFKA) return;
  const kafkaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-kafka-'));
  const child = await startRealKafka(kafkaDir, 19192);
  try {
    const theirs = await measure('127.0.0.1:19192', 'kafka 3.9');
    console.log(`ratio (embedded / kafka): produce ${(ours.produce / theirs.produce).toFixed(2)}x, consume ${(ours.consume / theirs.consume).toFixed(2)}x`);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(kafkaDir, { recursive: true, force: true });
  }
}

await main();
