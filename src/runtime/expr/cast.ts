/**
 * CAST and implicit conversions between SQL types, built once per (from, to) pair into a
 * converter function. Null converts to null; an impossible conversion of a value throws
 * EvalError (the operator logs it and yields null, as ksqlDB does).
 */
import { Decimal, fitsPrecision, formatDecimal, isDecimal, toScale } from '../../common/decimal.js';
import { EvalError, KsqlError } from '../../common/errors.js';
import { formatDate, formatTime, formatTimestamp, javaDoubleToString, parseDate, parseTime, parseTimestamp } from '../../common/javaformat.js';
import { formatType, type SqlType, typeEquals } from '../../common/types.js';

export type Converter = (v: unknown) => unknown;

const identity: Converter = (v) => v;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Java-style rendering of any runtime value (used by CAST(... AS STRING) and string functions). */
export function valueToString(v: unknown, t: SqlType): string {
  switch (t.kind) {
    case 'STRING':
      return v as string;
    case 'BOOLEAN':
      return v ? 'true' : 'false';
    case 'INTEGER':
    case 'BIGINT':
      return String(v);
    case 'DOUBLE':
      return javaDoubleToString(v as number);
    case 'DECIMAL':
      return formatDecimal(v as Decimal, t.scale);
    case 'DATE':
      return formatDate(v as number);
    case 'TIME':
      return formatTime(v as number);
    case 'TIMESTAMP':
      return formatTimestamp(v as number);
    case 'BYTES':
      return (v as Buffer).toString('base64');
    case 'ARRAY':
      return '[' + (v as unknown[]).map((e) => (e === null ? 'null' : valueToString(e, t.element))).join(', ') + ']';
    case 'MAP':
      return (
        '{' +
        [...(v as Map<unknown, unknown>)].map(([k, x]) => `${k === null ? 'null' : valueToString(k, t.key)}=${x === null ? 'null' : valueToString(x, t.value)}`).join(', ') +
        '}'
      );
    case 'STRUCT': {
      const o = v as Record<string, unknown>;
      return 'Struct{' + t.fields.filter((f) => o[f.name] !== null && o[f.name] !== undefined).map((f) => `${f.name}=${valueToString(o[f.name], f.type)}`).join(',') + '}';
    }
  }
}

function toDecimal(v: unknown, from: SqlType): Decimal {
  switch (from.kind) {
    case 'INTEGER':
    case 'BIGINT':
      return new Decimal(String(v));
    case 'DOUBLE':
      if (!Number.isFinite(v as number)) throw new EvalError(`Cannot convert ${v} to DECIMAL`);
      return new Decimal(javaDoubleToString(v as number).replace('E', 'e'));
    case 'DECIMAL':
      return v as Decimal;
    case 'STRING': {
      const s = (v as string).trim();
      try {
        return new Decimal(s);
      } catch {
        throw new EvalError(`Cannot convert '${v}' to DECIMAL`);
      }
    }
    default:
      throw new EvalError(`Cannot convert ${formatType(from)} to DECIMAL`);
  }
}

function checkedDecimal(d: Decimal, precision: number, scale: number): Decimal {
  const r = toScale(d, scale);
  if (!fitsPrecision(r, precision, scale)) throw new EvalError(`Numeric field overflow: A field with precision ${precision} and scale ${scale} must round to an absolute value less than 10^${precision - scale}. Got ${d.toString()}`);
  return r;
}

function parseJavaInt(s: string, bits: 32 | 64): bigint {
  const t = s.trim();
  if (!/^[+-]?\d+$/.test(t)) throw new EvalError(`Cannot convert '${s}' to ${bits === 32 ? 'INTEGER' : 'BIGINT'}`);
  const b = BigInt(t);
  const max = bits === 32 ? 2147483647n : 9223372036854775807n;
  if (b > max || b < -max - 1n) throw new EvalError(`Cannot convert '${s}' to ${bits === 32 ? 'INTEGER' : 'BIGINT'}: out of range`);
  return b;
}

function parseJavaDouble(s: string): number {
  const t = s.trim();
  if (/^[+-]?(NaN|Infinity)$/.test(t)) return Number(t);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) throw new EvalError(`Cannot convert '${s}' to DOUBLE`);
  return Number(t.replace(/[dDfF]$/, ''));
}

/** Java's (int) narrowing of a double: truncation, NaN -> 0, saturation at the bounds. */
function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= INT_MAX) return INT_MAX;
  if (d <= INT_MIN) return INT_MIN;
  return Math.trunc(d);
}
function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 9223372036854775807) return 9223372036854775807n;
  if (d <= -9223372036854775808) return -9223372036854775808n;
  return BigInt(Math.trunc(d));
}

function parseBoolean(s: string): boolean {
  const t = s.trim().toLowerCase();
  if (t === 'true' || t === 't' || t === 'yes' || t === 'y') return true;
  if (t === 'false' || t === 'f' || t === 'no' || t === 'n') return false;
  throw new EvalError(`Cannot convert '${s}' to BOOLEAN`);
}

/** Whether CAST(from AS to) is allowed (ksqlDB rejects the statement otherwise). */
export function canCast(from: SqlType, to: SqlType): boolean {
  if (typeEquals(from, to)) return true;
  const f = from.kind;
  const t = to.kind;
  if (t === 'STRING') return true;
  if (f === 'STRING') return ['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'DATE', 'TIME', 'TIMESTAMP', 'BYTES'].includes(t) || false;
  const numeric = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL'];
  if (numeric.includes(f) && numeric.includes(t)) return true;
  if (f === 'TIMESTAMP' && (t === 'DATE' || t === 'TIME')) return true;
  if (f === 'DATE' && t === 'TIMESTAMP') return true;
  if (f === 'ARRAY' && t === 'ARRAY') return canCast(from.element, to.element);
  if (f === 'MAP' && t === 'MAP') return canCast(from.key, to.key) && canCast(from.value, to.value);
  if (f === 'STRUCT' && t === 'STRUCT') return to.fields.every((tf) => { const ff = from.fields.find((x) => x.name === tf.name); return !ff || canCast(ff.type, tf.type); });
  return false;
}

/** Build the converter for CAST(from AS to). Throws KsqlError at plan time when not castable. */
export function castConverter(from: SqlType | null, to: SqlType): Converter {
  if (from === null) return () => null;
  if (typeEquals(from, to)) return identity;
  if (!canCast(from, to)) throw new KsqlError(`Cast of ${formatType(from)} to ${formatType(to)} is not supported`);
  const conv = rawConverter(from, to);
  return (v) => (v === null || v === undefined ? null : conv(v));
}

function rawConverter(from: SqlType, to: SqlType): Converter {
  switch (to.kind) {
    case 'STRING':
      return (v) => valueToString(v, from);
    case 'BOOLEAN':
      return (v) => parseBoolean(v as string);
    case 'INTEGER':
      switch (from.kind) {
        case 'BIGINT':
          return (v) => Number(BigInt.asIntN(32, v as bigint));
        case 'DOUBLE':
          return (v) => doubleToInt(v as number);
        case 'DECIMAL':
          return (v) => Number(BigInt.asIntN(32, BigInt((v as Decimal).trunc().toFixed(0))));
        case 'STRING':
          return (v) => Number(parseJavaInt(v as string, 32));
        default:
          return identity;
      }
    case 'BIGINT':
      switch (from.kind) {
        case 'INTEGER':
          return (v) => BigInt(v as number);
        case 'DOUBLE':
          return (v) => doubleToLong(v as number);
        case 'DECIMAL':
          return (v) => BigInt.asIntN(64, BigInt((v as Decimal).trunc().toFixed(0)));
        case 'STRING':
          return (v) => parseJavaInt(v as string, 64);
        default:
          return identity;
      }
    case 'DOUBLE':
      switch (from.kind) {
        case 'INTEGER':
          return identity;
        case 'BIGINT':
          return (v) => Number(v as bigint);
        case 'DECIMAL':
          return (v) => (v as Decimal).toNumber();
        case 'STRING':
          return (v) => parseJavaDouble(v as string);
        default:
          return identity;
      }
    case 'DECIMAL': {
      const { precision, scale } = to;
      return (v) => checkedDecimal(toDecimal(v, from), precision, scale);
    }
    case 'TIMESTAMP':
      if (from.kind === 'STRING') return (v) => wrapParse(() => parseTimestamp(v as string));
      if (from.kind === 'DATE') return (v) => (v as number) * 86400000;
      return identity;
    case 'DATE':
      if (from.kind === 'STRING') return (v) => wrapParse(() => parseDate(v as string));
      if (from.kind === 'TIMESTAMP') return (v) => Math.floor((v as number) / 86400000);
      return identity;
    case 'TIME':
      if (from.kind === 'STRING') return (v) => wrapParse(() => parseTime(v as string));
      if (from.kind === 'TIMESTAMP') return (v) => (((v as number) % 86400000) + 86400000) % 86400000;
      return identity;
    case 'BYTES':
      if (from.kind === 'STRING') return (v) => Buffer.from(v as string, 'base64');
      return identity;
    case 'ARRAY': {
      const el = castConverter((from as { element: SqlType }).element, to.element);
      return (v) => (v as unknown[]).map(el);
    }
    case 'MAP': {
      const f = from as { key: SqlType; value: SqlType };
      const kc = castConverter(f.key, to.key);
      const vc = castConverter(f.value, to.value);
      return (v) => new Map([...(v as Map<unknown, unknown>)].map(([k, x]) => [kc(k), vc(x)]));
    }
    case 'STRUCT': {
      const ff = (from as { fields: { name: string; type: SqlType }[] }).fields;
      const convs = to.fields.map((tf) => {
        const src = ff.find((x) => x.name === tf.name);
        return { name: tf.name, src: src?.name, conv: src ? castConverter(src.type, tf.type) : () => null };
      });
      return (v) => {
        const o = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const c of convs) out[c.name] = c.src === undefined ? null : c.conv(o[c.src] ?? null);
        return out;
      };
    }
  }
}

function wrapParse<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new EvalError((e as Error).message);
  }
}

/** Exact equality of two runtime values of the same type (used by =, IN, DISTINCT FROM, GROUP BY keys). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (isDecimal(a)) return isDecimal(b) && a.eq(b);
  if (typeof a === 'bigint' || typeof b === 'bigint') return a == b; // eslint-disable-line eqeqeq
  if (Buffer.isBuffer(a)) return Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !valuesEqual(v, b.get(k))) return false;
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => valuesEqual((a as Record<string, unknown>)[k] ?? null, (b as Record<string, unknown>)[k] ?? null));
  }
  return false;
}

/** Ordering of two non-null runtime values of one comparable type: <0, 0, >0. */
export function compareValues(a: unknown, b: unknown): number {
  if (isDecimal(a)) return a.cmp(b as Decimal);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (Buffer.isBuffer(a)) return Buffer.compare(a, b as Buffer);
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const x = a as number | bigint;
  const y = b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

export { INT_MAX, INT_MIN };
