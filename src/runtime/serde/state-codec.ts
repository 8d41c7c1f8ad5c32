/**
 * Encodings for state stores (LevelDB via classic-level).
 *
 * encodeState/decodeState: any runtime value (null, boolean, number, bigint, string, Buffer,
 * Decimal, Map, arrays, plain objects, nested) to bytes and back, via v8.serialize. V8 keeps
 * bigint, Map and typed arrays natively; Decimal and Buffer are tagged so they come back as
 * the same classes.
 *
 * encodeKey: an order-preserving byte encoding of a tuple of key values. For tuples a and b,
 * Buffer.compare(encodeKey(a), encodeKey(b)) orders them column by column, and encodeKey of a
 * prefix of a tuple is a byte prefix of encodeKey of the tuple. So a LevelDB range scan by key
 * prefix, or by (key, window start), is a byte-range scan: use keyPrefixRange().
 */
import v8 from 'node:v8';
import { Decimal, isDecimal } from '../../common/decimal.js';
import { SerdeError } from './errors.js';

// ---- values -------------------------------------------------------------------------------

const TAG = '\u0000sluice';

type Tagged = { [TAG]: 'd'; v: string } | { [TAG]: 'b'; v: Uint8Array };

function toSerializable(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Buffer.isBuffer(v)) return { [TAG]: 'b', v: new Uint8Array(v.buffer, v.byteOffset, v.length) } satisfies Tagged;
  if (isDecimal(v)) return { [TAG]: 'd', v: v.toString() } satisfies Tagged;
  if (Array.isArray(v)) return v.map(toSerializable);
  if (v instanceof Map) {
    const m = new Map<unknown, unknown>();
    for (const [k, e] of v) m.set(toSerializable(k), toSerializable(e));
    return m;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = toSerializable((v as Record<string, unknown>)[k]);
  return out;
}

function fromSerializable(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(fromSerializable);
  if (v instanceof Map) {
    const m = new Map<unknown, unknown>();
    for (const [k, e] of v) m.set(fromSerializable(k), fromSerializable(e));
    return m;
  }
  const rec = v as Record<string, unknown>;
  if (Object.hasOwn(rec, TAG)) {
    const t = rec as unknown as Tagged;
    return t[TAG] === 'd' ? new Decimal(t.v) : Buffer.from(t.v);
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) out[k] = fromSerializable(rec[k]);
  return out;
}

export function encodeState(value: unknown): Buffer {
  return v8.serialize(toSerializable(value));
}

export function decodeState(buf: Buffer): unknown {
  try {
    return fromSerializable(v8.deserialize(buf));
  } catch (e) {
    throw new SerdeError(`Corrupt state value: ${(e as Error).message}`, { cause: e });
  }
}

// ---- order-preserving keys ----------------------------------------------------------------
//
// Each value is a type byte followed by a body whose byte order matches the value order:
//   0x01 null (sorts first)
//   0x02 false / 0x03 true
//   0x10 number / bigint / Decimal: all numbers on one scale, see encodeNumber
//   0x20 string: UTF-8 with 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x00
//   0x30 Buffer: same escaping as strings
//   0x40 array / 0x50 Map / 0x60 plain object: elements, then 0x00 end marker
// The terminators make every encoding prefix-free, so concatenation preserves tuple order.

const T_NULL = 0x01;
const T_FALSE = 0x02;
const T_TRUE = 0x03;
const T_NUMBER = 0x10;
const T_STRING = 0x20;
const T_BYTES = 0x30;
const T_ARRAY = 0x40;
const T_MAP = 0x50;
const T_OBJECT = 0x60;
const END = 0x00;

function escapeBytes(b: Uint8Array, out: number[]): void {
  for (const byte of b) {
    out.push(byte);
    if (byte === 0x00) out.push(0xff);
  }
  out.push(0x00, 0x00);
}

/**
 * Numbers of any JS type (number, bigint, Decimal) in one order: sign byte, then for non-zero
 * values the decimal exponent and digits, complemented for negatives. Exact for all three.
 */
function encodeNumber(v: number | bigint | Decimal, out: number[]): void {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) {
      out.push(0x04); // NaN sorts after every number (as Java's Double.compare does)
      return;
    }
    if (v === Infinity) {
      out.push(0x03, 0xff);
      return;
    }
    if (v === -Infinity) {
      out.push(0x00);
      return;
    }
  }
  const d = isDecimal(v) ? v : new Decimal(typeof v === 'bigint' ? v.toString() : v);
  if (d.isZero()) {
    out.push(0x02);
    return;
  }
  const negative = d.isNegative();
  // digits d1d2...dn and exponent e with value = 0.d1d2...dn * 10^e
  const [mant, expText] = d.abs().toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '').replace(/0+$/, '');
  const exp = Number(expText) + 1;
  const body: number[] = [];
  // exponent as an offset 32-bit big-endian integer: larger exponent, larger magnitude
  const e = (exp + 0x8000_0000) >>> 0;
  body.push((e >>> 24) & 0xff, (e >>> 16) & 0xff, (e >>> 8) & 0xff, e & 0xff);
  // digits as bytes 0x01..0x0A then 0x00: shorter digit strings sort first at equal prefix
  for (const ch of digits) body.push(ch.charCodeAt(0) - 0x30 + 1);
  body.push(0x00);
  if (negative) {
    out.push(0x01);
    for (const b of body) out.push(0xff - b);
  } else {
    out.push(0x03);
    out.push(...body);
  }
}

function encodeKeyValue(v: unknown, out: number[]): void {
  if (v === null || v === undefined) {
    out.push(T_NULL);
    return;
  }
  switch (typeof v) {
    case 'boolean':
      out.push(v ? T_TRUE : T_FALSE);
      return;
    case 'number':
    case 'bigint':
      out.push(T_NUMBER);
      encodeNumber(v, out);
      return;
    case 'string':
      out.push(T_STRING);
      escapeBytes(Buffer.from(v, 'utf8'), out);
      return;
  }
  if (isDecimal(v)) {
    out.push(T_NUMBER);
    encodeNumber(v, out);
    return;
  }
  if (Buffer.isBuffer(v)) {
    out.push(T_BYTES);
    escapeBytes(v, out);
    return;
  }
  if (Array.isArray(v)) {
    out.push(T_ARRAY);
    for (const e of v) {
      out.push(0x01);
      encodeKeyValue(e, out);
    }
    out.push(END);
    return;
  }
  if (v instanceof Map) {
    out.push(T_MAP);
    for (const [k, e] of v) {
      out.push(0x01);
      encodeKeyValue(k, out);
      encodeKeyValue(e, out);
    }
    out.push(END);
    return;
  }
  if (typeof v === 'object') {
    out.push(T_OBJECT);
    for (const k of Object.keys(v)) {
      out.push(0x01);
      encodeKeyValue(k, out);
      encodeKeyValue((v as Record<string, unknown>)[k], out);
    }
    out.push(END);
    return;
  }
  throw new SerdeError(`Cannot encode a ${typeof v} as a state-store key`);
}

/** Order-preserving, prefix-compatible bytes for a tuple of key values. */
export function encodeKey(values: readonly unknown[]): Buffer {
  const out: number[] = [];
  for (const v of values) encodeKeyValue(v, out);
  return Buffer.from(out);
}

/**
 * Bounds for a LevelDB iterator over every key that starts with the tuple `prefix`:
 * { gte: encodeKey(prefix), lt: <first byte string after all such keys> }.
 */
export function keyPrefixRange(prefix: readonly unknown[]): { gte: Buffer; lt: Buffer } {
  const gte = encodeKey(prefix);
  // every encoded value starts with a type byte <= 0x60, so appending 0xFF bounds them all
  return { gte, lt: Buffer.concat([gte, Buffer.from([0xff])]) };
}
