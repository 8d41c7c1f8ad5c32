/**
 * Creating a topic and waiting for its leaders, the way every Sluice client does it. Apache
 * Kafka (KRaft) may answer the metadata request that waits for a just-created topic's leaders
 * with UNKNOWN_TOPIC_OR_PARTITION for a moment, and fails other retriable ways right after it
 * started, while kafkajs itself only waits out LEADER_NOT_AVAILABLE: so retriable failures are
 * retried (creating a topic that exists by then is a no-op).
 */
import type { Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** -1: the broker's default */
  replicas: number;
  config?: Record<string, string>;
}

export async function createTopicRetrying(admin: Admin, spec: TopicSpec, attempts = 10): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.createTopics({
        topics: [{ topic: spec.topic, numPartitions: spec.partitions, replicationFactor: spec.replicas, configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })) }],
        waitForLeaders: true,
      });
      return;
    } catch (err) {
      const e = err as { type?: string; retriable?: boolean; cause?: { retriable?: boolean } };
      const retriable = e.type === 'UNKNOWN_TOPIC_OR_PARTITION' || e.type === 'LEADER_NOT_AVAILABLE' || e.retriable === true || e.cause?.retriable === true;
      if (attempt >= attempts || !retriable) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}
