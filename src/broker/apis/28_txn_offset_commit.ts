/**
 * TxnOffsetCommit (key 28), versions 0-3. Stages consumer offsets inside a transaction.
 * v1: same. v2: committed_leader_epoch. v3: flexible; generation_id/member_id/group_instance_id (KIP-447,
 * required by Kafka Streams exactly_once_v2) so zombie group members are fenced.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import type { Api } from './api.js';

export const txnOffsetCommit: Api = {
  key: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 3,
  request: [
    f('transactional_id', 'string'),
    f('group_id', 'string'),
    f('producer_id', 'i64'),
    f('producer_epoch', 'i16'),
    f('generation_id', 'i32', { min: 3, default: -1 }),
    f('member_id', 'string', { min: 3 }),
    f('group_instance_id', 'string', { min: 3, nullable: 3 }),
    f('topics', arr([
      f('name', 'string'),
      f('partitions', arr([
        f('partition_index', 'i32'),
        f('committed_offset', 'i64'),
        f('committed_leader_epoch', 'i32', { min: 2, default: -1 }),
        f('committed_metadata', 'string', { nullable: 0 }),
      ])),
    ])),
  ],
  response: [
    f('throttle_time_ms', 'i32'),
    f('topics', arr([f('name', 'string'), f('partitions', arr([f('partition_index', 'i32'), f('error_code', 'i16')]))])),
  ],
  handle(req, ctx) {
    const offsets = (req.topics as Msg[]).flatMap((t) =>
      (t.partitions as Msg[]).map((p) => ({ topic: t.name as string, partition: p.partition_index as number, offset: Number(p.committed_offset), metadata: p.committed_metadata as string | null })),
    );
    const codes = ctx.broker.txns.txnOffsetCommit(
      req.transactional_id, req.group_id, req.producer_id, req.producer_epoch,
      { generation: req.generation_id, memberId: req.member_id ?? '', instanceId: req.group_instance_id ?? null },
      offsets,
    );
    const topics = (req.topics as Msg[]).map((t) => ({
      name: t.name,
      partitions: (t.partitions as Msg[]).map((p) => ({ partition_index: p.partition_index, error_code: codes.get(`${t.name}:${p.partition_index}`) ?? 0 })),
    }));
    return { throttle_time_ms: 0, topics };
  },
};
