/**
 * DeleteRecords (key 21), versions 0-1 (v1: same bytes). Moves a partition's log start offset forward
 * (offset -1 = high watermark); whole segments below it are removed.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import type { Api } from './api.js';

export const deleteRecords: Api = {
  key: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  request: [f('topics', arr([f('name', 'string'), f('partitions', arr([f('partition_index', 'i32'), f('offset', 'i64')]))])), f('timeout_ms', 'i32')],
  response: [
    f('throttle_time_ms', 'i32'),
    f('topics', arr([f('name', 'string'), f('partitions', arr([f('partition_index', 'i32'), f('low_watermark', 'i64'), f('error_code', 'i16')]))])),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const topics = (req.topics as Msg[]).map((t) => ({
      name: t.name,
      partitions: (t.partitions as Msg[]).map((p) => {
        const log = b.logs.log(t.name, p.partition_index);
        if (!log) return { partition_index: p.partition_index, low_watermark: -1n, error_code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        const offset = p.offset === -1n ? log.highWatermark : Number(p.offset);
        if (offset < 0 || offset > log.highWatermark) return { partition_index: p.partition_index, low_watermark: BigInt(log.logStartOffset), error_code: ErrorCode.OFFSET_OUT_OF_RANGE };
        return { partition_index: p.partition_index, low_watermark: BigInt(log.deleteRecordsBefore(offset)), error_code: 0 };
      }),
    }));
    return { throttle_time_ms: 0, topics };
  },
};
