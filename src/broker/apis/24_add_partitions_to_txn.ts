/**
 * AddPartitionsToTxn (key 24), versions 0-3. Registers partitions a transactional producer will write to.
 * v1: same as v0 (may return PRODUCER_FENCED semantics as INVALID_PRODUCER_EPOCH). v2: same. v3: flexible.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import type { Api } from './api.js';

export const addPartitionsToTxn: Api = {
  key: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 3,
  request: [
    f('transactional_id', 'string'),
    f('producer_id', 'i64'),
    f('producer_epoch', 'i16'),
    f('topics', arr([f('name', 'string'), f('partitions', arr('i32'))])),
  ],
  response: [
    f('throttle_time_ms', 'i32'),
    f('results', arr([f('name', 'string'), f('results', arr([f('partition_index', 'i32'), f('error_code', 'i16')]))])),
  ],
  handle(req, ctx) {
    const tps = (req.topics as Msg[]).flatMap((t) => (t.partitions as number[]).map((partition) => ({ topic: t.name as string, partition })));
    const codes = ctx.broker.txns.addPartitions(req.transactional_id, req.producer_id, req.producer_epoch, tps);
    const results = (req.topics as Msg[]).map((t) => ({
      name: t.name,
      results: (t.partitions as number[]).map((p) => ({ partition_index: p, error_code: codes.get(`${t.name}:${p}`) ?? 0 })),
    }));
    return { throttle_time_ms: 0, results };
  },
};
