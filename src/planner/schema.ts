/**
 * Logical schemas: the columns a source or a step produces, split into key, value and header
 * columns, as ksqlDB's LogicalSchema. Pseudo columns (ROWTIME, ...) are not stored here; the
 * expression scope adds them.
 */
import { formatType, type SqlType } from '../common/types.js';

export type ColumnNamespace = 'KEY' | 'VALUE' | 'HEADER';

export interface Column {
  name: string;
  type: SqlType;
  namespace: ColumnNamespace;
  /** HEADER('name'): the header key; absent for HEADERS (all headers as ARRAY<STRUCT<KEY, VALUE>>) */
  headerKey?: string;
}

export interface LogicalSchema {
  key: Column[];
  value: Column[];
  /** header-backed columns; they are part of the value as far as SELECT * is concerned */
  headers: Column[];
}

export const PSEUDO_ROWTIME = 'ROWTIME';
export const PSEUDO_ROWPARTITION = 'ROWPARTITION';
export const PSEUDO_ROWOFFSET = 'ROWOFFSET';
export const WINDOWSTART = 'WINDOWSTART';
export const WINDOWEND = 'WINDOWEND';
export const SYSTEM_COLUMN_NAMES = new Set([PSEUDO_ROWTIME, PSEUDO_ROWPARTITION, PSEUDO_ROWOFFSET, WINDOWSTART, WINDOWEND]);

export function allColumns(s: LogicalSchema): Column[] {
  return [...s.key, ...s.value, ...s.headers];
}


/** The text ksqlDB's QTT `post.sources[].schema` uses: "`K` STRING KEY, `V` INTEGER" without back-quotes. */
export function formatSchema(s: LogicalSchema, quote = false, sourceType: 'STREAM' | 'TABLE' = 'STREAM'): string {
  const q = (n: string) => (quote ? '`' + n + '`' : n);
  const parts: string[] = [];
  const keyWord = sourceType === 'TABLE' ? 'PRIMARY KEY' : 'KEY';
  for (const c of s.key) parts.push(`${q(c.name)} ${formatType(c.type)} ${keyWord}`);
  for (const c of s.value) parts.push(`${q(c.name)} ${formatType(c.type)}`);
  for (const c of s.headers) parts.push(`${q(c.name)} ${formatType(c.type)} ${c.headerKey !== undefined ? `HEADER('${c.headerKey}')` : 'HEADERS'}`);
  return parts.join(', ');
}
