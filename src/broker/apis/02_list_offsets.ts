/**
 * ListOffsets (key 2), versions 1-3.
 * v1: single offset + timestamp per partition (v0's multi-offset form is not offered).
 * v2: isolation_level (latest = LSO for read_committed), throttle_time_ms. v3: same as v2.
 * Timestamps: -1 latest, -2 earliest (log start), >= 0 first offset with timestamp >= t (none => -1).
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import type { Api } from './api.js';

export const listOffsets: Api = {
  key: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 3,
  flexibleFrom: 6,
  request: [
    f('replica_id', 'i32'),
    f('isolation_level', 'i8', { min: 2 }),
    f('topics', arr([f('name', 'string'), f('partitions', arr([f('partition_index', 'i32'), f('timestamp', 'i64')]))])),
  ],
  response: [
    f('throttle_time_ms', 'i32', { min: 2 }),
    f('topics', arr([
      f('name', 'string'),
      f('partitions', arr([f('partition_index', 'i32'), f('error_code', 'i16'), f('timestamp', 'i64'), f('offset', 'i64')])),
    ])),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const topics: Msg[] = (req.topics as Msg[]).map((t) => ({
      name: t.name,
      partitions: (t.partitions as Msg[]).map((p) => {
        const log = b.logs.log(t.name, p.partition_index);
        if (!log) return { partition_index: p.partition_index, error_code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1n, offset: -1n };
        const ts = Number(p.timestamp);
        let offset: number;
        let timestamp = -1;
        if (ts === -1) offset = req.isolation_level === 1 ? log.lastStableOffset : log.highWatermark;
        else if (ts === -2) offset = log.logStartOffset;
        else if (ts < 0) return { partition_index: p.partition_index, error_code: ErrorCode.UNSUPPORTED_VERSION, timestamp: -1n, offset: -1n };
        else ({ offset, timestamp } = log.offsetForTimestamp(ts));
        return { partition_index: p.partition_index, error_code: 0, timestamp: BigInt(timestamp), offset: BigInt(offset) };
      }),
    }));
    return { throttle_time_ms: 0, topics };
  },
};
