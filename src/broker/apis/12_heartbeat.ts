/**
 * Heartbeat (key 12), versions 0-3. REBALANCE_IN_PROGRESS tells members to rejoin.
 * v1: throttle_time_ms. v2: same. v3: group_instance_id.
 */
import { f } from '../protocol/schema.js';
import type { Api } from './api.js';

export const heartbeat: Api = {
  key: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 4,
  request: [
    f('group_id', 'string'),
    f('generation_id', 'i32'),
    f('member_id', 'string'),
    f('group_instance_id', 'string', { min: 3, nullable: 3 }),
  ],
  response: [f('throttle_time_ms', 'i32', { min: 1 }), f('error_code', 'i16')],
  handle(req, ctx) {
    return { throttle_time_ms: 0, error_code: ctx.broker.groups.heartbeat(req.group_id, req.member_id, req.generation_id, req.group_instance_id ?? null) };
  },
};
