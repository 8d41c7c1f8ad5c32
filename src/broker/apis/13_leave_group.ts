/**
 * LeaveGroup (key 13), versions 0-3.
 * v1: throttle_time_ms. v2: same. v3: batch of (member_id, group_instance_id) with per-member errors.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import type { Api } from './api.js';

export const leaveGroup: Api = {
  key: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 4,
  request: [
    f('group_id', 'string'),
    f('member_id', 'string', { max: 2 }),
    f('members', arr([f('member_id', 'string'), f('group_instance_id', 'string', { nullable: 3 })]), { min: 3 }),
  ],
  response: [
    f('throttle_time_ms', 'i32', { min: 1 }),
    f('error_code', 'i16'),
    f('members', arr([f('member_id', 'string'), f('group_instance_id', 'string', { nullable: 3 }), f('error_code', 'i16')]), { min: 3 }),
  ],
  handle(req, ctx) {
    const groups = ctx.broker.groups;
    if (ctx.apiVersion < 3) return { throttle_time_ms: 0, error_code: groups.leave(req.group_id, req.member_id, null) };
    const members = (req.members as Msg[]).map((m) => ({
      member_id: m.member_id,
      group_instance_id: m.group_instance_id,
      error_code: groups.leave(req.group_id, m.member_id, m.group_instance_id ?? null),
    }));
    return { throttle_time_ms: 0, error_code: 0, members };
  },
};
