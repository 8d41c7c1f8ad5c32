/**
 * Which task (partition number) of a table query holds a given key of its materialised table,
 * for routing key-lookup pull queries. The answer follows how the driver partitions the rows
 * that reach the table's state:
 * - a GROUP BY table: its rows went through the GroupBy repartition topic, partitioned by the
 *   state key codec (./repartition-keys.ts), so the key's codec bytes decide;
 * - a table derived from a source table without re-keying: the key is where the source topic's
 *   producer put it (Kafka's default partitioner over the key in the source's key format);
 * - a primary-key table-table join: where its un-re-keyed side keeps it (a re-keyed side was
 *   repartitioned into that side's partitioning).
 * Anything else (windowed sources, foreign-key joins, formats that need a registry) returns
 * undefined: the router then asks every task.
 */
import type { QueryPlan, Step } from '../../../planner/plan.js';
import { partitionFor } from '../../partitioner.js';
import { createSerde, type FormatSpec } from '../../serde/index.js';
import { encodeKey } from '../../state/key-codec.js';

type KeyBytes = (key: unknown[]) => Buffer | null;

function bytesFor(step: Step): KeyBytes | undefined {
  switch (step.type) {
    case 'Sink':
    case 'Project':
    case 'Filter':
    case 'Aggregate':
      return bytesFor(step.source);
    case 'GroupBy':
      return (key) => encodeKey(key.map((v) => v ?? null));
    case 'Join':
      if (step.joinKind !== 'TABLE_TABLE') return undefined;
      if (step.left.type !== 'SelectKey') return bytesFor(step.left);
      if (step.right.type !== 'SelectKey') return bytesFor(step.right);
      return (key) => encodeKey(key.map((v) => v ?? null));
    case 'TableSource': {
      if (step.window || step.keyColumns.length !== 1) return undefined;
      try {
        const serde = createSerde(step.keyFormat as FormatSpec, step.keyColumns, { isKey: true, topic: step.topic });
        return (key) => serde.serialize(key);
      } catch {
        return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** `(key, tasks) → task`, or undefined when the plan's partitioning cannot be predicted. */
export function keyTaskFor(plan: QueryPlan): ((key: unknown[], tasks: number) => number | undefined) | undefined {
  const bytes = bytesFor(plan.root);
  if (!bytes) return undefined;
  return (key, tasks) => {
    try {
      const b = bytes(key);
      return b === null ? undefined : partitionFor(b, tasks, () => 0);
    } catch {
      return undefined;
    }
  };
}
