/**
 * Topic-level configuration: the keys the broker honours, their defaults (Kafka's), and validation.
 * Unknown keys are rejected with INVALID_CONFIG like Kafka does.
 */
import type { LogConfig } from './partition-log.js';

export const TOPIC_CONFIG_DEFAULTS: Record<string, string> = {
  'cleanup.policy': 'delete',
  'retention.ms': '604800000',
  'retention.bytes': '-1',
  'segment.bytes': '1073741824',
  'segment.ms': '604800000',
  'max.message.bytes': '1048588',
  'message.timestamp.type': 'CreateTime',
  'min.compaction.lag.ms': '0',
  'max.compaction.lag.ms': '9223372036854775807',
  'delete.retention.ms': '86400000',
  'compression.type': 'producer',
  'min.insync.replicas': '1',
  'flush.messages': '9223372036854775807',
  'flush.ms': '9223372036854775807',
  'unclean.leader.election.enable': 'false',
  'min.cleanable.dirty.ratio': '0.5',
  'message.timestamp.difference.max.ms': '9223372036854775807',
  'index.interval.bytes': '4096',
  'segment.index.bytes': '10485760',
  'file.delete.delay.ms': '60000',
  'preallocate': 'false',
  'message.downconversion.enable': 'true',
  'follower.replication.throttled.replicas': '',
  'leader.replication.throttled.replicas': '',
  'segment.jitter.ms': '0',
  'local.retention.ms': '-2',
  'local.retention.bytes': '-2',
  'remote.storage.enable': 'false',
};

const NUMERIC = new Set(['retention.ms', 'retention.bytes', 'segment.bytes', 'segment.ms', 'max.message.bytes', 'min.compaction.lag.ms',
  'max.compaction.lag.ms', 'delete.retention.ms', 'min.insync.replicas', 'flush.messages', 'flush.ms', 'segment.jitter.ms']);

/** Returns an error message for an invalid key/value, or null. */
export function validateTopicConfig(key: string, value: string | null): string | null {
  if (!(key in TOPIC_CONFIG_DEFAULTS)) return `Unknown topic config name: ${key}`;
  if (value === null) return null;
  if (NUMERIC.has(key) && !/^-?\d+$/.test(value.trim())) return `Invalid value ${value} for configuration ${key}: Not a number of type LONG`;
  if (key === 'cleanup.policy') {
    const parts = value.split(',').map((s) => s.trim());
    if (parts.some((p) => p !== 'delete' && p !== 'compact')) return `Invalid value ${value} for configuration cleanup.policy`;
  }
  if (key === 'message.timestamp.type' && value !== 'CreateTime' && value !== 'LogAppendTime') return `Invalid value ${value} for configuration message.timestamp.type`;
  if (key === 'compression.type' && !['producer', 'none', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'].includes(value)) return `Invalid value ${value} for configuration compression.type`;
  return null;
}

function num(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  return Number.isFinite(n) ? n : dflt;
}

export function effectiveConfig(overrides: Record<string, string>, brokerDefaults: Record<string, string>): Record<string, string> {
  return { ...TOPIC_CONFIG_DEFAULTS, ...brokerDefaults, ...overrides };
}

export function logConfigOf(cfg: Record<string, string>): LogConfig {
  const flush = num(cfg['flush.messages'], Number.MAX_SAFE_INTEGER);
  return {
    segmentBytes: num(cfg['segment.bytes'], 1073741824),
    segmentMs: num(cfg['segment.ms'], 604800000),
    retentionMs: num(cfg['retention.ms'], 604800000),
    retentionBytes: num(cfg['retention.bytes'], -1),
    cleanupPolicy: cfg['cleanup.policy'] ?? 'delete',
    flushMessages: flush >= Number.MAX_SAFE_INTEGER ? 0 : flush,
  };
}
