/**
 * EndTxn (key 26), versions 0-3. Commits or aborts: control markers are written to every partition of the
 * transaction and staged offsets are applied (commit) or dropped (abort) before the response.
 * v1: same. v2: same. v3: flexible. (v5 = KIP-890 TV2 is not offered.)
 */
import { f } from '../protocol/schema.js';
import type { Api } from './api.js';

export const endTxn: Api = {
  key: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 3,
  request: [f('transactional_id', 'string'), f('producer_id', 'i64'), f('producer_epoch', 'i16'), f('committed', 'bool')],
  response: [f('throttle_time_ms', 'i32'), f('error_code', 'i16')],
  handle(req, ctx) {
    return { throttle_time_ms: 0, error_code: ctx.broker.txns.endTxn(req.transactional_id, req.producer_id, req.producer_epoch, req.committed) };
  },
};
