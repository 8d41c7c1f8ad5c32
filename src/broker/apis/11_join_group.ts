/**
 * JoinGroup (key 11), versions 0-5.
 * v1: rebalance_timeout_ms (v0: = session timeout). v2: throttle_time_ms. v3: same.
 * v4: KIP-394 — an empty member_id gets MEMBER_ID_REQUIRED with a generated id to rejoin with.
 * v5: group_instance_id (static membership) in request and member list.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import type { Api } from './api.js';

export const joinGroup: Api = {
  key: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 6,
  request: [
    f('group_id', 'string'),
    f('session_timeout_ms', 'i32'),
    f('rebalance_timeout_ms', 'i32', { min: 1, default: -1 }),
    f('member_id', 'string'),
    f('group_instance_id', 'string', { min: 5, nullable: 5 }),
    f('protocol_type', 'string'),
    f('protocols', arr([f('name', 'string'), f('metadata', 'bytes')])),
  ],
  response: [
    f('throttle_time_ms', 'i32', { min: 2 }),
    f('error_code', 'i16'),
    f('generation_id', 'i32'),
    f('protocol_name', 'string'),
    f('leader', 'string'),
    f('member_id', 'string'),
    f('members', arr([f('member_id', 'string'), f('group_instance_id', 'string', { min: 5, nullable: 5 }), f('metadata', 'bytes')])),
  ],
  async handle(req, ctx) {
    const r = await ctx.broker.groups.join({
      groupId: req.group_id,
      memberId: req.member_id,
      groupInstanceId: req.group_instance_id ?? null,
      sessionTimeoutMs: req.session_timeout_ms,
      rebalanceTimeoutMs: req.rebalance_timeout_ms >= 0 ? req.rebalance_timeout_ms : req.session_timeout_ms,
      protocolType: req.protocol_type,
      protocols: (req.protocols as Msg[]).map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata ?? Buffer.alloc(0)) })),
      clientId: ctx.clientId ?? '',
      clientHost: ctx.clientHost,
      requireKnownMemberId: ctx.apiVersion >= 4,
    });
    return {
      throttle_time_ms: 0,
      error_code: r.errorCode,
      generation_id: r.generationId,
      protocol_name: r.protocolName ?? '',
      leader: r.leader,
      member_id: r.memberId,
      members: r.members.map((m) => ({ member_id: m.memberId, group_instance_id: m.groupInstanceId, metadata: m.metadata })),
    };
  },
};
