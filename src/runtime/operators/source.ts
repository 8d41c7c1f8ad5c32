/**
 * The source operator: turns a consumed Kafka record into a row — deserialises key and value
 * with the source's formats, fills pseudo columns (ROWTIME, ROWPARTITION, ROWOFFSET, window
 * bounds) and header columns, and extracts event time from a TIMESTAMP column when declared.
 * Records that cannot be read go to the processing log and are skipped.
 */
import type { SourceStep } from '../../planner/plan.js';
import { createSerde, windowedKeySerde, type FormatSpec } from '../serde/index.js';
import type { TopologyContext } from '../context.js';
import type { ConsumedRecord, Operator, Row, Window } from '../row.js';
import { timestampExtractor } from './timestamp.js';

export type RecordHandler = (rec: ConsumedRecord) => void;

export function sourceOperator(step: SourceStep, ctx: TopologyContext, next: Operator): RecordHandler {
  const sr = { topic: step.topic, ...(ctx.compile.schemaRegistry ? { registry: ctx.compile.schemaRegistry } : {}) };
  const innerKey = createSerde(step.keyFormat as FormatSpec, step.keyColumns, { isKey: true, ...sr });
  const windowed = step.window ? windowedKeySerde(innerKey, step.window.type === 'SESSION' ? 'SESSION' : 'TIME') : undefined;
  const valueSerde = createSerde(step.valueFormat as FormatSpec, step.valueColumns, { isKey: false, ...sr, ...(step.wrapSingleValue !== undefined ? { wrapSingleValue: step.wrapSingleValue } : {}) });
  const nKey = step.keyColumns.length;
  const nValue = step.valueColumns.length;
  const headerCols = step.headerColumns;
  const width = step.schema.columns.length;
  const sizeMs = step.window?.sizeMs;
  const extractTs = step.timestamp ? timestampExtractor(step, ctx) : undefined;
  const materialized = step.type === 'TableSource' && step.sendOldValues ? ctx.stores!.keyValue<unknown[]>(`${ctx.queryId}-${step.id}-source`) : undefined;

  const fail = (rec: ConsumedRecord, what: string, err: unknown) =>
    ctx.log.log({
      queryId: ctx.queryId,
      type: 'DESERIALIZATION_ERROR',
      message: `Failed to deserialize ${what} from topic: ${rec.topic}. ${(err as Error).message}`,
      topic: rec.topic,
      partition: rec.partition,
      offset: rec.offset,
    });

  return (rec) => {
    let key: unknown[] | null;
    let window: Window | null = null;
    try {
      if (windowed) {
        const w = windowed.deserialize(rec.key);
        if (w === null) throw new Error('windowed key is null');
        key = w.key;
        const start = w.window.start;
        window = { start, end: w.window.end ?? (sizeMs !== undefined ? start + sizeMs : start) };
      } else {
        key = innerKey.deserialize(rec.key);
      }
    } catch (err) {
      fail(rec, 'key', err);
      return;
    }
    let value: unknown[] | null;
    try {
      value = valueSerde.deserialize(rec.value);
    } catch (err) {
      fail(rec, 'value', err);
      return;
    }
    const keyVals = key ?? new Array(nKey).fill(null);
    if (step.type === 'TableSource' && nKey > 0 && keyVals.every((k) => k === null)) {
      // a table row needs its primary key: a record without one can't update anything
      ctx.log.log({ queryId: ctx.queryId, type: 'RECORD_PROCESSING_ERROR', message: `Skipping record with a null key for table ${step.sourceName}`, topic: rec.topic, partition: rec.partition, offset: rec.offset });
      return;
    }
    const cols = new Array<unknown>(width);
    let i = 0;
    for (let k = 0; k < nKey; k++) cols[i++] = keyVals[k] ?? null;
    for (let v = 0; v < nValue; v++) cols[i++] = value ? (value[v] ?? null) : null;
    for (const h of headerCols) {
      if (h.headerKey === undefined) {
        cols[i++] = rec.headers.map((x) => ({ KEY: x.key, VALUE: x.value }));
      } else {
        let found: Buffer | null = null;
        for (const x of rec.headers) if (x.key === h.headerKey) found = x.value;
        cols[i++] = found;
      }
    }
    // a null value carries only its key: pseudo columns live in the value, as in ksqlDB
    const hasValue = value !== null;
    cols[i++] = hasValue ? BigInt(rec.timestamp) : null;
    cols[i++] = hasValue ? rec.partition : null;
    cols[i++] = hasValue ? BigInt(rec.offset) : null;
    if (step.window) {
      cols[i++] = BigInt(window!.start);
      cols[i++] = BigInt(window!.end);
    }
    const row: Row = { key: keyVals, cols, nullValue: value === null, nullKey: rec.key === null, ts: rec.timestamp, partition: rec.partition, offset: rec.offset, headers: rec.headers, window };
    if (extractTs && value !== null) {
      const ts = extractTs(row);
      if (ts === undefined) return;
      row.ts = ts;
      cols[i - (step.window ? 5 : 3)] = BigInt(ts);
    }
    if (materialized) {
      const prior = materialized.get(keyVals);
      row.prior = prior ? { key: keyVals, cols: prior } : null;
      if (row.nullValue) {
        if (prior) materialized.delete(keyVals);
      } else materialized.put(keyVals, cols);
    }
    next.process(row);
  };
}
