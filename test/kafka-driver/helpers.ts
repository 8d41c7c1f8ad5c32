/**
 * Helpers for the Kafka driver's tests: an embedded broker on an ephemeral port with a temp dir,
 * engines on the Kafka driver, JSON records in and out, and the same script run on the test
 * driver for the expected outputs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startBroker, type BrokerHandle } from '../../src/broker/index.js';
import { Engine } from '../../src/engine/engine.js';
import { KafkaDriver } from '../../src/runtime/drivers/kafka-driver.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { AdminOffsets, WireOffsets, type PartitionEnds } from '../../src/runtime/drivers/kafka/wire-offsets.js';

/**
 * Base for test record timestamps: the start of today (UTC), so windows align as from the epoch.
 * Apache Kafka deletes records older than retention.ms (7 days) at its retention check (30 s after
 * start, then every 5 minutes), active segment included: records stamped in 1970 vanished from
 * input, repartition and sink topics in the middle of a test.
 */
export const T0 = Math.floor(Date.now() / 86_400_000) * 86_400_000;

export function tempDir(prefix = 'sluice-kd-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface JsonRecord {
  topic: string;
  key: string | null;
  value: unknown;
  timestamp: number;
}

export interface OutRecord {
  key: string | null;
  value: unknown;
  timestamp: number;
}

/**
 * The broker the suite runs on: the embedded one (npm test), or the real Apache Kafka that
 * `npm run test:kafka` starts and names in SLUICE_TEST_KAFKA (host:port; closing it is a no-op).
 */
/** What the tests need of a broker: its port on 127.0.0.1, and stopping it. */
export type TestBroker = Pick<BrokerHandle, 'port' | 'close'>;

export async function startTestBroker(): Promise<TestBroker> {
  const external = process.env['SLUICE_TEST_KAFKA'];
  if (external) {
    const port = Number(external.slice(external.lastIndexOf(':') + 1));
    return { port, close: async () => undefined };
  }
  return startBroker({ host: '127.0.0.1', port: 0, dataDir: tempDir('sluice-kd-broker-') });
}

/** the bootstrap addresses of the clients kafkaFor made (kafkajs does not expose them) */
const bootstrap = new WeakMap<Kafka, string[]>();

export function kafkaFor(broker: Pick<BrokerHandle, 'port'>): Kafka {
  const kafka = new Kafka({ clientId: 'kd-test', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 500 } });
  bootstrap.set(kafka, [`127.0.0.1:${broker.port}`]);
  return kafka;
}

export async function kafkaEngine(broker: Pick<BrokerHandle, 'port'>, opts: { dataDir: string; serviceId?: string; config?: Record<string, unknown>; info?: (m: string) => void }): Promise<{ engine: Engine; driver: KafkaDriver }> {
  const config = { 'auto.offset.reset': 'earliest', ...(opts.config ?? {}) };
  // SLUICE_TEST_INFO=1 prints the drivers' progress messages (restores, failed commits, ...)
  const info = opts.info ?? (process.env['SLUICE_TEST_INFO'] ? (m: string) => console.error(`[driver ${new Date().toISOString()}] ${m}`) : undefined);
  const driver = await KafkaDriver.connect({ brokers: [`127.0.0.1:${broker.port}`], dataDir: opts.dataDir, serviceId: opts.serviceId ?? 'kdtest_', config, ...(info ? { info } : {}) });
  return { engine: new Engine(driver, { config }), driver };
}

export async function produceJson(kafka: Kafka, records: JsonRecord[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    // in order, up to 100 records of one topic per request
    for (let i = 0; i < records.length; ) {
      const topic = records[i]!.topic;
      const messages = [];
      for (; i < records.length && records[i]!.topic === topic && messages.length < 100; i++) {
        const r = records[i]!;
        messages.push({ key: r.key === null ? null : Buffer.from(r.key), value: r.value === null ? null : Buffer.from(JSON.stringify(r.value)), timestamp: String(r.timestamp) });
      }
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Every record on a topic (all partitions, committed only), key as text and value parsed from JSON.
 * Reads to the high watermark (not kafkajs's fetchTopicOffsets, which is the last stable offset:
 * with a transaction still open or its markers not yet written that would stop before its
 * records); a read_committed consumer gets past an open transaction only once it is resolved.
 */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 30000): Promise<OutRecord[]> {
  const brokers = bootstrap.get(kafka);
  let ends: Map<number, PartitionEnds>;
  if (brokers) ends = await new WireOffsets(brokers).ends(topic);
  else {
    // a client made elsewhere (TLS/SASL tests): its admin, whose end is the last stable offset
    const admin = kafka.admin();
    await admin.connect();
    try {
      ends = await new AdminOffsets(admin).ends(topic);
    } finally {
      await admin.disconnect();
    }
  }
  const out: OutRecord[] = [];
  const todo = new Map([...ends].filter(([, e]) => e.high > e.low).map(([p, e]) => [p, e.high]));
  if (todo.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `reader-${Math.random().toString(36).slice(2)}`, maxWaitTimeInMs: 200 });
  const positions = new Map<number, number>();
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const reached = () => [...todo].every(([p, high]) => (positions.get(p) ?? 0) >= high);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  // END_BATCH_PROCESS also reports batches of markers or aborted records only (they end
  // every transactional partition), after the batch's eachMessage calls
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    positions.set(e.payload.partition, Math.max(positions.get(e.payload.partition) ?? 0, Number(e.payload.lastOffset) + 1));
    if (reached()) finish();
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      out.push({ key: message.key === null ? null : message.key.toString('utf8'), value: message.value === null ? null : JSON.parse(message.value.toString('utf8')), timestamp: Number(message.timestamp) });
    },
  });
  const timer = setTimeout(finish, timeoutMs);
  await done;
  clearTimeout(timer);
  await consumer.disconnect();
  if (!reached()) throw new Error(`readTopic ${topic}: did not reach the end within ${timeoutMs} ms (read to ${JSON.stringify([...positions])}, ends ${JSON.stringify([...todo])})`);
  return out;
}

/** The outputs the test driver gives for the same script and input phases. */
export function expectedOutputs(script: string, phases: JsonRecord[][], sinkTopic: string): OutRecord[] {
  const driver = new TestDriver();
  const engine = new Engine(driver, { config: { 'auto.offset.reset': 'earliest' } });
  engine.executeScript(script);
  for (const phase of phases) for (const r of phase) driver.pipe({ topic: r.topic, key: r.key === null ? null : Buffer.from(r.key), value: r.value === null ? null : Buffer.from(JSON.stringify(r.value)), timestamp: r.timestamp });
  return driver
    .records(sinkTopic)
    .filter((r) => r.producedBy !== undefined)
    .map((r) => ({ key: r.key === null ? null : r.key.toString('utf8'), value: r.value === null ? null : JSON.parse(r.value.toString('utf8')), timestamp: r.timestamp }));
}

/** Order-free comparison form: records sorted by their JSON text. */
export function sorted(records: OutRecord[]): string[] {
  return records.map((r) => JSON.stringify(r)).sort();
}
