/**
 * Produce (key 0), versions 0-7 advertised; v0-2 (message sets of magic 0/1) are answered with
 * UNSUPPORTED_VERSION per partition, as Kafka 4.0 does (librdkafka < 2.11.1 only enables compression when the
 * advertised range contains v0).
 * v1: throttle_time_ms. v2: log_append_time_ms. v3: transactional_id, magic-2 batches only.
 * v4: same as v3. v5: log_start_offset. v6: same as v5. v7: zstd allowed (records may be zstd-compressed).
 * acks=0 requests get no response at all.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import type { Api } from './api.js';

export const produce: Api = {
  key: 0,
  name: 'Produce',
  minVersion: 0,
  maxVersion: 7,
  flexibleFrom: 9,
  request: [
    f('transactional_id', 'string', { min: 3, nullable: 3 }),
    f('acks', 'i16'),
    f('timeout_ms', 'i32'),
    f('topic_data', arr([f('name', 'string'), f('partition_data', arr([f('index', 'i32'), f('records', 'records')]))])),
  ],
  response: [
    f('responses', arr([
      f('name', 'string'),
      f('partition_responses', arr([
        f('index', 'i32'),
        f('error_code', 'i16'),
        f('base_offset', 'i64'),
        f('log_append_time_ms', 'i64', { min: 2, default: -1n }),
        f('log_start_offset', 'i64', { min: 5, default: -1n }),
      ])),
    ])),
    f('throttle_time_ms', 'i32', { min: 1 }),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const v = ctx.apiVersion;
    const acks: number = req.acks;
    const responses: Msg[] = [];
    for (const t of req.topic_data as Msg[]) {
      const partition_responses: Msg[] = [];
      for (const p of t.partition_data as Msg[]) {
        const fail = (code: number): void => { partition_responses.push({ index: p.index, error_code: code, base_offset: -1n }); };
        if (v < 3) { fail(ErrorCode.UNSUPPORTED_VERSION); continue; }
        if (acks !== 0 && acks !== 1 && acks !== -1) { fail(ErrorCode.INVALID_REQUIRED_ACKS); continue; }
        const result = b.appendRecords(t.name, p.index, p.records, req.transactional_id, v);
        partition_responses.push({
          index: p.index,
          error_code: result.errorCode,
          base_offset: BigInt(result.baseOffset),
          log_append_time_ms: BigInt(result.logAppendTime),
          log_start_offset: BigInt(result.logStartOffset),
        });
      }
      responses.push({ name: t.name, partition_responses });
    }
    if (acks === 0) return null;
    return { responses, throttle_time_ms: 0 };
  },
};
