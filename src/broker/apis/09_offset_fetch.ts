/**
 * OffsetFetch (key 9), versions 1-7. Unknown group/partition => offset -1 without error.
 * v2: topics may be null (= all committed partitions), top-level error_code. v3: throttle_time_ms.
 * v4: same. v5: committed_leader_epoch. v6: flexible. v7: require_stable (pending transactional offsets
 * => UNSTABLE_OFFSET_COMMIT, which clients retry).
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import type { Api } from './api.js';

export const offsetFetch: Api = {
  key: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 7,
  flexibleFrom: 6,
  request: [
    f('group_id', 'string'),
    f('topics', arr([f('name', 'string'), f('partition_indexes', arr('i32'))]), { nullable: 2 }),
    f('require_stable', 'bool', { min: 7 }),
  ],
  response: [
    f('throttle_time_ms', 'i32', { min: 3 }),
    f('topics', arr([
      f('name', 'string'),
      f('partitions', arr([
        f('partition_index', 'i32'),
        f('committed_offset', 'i64'),
        f('committed_leader_epoch', 'i32', { min: 5, default: -1 }),
        f('metadata', 'string', { nullable: 0 }),
        f('error_code', 'i16'),
      ])),
    ])),
    f('error_code', 'i16', { min: 2 }),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const groupId: string = req.group_id;
    let wanted: { name: string; partitions: number[] }[];
    if (req.topics === null) {
      const byTopic = new Map<string, number[]>();
      for (const c of b.groups.committedPartitions(groupId)) {
        if (!byTopic.has(c.topic)) byTopic.set(c.topic, []);
        byTopic.get(c.topic)!.push(c.partition);
      }
      wanted = [...byTopic].map(([name, partitions]) => ({ name, partitions: partitions.sort((x, y) => x - y) }));
    } else {
      wanted = (req.topics as Msg[]).map((t) => ({ name: t.name, partitions: t.partition_indexes }));
    }
    const topics = wanted.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (req.require_stable && b.pendingTxnOffset(groupId, t.name, p)) {
          return { partition_index: p, committed_offset: -1n, committed_leader_epoch: -1, metadata: null, error_code: ErrorCode.UNSTABLE_OFFSET_COMMIT };
        }
        const c = b.groups.committed(groupId, t.name, p);
        return { partition_index: p, committed_offset: BigInt(c ? c.offset : -1), committed_leader_epoch: -1, metadata: c ? c.metadata ?? '' : '', error_code: 0 };
      }),
    }));
    return { throttle_time_ms: 0, topics, error_code: 0 };
  },
};
