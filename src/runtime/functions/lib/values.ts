/**
 * Helpers over runtime values (see src/common/types.ts) shared by the function families:
 * ordering, equality and Java-compatible text forms.
 */
import { javaDoubleToString } from '../../../common/javaformat.js';
import { isDecimal, formatDecimal, type Decimal } from '../../../common/decimal.js';
import type { SqlType } from '../../../common/types.js';

/** Total order used by ARRAY_SORT, ARRAY_MIN/MAX, GREATEST/LEAST for values of one type. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < b) return -1;
    if (a > b) return 1;
    // Double.compare: -0.0 < 0.0, NaN above everything and equal to itself
    if (a === b) return Object.is(a, -0) === Object.is(b, -0) ? 0 : Object.is(a, -0) ? -1 : 1;
    return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (isDecimal(a) && isDecimal(b)) return (a as Decimal).comparedTo(b as Decimal);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return compareSignedBytes(a, b);
  throw new Error(`Cannot compare values ${String(a)} and ${String(b)}`);
}

/** java.nio.ByteBuffer#compareTo: lexicographic over *signed* bytes, then by length. */
export function compareSignedBytes(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = (a[i]! << 24) >> 24;
    const y = (b[i]! << 24) >> 24;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Deep value equality (arrays, maps, structs, decimals, bytes), as Java's equals on ksqlDB values. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (isDecimal(a) && isDecimal(b)) return (a as Decimal).equals(b as Decimal);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !valuesEqual(v, b.get(k))) return false;
    }
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => valuesEqual((a as any)[k], (b as any)[k]));
  }
  return false;
}

/** Key usable in a JS Set/Map for de-duplicating values by value. */
export function valueKey(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? `n:${v}` : v;
  if (isDecimal(v)) return `d:${(v as Decimal).toString()}`;
  if (Buffer.isBuffer(v)) return `b:${v.toString('base64')}`;
  return `j:${stableText(v)}`;
}

function stableText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v !== 'object') return JSON.stringify(v);
  if (isDecimal(v)) return `D${(v as Decimal).toString()}`;
  if (Buffer.isBuffer(v)) return `B${v.toString('base64')}`;
  if (Array.isArray(v)) return `[${v.map(stableText).join(',')}]`;
  if (v instanceof Map) return `M{${[...v].map(([k, x]) => `${stableText(k)}:${stableText(x)}`).join(',')}}`;
  return `{${Object.entries(v as object).map(([k, x]) => `${JSON.stringify(k)}:${stableText(x)}`).join(',')}}`;
}

/** Java's Double.toString (shared with CAST and the serdes). */
export const javaDouble = javaDoubleToString;

/** ksqlDB's text form of a value, as String.valueOf / toString would print it (ARRAY_JOIN, CONCAT of non-strings). */
export function valueToText(v: unknown, type?: SqlType): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (type && (type.kind === 'INTEGER' || type.kind === 'DATE' || type.kind === 'TIME' || type.kind === 'TIMESTAMP')) return String(v);
    return Number.isInteger(v) && type?.kind !== 'DOUBLE' && type !== undefined ? String(v) : javaDouble(v);
  }
  if (typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string') return String(v);
  if (isDecimal(v)) return type?.kind === 'DECIMAL' ? formatDecimal(v as Decimal, type.scale) : (v as Decimal).toString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) {
    const el = type?.kind === 'ARRAY' ? type.element : undefined;
    return `[${v.map((x) => valueToText(x, el)).join(', ')}]`;
  }
  if (v instanceof Map) {
    const kt = type?.kind === 'MAP' ? type.key : undefined;
    const vt = type?.kind === 'MAP' ? type.value : undefined;
    return `{${[...v].map(([k, x]) => `${valueToText(k, kt)}=${valueToText(x, vt)}`).join(', ')}}`;
  }
  if (typeof v === 'object') {
    const fields = type?.kind === 'STRUCT' ? type.fields : undefined;
    return `Struct{${Object.entries(v as object)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => `${k}=${valueToText(x, fields?.find((f) => f.name === k)?.type)}`)
      .join(',')}}`;
  }
  return String(v);
}
