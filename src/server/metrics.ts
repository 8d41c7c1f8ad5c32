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
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProcessingLog } from '../runtime/processing-log.js';
import type { ServerState } from './context.js';

/** The per-query counters a processing log may keep (MemoryProcessingLog and its subclasses do). */
interface CountingLog {
  counts?: Map<string, number>;
  consumed?: Map<string, number>;
  produced?: Map<string, number>;
}

/** Endpoints whose response is a stream (or, for inserts, whose request is). */
export const STREAMING_ROUTES = new Set(['/query', '/query-stream', '/inserts-stream', '/ws/query']);

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
  app.addHook('onRequest', async (req, reply) => {
    reply.raw.once('close', () => observe(req, reply));
  });
  app.addHook('onResponse', async (req, reply) => observe(req, reply));
  app.get('/metrics', async (_req, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
  return registry;
}
