/** Shared fixtures for the serde tests. */
import type { SqlType } from '../../src/common/types.js';
import { createSerde, type FormatName, type RowSerde, type SerdeColumn } from '../../src/runtime/serde/index.js';

export const INT: SqlType = { kind: 'INTEGER' };
export const BIG: SqlType = { kind: 'BIGINT' };
export const DBL: SqlType = { kind: 'DOUBLE' };
export const STR: SqlType = { kind: 'STRING' };
export const BOOL: SqlType = { kind: 'BOOLEAN' };
export const BYTES: SqlType = { kind: 'BYTES' };
export const DATE: SqlType = { kind: 'DATE' };
export const TIME: SqlType = { kind: 'TIME' };
export const TS: SqlType = { kind: 'TIMESTAMP' };
export const dec = (precision: number, scale: number): SqlType => ({ kind: 'DECIMAL', precision, scale });
export const arr = (element: SqlType): SqlType => ({ kind: 'ARRAY', element });
export const map = (key: SqlType, value: SqlType): SqlType => ({ kind: 'MAP', key, value });
export const struct = (fields: Record<string, SqlType>): SqlType => ({
  kind: 'STRUCT',
  fields: Object.entries(fields).map(([name, type]) => ({ name, type })),
});

export function cols(spec: Record<string, SqlType>): SerdeColumn[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type }));
}

export function serde(
  format: FormatName,
  columns: Record<string, SqlType>,
  opts: { isKey?: boolean; wrapSingleValue?: boolean; properties?: Record<string, string> } = {},
): RowSerde {
  return createSerde({ format, properties: opts.properties ?? {} }, cols(columns), {
    isKey: opts.isKey ?? false,
    ...(opts.wrapSingleValue === undefined ? {} : { wrapSingleValue: opts.wrapSingleValue }),
  });
}

export const text = (s: string): Buffer => Buffer.from(s, 'utf8');
export const str = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));
