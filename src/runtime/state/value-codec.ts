/**
 * Binary encoding of store values (any runtime value, see src/common/types.ts), for the
 * changelog and LevelDB. Unlike keys, values need no order, so this is a compact tagged format
 * with length prefixes. Why not v8.serialize: it turns a Decimal into a plain object (the
 * prototype is lost) and cannot be taught otherwise for JS class instances, and walking every
 * value to wrap Decimals first would cost as much as encoding it ourselves.
 *
 * Layout: a format byte (FORMAT_V1) then one tagged value. Numbers keep -0 and NaN exactly.
 */
import { isDecimal, Decimal } from '../../common/decimal.js';
import { ByteReader, ByteWriter, StateCodecError } from './bytes.js';
import { describe, isPlainObject, setField } from './key-codec.js';

const FORMAT_V1 = 0x01;

const T_NULL = 0x00;
const T_UNDEFINED = 0x01;
const T_FALSE = 0x02;
const T_TRUE = 0x03;
const T_INT32 = 0x04;
const T_FLOAT64 = 0x05;
const T_BIGINT64 = 0x06;
const T_BIGINT_TEXT = 0x07; // beyond 64 bits (intermediate values), as decimal text
const T_DECIMAL = 0x08; // as text: decimal.js round-trips its own toString exactly
const T_STRING = 0x09;
const T_BYTES = 0x0a;
const T_ARRAY = 0x0b;
const T_MAP = 0x0c;
const T_STRUCT = 0x0d;
const T_BIGINT32 = 0x0e; // a bigint that fits 32 bits (counts): cheaper than the 64-bit path

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT32N = -(2n ** 31n);
const MAX_INT32N = 2n ** 31n - 1n;

const writer = new ByteWriter(1024);
let depth = 0;

export function encodeValue(v: unknown): Buffer {
  // nested calls cannot happen (no user callbacks run while encoding), but guard the shared
  // writer anyway so a future change cannot corrupt output silently
  if (depth > 0) throw new Error('encodeValue re-entered');
  depth++;
  try {
    writer.reset();
    writer.byte(FORMAT_V1);
    write(writer, v, 0);
    return writer.toBuffer();
  } finally {
    depth--;
  }
}

export function decodeValue(buf: Buffer): unknown {
  const r = new ByteReader(buf);
  const format = r.byte('value');
  if (format !== FORMAT_V1) throw new StateCodecError(`unknown state value format ${format}`);
  const v = read(r);
  if (!r.done) throw new StateCodecError(`${buf.length - r.pos} trailing bytes after value`);
  return v;
}

const MAX_DEPTH = 1000;

function write(w: ByteWriter, v: unknown, level: number): void {
  if (level > MAX_DEPTH) throw new StateCodecError('value nested too deeply (cyclic?)');
  switch (typeof v) {
    case 'number':
      if ((v | 0) === v && !Object.is(v, -0)) {
        w.ensure(5);
        w.buf[w.pos++] = T_INT32;
        w.buf.writeInt32LE(v, w.pos);
        w.pos += 4;
      } else {
        w.ensure(9);
        w.buf[w.pos++] = T_FLOAT64;
        w.buf.writeDoubleLE(v, w.pos);
        w.pos += 8;
      }
      return;
    case 'string':
      w.byte(T_STRING);
      writeString(w, v);
      return;
    case 'boolean':
      w.byte(v ? T_TRUE : T_FALSE);
      return;
    case 'undefined':
      w.byte(T_UNDEFINED);
      return;
    case 'bigint':
      if (v >= MIN_INT32N && v <= MAX_INT32N) {
        w.ensure(5);
        w.buf[w.pos++] = T_BIGINT32;
        w.buf.writeInt32LE(Number(v), w.pos);
        w.pos += 4;
      } else if (v >= MIN_INT64 && v <= MAX_INT64) {
        w.ensure(9);
        w.buf[w.pos++] = T_BIGINT64;
        w.buf.writeBigInt64LE(v, w.pos);
        w.pos += 8;
      } else {
        w.byte(T_BIGINT_TEXT);
        writeString(w, v.toString());
      }
      return;
    case 'object':
      break;
    default:
      throw new StateCodecError(`cannot store ${describe(v)} as a state value`);
  }
  if (v === null) {
    w.byte(T_NULL);
  } else if (Array.isArray(v)) {
    w.byte(T_ARRAY);
    w.varint(v.length);
    for (let i = 0; i < v.length; i++) write(w, v[i], level + 1);
  } else if (v instanceof Uint8Array) {
    w.byte(T_BYTES);
    w.varint(v.length);
    w.bytes(v);
  } else if (isDecimal(v)) {
    w.byte(T_DECIMAL);
    writeString(w, v.toString());
  } else if (v instanceof Map) {
    w.byte(T_MAP);
    w.varint(v.size);
    for (const [k, x] of v) {
      write(w, k, level + 1);
      write(w, x, level + 1);
    }
  } else if (isPlainObject(v)) {
    const names = Object.keys(v);
    w.byte(T_STRUCT);
    w.varint(names.length);
    for (const name of names) {
      writeString(w, name);
      write(w, (v as Record<string, unknown>)[name], level + 1);
    }
  } else {
    throw new StateCodecError(`cannot store ${describe(v)} as a state value`);
  }
}

function writeString(w: ByteWriter, s: string): void {
  const n = s.length;
  if (n < 0x80) {
    // short ASCII (most names and values): copy char codes, no native call
    w.ensure(n + 1);
    const b = w.buf;
    const lenPos = w.pos;
    let p = lenPos + 1;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[p++] = c;
    }
    if (i === n) {
      b[lenPos] = n;
      w.pos = p;
      return;
    }
  }
  writeStringUtf8(w, s);
}

function writeStringUtf8(w: ByteWriter, s: string): void {
  // length prefix first: reserve the worst case, write, then move the bytes if the varint
  // turned out shorter than reserved (rare: only strings of 128+ bytes)
  const max = s.length * 3;
  w.ensure(max + 8); // >= 8 so the varint below never reallocates (which would drop the bytes past pos)
  const lenPos = w.pos;
  const lenBytes = max < 0x80 ? 1 : max < 0x4000 ? 2 : max < 0x200000 ? 3 : 5;
  const n = w.buf.write(s, lenPos + lenBytes, 'utf8');
  const actual = n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
  if (actual !== lenBytes) w.buf.copy(w.buf, lenPos + actual, lenPos + lenBytes, lenPos + lenBytes + n);
  w.pos = lenPos;
  w.varint(n);
  w.pos = lenPos + actual + n;
}

function readString(r: ByteReader, what: string): string {
  const n = r.varint(what);
  r.need(n, what);
  const b = r.buf;
  const start = r.pos;
  r.pos += n;
  if (n < 32) {
    // short ASCII without a native call (strings are what most values hold)
    let s = '';
    for (let i = start; i < start + n; i++) {
      const c = b[i]!;
      if (c >= 0x80) return b.toString('utf8', start, start + n);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return b.toString('utf8', start, start + n);
}

function read(r: ByteReader): unknown {
  const tag = r.byte('value');
  switch (tag) {
    case T_NULL:
      return null;
    case T_UNDEFINED:
      return undefined;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_INT32: {
      r.need(4, 'INTEGER');
      const v = r.buf.readInt32LE(r.pos);
      r.pos += 4;
      return v;
    }
    case T_FLOAT64: {
      r.need(8, 'DOUBLE');
      const v = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return v;
    }
    case T_BIGINT32: {
      r.need(4, 'BIGINT');
      const v = BigInt(r.buf.readInt32LE(r.pos));
      r.pos += 4;
      return v;
    }
    case T_BIGINT64: {
      r.need(8, 'BIGINT');
      const v = r.buf.readBigInt64LE(r.pos);
      r.pos += 8;
      return v;
    }
    case T_BIGINT_TEXT:
      return parseText(readString(r, 'BIGINT'), BigInt, 'BIGINT');
    case T_DECIMAL:
      return parseText(readString(r, 'DECIMAL'), (t) => new Decimal(t), 'DECIMAL');
    case T_STRING:
      return readString(r, 'string');
    case T_BYTES: {
      const n = r.varint('bytes');
      r.need(n, 'bytes');
      const v = Buffer.from(r.buf.subarray(r.pos, r.pos + n));
      r.pos += n;
      return v;
    }
    case T_ARRAY: {
      const n = r.varint('array');
      if (n > r.end - r.pos) throw new StateCodecError(`array length ${n} exceeds the remaining bytes`);
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = read(r);
      return out;
    }
    case T_MAP: {
      const n = r.varint('map');
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        const k = read(r);
        m.set(k, read(r));
      }
      return m;
    }
    case T_STRUCT: {
      const n = r.varint('struct');
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const name = readString(r, 'field name');
        setField(o, name, read(r));
      }
      return o;
    }
    default:
      throw new StateCodecError(`bad value tag 0x${tag.toString(16)} at byte ${r.pos - 1}`);
  }
}

function parseText<T>(text: string, parse: (t: string) => T, what: string): T {
  try {
    return parse(text);
  } catch {
    throw new StateCodecError(`bad ${what} text ${JSON.stringify(text.slice(0, 40))}`);
  }
}
