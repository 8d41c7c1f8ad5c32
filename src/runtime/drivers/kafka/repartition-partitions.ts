/**
 * How many partitions a repartition topic has. Rows re-keyed for a join must meet the other
 * side's rows with the same key in the same task, and that side's key k sits in partition
 * hash(k) mod ITS topic's partition count: so the repartition topic gets exactly that many
 * partitions (Kafka Streams sizes repartition topics of a co-partition group the same way). A
 * GROUP BY, or a join whose two sides are both re-keyed, only needs equal keys to meet: it gets
 * one partition per task.
 */
import type { QueryPlan } from '../../../planner/plan.js';
import { joinSiblingOf, sourceOf } from './repartition-keys.js';

export function repartitionPartitions(plan: QueryPlan, stepId: string, taskCount: number, partitionsOf: (topic: string) => number | undefined): number {
  // (a foreign-key join re-keys no side: its steps never come here)
  const sibling = joinSiblingOf(plan, stepId);
  const src = sibling ? sourceOf(sibling) : undefined;
  const n = src ? partitionsOf(src.topic) : undefined;
  return n !== undefined && n > 0 && n <= taskCount ? n : taskCount;
}
