/**
 * `npm run check:broker-durability`: 1,000,000 records produced by an idempotent kafkajs producer (acks=all)
 * to a `sluice broker` process that is SIGKILLed and restarted mid-stream; then every partition is read back
 * and checked: nothing acknowledged lost, nothing duplicated, order kept per partition. Exits 1 on failure.
 * BENCH_MESSAGES changes the volume.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { RawClient } from '../test/broker/helpers.js';
import { decodeRecords, iterateBatches, ATTR_CONTROL } from '../src/broker/records/batch.js';
import { initCompression } from '../src/broker/records/compression.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOTAL = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const BATCH = 1000;
const PARTITIONS = 4;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function startBrokerProcess(port: number, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/sluice.js'), 'broker', '--listener', `127.0.0.1:${port}`, '--data-dir', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('sluice broker ready')) resolve(child);
    });
    child.once('exit', (code, sig) => reject(new Error(`broker exited (${code ?? sig}) before ready`)));
  });
}

async function main(): Promise<void> {
  await initCompression();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-durability-'));
  const port = await freePort();
  let child = await startBrokerProcess(port, dir);
  const kafka = new Kafka({ clientId: 'durability', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 50, initialRetryTime: 100, maxRetryTime: 1000 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: PARTITIONS }] });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const acked = new Set<number>();
  let killed = false;
  const t0 = Date.now();
  for (let base = 0; base < TOTAL; base += BATCH) {
    const n = Math.min(BATCH, TOTAL - base);
    const messages = Array.from({ length: n }, (_, i) => ({ partition: (base + i) % PARTITIONS, value: String(base + i) }));
    if (!killed && base >= TOTAL / 2) {
      killed = true;
      // Kill while this send is in flight, then bring the broker back on the same port and data dir.
      setTimeout(() => {
        child.kill('SIGKILL');
        child.once('exit', () => {
          void startBrokerProcess(port, dir).then((c) => { child = c; });
        });
      }, 2);
    }
    try {
      await producer.send({ topic: 'durable', acks: -1, messages });
      for (let i = 0; i < n; i++) acked.add(base + i);
    } catch (err) {
      console.log(`batch at ${base} not acknowledged: ${(err as Error).message}`);
    }
  }
  await producer.disconnect();
  console.log(`produced ${acked.size} acknowledged records in ${((Date.now() - t0) / 1000).toFixed(1)} s (broker SIGKILLed once mid-stream)`);

  const raw = await RawClient.connect(port);
  const seen = new Map<number, number>();
  let orderViolations = 0;
  for (let p = 0; p < PARTITIONS; p++) {
    let offset = 0n;
    let last = -1;
    for (;;) {
      const res = await raw.request(1, 11, {
        replica_id: -1, max_wait_ms: 0, min_bytes: 1, max_bytes: 8 << 20, isolation_level: 0,
        topics: [{ topic: 'durable', partitions: [{ partition: p, fetch_offset: offset, partition_max_bytes: 8 << 20 }] }],
      });
      const part = res.responses[0].partitions[0];
      if (part.error_code !== 0) throw new Error(`fetch error ${part.error_code}`);
      if (!part.records || part.records.length === 0) break;
      for (const { pos, size, header } of iterateBatches(part.records)) {
        if (!(header.attributes & ATTR_CONTROL)) {
          for (const r of decodeRecords(part.records.subarray(pos, pos + size))) {
            if (header.baseOffset + BigInt(r.offsetDelta) < offset) continue;
            const id = Number(String(r.value));
            seen.set(id, (seen.get(id) ?? 0) + 1);
            if (id <= last) orderViolations++;
            last = id;
          }
        }
        offset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
      }
    }
  }
  raw.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dir, { recursive: true, force: true });

  const lost = [...acked].filter((id) => !seen.has(id)).length;
  const duplicated = [...seen.values()].filter((c) => c > 1).length;
  console.log(`read back ${seen.size} distinct records: lost ${lost}, duplicated ${duplicated}, order violations ${orderViolations}`);
  if (lost || duplicated || orderViolations || acked.size === 0) {
    console.log('DURABILITY CHECK FAILED');
    process.exit(1);
  }
  console.log('DURABILITY CHECK OK');
}

await main();
