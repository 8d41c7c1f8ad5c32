/**
 * GET /clusterStatus on a driver whose queries run as tasks over several servers: ksqlDB's
 * shape, one entry per live host (`host:port`) taken from the current assignments of every
 * query's consumer group (a host is alive while it is a member), with the topic partitions it
 * runs per query. This server is always listed. Sluice keeps no standbys and no lag reports.
 */
import type { RoutingDriver } from '../engine/routing.js';
import type { ServerState } from './context.js';

const hostKey = (endpoint: string) => {
  try {
    const u = new URL(endpoint);
    return u.host;
  } catch {
    return endpoint;
  }
};

export function clusterStatus(state: ServerState, routing: RoutingDriver): { clusterStatus: Record<string, unknown> } {
  const now = Date.now();
  const out: Record<string, unknown> = {};
  const hosts = routing.clusterHosts();
  const self = routing.advertisedListener();
  if (!self) out[state.hostKey] = entry(state, new Map(), now);
  for (const h of hosts) out[hostKey(h.endpoint)] = entry(state, h.activePartitions, now);
  return { clusterStatus: out };
}

function entry(state: ServerState, partitions: Map<string, { topic: string; partition: number }[]>, now: number): unknown {
  const activeStandbyPerQuery: Record<string, unknown> = {};
  for (const q of state.engine.metastore.queries.values()) {
    const active = partitions.get(q.id) ?? [];
    const table = q.plan.root.type === 'Sink' && q.plan.root.table;
    activeStandbyPerQuery[q.id] = {
      activeStores: table && active.length > 0 ? [`${q.id}-materialized`] : [],
      activePartitions: [...active].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition),
      standByStores: [],
      standByPartitions: [],
    };
  }
  return { hostAlive: true, lastStatusUpdateMs: now, activeStandbyPerQuery, hostStoreLags: { stateStoreLags: {}, updateTimeMs: now } };
}
