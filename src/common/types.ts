/**
 * SQL types as the planner and runtime see them, and how each is held in memory.
 *
 * Runtime value representation (one rule everywhere: operators, functions, serdes):
 *   NULL       -> null (never undefined)
 *   BOOLEAN    -> boolean
 *   INTEGER    -> number (a 32-bit integer)
 *   BIGINT     -> bigint (64-bit exact; ROWTIME, ROWOFFSET and epoch-millis functions too)
 *   DOUBLE     -> number
 *   DECIMAL    -> Decimal (decimal.js, see ./decimal.ts), rounded to the type's scale
 *   STRING     -> string
 *   BYTES      -> Buffer
 *   DATE       -> number: days since 1970-01-01
 *   TIME       -> number: milliseconds since midnight
 *   TIMESTAMP  -> number: milliseconds since the epoch (UTC)
 *   ARRAY      -> Array of values
 *   MAP        -> Map (insertion-ordered; keys are values of the key type)
 *   STRUCT     -> plain object keyed by the exact field names of the type
 */

export type SqlType =
  | { kind: 'BOOLEAN' }
  | { kind: 'INTEGER' }
  | { kind: 'BIGINT' }
  | { kind: 'DOUBLE' }
  | { kind: 'DECIMAL'; precision: number; scale: number }
  | { kind: 'STRING' }
  | { kind: 'BYTES' }
  | { kind: 'DATE' }
  | { kind: 'TIME' }
  | { kind: 'TIMESTAMP' }
  | { kind: 'ARRAY'; element: SqlType }
  | { kind: 'MAP'; key: SqlType; value: SqlType }
  | { kind: 'STRUCT'; fields: StructField[] };

export interface StructField {
  name: string;
  type: SqlType;
}

export type SqlTypeKind = SqlType['kind'];

export const BOOLEAN: SqlType = { kind: 'BOOLEAN' };
export const INTEGER: SqlType = { kind: 'INTEGER' };
export const BIGINT: SqlType = { kind: 'BIGINT' };
export const DOUBLE: SqlType = { kind: 'DOUBLE' };
export const STRING: SqlType = { kind: 'STRING' };
export const BYTES: SqlType = { kind: 'BYTES' };
export const DATE: SqlType = { kind: 'DATE' };
export const TIME: SqlType = { kind: 'TIME' };
export const TIMESTAMP: SqlType = { kind: 'TIMESTAMP' };

export function decimal(precision: number, scale: number): SqlType {
  return { kind: 'DECIMAL', precision, scale };
}
export function array(element: SqlType): SqlType {
  return { kind: 'ARRAY', element };
}
export function map(key: SqlType, value: SqlType): SqlType {
  return { kind: 'MAP', key, value };
}
export function struct(fields: StructField[]): SqlType {
  return { kind: 'STRUCT', fields };
}

/** ksqlDB's textual form of a type, as DESCRIBE and error messages print it. */
export function formatType(t: SqlType): string {
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatType(t.element)}>`;
    case 'MAP':
      return `MAP<${formatType(t.key)}, ${formatType(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `\`${f.name}\` ${formatType(f.type)}`).join(', ')}>`;
    case 'STRING':
      return 'STRING';
    default:
      return t.kind;
  }
}

export function typeEquals(a: SqlType, b: SqlType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'DECIMAL':
      return a.precision === (b as typeof a).precision && a.scale === (b as typeof a).scale;
    case 'ARRAY':
      return typeEquals(a.element, (b as typeof a).element);
    case 'MAP':
      return typeEquals(a.key, (b as typeof a).key) && typeEquals(a.value, (b as typeof a).value);
    case 'STRUCT': {
      const bf = (b as typeof a).fields;
      return a.fields.length === bf.length && a.fields.every((f, i) => f.name === bf[i]!.name && typeEquals(f.type, bf[i]!.type));
    }
    default:
      return true;
  }
}

export function isNumeric(t: SqlType): boolean {
  return t.kind === 'INTEGER' || t.kind === 'BIGINT' || t.kind === 'DOUBLE' || t.kind === 'DECIMAL';
}

/** Decimal precision/scale that an integral type widens to (ksqlDB: INT -> DECIMAL(10,0), BIGINT -> DECIMAL(19,0)). */
export function integralAsDecimal(t: SqlType): { precision: number; scale: number } | undefined {
  if (t.kind === 'INTEGER') return { precision: 10, scale: 0 };
  if (t.kind === 'BIGINT') return { precision: 19, scale: 0 };
  if (t.kind === 'DECIMAL') return { precision: t.precision, scale: t.scale };
  return undefined;
}
