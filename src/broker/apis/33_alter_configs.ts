/**
 * AlterConfigs (key 33), versions 0-1 (v1: same bytes). Replaces a topic's whole set of overrides, as Kafka's
 * (non-incremental) AlterConfigs does. Broker resources are read-only here.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import { validateTopicConfig } from '../storage/topic-config.js';
import type { Api } from './api.js';

export const alterConfigs: Api = {
  key: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  request: [
    f('resources', arr([f('resource_type', 'i8'), f('resource_name', 'string'), f('configs', arr([f('name', 'string'), f('value', 'string', { nullable: 0 })]))])),
    f('validate_only', 'bool'),
  ],
  response: [
    f('throttle_time_ms', 'i32'),
    f('responses', arr([f('error_code', 'i16'), f('error_message', 'string', { nullable: 0 }), f('resource_type', 'i8'), f('resource_name', 'string')])),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const responses = (req.resources as Msg[]).map((r) => {
      const base = { resource_type: r.resource_type, resource_name: r.resource_name };
      if (r.resource_type !== 2) return { ...base, error_code: ErrorCode.INVALID_REQUEST, error_message: 'Only topic configs can be altered on this broker' };
      if (!b.logs.topics.has(r.resource_name)) return { ...base, error_code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, error_message: `Topic ${r.resource_name} does not exist` };
      const next: Record<string, string> = {};
      for (const c of r.configs as Msg[]) {
        const err = validateTopicConfig(c.name, c.value);
        if (err) return { ...base, error_code: ErrorCode.INVALID_CONFIG, error_message: err };
        if (c.value !== null) next[c.name] = c.value;
      }
      if (!req.validate_only) b.logs.setConfigs(r.resource_name, next);
      return { ...base, error_code: 0, error_message: null };
    });
    return { throttle_time_ms: 0, responses };
  },
};
