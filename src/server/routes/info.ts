/**
 * The informational endpoints: GET /info, /healthcheck, /clusterStatus, /status and
 * /status/{type}/{entity}/{action}, /is_valid_property/{name}, the readiness probes and the
 * `/` redirect. The legacy ones always answer application/json.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerState } from '../context.js';
import { ErrorCodes, genericError, RestError } from '../errors.js';
import { routingOf } from '../../engine/routing.js';
import { clusterStatus } from '../cluster-status.js';

/** Properties a client may not override per request (ksqlDB's immutable set, abridged). */
const IMMUTABLE = new Set(['bootstrap.servers', 'ksql.service.id', 'listeners', 'ksql.headers.columns.enabled']);

export async function infoRoutes(app: FastifyInstance, opts: { state: ServerState }): Promise<void> {
  const { state } = opts;
  const json = (v: unknown) => JSON.stringify(v);

  app.get('/', async (_req, reply) => reply.code(307).header('location', '/info').send(''));
  app.get('/chc/ready', async (_req, reply) => reply.header('content-type', 'application/json').send('{}'));
  app.get('/chc/live', async (_req, reply) => reply.header('content-type', 'application/json').send('{}'));

  app.get('/info', async (_req, reply) =>
    reply.header('content-type', 'application/json').send(
      json({
        KsqlServerInfo: {
          version: state.version,
          kafkaClusterId: state.kafkaClusterId,
          ksqlServiceId: state.serviceId,
          serverStatus: state.status === 'RUNNING' ? 'RUNNING' : 'ERROR',
        },
      }),
    ),
  );

  app.get('/healthcheck', async (_req, reply) => {
    const ok = state.status === 'RUNNING';
    return reply.header('content-type', 'application/json').send(
      json({
        isHealthy: ok,
        details: { metastore: { isHealthy: true }, kafka: { isHealthy: ok }, commandRunner: { isHealthy: ok && state.runner.healthy() } },
        serverState: state.status === 'RUNNING' ? 'READY' : state.status,
      }),
    );
  });

  app.get('/clusterStatus', async (_req, reply) => {
    // servers sharing the service id: every host running a task of some query
    const routing = routingOf(state.driver);
    if (routing) return reply.header('content-type', 'application/json').send(json(clusterStatus(state, routing)));
    const activeStandbyPerQuery: Record<string, unknown> = {};
    for (const q of state.engine.metastore.queries.values()) {
      activeStandbyPerQuery[q.id] = {
        activeStores: q.plan.sink && q.plan.root.type === 'Sink' && q.plan.root.table ? [`${q.id}-materialized`] : [],
        activePartitions: q.plan.inputTopics.flatMap((t) => Array.from({ length: state.driver.describeTopic(t)?.partitions ?? 1 }, (_x, partition) => ({ topic: t, partition }))),
        standByStores: [],
        standByPartitions: [],
      };
    }
    const now = Date.now();
    return reply.header('content-type', 'application/json').send(
      json({
        clusterStatus: {
          [state.hostKey]: { hostAlive: true, lastStatusUpdateMs: now, activeStandbyPerQuery, hostStoreLags: { stateStoreLags: {}, updateTimeMs: now } },
        },
      }),
    );
  });

  app.get('/status', async (_req, reply) =>
    reply.header('content-type', 'application/json').send(json({ commandStatuses: Object.fromEntries([...state.commands.entries()].map(([id, s]) => [id, s.status])) })),
  );

  app.get('/status/:type/:entity/:action', async (req, reply) => {
    const p = req.params as { type: string; entity: string; action: string };
    const id = `${p.type}/${p.entity}/${p.action}`;
    const s = state.commands.get(id) ?? state.commands.get(`${p.type}/\`${p.entity}\`/${p.action}`);
    if (!s) throw new RestError(genericError(ErrorCodes.NOT_FOUND, 'Command not found'));
    return reply.header('content-type', 'application/json').send(json(s));
  });

  app.get('/is_valid_property/:name', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    if (IMMUTABLE.has(name)) {
      throw new RestError(genericError(ErrorCodes.BAD_REQUEST, `One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [${name}]`));
    }
    return reply.header('content-type', 'application/json').send('true');
  });
}
