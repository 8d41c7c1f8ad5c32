/**
 * FindCoordinator (key 10), versions 0-2 (v0 must stay advertised: librdkafka < 2.11.1 enables consumer groups
 * only when it is). v1: key_type (0 group, 1 transaction), throttle_time_ms, error_message. v2: same as v1.
 * A single node is coordinator for every group and transactional id.
 */
import { f } from '../protocol/schema.js';
import type { Api } from './api.js';

export const findCoordinator: Api = {
  key: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 3,
  request: [f('key', 'string'), f('key_type', 'i8', { min: 1 })],
  response: [
    f('throttle_time_ms', 'i32', { min: 1 }),
    f('error_code', 'i16'),
    f('error_message', 'string', { min: 1, nullable: 1 }),
    f('node_id', 'i32'),
    f('host', 'string'),
    f('port', 'i32'),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    if (req.key_type !== 0 && req.key_type !== 1) {
      return { throttle_time_ms: 0, error_code: 42, error_message: `Unknown coordinator type ${req.key_type}`, node_id: -1, host: '', port: -1 };
    }
    return { throttle_time_ms: 0, error_code: 0, error_message: null, node_id: b.nodeId, host: b.advertisedHost, port: b.advertisedPort };
  },
};
