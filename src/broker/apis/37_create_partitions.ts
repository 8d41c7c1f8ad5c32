/** CreatePartitions (key 37), versions 0-1 (v1: same bytes). Partition counts can only grow. */
import { f, arr, type Msg } from '../protocol/schema.js';
import { ErrorCode } from '../protocol/errors.js';
import type { Api } from './api.js';

export const createPartitions: Api = {
  key: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  request: [
    f('topics', arr([f('name', 'string'), f('count', 'i32'), f('assignments', arr([f('broker_ids', arr('i32'))]), { nullable: 0 })])),
    f('timeout_ms', 'i32'),
    f('validate_only', 'bool'),
  ],
  response: [
    f('throttle_time_ms', 'i32'),
    f('results', arr([f('name', 'string'), f('error_code', 'i16'), f('error_message', 'string', { nullable: 0 })])),
  ],
  handle(req, ctx) {
    const b = ctx.broker;
    const results = (req.topics as Msg[]).map((t) => {
      const topic = b.logs.topics.get(t.name);
      if (!topic) return { name: t.name, error_code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, error_message: `The topic '${t.name}' does not exist.` };
      if (t.count <= topic.partitions) {
        return { name: t.name, error_code: ErrorCode.INVALID_PARTITIONS, error_message: `Topic currently has ${topic.partitions} partitions, which is higher than the requested ${t.count}.` };
      }
      if (t.count > 100000) return { name: t.name, error_code: ErrorCode.INVALID_PARTITIONS, error_message: 'Too many partitions requested.' };
      if (!req.validate_only) b.logs.addPartitions(t.name, t.count);
      return { name: t.name, error_code: 0, error_message: null };
    });
    return { throttle_time_ms: 0, results };
  },
};
