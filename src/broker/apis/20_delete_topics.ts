/**
 * DeleteTopics (key 20), versions 0-3. v1: throttle_time_ms. v2: same. v3: same bytes (Java 3.9 uses it).
 * Deleting a topic removes its logs and the committed offsets groups held for it.
 */
import { f, arr } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import type { Api } from './api.js';

export const deleteTopics: Api = {
  key: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 4,
  request: [f('topic_names', arr('string')), f('timeout_ms', 'i32')],
  response: [f('throttle_time_ms', 'i32', { min: 1 }), f('responses', arr([f('name', 'string'), f('error_code', 'i16')]))],
  handle(req, ctx) {
    const b = ctx.broker;
    const responses = (req.topic_names as string[]).map((name) => {
      if (!b.logs.delete(name)) return { name, error_code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      b.groups.forgetTopic(name);
      b.options.logger.info(`deleted topic ${name}`);
      return { name, error_code: 0 };
    });
    return { throttle_time_ms: 0, responses };
  },
};
