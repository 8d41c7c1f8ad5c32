/**
 * DescribeConfigs (key 32), versions 0-2. Topic resources (type 2) list every known topic config with its
 * effective value; broker resources (type 4) list the broker-level settings that exist here.
 * v1: include_synonyms, config_source (replaces is_default), synonyms. v2: same as v1.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import type { Api } from './api.js';

const TOPIC = 2;
const BROKER = 4;
const SOURCE_DYNAMIC_TOPIC = 1;
const SOURCE_STATIC_BROKER = 4;
const SOURCE_DEFAULT = 5;

export const describeConfigs: Api = {
  key: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 4,
  request: [
    f('resources', arr([f('resource_type', 'i8'), f('resource_name', 'string'), f('configuration_keys', arr('string'), { nullable: 0 })])),
    f('include_synonyms', 'bool', { min: 1 }),
  ],
  response: [
    f('throttle_time_ms', 'i32'),
    f('results', arr([
      f('error_code', 'i16'),
      f('error_message', 'string', { nullable: 0 }),
      f('resource_type', 'i8'),
      f('resource_name', 'string'),
      f('configs', arr([
        f('name', 'string'),
        f('value', 'string', { nullable: 0 }),
        f('read_only', 'bool'),
        f('is_default', 'bool', { max: 0 }),
        f('config_source', 'i8', { min: 1, default: -1 }),
        f('is_sensitive', 'bool'),
        f('synonyms', arr([f('name', 'string'), f('value', 'string', { nullable: 0 }), f('source', 'i8')]), { min: 1 }),
      ])),
    ])),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const results = (req.resources as Msg[]).map((r) => {
      const keys: string[] | null = r.configuration_keys;
      const base = { resource_type: r.resource_type, resource_name: r.resource_name };
      let entries: { name: string; value: string; source: number; readOnly: boolean }[];
      if (r.resource_type === TOPIC) {
        const topic = b.logs.topics.get(r.resource_name);
        if (!topic) return { ...base, error_code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, error_message: `Topic ${r.resource_name} does not exist`, configs: [] };
        const eff = b.logs.configOf(topic);
        entries = Object.keys(eff).sort().map((name) => ({
          name,
          value: eff[name]!,
          source: name in topic.configs ? SOURCE_DYNAMIC_TOPIC : name in b.options.topicDefaults ? SOURCE_STATIC_BROKER : SOURCE_DEFAULT,
          readOnly: false,
        }));
      } else if (r.resource_type === BROKER) {
        if (r.resource_name !== '' && r.resource_name !== String(b.nodeId)) {
          return { ...base, error_code: ErrorCode.INVALID_REQUEST, error_message: `Unexpected broker id, expected ${b.nodeId} but received ${r.resource_name}`, configs: [] };
        }
        const o = b.options;
        const brokerCfg: Record<string, string> = {
          'broker.id': String(b.nodeId),
          'node.id': String(b.nodeId),
          'auto.create.topics.enable': String(o.autoCreateTopics),
          'num.partitions': String(o.defaultPartitions),
          'default.replication.factor': '1',
          'offsets.topic.replication.factor': '1',
          'transaction.state.log.replication.factor': '1',
          'group.initial.rebalance.delay.ms': String(o.groupInitialRebalanceDelayMs),
          'group.min.session.timeout.ms': String(o.groupMinSessionTimeoutMs),
          'group.max.session.timeout.ms': String(o.groupMaxSessionTimeoutMs),
          'socket.request.max.bytes': String(o.maxRequestBytes),
          'log.dirs': o.dataDir,
          'log.flush.interval.ms': o.flushIntervalMs > 0 ? String(o.flushIntervalMs) : '9223372036854775807',
          'log.retention.check.interval.ms': String(o.logCleanupIntervalMs),
          'advertised.listeners': `PLAINTEXT://${b.advertisedHost}:${b.advertisedPort}`,
        };
        entries = Object.keys(brokerCfg).sort().map((name) => ({ name, value: brokerCfg[name]!, source: SOURCE_STATIC_BROKER, readOnly: true }));
      } else {
        return { ...base, error_code: ErrorCode.INVALID_REQUEST, error_message: `Unsupported resource type ${r.resource_type}`, configs: [] };
      }
      const configs = entries
        .filter((e) => keys === null || keys.length === 0 || keys.includes(e.name))
        .map((e) => ({
          name: e.name,
          value: e.value,
          read_only: e.readOnly,
          is_default: e.source === SOURCE_DEFAULT,
          config_source: e.source,
          is_sensitive: false,
          synonyms: req.include_synonyms ? [{ name: e.name, value: e.value, source: e.source }] : [],
        }));
      return { ...base, error_code: 0, error_message: null, configs };
    });
    return { throttle_time_ms: 0, results };
  },
};
