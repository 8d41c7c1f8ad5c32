/**
 * Helpers shared by the aggregate function families: Java's fixed-width integer arithmetic
 * (ksqlDB's INT and BIGINT sums wrap around on overflow rather than failing), Java's ordering of
 * comparable values (MIN, MAX, TOPK) and a factory that turns a fold over a single column into an
 * AggregateImpl.
 */
import { isDecimal, type Decimal } from '../../../common/decimal.js';
import type { SqlType } from '../../../common/types.js';

/** Java int addition / subtraction (wraps at 32 bits). */
export const int32 = (x: number): number => x | 0;

/** Java long arithmetic (wraps at 64 bits). */
export const int64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/** A runtime numeric value (INTEGER, BIGINT, DOUBLE or DECIMAL) as a JS double, as Java's doubleValue(). */
export function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isDecimal(v)) return (v as Decimal).toNumber();
  throw new Error(`not a number: ${String(v)}`);
}

/** Double.compare: -0.0 < 0.0 and NaN above everything (equal to itself). */
function compareDouble(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (a === 0 && b === 0) {
    const ai = Object.is(a, -0);
    const bi = Object.is(b, -0);
    return ai === bi ? 0 : ai ? -1 : 1;
  }
  return 0;
}

/** ByteBuffer.compareTo: bytes compared as signed values, then by length. */
function compareBytes(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = (a[i]! << 24) >> 24;
    const y = (b[i]! << 24) >> 24;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * The natural ordering Java gives values of `type` (compareTo): numbers numerically, strings by
 * UTF-16 code units, decimals by value regardless of scale, bytes as signed bytes.
 */
export function javaComparator(type: SqlType): (a: unknown, b: unknown) => number {
  switch (type.kind) {
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
    case 'DOUBLE':
      return (a, b) => compareDouble(a as number, b as number);
    case 'BIGINT':
      return (a, b) => ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);
    case 'STRING':
      return (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
    case 'DECIMAL':
      return (a, b) => (a as Decimal).comparedTo(b as Decimal);
    case 'BYTES':
      return (a, b) => compareBytes(a as Buffer, b as Buffer);
    case 'BOOLEAN':
      return (a, b) => (a === b ? 0 : a ? 1 : -1);
    default:
      throw new Error(`values of type ${type.kind} are not comparable`);
  }
}
