/**
 * The end of a transient (push or pull) query's topology, shared by every driver: turns rows
 * into the TransientRows a client receives — skipping what ksqlDB never shows a client (a stream
 * record without a value, a table record without a key) — and stops after LIMIT rows.
 */
import type { TransientRow } from '../engine/driver.js';
import type { QueryPlan } from '../planner/plan.js';
import type { Operator, Row } from './row.js';

export function transientOutput(plan: QueryPlan, limit: number | undefined, onRow: (row: TransientRow) => void, onLimit: () => void): Operator & { open: boolean } {
  const nKey = plan.root.schema.key.length;
  const isTable = plan.root.type === 'Project' ? plan.root.table : plan.root.type === 'Aggregate';
  let count = 0;
  const out = {
    open: true,
    process(row: Row) {
      if (!out.open) return;
      if ((row.nullValue && !isTable) || (isTable && row.nullKey)) return;
      // a projection lays out the row's whole key before the values, even where a push query
      // left a GROUP BY key out of its select list (and so out of the schema's key)
      const n = plan.root.type === 'Project' ? row.key.length : nKey;
      onRow({ key: row.key, values: row.nullValue ? null : row.cols.slice(n), timestamp: row.ts, ...(row.window ? { window: { start: row.window.start, end: row.window.end } } : {}) });
      if (limit !== undefined && ++count >= limit) onLimit();
    },
  };
  return out;
}
