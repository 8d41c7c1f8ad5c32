/**
 * IncrementalAlterConfigs (key 44), versions 0-1 (v1: flexible). Per-key SET (0), DELETE (1), APPEND (2) and
 * SUBTRACT (3) on a topic's overrides; list operations apply to comma-separated values (cleanup.policy).
 * Used by Java Admin.incrementalAlterConfigs and kafka-configs.sh.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import { TOPIC_CONFIG_DEFAULTS, validateTopicConfig } from '../storage/topic-config.js';
import type { Api } from './api.js';

export const incrementalAlterConfigs: Api = {
  key: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 1,
  request: [
    f('resources', arr([
      f('resource_type', 'i8'),
      f('resource_name', 'string'),
      f('configs', arr([f('name', 'string'), f('config_operation', 'i8'), f('value', 'string', { nullable: 0 })])),
    ])),
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
      const fail = (code: number, msg: string): Msg => ({ ...base, error_code: code, error_message: msg });
      if (r.resource_type !== 2) return fail(ErrorCode.INVALID_REQUEST, 'Only topic configs can be altered on this broker');
      const topic = b.logs.topics.get(r.resource_name);
      if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${r.resource_name} does not exist`);
      const next: Record<string, string> = { ...topic.configs };
      for (const c of r.configs as Msg[]) {
        const name: string = c.name;
        const current = (next[name] ?? b.logs.configOf(topic)[name] ?? TOPIC_CONFIG_DEFAULTS[name] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
        const items = (c.value ?? '').split(',').map((x: string) => x.trim()).filter(Boolean);
        let value: string | null;
        switch (c.config_operation) {
          case 0: value = c.value; break;
          case 1: value = null; break;
          case 2: value = [...current, ...items.filter((i: string) => !current.includes(i))].join(','); break;
          case 3: value = current.filter((i) => !items.includes(i)).join(','); break;
          default: return fail(ErrorCode.INVALID_REQUEST, `Unknown config operation ${c.config_operation}`);
        }
        const err = validateTopicConfig(name, value);
        if (err) return fail(ErrorCode.INVALID_CONFIG, err);
        if (value === null) delete next[name];
        else next[name] = value;
      }
      if (!req.validate_only) b.logs.setConfigs(r.resource_name, next);
      return { ...base, error_code: 0, error_message: null };
    });
    return { throttle_time_ms: 0, responses };
  },
};
