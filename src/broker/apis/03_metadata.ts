/**
 * Metadata (key 3), versions 0-6. The broker names itself leader/replica/ISR of every partition.
 * v1: topics null = all topics ([] = none; in v0 [] = all), rack, controller_id, is_internal.
 * v2: cluster_id. v3: throttle_time_ms. v4: allow_auto_topic_creation. v5: offline_replicas.
 * v6: same as v5. (v7+ would add leader epochs, which make clients validate positions: not advertised.)
 */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import { topicNameError } from '../storage/log-manager.js';
import type { Api } from './api.js';

export const metadata: Api = {
  key: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 6,
  flexibleFrom: 9,
  request: [
    f('topics', arr([f('name', 'string')]), { nullable: 1 }),
    f('allow_auto_topic_creation', 'bool', { min: 4, default: true }),
  ],
  response: [
    f('throttle_time_ms', 'i32', { min: 3 }),
    f('brokers', arr([f('node_id', 'i32'), f('host', 'string'), f('port', 'i32'), f('rack', 'string', { min: 1, nullable: 1 })])),
    f('cluster_id', 'string', { min: 2, nullable: 2 }),
    f('controller_id', 'i32', { min: 1 }),
    f('topics', arr([
      f('error_code', 'i16'),
      f('name', 'string'),
      f('is_internal', 'bool', { min: 1 }),
      f('partitions', arr([
        f('error_code', 'i16'),
        f('partition_index', 'i32'),
        f('leader_id', 'i32'),
        f('replica_nodes', arr('i32')),
        f('isr_nodes', arr('i32')),
        f('offline_replicas', arr('i32'), { min: 5 }),
      ])),
    ])),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const v = ctx.apiVersion;
    const requested: { name: string }[] | null = req.topics;
    const all = requested === null || (v === 0 && requested.length === 0);
    const names = all ? [...b.logs.topics.keys()].sort() : requested!.map((t) => t.name);
    const topics: Msg[] = [];
    for (const name of names) {
      let topic = b.logs.topics.get(name);
      if (!topic) {
        const invalid = topicNameError(name);
        if (invalid) {
          topics.push({ error_code: ErrorCode.INVALID_TOPIC_EXCEPTION, name, partitions: [] });
          continue;
        }
        if (b.options.autoCreateTopics && req.allow_auto_topic_creation !== false) {
          topic = b.createTopic(name, -1, {});
        } else {
          topics.push({ error_code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] });
          continue;
        }
      }
      topics.push({
        error_code: 0,
        name,
        is_internal: false,
        partitions: topic.logs.map((_, i) => ({
          error_code: 0,
          partition_index: i,
          leader_id: b.nodeId,
          replica_nodes: [b.nodeId],
          isr_nodes: [b.nodeId],
          offline_replicas: [],
        })),
      });
    }
    return {
      throttle_time_ms: 0,
      brokers: [{ node_id: b.nodeId, host: b.advertisedHost, port: b.advertisedPort, rack: null }],
      cluster_id: b.clusterId,
      controller_id: b.nodeId,
      topics,
    };
  },
};
