/**
 * CreateTopics (key 19), versions 0-4.
 * v1: validate_only, error_message. v2: throttle_time_ms. v3: same as v2. v4: same bytes; allows -1 for
 * num_partitions/replication_factor (broker defaults) — accepted at every version because kafkajs sends -1.
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import { topicNameError } from '../storage/log-manager.js';
import { validateTopicConfig } from '../storage/topic-config.js';
import type { Api } from './api.js';

export const createTopics: Api = {
  key: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 5,
  request: [
    f('topics', arr([
      f('name', 'string'),
      f('num_partitions', 'i32'),
      f('replication_factor', 'i16'),
      f('assignments', arr([f('partition_index', 'i32'), f('broker_ids', arr('i32'))])),
      f('configs', arr([f('name', 'string'), f('value', 'string', { nullable: 0 })])),
    ])),
    f('timeout_ms', 'i32'),
    f('validate_only', 'bool', { min: 1 }),
  ],
  response: [
    f('throttle_time_ms', 'i32', { min: 2 }),
    f('topics', arr([f('name', 'string'), f('error_code', 'i16'), f('error_message', 'string', { min: 1, nullable: 0 })])),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const seen = new Set<string>();
    const topics: Msg[] = [];
    for (const t of req.topics as Msg[]) {
      const err = (code: number, message: string): void => { topics.push({ name: t.name, error_code: code, error_message: message }); };
      if (seen.has(t.name)) { err(ErrorCode.INVALID_REQUEST, `Create topics request from client contains duplicate topic ${t.name}`); continue; }
      seen.add(t.name);
      const bad = topicNameError(t.name);
      if (bad) { err(ErrorCode.INVALID_TOPIC_EXCEPTION, bad); continue; }
      if (b.logs.topics.has(t.name)) { err(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`); continue; }
      let partitions: number = t.num_partitions;
      if (t.assignments.length > 0) {
        if (partitions !== -1 || t.replication_factor !== -1) { err(ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.'); continue; }
        if (t.assignments.some((a: Msg) => a.broker_ids.some((id: number) => id !== b.nodeId))) { err(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Unknown broker in replica assignment'); continue; }
        partitions = t.assignments.length;
      }
      if (partitions === -1) partitions = b.options.defaultPartitions;
      if (partitions <= 0 || partitions > 100000) { err(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.'); continue; }
      if (t.replication_factor !== -1 && t.replication_factor !== 1) {
        err(ErrorCode.INVALID_REPLICATION_FACTOR, t.replication_factor <= 0 ? 'Replication factor must be larger than 0.' : `Replication factor: ${t.replication_factor} larger than available brokers: 1.`);
        continue;
      }
      const configs: Record<string, string> = {};
      let configError: string | null = null;
      for (const c of t.configs as Msg[]) {
        configError = validateTopicConfig(c.name, c.value);
        if (configError) break;
        if (c.value !== null) configs[c.name] = c.value;
      }
      if (configError) { err(ErrorCode.INVALID_CONFIG, configError); continue; }
      if (!req.validate_only) b.createTopic(t.name, partitions, configs);
      topics.push({ name: t.name, error_code: 0, error_message: null });
    }
    return { throttle_time_ms: 0, topics };
  },
};
