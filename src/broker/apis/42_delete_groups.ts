/** DeleteGroups (key 42), versions 0-1 (v1: same bytes). Only empty groups can be deleted (else NON_EMPTY_GROUP). */
import { f, arr } from '../protocol/schema.js';
import type { Api } from './api.js';

export const deleteGroups: Api = {
  key: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  request: [f('groups_names', arr('string'))],
  response: [f('throttle_time_ms', 'i32'), f('results', arr([f('group_id', 'string'), f('error_code', 'i16')]))],
  handle(req, ctx) {
    return { throttle_time_ms: 0, results: (req.groups_names as string[]).map((g) => ({ group_id: g, error_code: ctx.broker.groups.deleteGroup(g) })) };
  },
};
