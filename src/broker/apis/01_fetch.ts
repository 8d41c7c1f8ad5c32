/**
 * Fetch (key 1), versions 4-11, with long polling: the request is parked until min_bytes are available or
 * max_wait_ms expires (the connection answers strictly in order, like Kafka's muted channel).
 * v4: isolation_level, last_stable_offset, aborted_transactions. v5: log_start_offset. v6: same.
 * v7: fetch sessions (always answered with session_id 0 = no session, so clients send full fetches).
 * v8: same. v9: current_leader_epoch (accept -1 and 0). v10: zstd. v11: rack_id, preferred_read_replica.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import type { Api } from './api.js';
import type { Broker } from '../broker.js';

export const fetch: Api = {
  key: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 11,
  flexibleFrom: 12,
  request: [
    f('replica_id', 'i32'),
    f('max_wait_ms', 'i32'),
    f('min_bytes', 'i32'),
    f('max_bytes', 'i32', { min: 3, default: 0x7fffffff }),
    f('isolation_level', 'i8', { min: 4 }),
    f('session_id', 'i32', { min: 7 }),
    f('session_epoch', 'i32', { min: 7, default: -1 }),
    f('topics', arr([
      f('topic', 'string'),
      f('partitions', arr([
        f('partition', 'i32'),
        f('current_leader_epoch', 'i32', { min: 9, default: -1 }),
        f('fetch_offset', 'i64'),
        f('log_start_offset', 'i64', { min: 5, default: -1n }),
        f('partition_max_bytes', 'i32'),
      ])),
    ])),
    f('forgotten_topics_data', arr([f('topic', 'string'), f('partitions', arr('i32'))]), { min: 7 }),
    f('rack_id', 'string', { min: 11 }),
  ],
  response: [
    f('throttle_time_ms', 'i32', { min: 1 }),
    f('error_code', 'i16', { min: 7 }),
    f('session_id', 'i32', { min: 7 }),
    f('responses', arr([
      f('topic', 'string'),
      f('partitions', arr([
        f('partition_index', 'i32'),
        f('error_code', 'i16'),
        f('high_watermark', 'i64'),
        f('last_stable_offset', 'i64', { min: 4, default: -1n }),
        f('log_start_offset', 'i64', { min: 5, default: -1n }),
        f('aborted_transactions', arr([f('producer_id', 'i64'), f('first_offset', 'i64')]), { min: 4, nullable: 4 }),
        f('preferred_read_replica', 'i32', { min: 11, default: -1 }),
        f('records', 'records'),
      ])),
    ])),
  ],
  async handle(req, ctx) {
    const b = ctx.broker;
    const deadline = Date.now() + Math.max(0, req.max_wait_ms);
    let closed = false;
    void ctx.closed.then(() => { closed = true; });
    for (;;) {
      const { body, bytes, errored } = collect(b, req);
      const remaining = deadline - Date.now();
      if (bytes >= Math.max(1, req.min_bytes) || errored || remaining <= 0 || closed || b.closing || body.responses.length === 0) return body;
      await b.waitForAppend(remaining, ctx.closed);
    }
  },
};

function collect(b: Broker, req: Msg): { body: Msg; bytes: number; errored: boolean } {
  let budget: number = req.max_bytes > 0 ? req.max_bytes : 0x7fffffff;
  let bytes = 0;
  let errored = false;
  const readCommitted = req.isolation_level === 1;
  const responses: Msg[] = [];
  for (const t of req.topics as Msg[]) {
    const partitions: Msg[] = [];
    for (const p of t.partitions as Msg[]) {
      const log = b.logs.log(t.topic, p.partition);
      const base = { partition_index: p.partition, high_watermark: -1n, last_stable_offset: -1n, log_start_offset: -1n, aborted_transactions: null, records: null };
      if (!log) { partitions.push({ ...base, error_code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }); errored = true; continue; }
      if (p.current_leader_epoch > 0) { partitions.push({ ...base, error_code: ErrorCode.UNKNOWN_LEADER_EPOCH }); errored = true; continue; }
      const hw = log.highWatermark;
      const lso = log.lastStableOffset;
      const offset = Number(p.fetch_offset);
      const info = { partition_index: p.partition, high_watermark: BigInt(hw), last_stable_offset: BigInt(lso), log_start_offset: BigInt(log.logStartOffset), preferred_read_replica: -1 };
      if (offset < log.logStartOffset || offset > hw) {
        partitions.push({ ...info, error_code: ErrorCode.OFFSET_OUT_OF_RANGE, aborted_transactions: null, records: null });
        errored = true;
        continue;
      }
      const upTo = readCommitted ? lso : hw;
      const limit = Math.min(p.partition_max_bytes > 0 ? p.partition_max_bytes : 0, bytes === 0 ? Math.max(budget, 1) : budget);
      const records = limit > 0 ? log.read(offset, limit, upTo) : Buffer.alloc(0);
      bytes += records.length;
      budget -= records.length;
      const aborted = readCommitted
        ? log.abortedIn(offset, upTo).map((a) => ({ producer_id: a.producerId, first_offset: BigInt(a.firstOffset) }))
        : null;
      partitions.push({ ...info, error_code: 0, aborted_transactions: aborted, records });
    }
    responses.push({ topic: t.topic, partitions });
  }
  return { body: { throttle_time_ms: 0, error_code: 0, session_id: 0, responses }, bytes, errored };
}
