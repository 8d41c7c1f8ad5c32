/**
 * SyncGroup (key 14), versions 0-3. The leader's assignments are handed to every member; followers wait.
 * v1: throttle_time_ms. v2: same. v3: group_instance_id.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import type { Api } from './api.js';

export const syncGroup: Api = {
  key: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 4,
  request: [
    f('group_id', 'string'),
    f('generation_id', 'i32'),
    f('member_id', 'string'),
    f('group_instance_id', 'string', { min: 3, nullable: 3 }),
    f('assignments', arr([f('member_id', 'string'), f('assignment', 'bytes')])),
  ],
  response: [f('throttle_time_ms', 'i32', { min: 1 }), f('error_code', 'i16'), f('assignment', 'bytes')],
  async handle(req, ctx) {
    const r = await ctx.broker.groups.sync(
      req.group_id,
      req.member_id,
      req.generation_id,
      req.group_instance_id ?? null,
      (req.assignments as Msg[]).map((a) => ({ memberId: a.member_id, assignment: Buffer.from(a.assignment ?? Buffer.alloc(0)) })),
    );
    return { throttle_time_ms: 0, error_code: r.errorCode, assignment: r.assignment };
  },
};
