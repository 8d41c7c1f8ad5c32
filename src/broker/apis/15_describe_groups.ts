/**
 * DescribeGroups (key 15), versions 0-2. v1: throttle_time_ms. v2: same.
 * Unknown groups are reported as state "Dead" with no error, as Kafka does.
 */
import { f, arr } from '../protocol/schema.js';
import type { Api } from './api.js';

export const describeGroups: Api = {
  key: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 5,
  request: [f('groups', arr('string'))],
  response: [
    f('throttle_time_ms', 'i32', { min: 1 }),
    f('groups', arr([
      f('error_code', 'i16'),
      f('group_id', 'string'),
      f('group_state', 'string'),
      f('protocol_type', 'string'),
      f('protocol_data', 'string'),
      f('members', arr([
        f('member_id', 'string'),
        f('client_id', 'string'),
        f('client_host', 'string'),
        f('member_metadata', 'bytes'),
        f('member_assignment', 'bytes'),
      ])),
    ])),
  ],
  handle(req, ctx) {
    const groups = (req.groups as string[]).map((id) => {
      const g = ctx.broker.groups.describe(id).group;
      if (!g) return { error_code: 0, group_id: id, group_state: 'Dead', protocol_type: '', protocol_data: '', members: [] };
      const stable = g.state === 'Stable';
      return {
        error_code: 0,
        group_id: id,
        group_state: g.state,
        protocol_type: g.protocolType ?? '',
        protocol_data: stable ? g.protocolName ?? '' : '',
        members: [...g.members.values()].map((m) => ({
          member_id: m.memberId,
          client_id: m.clientId,
          client_host: m.clientHost,
          member_metadata: stable ? m.protocols.find((p) => p.name === g.protocolName)?.metadata ?? Buffer.alloc(0) : Buffer.alloc(0),
          member_assignment: stable ? m.assignment : Buffer.alloc(0),
        })),
      };
    });
    return { throttle_time_ms: 0, groups };
  },
};
