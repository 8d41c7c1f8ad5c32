/**
 * Consumer lag of persistent queries, for /metrics: for each partition of each topic a query
 * reads (inputs and repartition topics) in the tasks this server runs, the log end offset minus
 * the query's position. The position is the group's committed offset, or — at_least_once with
 * commit.interval.ms — the further offset already processed and waiting to be committed. Read
 * with the admin client when asked (a scrape), never on the processing path.
 *
 * As with kafka-consumer-groups, transaction markers count: a topic written transactionally
 * (exactly_once_v2 outputs read by another query, repartition topics under exactly_once_v2)
 * shows a lag of 1 after its last commit marker.
 */
import type { Admin } from 'kafkajs';
import type { PersistentQuery } from './persistent-query.js';

export interface PartitionLag {
  queryId: string;
  topic: string;
  partition: number;
  /** the partition's log end offset */
  endOffset: number;
  /** where the query is: the next offset it will process */
  position: number;
  lag: number;
}

/** Log start and end offsets of a topic's partitions, fetched once per call of consumerLag. */
export type EndOffsets = (topic: string) => Promise<Map<number, { low: number; high: number }>>;

export function endOffsetsReader(admin: Admin): EndOffsets {
  const cache = new Map<string, Promise<Map<number, { low: number; high: number }>>>();
  return (topic) => {
    let p = cache.get(topic);
    if (!p) {
      p = admin.fetchTopicOffsets(topic).then((os) => new Map(os.map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }])));
      cache.set(topic, p);
    }
    return p;
  };
}

export async function queryLag(admin: Admin, q: PersistentQuery, endOffsets: EndOffsets): Promise<PartitionLag[]> {
  const tasks = q.assignedPartitions();
  if (tasks.length === 0) return [];
  const topics = q.subscribedTopics();
  const committed = await admin.fetchOffsets({ groupId: q.appId, topics: topics.map((t) => t.topic) });
  const pending = new Map(q.uncommittedPositions().map((u) => [`${u.topic}:${u.partition}`, u.offset]));
  const out: PartitionLag[] = [];
  for (const { topic, internal } of topics) {
    const ends = await endOffsets(topic);
    const c = committed.find((x) => x.topic === topic);
    for (const partition of tasks) {
      const end = ends.get(partition);
      if (!end) continue; // an input with fewer partitions than the query has tasks
      let position = Math.max(Number(c?.partitions.find((x) => x.partition === partition)?.offset ?? -1), pending.get(`${topic}:${partition}`) ?? -1);
      // nothing processed yet: the query starts where auto.offset.reset says (internal topics: their start)
      if (position < 0) position = internal || q.startsFromBeginning() ? end.low : end.high;
      position = Math.max(position, end.low);
      out.push({ queryId: q.queryId, topic, partition, endOffset: end.high, position, lag: Math.max(0, end.high - position) });
    }
  }
  return out;
}
