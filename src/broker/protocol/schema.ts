/**
 * Declarative message descriptions: each API lists its fields with the versions they exist in, and one
 * generic encoder/decoder walks them. Every version of an API therefore costs the same code; flexible
 * versions (KIP-482: compact lengths + tagged fields) are handled here once.
 */
import { Reader, ProtocolError } from './reader.js';
import { Writer } from './writer.js';

export type Prim = 'i8' | 'i16' | 'i32' | 'i64' | 'u16' | 'f64' | 'bool' | 'string' | 'bytes' | 'records' | 'uuid';
export type FieldType = Prim | Field[] | { array: Prim | Field[] };

export interface Field {
  name: string;
  type: FieldType;
  /** First version the field exists in (default 0). */
  min: number;
  /** Last version the field exists in (default: unbounded). */
  max: number;
  /** First version where null is allowed (strings, bytes, arrays). */
  nullableFrom: number;
  /** Tag number: the field lives in the tagged-field section of flexible versions only. */
  tag?: number;
  default?: unknown;
}

export interface FieldOptions {
  min?: number;
  max?: number;
  nullable?: number;
  tag?: number;
  default?: unknown;
}

/** Field constructor: `f('topics', [..], { min: 1 })`. */
export function f(name: string, type: FieldType, opts: FieldOptions = {}): Field {
  return {
    name,
    type,
    min: opts.min ?? 0,
    max: opts.max ?? Number.MAX_SAFE_INTEGER,
    nullableFrom: opts.nullable ?? Number.MAX_SAFE_INTEGER,
    tag: opts.tag,
    default: opts.default,
  };
}

/** Array-of-struct or array-of-primitive shorthand. */
export function arr(of: Prim | Field[]): FieldType {
  return { array: of };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = Record<string, any>;

function present(field: Field, version: number): boolean {
  return version >= field.min && version <= field.max;
}

function defaultFor(field: Field, version: number): unknown {
  if (field.default !== undefined) return field.default;
  const t = field.type;
  if (typeof t === 'string') {
    switch (t) {
      case 'i64': return 0n;
      case 'bool': return false;
      case 'string': return version >= field.nullableFrom ? null : '';
      case 'bytes': case 'records': return null;
      case 'uuid': return Buffer.alloc(16);
      default: return 0;
    }
  }
  if (Array.isArray(t)) return defaultStruct(t, version);
  return [];
}

function defaultStruct(fields: Field[], version: number): Msg {
  const out: Msg = {};
  for (const fl of fields) out[fl.name] = defaultFor(fl, version);
  return out;
}

// ---------------------------------------------------------------- decoding

function readPrim(r: Reader, t: Prim, flexible: boolean): unknown {
  switch (t) {
    case 'i8': return r.i8();
    case 'i16': return r.i16();
    case 'i32': return r.i32();
    case 'i64': return r.i64();
    case 'u16': return r.u16();
    case 'f64': return r.f64();
    case 'bool': return r.bool();
    case 'string': return r.string(flexible);
    case 'bytes': case 'records': return r.bytes(flexible);
    case 'uuid': return Buffer.from(r.bytesRaw(16));
  }
}

function readType(r: Reader, t: FieldType, version: number, flexible: boolean): unknown {
  if (typeof t === 'string') return readPrim(r, t, flexible);
  if (Array.isArray(t)) return decodeStruct(r, t, version, flexible);
  const n = r.arrayLength(flexible);
  if (n < 0) return null;
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(readType(r, t.array, version, flexible));
  return out;
}

export function decodeStruct(r: Reader, fields: Field[], version: number, flexible: boolean): Msg {
  const out: Msg = {};
  for (const fl of fields) {
    if (fl.tag !== undefined || !present(fl, version)) {
      out[fl.name] = defaultFor(fl, version);
      continue;
    }
    const v = readType(r, fl.type, version, flexible);
    if (v === null && version < fl.nullableFrom && fl.type !== 'records' && fl.type !== 'bytes') {
      // Kafka rejects nulls in non-nullable fields; keep going with the default so handlers see a value.
      out[fl.name] = defaultFor(fl, version);
    } else {
      out[fl.name] = v;
    }
  }
  if (flexible) {
    const tags = r.taggedFields();
    for (const fl of fields) {
      if (fl.tag === undefined || !present(fl, version)) continue;
      const raw = tags.get(fl.tag);
      if (raw) out[fl.name] = readType(new Reader(raw), fl.type, version, flexible);
    }
  }
  return out;
}

// ---------------------------------------------------------------- encoding

function writePrim(w: Writer, t: Prim, v: unknown, flexible: boolean): void {
  switch (t) {
    case 'i8': w.i8(Number(v ?? 0)); return;
    case 'i16': w.i16(Number(v ?? 0)); return;
    case 'i32': w.i32(Number(v ?? 0)); return;
    case 'i64': w.i64(typeof v === 'bigint' ? v : BigInt(Number(v ?? 0))); return;
    case 'u16': w.u16(Number(v ?? 0)); return;
    case 'f64': w.f64(Number(v ?? 0)); return;
    case 'bool': w.bool(Boolean(v)); return;
    case 'string': w.string(v as string | null, flexible); return;
    case 'bytes': case 'records': w.bytes(v as Buffer | null, flexible); return;
    case 'uuid': w.raw(v instanceof Buffer && v.length === 16 ? v : Buffer.alloc(16)); return;
  }
}

function writeType(w: Writer, t: FieldType, v: unknown, version: number, flexible: boolean): void {
  if (typeof t === 'string') return writePrim(w, t, v, flexible);
  if (Array.isArray(t)) return encodeStruct(w, t, (v ?? {}) as Msg, version, flexible);
  if (v === null || v === undefined) {
    w.arrayLength(null, flexible);
    return;
  }
  const items = v as unknown[];
  w.arrayLength(items.length, flexible);
  for (const item of items) writeType(w, t.array, item, version, flexible);
}

export function encodeStruct(w: Writer, fields: Field[], msg: Msg, version: number, flexible: boolean): void {
  for (const fl of fields) {
    if (fl.tag !== undefined || !present(fl, version)) continue;
    let v = msg[fl.name];
    if (v === undefined) v = defaultFor(fl, version);
    if (v === null && version < fl.nullableFrom && typeof fl.type !== 'string') v = [];
    if (v === null && version < fl.nullableFrom && fl.type === 'string') v = '';
    writeType(w, fl.type, v, version, flexible);
  }
  if (flexible) {
    const tagged = fields.filter((fl) => fl.tag !== undefined && present(fl, version) && msg[fl.name] !== undefined);
    w.uvarint(tagged.length);
    for (const fl of tagged.sort((a, b) => a.tag! - b.tag!)) {
      const sub = new Writer(32);
      writeType(sub, fl.type, msg[fl.name], version, flexible);
      const bytes = sub.result();
      w.uvarint(fl.tag!).uvarint(bytes.length).raw(bytes);
    }
  }
}

export function decodeMessage(buf: Buffer, start: number, fields: Field[], version: number, flexible: boolean): Msg {
  const r = new Reader(buf, start);
  const msg = decodeStruct(r, fields, version, flexible);
  return msg;
}

export { ProtocolError };
