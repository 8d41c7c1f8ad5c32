/**
 * Throughput of the Kafka driver over the embedded broker (in this process): records per second
 * for a projection/filter, a windowed aggregation (through its repartition topic) and a
 * stream-table join, each reading a pre-filled input from the beginning; then the restore rate
 * of the aggregation's state from its changelog after the data dir is wiped.
 * Run: npm run bench (tsc, then node dist/bench/kafka-driver.js); BENCH_N sets the input size.
 * Figures depend on the machine and on what else runs on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startBroker } from '../src/broker/index.js';
import { Engine } from '../src/engine/engine.js';
import { KafkaDriver } from '../src/runtime/drivers/kafka-driver.js';

const N = Number(process.env.BENCH_N ?? 100_000);
const PARTITIONS = 4;
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

const broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir: tmp('sluice-bench-broker-') });
const brokers = [`127.0.0.1:${broker.port}`];
const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
const config = { 'auto.offset.reset': 'earliest' };

async function fill(topic: string, n: number, record: (i: number) => { key: string; value: unknown; timestamp: number }): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < n; i += 2000) {
    const messages = [];
    for (let j = i; j < Math.min(n, i + 2000); j++) {
      const r = record(j);
      messages.push({ key: r.key, value: JSON.stringify(r.value), timestamp: String(r.timestamp) });
    }
    await producer.send({ topic, messages, acks: -1 });
  }
  await producer.disconnect();
}

async function engineOn(serviceId: string, dataDir: string): Promise<{ engine: Engine; driver: KafkaDriver }> {
  const driver = await KafkaDriver.connect({ brokers, serviceId, dataDir, config, ...(process.env.BENCH_VERBOSE ? { info: (m: string) => console.log(`  [${serviceId}] ${m}`) } : {}) });
  return { engine: new Engine(driver, { config }), driver };
}

function report(label: string, records: number, ms: number): void {
  console.log(`${label.padEnd(44)} ${Math.round((records * 1000) / ms).toLocaleString('en-US').padStart(10)} records/s  (${records} in ${ms} ms)`);
}

/** create the inputs, fill them, then time the query from start until it has caught up */
async function scenario(label: string, serviceId: string, ddl: string, fills: [string, number, (i: number) => { key: string; value: unknown; timestamp: number }][], query: string, queryId: string, dataDir = tmp('sluice-bench-state-')): Promise<{ driver: KafkaDriver; engine: Engine; dataDir: string }> {
  const { engine, driver } = await engineOn(serviceId, dataDir);
  engine.executeScript(ddl);
  await driver.settle();
  let total = 0;
  for (const [topic, n, rec] of fills) {
    await fill(topic, n, rec);
    total += n;
  }
  const t0 = Date.now();
  engine.executeScript(query);
  await driver.waitForQuery(queryId, 600_000);
  report(label, total, Date.now() - t0);
  return { driver, engine, dataDir };
}

console.log(`N=${N}, ${PARTITIONS} partitions, embedded broker in-process`);

const pf = await scenario(
  'projection/filter',
  'bpf_',
  `CREATE STREAM S (K STRING KEY, V INT, T STRING) WITH (KAFKA_TOPIC='b_s', VALUE_FORMAT='JSON', PARTITIONS=${PARTITIONS});`,
  [['b_s', N, (i) => ({ key: `k${i % 1000}`, value: { V: i, T: `text-${i}` }, timestamp: i })]],
  "CREATE STREAM F AS SELECT K, V * 2 AS V2, UCASE(T) AS T FROM S WHERE V % 2 = 0;",
  'CSAS_F_0',
);
await pf.driver.close();

const agg = await scenario(
  'windowed aggregation (GROUP BY, repartition)',
  'bwa_',
  `CREATE STREAM E (K STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='b_e', VALUE_FORMAT='JSON', PARTITIONS=${PARTITIONS});`,
  [['b_e', N, (i) => ({ key: `k${i % 1000}`, value: { G: `g${i % 500}`, V: i }, timestamp: i * 10 })]],
  'CREATE TABLE W AS SELECT G, COUNT(*) AS N, SUM(V) AS S FROM E WINDOW TUMBLING (SIZE 60 SECONDS) GROUP BY G;',
  'CTAS_W_0',
);
await agg.driver.close();

const join_ = await scenario(
  'stream-table join',
  'bsj_',
  `CREATE TABLE T (ID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='b_t', VALUE_FORMAT='JSON', PARTITIONS=${PARTITIONS});\n` +
    `CREATE STREAM O (ID STRING KEY, AMOUNT INT) WITH (KAFKA_TOPIC='b_o', VALUE_FORMAT='JSON', PARTITIONS=${PARTITIONS});`,
  [
    ['b_t', 1000, (i) => ({ key: `c${i}`, value: { NAME: `name-${i}` }, timestamp: 0 })],
    ['b_o', N, (i) => ({ key: `c${i % 1000}`, value: { AMOUNT: i }, timestamp: 1 + i })],
  ],
  'CREATE STREAM J AS SELECT O.ID, AMOUNT, NAME FROM O JOIN T ON O.ID = T.ID;',
  'CSAS_J_0',
);
await join_.driver.close();

// restore: wipe the aggregation's data dir and restart it; tasks restore at assignment
rmSync(agg.dataDir, { recursive: true, force: true });
{
  const t0 = Date.now();
  const { engine, driver } = await engineOn('bwa_', agg.dataDir);
  engine.executeScript(`CREATE STREAM E (K STRING KEY, G STRING, V INT) WITH (KAFKA_TOPIC='b_e', VALUE_FORMAT='JSON', PARTITIONS=${PARTITIONS});`);
  engine.executeScript('CREATE TABLE W AS SELECT G, COUNT(*) AS N, SUM(V) AS S FROM E WINDOW TUMBLING (SIZE 60 SECONDS) GROUP BY G;');
  await driver.settle();
  while (driver.restores.length < PARTITIONS && Date.now() - t0 < 300_000) await new Promise((r) => setTimeout(r, 50));
  const records = driver.restores.reduce((n, r) => n + r.records, 0);
  const ms = Math.max(...driver.restores.map((r) => r.ms));
  report(`restore (${driver.restores.length} tasks in parallel)`, records, ms);
  await driver.close();
}
await broker.close();
