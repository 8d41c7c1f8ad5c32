/**
 * GET /metrics in the Prometheus text format (prom-client: the de-facto Node client, which
 * already gets histogram buckets, label escaping and the exposition format right).
 *
 * Each server has its own registry (never prom-client's global default), so several servers in
 * one process — tests — keep apart. What is exposed:
 * - sluice_rest_request_duration_seconds{method,route,status,kind}: REST latency, per route pattern
 *   (never the raw URL, which would grow the label set without bound). kind="streaming" for the
 *   streaming endpoints (/query, /query-stream, /inserts-stream, /ws/query): observed when the
 *   stream ends (completed, closed by the client or failed), so it is the stream's whole
 *   duration; kind="request" for one-shot requests. A websocket's status is 101.
 * - sluice_query_records_{consumed,produced,failed}_total{query_id}: per persistent query, read
 *   at scrape time from the driver's processing log (records read, written, logged as failed).
 * - sluice_running_queries{type}: persistent queries RUNNING, push queries streaming.
 * With the Kafka driver (duck-typed: any driver with consumerLag / restoreProgress):
 * - sluice_query_consumer_lag{query_id} and
 *   sluice_query_partition_consumer_lag{query_id,topic,partition}: log end offset minus the
 *   query's position, for the tasks this server runs; asked of the cluster at scrape time (at
 *   most once a second however many scrapes; a cluster that does not answer within 5 s leaves
 *   them out of that scrape).
 * - sluice_query_restore_records_restored / _remaining{query_id,task} and
 *   sluice_query_restore_rate{query_id,task} (records/s): each task's latest restore from its
 *   changelogs, updated while it runs; sluice_query_restored_records_total{query_id}: every
 *   finished restore on this server.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProcessingLog } from '../runtime/processing-log.js';
import type { PartitionLag } from '../runtime/drivers/kafka/lag.js';
import type { RestoreStat, TaskRestoreProgress } from '../runtime/drivers/kafka-driver.js';
import type { ServerState } from './context.js';

/** The per-query counters a processing log may keep (MemoryProcessingLog and its subclasses do). */
interface CountingLog {
  counts?: Map<string, number>;
  consumed?: Map<string, number>;
  produced?: Map<string, number>;
}

/** Endpoints whose response is a stream (or, for inserts, whose request is). */
export const STREAMING_ROUTES = new Set(['/query', '/query-stream', '/inserts-stream', '/ws/query']);

/** What a driver may report about its Kafka consumers (KafkaDriver does). */
interface KafkaReporting {
  consumerLag?(): Promise<PartitionLag[]>;
  restoreProgress?: Map<string, TaskRestoreProgress>;
  restores?: RestoreStat[];
}

const LAG_TIMEOUT_MS = 5000;
const LAG_REUSE_MS = 1000;

export function installMetrics(app: FastifyInstance, state: ServerState): Registry {
  const registry = new Registry();
  const latency = new Histogram({
    name: 'sluice_rest_request_duration_seconds',
    help: 'REST request latency in seconds, by method, route and status code',
    labelNames: ['method', 'route', 'status', 'kind'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const log = state.driver.processingLog as ProcessingLog & CountingLog;
  // counters read at scrape time: the values live in the processing log, a scrape copies them
  const perQuery = (name: string, help: string, pick: (l: CountingLog) => Map<string, number> | undefined) =>
    new Counter({
      name,
      help,
      labelNames: ['query_id'],
      registers: [registry],
      collect() {
        this.reset();
        const m = pick(log);
        for (const id of state.engine.metastore.queries.keys()) this.inc({ query_id: id }, m?.get(id) ?? 0);
      },
    });
  perQuery('sluice_query_records_consumed_total', 'Records a persistent query read from its input topics', (l) => l.consumed);
  perQuery('sluice_query_records_produced_total', 'Records a persistent query wrote to its sink topic', (l) => l.produced);
  perQuery('sluice_query_records_failed_total', 'Records a persistent query could not process (processing log entries)', (l) => l.counts);
  new Gauge({
    name: 'sluice_running_queries',
    help: 'Queries running on this server: persistent (RUNNING state) and push (streaming to a client)',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      let persistent = 0;
      for (const q of state.engine.metastore.queries.values()) if (q.state === 'RUNNING') persistent++;
      this.set({ type: 'persistent' }, persistent);
      this.set({ type: 'push' }, state.transients.size);
    },
  });

  // A request is observed once, when its response ends. Fastify's onResponse fires when a
  // response finishes (also a hijacked one that ends normally); a stream the client closes, or
  // a websocket, never "finishes": the raw response's 'close' (for an upgrade, its socket's)
  // covers those. Whichever comes first counts.
  const observed = new WeakSet<FastifyRequest>();
  const observe = (req: FastifyRequest, reply: FastifyReply) => {
    if (observed.has(req)) return;
    observed.add(req);
    const route = req.routeOptions.url ?? 'unmatched';
    const upgrade = req.headers.upgrade?.toLowerCase() === 'websocket';
    const status = upgrade && reply.statusCode === 200 ? '101' : String(reply.statusCode);
    latency.observe({ method: req.method, route, status, kind: STREAMING_ROUTES.has(route) ? 'streaming' : 'request' }, reply.elapsedTime / 1000);
  };
  const kafka = state.driver as unknown as KafkaReporting;
  if (typeof kafka.consumerLag === 'function') installLagMetrics(registry, kafka.consumerLag.bind(kafka), (m) => state.log.debug(m));
  if (kafka.restoreProgress) installRestoreMetrics(registry, kafka.restoreProgress, kafka.restores ?? []);

  app.addHook('onRequest', async (req, reply) => {
    reply.raw.once('close', () => observe(req, reply));
  });
  app.addHook('onResponse', async (req, reply) => observe(req, reply));
  app.get('/metrics', async (_req, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
  return registry;
}

function installLagMetrics(registry: Registry, consumerLag: () => Promise<PartitionLag[]>, debug: (m: string) => void): void {
  // one cluster round trip serves both gauges of a scrape (and scrapes close together)
  let last: { at: number; lag: Promise<PartitionLag[] | undefined> } | undefined;
  const snapshot = (): Promise<PartitionLag[] | undefined> => {
    if (last && Date.now() - last.at < LAG_REUSE_MS) return last.lag;
    let timer: NodeJS.Timeout | undefined;
    const lag = Promise.race([
      consumerLag(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          debug(`consumer lag: the cluster did not answer within ${LAG_TIMEOUT_MS} ms`);
          resolve(undefined);
        }, LAG_TIMEOUT_MS);
      }),
    ])
      .catch((err: Error) => {
        debug(`consumer lag unavailable: ${err.message}`);
        return undefined;
      })
      .finally(() => clearTimeout(timer));
    last = { at: Date.now(), lag };
    return lag;
  };
  new Gauge({
    name: 'sluice_query_consumer_lag',
    help: 'Records a persistent query has yet to read (log end offset minus its position), summed over the partitions of the tasks this server runs',
    labelNames: ['query_id'],
    registers: [registry],
    async collect() {
      this.reset();
      const lag = await snapshot();
      if (!lag) return;
      const sums = new Map<string, number>();
      for (const l of lag) sums.set(l.queryId, (sums.get(l.queryId) ?? 0) + l.lag);
      for (const [id, n] of sums) this.set({ query_id: id }, n);
    },
  });
  new Gauge({
    name: 'sluice_query_partition_consumer_lag',
    help: 'Records a persistent query has yet to read from one partition of a topic it reads, for the tasks this server runs',
    labelNames: ['query_id', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const l of (await snapshot()) ?? []) this.set({ query_id: l.queryId, topic: l.topic, partition: String(l.partition) }, l.lag);
    },
  });
}

function installRestoreMetrics(registry: Registry, progress: Map<string, TaskRestoreProgress>, restores: RestoreStat[]): void {
  const perTask = (name: string, help: string, value: (p: TaskRestoreProgress) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['query_id', 'task'],
      registers: [registry],
      collect() {
        this.reset();
        for (const p of progress.values()) this.set({ query_id: p.queryId, task: String(p.partition) }, value(p));
      },
    });
  perTask('sluice_query_restore_records_restored', "Changelog records applied by a task's latest (or running) restore", (p) => p.restored);
  perTask('sluice_query_restore_records_remaining', "Changelog records a task's running restore has yet to read (0 once done)", (p) => p.remaining);
  perTask('sluice_query_restore_rate', "Records per second of a task's latest (or running) restore", (p) => (p.restored * 1000) / Math.max(1, p.ms));
  new Counter({
    name: 'sluice_query_restored_records_total',
    help: 'Changelog records restored by the finished restores of a persistent query on this server',
    labelNames: ['query_id'],
    registers: [registry],
    collect() {
      this.reset();
      const sums = new Map<string, number>();
      for (const r of restores) sums.set(r.queryId, (sums.get(r.queryId) ?? 0) + r.records);
      for (const [id, n] of sums) this.inc({ query_id: id }, n);
    },
  });
}
