/**
 * AddOffsetsToTxn (key 25), versions 0-3. Adds a consumer group to the transaction so TxnOffsetCommit may
 * stage offsets for it. v1: same. v2: same. v3: flexible.
 */
import { f } from '../protocol/schema.js';
import type { Api } from './api.js';

export const addOffsetsToTxn: Api = {
  key: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 3,
  request: [f('transactional_id', 'string'), f('producer_id', 'i64'), f('producer_epoch', 'i16'), f('group_id', 'string')],
  response: [f('throttle_time_ms', 'i32'), f('error_code', 'i16')],
  handle(req, ctx) {
    return { throttle_time_ms: 0, error_code: ctx.broker.txns.addOffsets(req.transactional_id, req.producer_id, req.producer_epoch, req.group_id) };
  },
};
