/**
 * The sink operator: serialises key and value with the sink's formats and hands the record to
 * the driver, with the row's event time (or the sink's TIMESTAMP column). Values that cannot be
 * serialised are logged to the processing log and skipped.
 */
import type { SinkStep } from '../../planner/plan.js';
import { createSerde, windowedKeySerde, type FormatSpec } from '../serde/index.js';
import type { TopologyContext } from '../context.js';
import type { Operator, Row } from '../row.js';

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
  return {
    process(row: Row) {
      let key: Buffer | null;
      let value: Buffer | null;
      try {
        // a key whose every column is null is written as a null key, as ksqlDB does
        const k = keyCols.length === 0 || row.key.every((v) => v === null || v === undefined) ? null : row.key;
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
