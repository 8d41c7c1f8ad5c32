/**
 * Order-preserving binary encoding of store keys (arrays of runtime values).
 *
 * Byte order of two encodings (memcmp, as LevelDB and Buffer.compare see them) equals this total
 * order of the keys:
 *  - arrays compare element by element; a proper prefix sorts first ([] < [null] < [null, 1]);
 *  - values of different kinds order by kind: null < false < true < number < bigint < DECIMAL
 *    < string < bytes < array < map < struct (a key column has one type, so kinds only mix in
 *    degenerate cases; numbers of different kinds are NOT compared numerically);
 *  - numbers (INTEGER, DOUBLE, DATE, TIME, TIMESTAMP) numerically, with -Infinity first,
 *    -0 just before +0 (they are distinct keys, as the bytes of a serialized key are in ksqlDB)
 *    and every NaN as one value after +Infinity;
 *  - bigint numerically (64-bit signed range only, the BIGINT type);
 *  - Decimal numerically (-Infinity < finite < +Infinity < NaN; -0 is 0);
 *  - strings by their UTF-8 bytes (= by code point), bytes by byte;
 *  - maps by their entries sorted by encoded key (so insertion order does not matter);
 *  - structs field by field in their own field order, name then value.
 *
 * Every encoding is self-delimiting (prefix-free), so appending a fixed-width time after a key
 * keeps all entries of one key contiguous: this is what window and session keys rely on.
 */
import { isDecimal, Decimal } from '../../common/decimal.js';
import { ByteReader, ByteWriter, StateCodecError } from './bytes.js';
import type { StoreKey } from './types.js';

// Kind tags, in sort order. 0x00 ends an array/map/struct; strings/bytes end with 0x00 too and
// escape a literal 0x00 as 0x00 0xFF, which is why no tag may be 0xFF.
const END = 0x00;
const T_NULL = 0x01;
const T_FALSE = 0x02;
const T_TRUE = 0x03;
const T_NUMBER = 0x10;
const T_BIGINT = 0x11;
const T_DECIMAL = 0x12;
const T_STRING = 0x13;
const T_BYTES = 0x14;
const T_ARRAY = 0x20;
const T_MAP = 0x21;
const T_STRUCT = 0x22;
const FIELD = 0x01; // precedes each struct field name so that an empty name differs from END

// Decimal classes, in sort order.
const D_NEG_INF = 0x01;
const D_NEG = 0x02;
const D_ZERO = 0x03;
const D_POS = 0x04;
const D_POS_INF = 0x05;
const D_NAN = 0x06;

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const TWO_32 = 4294967296;

const writer = new ByteWriter();

/** The key's encoding as a Buffer (changelog and LevelDB form). */
export function encodeKey(key: StoreKey): Buffer {
  writer.reset();
  writeKey(writer, key);
  return writer.toBuffer();
}

/** The key's encoding as a binary string (one char per byte): the in-memory sorted-map form. */
export function encodeKeyString(key: StoreKey): string {
  writer.reset();
  writeKey(writer, key);
  return writer.toBinaryString();
}

export function decodeKey(buf: Buffer): StoreKey {
  const r = new ByteReader(buf);
  const key = readKey(r);
  if (!r.done) throw new StateCodecError(`${buf.length - r.pos} trailing bytes after key`);
  return key;
}

/** Append a whole key (top-level array, END-terminated) to `w`. */
export function writeKey(w: ByteWriter, key: StoreKey): void {
  if (!Array.isArray(key)) throw new StateCodecError(`a store key must be an array of values, got ${describe(key)}`);
  for (let i = 0; i < key.length; i++) writeValue(w, key[i], i);
  w.byte(END);
}

/** Read a whole key written by writeKey, leaving the reader just after it. */
export function readKey(r: ByteReader): StoreKey {
  return readArrayBody(r);
}

/**
 * Window/session times: 8 bytes, big-endian two's complement with the sign bit flipped, so that
 * negative times sort before positive ones. Times are integral milliseconds.
 */
export function writeTime(w: ByteWriter, t: number): void {
  if (!Number.isSafeInteger(t)) throw new StateCodecError(`a window time must be an integral number of milliseconds, got ${t}`);
  const hi = Math.floor(t / TWO_32);
  const lo = t - hi * TWO_32;
  w.ensure(8);
  w.buf.writeInt32BE(hi, w.pos);
  w.buf[w.pos] ^= 0x80;
  w.buf.writeUInt32BE(lo, w.pos + 4);
  w.pos += 8;
}

export function readTime(r: ByteReader): number {
  r.need(8, 'window time');
  const b = r.buf;
  const first = b[r.pos]! ^ 0x80;
  const hi = ((first << 24) | (b[r.pos + 1]! << 16) | (b[r.pos + 2]! << 8) | b[r.pos + 3]!) | 0;
  const lo = b.readUInt32BE(r.pos + 4);
  r.pos += 8;
  return hi * TWO_32 + lo;
}

/** The 8-byte time encoding as a binary string (for building in-memory range bounds). */
export function timeString(t: number): string {
  writer.reset();
  writeTime(writer, t);
  return writer.toBinaryString();
}

function writeValue(w: ByteWriter, v: unknown, at: number | string): void {
  switch (typeof v) {
    case 'number':
      w.byte(T_NUMBER);
      writeDouble(w, v);
      return;
    case 'string':
      w.byte(T_STRING);
      writeEscapedString(w, v);
      return;
    case 'boolean':
      w.byte(v ? T_TRUE : T_FALSE);
      return;
    case 'bigint':
      if (v < MIN_INT64 || v > MAX_INT64) throw new StateCodecError(`BIGINT key value ${v} is outside the 64-bit range`);
      w.byte(T_BIGINT);
      w.ensure(8);
      w.buf.writeBigInt64BE(v, w.pos);
      w.buf[w.pos] ^= 0x80;
      w.pos += 8;
      return;
    case 'object':
      break;
    default:
      throw new StateCodecError(`cannot use ${describe(v)} in a store key (at ${at})`);
  }
  if (v === null) {
    w.byte(T_NULL);
  } else if (Array.isArray(v)) {
    w.byte(T_ARRAY);
    for (let i = 0; i < v.length; i++) writeValue(w, v[i], `${at}[${i}]`);
    w.byte(END);
  } else if (v instanceof Uint8Array) {
    w.byte(T_BYTES);
    writeEscapedBytes(w, v);
  } else if (isDecimal(v)) {
    w.byte(T_DECIMAL);
    writeDecimal(w, v);
  } else if (v instanceof Map) {
    w.byte(T_MAP);
    writeMap(w, v, at);
  } else if (isPlainObject(v)) {
    w.byte(T_STRUCT);
    for (const name of Object.keys(v)) {
      w.byte(FIELD);
      writeEscapedString(w, name);
      writeValue(w, (v as Record<string, unknown>)[name], `${at}.${name}`);
    }
    w.byte(END);
  } else {
    throw new StateCodecError(`cannot use ${describe(v)} in a store key (at ${at})`);
  }
}

function writeDouble(w: ByteWriter, v: number): void {
  w.ensure(8);
  const b = w.buf;
  const p = w.pos;
  if (v !== v) {
    // one canonical NaN (positive quiet NaN), which then sorts after +Infinity
    b[p] = 0x7f; b[p + 1] = 0xf8; b[p + 2] = 0; b[p + 3] = 0; b[p + 4] = 0; b[p + 5] = 0; b[p + 6] = 0; b[p + 7] = 0;
  } else {
    b.writeDoubleBE(v, p);
  }
  if (b[p]! & 0x80) {
    for (let i = p; i < p + 8; i++) b[i] = ~b[i]! & 0xff;
  } else {
    b[p] ^= 0x80;
  }
  w.pos = p + 8;
}

const doubleScratch = Buffer.allocUnsafe(8);

function readDouble(r: ByteReader): number {
  r.need(8, 'number');
  const b = r.buf;
  if (b[r.pos]! & 0x80) {
    b.copy(doubleScratch, 0, r.pos, r.pos + 8);
    doubleScratch[0] ^= 0x80;
  } else {
    for (let i = 0; i < 8; i++) doubleScratch[i] = ~b[r.pos + i]! & 0xff;
  }
  r.pos += 8;
  return doubleScratch.readDoubleBE(0);
}

function writeEscapedString(w: ByteWriter, s: string): void {
  const n = s.length;
  w.ensure(n + 1);
  const b = w.buf;
  let p = w.pos;
  let i = 0;
  // ASCII without NUL: the bytes are the char codes
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c >= 0x80) break;
    b[p++] = c;
  }
  w.pos = p;
  if (i < n) writeEscapedBytes(w, Buffer.from(s.slice(i), 'utf8'));
  else w.byte(END);
}

function writeEscapedBytes(w: ByteWriter, src: Uint8Array): void {
  w.ensure(src.length * 2 + 1);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    b[p++] = c;
    if (c === 0) b[p++] = 0xff;
  }
  b[p++] = END;
  w.pos = p;
}

/** Read an escaped byte run up to its END, unescaped (a view into the input when nothing was escaped). */
function readEscaped(r: ByteReader, what: string): Buffer {
  const b = r.buf;
  const start = r.pos;
  let i = start;
  let escaped = false;
  for (;;) {
    if (i >= r.end) throw new StateCodecError(`unterminated ${what} at byte ${start}`);
    if (b[i] === 0) {
      if (i + 1 < r.end && b[i + 1] === 0xff) {
        escaped = true;
        i += 2;
        continue;
      }
      break;
    }
    i++;
  }
  r.pos = i + 1;
  if (!escaped) return b.subarray(start, i);
  const out = Buffer.allocUnsafe(i - start);
  let o = 0;
  for (let j = start; j < i; j++) {
    out[o++] = b[j]!;
    if (b[j] === 0) j++; // skip the 0xFF escape
  }
  return out.subarray(0, o);
}

function writeDecimal(w: ByteWriter, d: Decimal): void {
  if (d.isNaN()) return w.byte(D_NAN);
  if (!d.isFinite()) return w.byte(d.isNegative() ? D_NEG_INF : D_POS_INF);
  if (d.isZero()) return w.byte(D_ZERO);
  const neg = d.isNegative();
  // |d| = m.mmm × 10^e ; digits are stored one per byte (digit + 1) after the exponent, so a
  // longer significand with the same prefix sorts after (0.12 < 0.123) and END closes it.
  const text = d.abs().toExponential();
  const ePos = text.indexOf('e');
  const exponent = Number(text.slice(ePos + 1));
  const digits = text.slice(0, ePos).replace('.', '');
  w.byte(neg ? D_NEG : D_POS);
  const from = w.pos;
  writeDouble(w, exponent);
  w.ensure(digits.length + 1);
  for (let i = 0; i < digits.length; i++) w.buf[w.pos++] = digits.charCodeAt(i) - 0x30 + 1;
  w.buf[w.pos++] = END;
  // a negative number is its magnitude's encoding complemented: larger magnitude sorts first
  if (neg) for (let i = from; i < w.pos; i++) w.buf[i] = ~w.buf[i]! & 0xff;
}

function readDecimal(r: ByteReader): Decimal {
  const cls = r.byte('DECIMAL');
  switch (cls) {
    case D_NAN:
      return new Decimal(NaN);
    case D_NEG_INF:
      return new Decimal(-Infinity);
    case D_POS_INF:
      return new Decimal(Infinity);
    case D_ZERO:
      return new Decimal(0);
    case D_NEG:
    case D_POS:
      break;
    default:
      throw new StateCodecError(`bad DECIMAL class byte ${cls} at byte ${r.pos - 1}`);
  }
  const neg = cls === D_NEG;
  const flip = neg ? 0xff : 0;
  r.need(8, 'DECIMAL exponent');
  let exponent: number;
  if (neg) {
    const tmp = Buffer.allocUnsafe(8);
    for (let i = 0; i < 8; i++) tmp[i] = ~r.buf[r.pos + i]! & 0xff;
    exponent = readDouble(new ByteReader(tmp));
    r.pos += 8;
  } else {
    exponent = readDouble(r);
  }
  let digits = '';
  for (;;) {
    const b = r.byte('DECIMAL digits') ^ flip;
    if (b === END) break;
    if (b < 1 || b > 10) throw new StateCodecError(`bad DECIMAL digit byte at ${r.pos - 1}`);
    digits += String.fromCharCode(0x30 + b - 1);
  }
  if (digits.length === 0) throw new StateCodecError(`empty DECIMAL significand at byte ${r.pos}`);
  if (!Number.isSafeInteger(exponent)) throw new StateCodecError(`bad DECIMAL exponent ${exponent}`);
  return new Decimal(`${neg ? '-' : ''}${digits[0]}.${digits.slice(1) || '0'}e${exponent}`);
}

function writeMap(w: ByteWriter, m: Map<unknown, unknown>, at: number | string): void {
  // Equal maps must encode equally whatever their insertion order: sort entries by key bytes.
  const entries: [string, unknown][] = [];
  for (const [k, v] of m) {
    const sub = new ByteWriter(32);
    writeValue(sub, k, `${at}{key}`);
    entries.push([sub.toBinaryString(), v]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [k, v] of entries) {
    w.bytes(Buffer.from(k, 'latin1'));
    writeValue(w, v, `${at}{value}`);
  }
  w.byte(END);
}

function readArrayBody(r: ByteReader): unknown[] {
  const out: unknown[] = [];
  for (;;) {
    const tag = r.byte('key');
    if (tag === END) return out;
    out.push(readTagged(r, tag));
  }
}

function readTagged(r: ByteReader, tag: number): unknown {
  switch (tag) {
    case T_NULL:
      return null;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_NUMBER:
      return readDouble(r);
    case T_BIGINT: {
      r.need(8, 'BIGINT');
      const hi = r.buf.readUInt32BE(r.pos) ^ 0x80000000;
      const lo = r.buf.readUInt32BE(r.pos + 4);
      r.pos += 8;
      return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo));
    }
    case T_DECIMAL:
      return readDecimal(r);
    case T_STRING:
      return readEscaped(r, 'string').toString('utf8');
    case T_BYTES:
      return Buffer.from(readEscaped(r, 'bytes'));
    case T_ARRAY:
      return readArrayBody(r);
    case T_MAP: {
      const m = new Map<unknown, unknown>();
      for (;;) {
        const t = r.byte('map');
        if (t === END) return m;
        const k = readTagged(r, t);
        m.set(k, readTagged(r, r.byte('map value')));
      }
    }
    case T_STRUCT: {
      const o: Record<string, unknown> = {};
      for (;;) {
        const t = r.byte('struct');
        if (t === END) return o;
        if (t !== FIELD) throw new StateCodecError(`bad struct field marker ${t} at byte ${r.pos - 1}`);
        const name = readEscaped(r, 'field name').toString('utf8');
        setField(o, name, readTagged(r, r.byte('struct field')));
      }
    }
    default:
      throw new StateCodecError(`bad key tag 0x${tag.toString(16)} at byte ${r.pos - 1}`);
  }
}

/** Assign a decoded field; `__proto__` as a field name must become an own property. */
export function setField(o: Record<string, unknown>, name: string, v: unknown): void {
  if (name === '__proto__') Object.defineProperty(o, name, { value: v, enumerable: true, writable: true, configurable: true });
  else o[name] = v;
}

export function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object of class ${(v as object).constructor?.name ?? 'unknown'}`;
  return `a ${typeof v}`;
}

/** Window key (key ‖ start) as a binary string, for the in-memory window store. */
export function windowKeyString(key: StoreKey, start: number): string {
  writer.reset();
  writeKey(writer, key);
  writeTime(writer, start);
  return writer.toBinaryString();
}

/** Session key (key ‖ end ‖ start) as a binary string, for the in-memory session store. */
export function sessionKeyString(key: StoreKey, start: number, end: number): string {
  writer.reset();
  writeKey(writer, key);
  writeTime(writer, end);
  writeTime(writer, start);
  return writer.toBinaryString();
}

/** Clamp a query bound to the representable time range (callers may pass ±Infinity). */
export function clampTime(t: number, roundUp: boolean): number {
  if (Number.isNaN(t)) throw new StateCodecError('a window time bound must not be NaN');
  if (t <= Number.MIN_SAFE_INTEGER) return Number.MIN_SAFE_INTEGER;
  if (t >= Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  return roundUp ? Math.ceil(t) : Math.floor(t);
}
