/**
 * Which partition a repartitioned row goes to. Rows re-keyed for a join must land in the
 * partition the OTHER side's records with the same key are in, so their key is serialised in
 * that side's key format (a table keyed by STRING 'a' in KAFKA format is partitioned by the
 * bytes of "a"), exactly as the source topic's producers did. A GROUP BY, or a join whose two
 * sides are both re-keyed, only needs equal keys to meet: the state key codec does.
 */
import type { QueryPlan, SourceStep, Step } from '../../../planner/plan.js';
import { walkSteps } from '../../../planner/plan.js';
import { createSerde, type FormatSpec } from '../../serde/index.js';
import { encodeKey } from '../../state/key-codec.js';

export type PartitionKey = (key: unknown[]) => Buffer;

const codecKey: PartitionKey = (key) => encodeKey(key.map((v) => v ?? null));

/** The source whose partitioning a step's rows keep (through stateless steps and joins' left side). */
export function sourceOf(step: Step): SourceStep | undefined {
  switch (step.type) {
    case 'StreamSource':
    case 'TableSource':
      return step;
    case 'Join':
      return sourceOf(step.left);
    case 'SelectKey':
    case 'GroupBy':
    case 'Aggregate':
      return undefined; // re-keyed: partitioned by the codec key
    default:
      return 'source' in step ? sourceOf(step.source) : undefined;
  }
}

/** The other side of the join that `stepId` (a re-keyed side) feeds, if it feeds one. */
export function joinSiblingOf(plan: QueryPlan, stepId: string): Step | undefined {
  let sibling: Step | undefined;
  walkSteps(plan.root, (s) => {
    if (s.type !== 'Join') return;
    if (s.left.id === stepId) sibling = s.right;
    if (s.right.id === stepId) sibling = s.left;
  });
  return sibling;
}

export function partitionKeyFor(plan: QueryPlan, stepId: string): PartitionKey {
  const sibling = joinSiblingOf(plan, stepId);
  return sibling ? partitionKeyLike(sibling) : codecKey;
}

/**
 * How to partition a key so it lands where `side`'s records with that key are: serialised in
 * the key format of the source `side` reads (the state key codec when it has none or is
 * windowed). A foreign-key join routes its subscriptions this way, by the foreign key, to the
 * right table's partitions.
 */
export function partitionKeyLike(side: Step): PartitionKey {
  const src = sourceOf(side);
  if (!src || src.window) return codecKey;
  try {
    const serde = createSerde(src.keyFormat as FormatSpec, src.keyColumns, { isKey: true });
    return (key) => {
      try {
        return serde.serialize(key) ?? codecKey(key);
      } catch {
        return codecKey(key);
      }
    };
  } catch {
    return codecKey;
  }
}

/** The source topic whose partitioning `side`'s rows keep, if any (see sourceOf). */
export function sourceTopicOf(side: Step): string | undefined {
  return sourceOf(side)?.topic;
}
