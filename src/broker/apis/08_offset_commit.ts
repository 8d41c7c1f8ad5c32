/**
 * OffsetCommit (key 8), versions 2-5 (Java 4 requires min <= 2; kafkajs/librdkafka/Java use 5).
 * v2: retention_time_ms (ignored: offsets are kept until the group is deleted). v3: throttle_time_ms.
 * v4: same. v5: retention_time_ms removed.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import type { Api } from './api.js';

export const offsetCommit: Api = {
  key: 8,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 5,
  flexibleFrom: 8,
  request: [
    f('group_id', 'string'),
    f('generation_id', 'i32', { min: 1, default: -1 }),
    f('member_id', 'string', { min: 1 }),
    f('retention_time_ms', 'i64', { min: 2, max: 4, default: -1n }),
    f('topics', arr([
      f('name', 'string'),
      f('partitions', arr([f('partition_index', 'i32'), f('committed_offset', 'i64'), f('committed_metadata', 'string', { nullable: 0 })])),
    ])),
  ],
  response: [
    f('throttle_time_ms', 'i32', { min: 3 }),
    f('topics', arr([f('name', 'string'), f('partitions', arr([f('partition_index', 'i32'), f('error_code', 'i16')]))])),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const groupError = req.group_id ? b.groups.checkCommit(req.group_id, req.member_id, req.generation_id, null) : ErrorCode.INVALID_GROUP_ID;
    const now = Date.now();
    const topics = (req.topics as Msg[]).map((t) => ({
      name: t.name,
      partitions: (t.partitions as Msg[]).map((p) => {
        let error_code: number = groupError;
        if (!error_code && !b.logs.log(t.name, p.partition_index)) error_code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        if (!error_code && (p.committed_metadata?.length ?? 0) > 4096) error_code = 12; // OFFSET_METADATA_TOO_LARGE
        if (!error_code) {
          b.groups.commit(req.group_id, t.name, p.partition_index, { offset: Number(p.committed_offset), metadata: p.committed_metadata, commitTimestamp: now, leaderEpoch: -1 });
        }
        return { partition_index: p.partition_index, error_code };
      }),
    }));
    return { throttle_time_ms: 0, topics };
  },
};
