/**
 * The internal topics of a persistent query's foreign-key joins on Kafka, as Kafka Streams
 * (KIP-213) lays them out:
 * - `<appId>-<stepId>-subscription-registration-topic`, partitioned like the right table: a left
 *   row's subscription goes to the partition of its foreign key serialised in the right table's
 *   key format, i.e. to the task that holds the right row with that key;
 * - `<appId>-<stepId>-subscription-response-topic`, partitioned like the left table: an answer
 *   goes back to the partition (task) the subscription came from.
 * The co-partitioning assignor gives partition p of these topics to task p, with partition p of
 * the inputs. The join's stores (left rows, right rows, subscriptions) have ordinary changelogs.
 */
import type { Message } from 'kafkajs';
import { walkSteps, type JoinStep, type QueryPlan } from '../../../planner/plan.js';
import { internalTopicName } from '../../../planner/naming.js';
import { partitionFor } from '../../partitioner.js';
import type { ConsumedRecord } from '../../row.js';
import type { FkJoinHook, Topology } from '../../topology.js';
import { decodeResponse, decodeSubscription, encodeResponse, encodeSubscription } from './fk-join-codec.js';
import { partitionKeyLike, sourceTopicOf, type PartitionKey } from './repartition-keys.js';

interface JoinRoute {
  registration: string;
  response: string;
  /** partitions of the registration topic: the right table's */
  rightPartitions: number;
  fkPartitionKey: PartitionKey;
}

export class FkJoinTopics {
  private readonly joins = new Map<string, JoinRoute>();
  /** topic -> how a record read from it enters a task's topology */
  private readonly readers = new Map<string, (topology: Topology, rec: ConsumedRecord) => void>();

  /**
   * @param stepIds the plan's foreign-key Join steps (Topology.fkJoinSteps)
   * @param taskCount the query's task count (partitions of the response topic)
   * @param partitionsOf partition count of an existing topic
   */
  constructor(plan: QueryPlan, appId: string, stepIds: string[], private readonly taskCount: number, partitionsOf: (topic: string) => number | undefined) {
    const steps = new Map<string, JoinStep>();
    walkSteps(plan.root, (s) => {
      if (s.type === 'Join') steps.set(s.id, s);
    });
    for (const stepId of stepIds) {
      const step = steps.get(stepId);
      if (!step) throw new Error(`Query ${plan.queryId}: no join step ${stepId}`);
      const rightTopic = sourceTopicOf(step.right);
      const route: JoinRoute = {
        registration: internalTopicName(appId, stepId, 'subscription-registration-topic'),
        response: internalTopicName(appId, stepId, 'subscription-response-topic'),
        rightPartitions: Math.min(taskCount, (rightTopic !== undefined ? partitionsOf(rightTopic) : undefined) ?? taskCount),
        fkPartitionKey: partitionKeyLike(step.right),
      };
      this.joins.set(stepId, route);
      this.readers.set(route.registration, (t, rec) => t.processSubscription(stepId, decodeSubscription(rec.key, rec.value)));
      this.readers.set(route.response, (t, rec) => t.processResponse(stepId, decodeResponse(rec.key, rec.value)));
    }
  }

  get size(): number {
    return this.joins.size;
  }

  /** the topics to create (delete policy, as repartition topics) and their partition counts */
  topics(): { name: string; partitions: number }[] {
    return [...this.joins.values()].flatMap((j) => [
      { name: j.registration, partitions: j.rightPartitions },
      { name: j.response, partitions: this.taskCount },
    ]);
  }

  /** how a record read from `topic` enters a topology, if `topic` is one of these */
  reader(topic: string): ((topology: Topology, rec: ConsumedRecord) => void) | undefined {
    return this.readers.get(topic);
  }

  /** the hook for task `task`'s topology: its messages go to `send` (the batch's outbox) */
  hook(task: number, send: (topic: string, m: Message) => void): FkJoinHook {
    return {
      task,
      subscribe: (stepId, msg) => {
        const j = this.joins.get(stepId)!;
        const partition = partitionFor(j.fkPartitionKey([msg.fk]), j.rightPartitions, () => 0);
        send(j.registration, { ...encodeSubscription(msg), partition });
      },
      respond: (stepId, msg) => {
        const j = this.joins.get(stepId)!;
        send(j.response, { ...encodeResponse(msg), partition: msg.replyTo });
      },
    };
  }
}
