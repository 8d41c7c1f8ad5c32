/**
 * The Kafka driver's settings, read from ksqlDB property names (the engine's config, then the
 * driver's own), with ksqlDB's defaults where it has them.
 */
export type ProcessingGuarantee = 'at_least_once' | 'exactly_once_v2';

export interface RuntimeSettings {
  guarantee: ProcessingGuarantee;
  /** at_least_once: commit offsets at most this often (0 = after every batch) */
  commitIntervalMs: number;
  /** where a query's consumer group starts on its input topics when it has no committed offset */
  offsetReset: 'earliest' | 'latest';
  /** how long the group waits for a silent member (a crashed server) before moving its tasks */
  sessionTimeoutMs: number;
  /** exactly_once_v2: how long an open transaction of a dead server may hold back readers (Kafka Streams: 10 s) */
  transactionTimeoutMs: number;
  /** how often consumed repartition records are deleted (Kafka Streams: repartition.purge.interval.ms, 30 s) */
  purgeIntervalMs: number;
}

function lookup(configs: Record<string, unknown>[], ...names: string[]): unknown {
  for (const c of configs) for (const n of names) if (c[n] !== undefined && c[n] !== null) return c[n];
  return undefined;
}

export function runtimeSettings(...configs: Record<string, unknown>[]): RuntimeSettings {
  const g = String(lookup(configs, 'ksql.streams.processing.guarantee', 'processing.guarantee') ?? 'at_least_once').toLowerCase();
  let guarantee: ProcessingGuarantee;
  if (g === 'at_least_once') guarantee = 'at_least_once';
  else if (g === 'exactly_once_v2' || g === 'exactly_once' || g === 'exactly_once_beta') guarantee = 'exactly_once_v2';
  else throw new Error(`Invalid value ${g} for configuration processing.guarantee: String must be one of: at_least_once, exactly_once_v2`);
  const ci = Number(lookup(configs, 'ksql.streams.commit.interval.ms', 'commit.interval.ms') ?? 0);
  if (!Number.isFinite(ci) || ci < 0) throw new Error(`Invalid value ${ci} for configuration commit.interval.ms`);
  const reset = String(lookup(configs, 'ksql.streams.auto.offset.reset', 'auto.offset.reset') ?? 'latest').toLowerCase();
  if (reset !== 'earliest' && reset !== 'latest') throw new Error(`Invalid value ${reset} for configuration auto.offset.reset: String must be one of: latest, earliest, none`);
  const st = Number(lookup(configs, 'ksql.streams.session.timeout.ms', 'session.timeout.ms') ?? 30000);
  if (!Number.isFinite(st) || st <= 0) throw new Error(`Invalid value ${st} for configuration session.timeout.ms`);
  const tt = Number(lookup(configs, 'ksql.streams.transaction.timeout.ms', 'transaction.timeout.ms') ?? 10000);
  if (!Number.isFinite(tt) || tt <= 0) throw new Error(`Invalid value ${tt} for configuration transaction.timeout.ms`);
  const pi = Number(lookup(configs, 'ksql.streams.repartition.purge.interval.ms', 'repartition.purge.interval.ms') ?? 30000);
  if (!Number.isFinite(pi) || pi < 0) throw new Error(`Invalid value ${pi} for configuration repartition.purge.interval.ms`);
  return { guarantee, commitIntervalMs: ci, offsetReset: reset, sessionTimeoutMs: st, transactionTimeoutMs: tt, purgeIntervalMs: pi };
}
