/**
 * Column types in the shapes ksqlDB's REST API uses: the `schema` objects of DESCRIBE's fields
 * (`{type, fields, memberSchema, parameters?}`), and the `` `NAME` TYPE `` text of query headers
 * and `columnTypes`, which clients parse.
 */
import { formatType, type SqlType } from '../common/types.js';
import type { Column } from '../planner/schema.js';

export interface SchemaInfo {
  type: string;
  fields: { name: string; schema: SchemaInfo }[] | null;
  memberSchema: SchemaInfo | null;
  parameters?: Record<string, number>;
}

export function schemaInfo(t: SqlType): SchemaInfo {
  switch (t.kind) {
    case 'ARRAY':
      return { type: 'ARRAY', fields: null, memberSchema: schemaInfo(t.element) };
    case 'MAP':
      return { type: 'MAP', fields: null, memberSchema: schemaInfo(t.value) };
    case 'STRUCT':
      return { type: 'STRUCT', fields: t.fields.map((f) => ({ name: f.name, schema: schemaInfo(f.type) })), memberSchema: null };
    case 'DECIMAL':
      return { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: t.precision, scale: t.scale } };
    default:
      return { type: t.kind, fields: null, memberSchema: null };
  }
}

/** DESCRIBE's field entry: value columns carry no `type`; keys say KEY, headers HEADER. */
export function fieldInfo(c: Column): Record<string, unknown> {
  const out: Record<string, unknown> = { name: c.name, schema: schemaInfo(c.type) };
  if (c.namespace === 'KEY') out.type = 'KEY';
  if (c.namespace === 'HEADER') {
    out.type = 'HEADER';
    if (c.headerKey !== undefined) out.headerKey = c.headerKey;
  }
  return out;
}

/** The type text of headers and columnTypes (`ARRAY<STRING>`, ``STRUCT<`F1` STRING>``, `DECIMAL(4, 2)`). */
export function typeText(t: SqlType): string {
  return formatType(t);
}

/** A query header's schema: `` `A` STRING, `B` BIGINT KEY ``. */
export function headerSchema(cols: { name: string; type: SqlType; key?: boolean }[]): string {
  return cols.map((c) => `\`${c.name}\` ${typeText(c.type)}${c.key ? ' KEY' : ''}`).join(', ');
}
