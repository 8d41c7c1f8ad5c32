/**
 * The sink operator: serialises key and value with the sink's formats and hands the record to
 * the driver, with the row's event time (or the sink's TIMESTAMP column). Values that cannot be
 * serialised are logged to the processing log and skipped.
 */
import type { SinkStep } from '../../planner/plan.js';
import { createSerde, windowedKeySerde, type FormatSpec } from '../serde/index.js';
import type { TopologyContext } from '../context.js';
import type { Operator, Row } from '../row.js';
import type { MaterializedRow } from '../../engine/driver.js';

/** The store holding a table query's current rows (pull queries read it). */
export function materializedStoreName(queryId: string): string {
  return `${queryId}-materialized`;
}

export function sinkOperator(step: SinkStep, ctx: TopologyContext): Operator {
  const schema = step.source.schema;
  const keyCols = schema.key;
  const valueIdx: number[] = [];
  const valueCols = schema.columns.filter((c, i) => {
    if (c.role === 'key') return false;
    valueIdx.push(i);
    return true;
  });
  const sr = { topic: step.topic, ...(ctx.compile.schemaRegistry ? { registry: ctx.compile.schemaRegistry } : {}) };
  const innerKey = createSerde(step.keyFormat as FormatSpec, keyCols, { isKey: true, ...sr });
  const windowed = schema.window ? windowedKeySerde(innerKey, schema.window.type === 'SESSION' ? 'SESSION' : 'TIME') : undefined;
  const valueSerde = createSerde(step.valueFormat as FormatSpec, valueCols.map((c) => ({ name: c.name, type: c.type })), {
    isKey: false,
    ...sr,
    ...(step.wrapSingleValue !== undefined ? { wrapSingleValue: step.wrapSingleValue } : {}),
  });
  const tsIdx = step.timestamp ? schema.columns.findIndex((c) => c.name === step.timestamp!.column) : -1;
  // a table sink keeps its current rows for pull queries
  const materialized = step.table && ctx.stores ? ctx.stores.keyValue<MaterializedRow>(materializedStoreName(ctx.queryId)) : undefined;
  return {
    process(row: Row) {
      if (materialized) {
        const k = row.window ? [...row.key, row.window.start, row.window.end] : row.key;
        if (row.nullValue) materialized.delete(k);
        else materialized.put(k, { key: row.key, values: valueIdx.map((i) => row.cols[i] ?? null), timestamp: row.ts, ...(row.window ? { window: { start: row.window.start, end: row.window.end } } : {}) });
      }
      let key: Buffer | null;
      let value: Buffer | null;
      try {
        // a null record key stays null; so does a single key column holding null
        const k = keyCols.length === 0 || row.nullKey || (keyCols.length === 1 && (row.key[0] ?? null) === null) ? null : row.key;
        key = windowed && row.window ? windowed.serialize({ key: k, window: { start: row.window.start, end: row.window.end } }) : innerKey.serialize(k);
        value = row.nullValue ? null : valueSerde.serialize(valueIdx.map((i) => row.cols[i] ?? null));
      } catch (err) {
        ctx.log.log({ queryId: ctx.queryId, type: 'SERIALIZATION_ERROR', message: `Failed to serialize record for topic ${step.topic}: ${(err as Error).message}`, partition: row.partition, offset: row.offset });
        return;
      }
      let ts = row.ts;
      if (tsIdx >= 0 && !row.nullValue) {
        const v = row.cols[tsIdx];
        if (v !== null && v !== undefined) ts = Number(v);
      }
      ctx.emit({ topic: step.topic, key, value, timestamp: ts, headers: [] });
    },
  };
}
