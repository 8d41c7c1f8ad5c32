/**
 * Moving values between Sluice's runtime representation and protobufjs messages, guided by
 * the writer's protobuf field types (which may come from a registry schema rather than from
 * the columns): structs match message fields by name case-insensitively, as ksqlDB's
 * connect-data translator does. Nulls: a message field or a proto3 `optional`/wrapper field
 * may be absent (null); a plain scalar, repeated or map field cannot, so null writes the
 * default and reads back as it (0, "", false, [], {}).
 */
import protobuf from 'protobufjs';
import type { SqlType } from '../../common/types.js';
import { Decimal, isDecimal } from '../../common/decimal.js';
import { SerdeError } from './errors.js';
import { fromDecimal } from './decimal-fit.js';
import { fieldParam, isWrapperType } from './protobuf-schema.js';

const MS_PER_DAY = 86_400_000;

function upperKeyed(obj: object): Map<string, unknown> {
  const m = new Map<string, unknown>();
  const entries = obj instanceof Map ? [...obj.entries()] : Object.entries(obj);
  for (const [k, v] of entries) m.set(String(k).toUpperCase(), v);
  return m;
}

function bad(v: unknown, what: string): never {
  throw new SerdeError(`Cannot serialize value of JS type ${typeof v} as protobuf ${what}`);
}

function asBigInt(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (isDecimal(v)) return BigInt(v.trunc().toFixed(0));
  if (typeof v === 'string' && /^-?[0-9]+$/.test(v)) return BigInt(v);
  return bad(v, what);
}

function asNumber(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isDecimal(v)) return v.toNumber();
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return bad(v, what);
}

function unscaledBytes(u: bigint): Buffer {
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(BigInt.asUintN(8, u));
    bytes.unshift(byte);
    u >>= 8n;
    if ((u === 0n && (byte & 0x80) === 0) || (u === -1n && (byte & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

function bytesUnscaled(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let u = 0n;
  for (const byte of b) u = (u << 8n) | BigInt(byte);
  return BigInt.asIntN(b.length * 8, u);
}

function scalarToProto(v: unknown, type: string): unknown {
  switch (type) {
    case 'bool':
      return typeof v === 'boolean' ? v : bad(v, type);
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'uint32':
    case 'fixed32':
      return Number(asBigInt(v, type));
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64':
      return asBigInt(v, type).toString();
    case 'float':
    case 'double':
      return asNumber(v, type);
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : bad(v, type);
    case 'bytes':
      if (Buffer.isBuffer(v) || v instanceof Uint8Array) return v;
      if (typeof v === 'string') return Buffer.from(v, 'base64');
      return bad(v, type);
    default:
      return bad(v, type);
  }
}

/** A value for one (non-repeated) slot of `field`'s type, as protobufjs' fromObject takes it. */
function singleToProto(v: unknown, field: protobuf.Field): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    if (typeof v === 'string') {
      const n = resolved.values[v];
      if (n === undefined) throw new SerdeError(`Unknown value ${v} for protobuf enum ${resolved.name}`);
      return n;
    }
    return Number(asBigInt(v, 'enum'));
  }
  if (!(resolved instanceof protobuf.Type)) return scalarToProto(v, field.type);
  const full = resolved.fullName.replace(/^\./, '');
  if (isWrapperType(full)) return { value: scalarToProto(v, resolved.fields['value']!.type) };
  switch (full) {
    case 'confluent.type.Decimal': {
      const scale = Number(fieldParam(field, 'scale') ?? (isDecimal(v) ? v.decimalPlaces() : 0));
      const d = isDecimal(v) ? v : new Decimal(asNumber(v, 'decimal'));
      const precision = Number(fieldParam(field, 'precision') ?? d.precision(true));
      return { value: unscaledBytes(fromDecimal(d, scale).unscaled), precision, scale };
    }
    case 'google.type.Date': {
      const days = Number(asBigInt(v, 'date'));
      const d = new Date(days * MS_PER_DAY);
      return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    }
    case 'google.type.TimeOfDay': {
      const ms = Number(asBigInt(v, 'time'));
      return { hours: Math.floor(ms / 3_600_000), minutes: Math.floor(ms / 60_000) % 60, seconds: Math.floor(ms / 1000) % 60, nanos: (ms % 1000) * 1_000_000 };
    }
    case 'google.protobuf.Timestamp': {
      const ms = asBigInt(v, 'timestamp');
      const seconds = ms >= 0n ? ms / 1000n : -((-ms + 999n) / 1000n);
      return { seconds: seconds.toString(), nanos: Number(ms - seconds * 1000n) * 1_000_000 };
    }
  }
  return messageToProto(v, resolved);
}

/** A plain object protobufjs' fromObject accepts for `type`, from a struct-like value. */
export function messageToProto(v: unknown, type: protobuf.Type): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Buffer.isBuffer(v)) return bad(v, type.name);
  const src = upperKeyed(v);
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const fv = src.get(field.name.toUpperCase());
    if (fv === null || fv === undefined) continue;
    if (field.map) {
      const entries = fv instanceof Map ? [...fv.entries()] : typeof fv === 'object' ? Object.entries(fv as object) : bad(fv, 'map');
      const m: Record<string, unknown> = {};
      for (const [k, e] of entries) if (e !== null && e !== undefined) m[String(k)] = singleToProto(e, field);
      out[field.name] = m;
    } else if (field.repeated) {
      if (!Array.isArray(fv)) bad(fv, 'repeated field');
      // protobuf has no null elements: a null element is written as the default
      out[field.name] = (fv as unknown[]).map((e) => (e === null || e === undefined ? defaultOf(field) : singleToProto(e, field)));
    } else {
      out[field.name] = singleToProto(fv, field);
    }
  }
  return out;
}

function defaultOf(field: protobuf.Field): unknown {
  if (field.resolvedType instanceof protobuf.Type) return {};
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  switch (field.type) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    default:
      return 0;
  }
}

/** Whether an absent field reads as null (it has presence) rather than as its default. */
function hasPresence(field: protobuf.Field): boolean {
  if (field.repeated || field.map) return false;
  if (field.resolvedType instanceof protobuf.Type) return true;
  return field.options?.['proto3_optional'] === true || (field.partOf !== null && field.partOf !== undefined);
}

function scalarFromProto(v: unknown, type: string): unknown {
  if (v !== null && typeof v === 'object' && 'low' in (v as object) && 'high' in (v as object)) {
    const l = v as { low: number; high: number; unsigned: boolean };
    const n = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
    return l.unsigned ? n : BigInt.asIntN(64, n);
  }
  switch (type) {
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64':
    case 'uint32':
    case 'fixed32':
      return BigInt(v as number);
    case 'bytes':
      return Buffer.from(v as Uint8Array);
    default:
      return v;
  }
}

function singleFromProto(v: unknown, field: protobuf.Field): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return resolved.valuesById[v as number] ?? String(v);
  if (!(resolved instanceof protobuf.Type)) return scalarFromProto(v, field.type);
  if (v === null || v === undefined) return null;
  const full = resolved.fullName.replace(/^\./, '');
  const m = v as Record<string, unknown>;
  if (isWrapperType(full)) return scalarFromProto(m['value'] ?? defaultOf(resolved.fields['value']!), resolved.fields['value']!.type);
  switch (full) {
    case 'confluent.type.Decimal': {
      const scale = Number(m['scale'] ?? 0);
      return new Decimal(`${bytesUnscaled((m['value'] as Uint8Array | undefined) ?? new Uint8Array())}e-${scale}`);
    }
    case 'google.type.Date':
      return Math.round(Date.UTC(Number(m['year'] ?? 0), Number(m['month'] ?? 1) - 1, Number(m['day'] ?? 1)) / MS_PER_DAY);
    case 'google.type.TimeOfDay':
      return Number(m['hours'] ?? 0) * 3_600_000 + Number(m['minutes'] ?? 0) * 60_000 + Number(m['seconds'] ?? 0) * 1000 + Math.floor(Number(m['nanos'] ?? 0) / 1_000_000);
    case 'google.protobuf.Timestamp':
      return Number(scalarFromProto(m['seconds'] ?? 0, 'int64')) * 1000 + Math.floor(Number(m['nanos'] ?? 0) / 1_000_000);
  }
  return messageFromProto(m, resolved);
}

/**
 * A decoded message as an object keyed by the writer's field names, with runtime values
 * (int64 as bigint, decimals as Decimal, dates as days, ...).
 */
export function messageFromProto(msg: Record<string, unknown>, type: protobuf.Type): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const present = Object.prototype.hasOwnProperty.call(msg, field.name) && msg[field.name] !== null && msg[field.name] !== undefined;
    if (field.map) {
      const m = new Map<string, unknown>();
      for (const [k, e] of Object.entries((present ? msg[field.name] : {}) as object)) m.set(k, singleFromProto(e, field));
      out[field.name] = m;
    } else if (field.repeated) {
      out[field.name] = ((present ? msg[field.name] : []) as unknown[]).map((e) => singleFromProto(e, field));
    } else if (!present) {
      out[field.name] = hasPresence(field) ? null : scalarFromProto(defaultOf(field), field.type);
      if (field.resolvedType instanceof protobuf.Enum && out[field.name] !== null) out[field.name] = field.resolvedType.valuesById[0] ?? '0';
    } else {
      out[field.name] = singleFromProto(msg[field.name], field);
    }
  }
  return out;
}

/** A runtime value read from protobuf, converted to the reader column's SQL type. */
export function coerceToSql(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return typeof v === 'bigint' ? Number(v) : isDecimal(v) ? v.toNumber() : v;
    case 'BIGINT':
      return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : v;
    case 'DOUBLE':
      return typeof v === 'bigint' ? Number(v) : isDecimal(v) ? v.toNumber() : v;
    case 'DECIMAL':
      return isDecimal(v) ? v : new Decimal(String(v));
    case 'STRING':
      return typeof v === 'string' ? v : String(v);
    case 'ARRAY':
      return Array.isArray(v) ? v.map((e) => coerceToSql(e, t.element)) : null;
    case 'MAP': {
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object);
      return new Map(entries.map(([k, e]) => [k, coerceToSql(e, t.value)]));
    }
    case 'STRUCT': {
      const src = upperKeyed(v as object);
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[f.name] = coerceToSql(src.get(f.name.toUpperCase()), f.type);
      return out;
    }
    default:
      return v;
  }
}
