/**
 * GET /metrics in the Prometheus text format (prom-client: the de-facto Node client, which
 * already gets histogram buckets, label escaping and the exposition format right).
 *
 * Each server has its own registry (never prom-client's global default), so several servers in
 * one process — tests — keep apart. What is exposed:
 * - sluice_rest_request_duration_seconds{method,route,status}: REST latency, per route pattern
 *   (never the raw URL, which would grow the label set without bound). Streaming responses
 *   (/query, /query-stream) take over the socket and are not timed.
 * - sluice_query_records_{consumed,produced,failed}_total{query_id}: per persistent query, read
 *   at scrape time from the driver's processing log (records read, written, logged as failed).
 * - sluice_running_queries{type}: persistent queries RUNNING, push queries streaming.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProcessingLog } from '../runtime/processing-log.js';
import type { ServerState } from './context.js';

/** The per-query counters a processing log may keep (MemoryProcessingLog and its subclasses do). */
interface CountingLog {
  counts?: Map<string, number>;
  consumed?: Map<string, number>;
  produced?: Map<string, number>;
}

export function installMetrics(app: FastifyInstance, state: ServerState): Registry {
  const registry = new Registry();
  const latency = new Histogram({
    name: 'sluice_rest_request_duration_seconds',
    help: 'REST request latency in seconds, by method, route and status code',
    labelNames: ['method', 'route', 'status'],
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

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    latency.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_req, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
  return registry;
}
