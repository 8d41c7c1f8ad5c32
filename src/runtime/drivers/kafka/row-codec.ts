/**
 * How a row crosses a repartition topic: the record key is the row's key in the state key codec
 * (deterministic bytes, so equal keys hash to the same partition), the value is the rest of the
 * row — columns, tombstone flag, window, the previous row of a table update, and where the row
 * came from (ROWPARTITION/ROWOFFSET and processing-log positions stay those of the source record,
 * as they are under the single-task test driver) — in the state value codec, which keeps every
 * runtime value (bigint, Decimal, Map, Buffer, struct) exact.
 */
import { decodeKey, encodeKey } from '../../state/key-codec.js';
import { decodeValue, encodeValue } from '../../state/value-codec.js';
import type { Row } from '../../row.js';

const VERSION = 1;

export function encodeRowKey(row: Row): Buffer {
  return encodeKey(row.key.map((v) => v ?? null));
}

export function encodeRowValue(row: Row): Buffer {
  return encodeValue([
    VERSION,
    row.cols.map((v) => v ?? null),
    row.nullValue,
    row.window ? [row.window.start, row.window.end] : null,
    row.prior === undefined ? 0 : row.prior === null ? 1 : [row.prior.key, row.prior.cols],
    row.nullKey === true,
    row.partition,
    row.offset,
  ]);
}

export function decodeRow(key: Buffer | null, value: Buffer | null, ts: number): Row {
  if (key === null || value === null) throw new Error('repartition record without key or value');
  const v = decodeValue(value);
  if (!Array.isArray(v) || v[0] !== VERSION || v.length !== 8) throw new Error('unreadable repartition record');
  const [, cols, nullValue, window, prior, nullKey, partition, offset] = v as [number, unknown[], boolean, [number, number] | null, 0 | 1 | [unknown[], unknown[]], boolean, number, number];
  const row: Row = {
    key: decodeKey(key),
    cols,
    nullValue,
    ts,
    partition,
    offset,
    headers: [],
    window: window ? { start: window[0], end: window[1] } : null,
  };
  if (nullKey) row.nullKey = true;
  if (prior === 1) row.prior = null;
  else if (prior !== 0) row.prior = { key: prior[0], cols: prior[1] };
  return row;
}
