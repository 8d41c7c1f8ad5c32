/** ListGroups (key 16), versions 0-2. v1: throttle_time_ms. v2: same. */
import { f, arr } from '../protocol/schema.js';
import type { Api } from './api.js';

export const listGroups: Api = {
  key: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 3,
  request: [],
  response: [
    f('throttle_time_ms', 'i32', { min: 1 }),
    f('error_code', 'i16'),
    f('groups', arr([f('group_id', 'string'), f('protocol_type', 'string')])),
  ],
  handle(_req, ctx) {
    const groups = [...ctx.broker.groups.groups.values()].map((g) => ({ group_id: g.groupId, protocol_type: g.protocolType ?? '' }));
    return { throttle_time_ms: 0, error_code: 0, groups };
  },
};
