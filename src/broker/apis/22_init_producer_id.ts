/**
 * InitProducerId (key 22), versions 0-4. Hands out producer ids for idempotent producers and (with a
 * transactional_id) fences older epochs of the same transactional producer, aborting its open transaction.
 * v1: same as v0. v2: flexible. v3: producer_id/producer_epoch in the request (KIP-360 epoch bump).
 * v4: same as v3 (PRODUCER_FENCED may be returned).
 */
import { f } from '../protocol/schema.js';
import type { Api } from './api.js';

export const initProducerId: Api = {
  key: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 2,
  request: [
    f('transactional_id', 'string', { nullable: 0 }),
    f('transaction_timeout_ms', 'i32'),
    f('producer_id', 'i64', { min: 3, default: -1n }),
    f('producer_epoch', 'i16', { min: 3, default: -1 }),
  ],
  response: [f('throttle_time_ms', 'i32'), f('error_code', 'i16'), f('producer_id', 'i64'), f('producer_epoch', 'i16')],
  handle(req, ctx) {
    const r = ctx.broker.txns.initProducerId(req.transactional_id, req.transaction_timeout_ms, req.producer_id, req.producer_epoch);
    // PRODUCER_FENCED (90) is only understood from v4 on; older clients get INVALID_PRODUCER_EPOCH.
    const errorCode = r.errorCode === 90 && ctx.apiVersion < 4 ? 47 : r.errorCode;
    return { throttle_time_ms: 0, error_code: errorCode, producer_id: r.producerId, producer_epoch: r.epoch };
  },
};
