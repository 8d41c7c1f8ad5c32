/**
 * Avro with a schema registry: values are written with a registered writer schema (the
 * `schemaId` one, the subject's latest, or the columns' own registered), framed with its id,
 * and read with the writer schema the id names, then mapped onto the reader's columns by
 * name, case-insensitively (ksqlDB's connect-data translation). The walkers here follow the
 * schema JSON (not avsc's types) so logical types (decimal, dates, timestamps) are known.
 */
import avro from 'avsc';
import { Decimal, isDecimal } from '../../common/decimal.js';
import type { SchemaRegistryClient } from '../../schema-registry/types.js';
import { SerdeError } from './errors.js';
import { fromDecimal } from './decimal-fit.js';

type AvroJson = string | AvroJson[] | { [k: string]: unknown };

export interface ParsedAvro {
  json: AvroJson;
  type: avro.Type;
  named: Map<string, AvroJson>;
}

// Avro longs as exact bigints (avsc's default long is a JS number that refuses > 2^53).
export const BigIntLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(0),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n, 0);
    return buf;
  },
  fromJSON: (v: unknown) => BigInt(v as string | number),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint' && BigInt.asIntN(64, n) === n,
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

export function avscType(schema: unknown, registry: Record<string, avro.Type> = {}): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, {
    registry: { long: BigIntLong, ...registry },
    // object schemas such as {type: long, logicalType: timestamp-millis} bypass the registry
    typeHook: (s: avro.Schema) => (typeof s === 'object' && (s as { type?: unknown }).type === 'long' ? BigIntLong : undefined),
    wrapUnions: 'auto',
    omitRecordMethods: true,
  });
}

function collectNamed(s: AvroJson, ns: string | undefined, out: Map<string, AvroJson>): void {
  if (Array.isArray(s)) {
    for (const b of s) collectNamed(b, ns, out);
    return;
  }
  if (typeof s !== 'object') return;
  const t = s['type'];
  if (t === 'record' || t === 'error' || t === 'enum' || t === 'fixed') {
    const name = String(s['name'] ?? '');
    const space = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : ((s['namespace'] as string | undefined) ?? ns);
    out.set(name, s);
    out.set(name.includes('.') || !space ? name : `${space}.${name}`, s);
    out.set(name.split('.').pop()!, s);
    if (t === 'record' || t === 'error') for (const f of (s['fields'] ?? []) as { type: AvroJson }[]) collectNamed(f.type, space, out);
  } else if (t === 'array') collectNamed(s['items'] as AvroJson, ns, out);
  else if (t === 'map') collectNamed(s['values'] as AvroJson, ns, out);
  else if (typeof t === 'object') collectNamed(t as AvroJson, ns, out);
}

export function parseAvroSchema(text: string, references: ReadonlyMap<string, string> = new Map()): ParsedAvro {
  const registry: Record<string, avro.Type> = {};
  const named = new Map<string, AvroJson>();
  try {
    for (const ref of references.values()) {
      const refJson = JSON.parse(ref) as AvroJson;
      collectNamed(refJson, undefined, named);
      avscType(refJson, registry);
    }
    let json: AvroJson;
    try {
      json = JSON.parse(text) as AvroJson;
    } catch {
      json = text.trim();
    }
    collectNamed(json, undefined, named);
    return { json, type: avscType(json, registry), named };
  } catch (e) {
    throw new SerdeError(`Invalid Avro schema: ${(e as Error).message}`, { cause: e });
  }
}

const parsedById = new WeakMap<SchemaRegistryClient, Map<number, ParsedAvro>>();

export function registryAvro(registry: SchemaRegistryClient, id: number): ParsedAvro {
  let cache = parsedById.get(registry);
  if (!cache) parsedById.set(registry, (cache = new Map()));
  let parsed = cache.get(id);
  if (!parsed) {
    const s = registry.getById(id);
    if (s.schemaType !== 'AVRO') throw new SerdeError(`Schema ${id} is a ${s.schemaType} schema, not AVRO`);
    parsed = parseAvroSchema(s.schema, registry.resolveReferences(s.references));
    cache.set(id, parsed);
  }
  return parsed;
}

function resolve(s: AvroJson, named: Map<string, AvroJson>): AvroJson {
  for (let i = 0; i < 16 && typeof s === 'string' && named.has(s); i++) s = named.get(s)!;
  return s;
}

function branchName(b: AvroJson): string {
  if (typeof b === 'string') return b;
  if (Array.isArray(b)) return 'union';
  const t = b['type'];
  if (t === 'record' || t === 'enum' || t === 'fixed' || t === 'error') return String(b['name']);
  return typeof t === 'string' ? t : 'unknown';
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

/** A decoded Avro value as runtime values: records by field name, maps as Map, longs bigint, decimals Decimal. */
export function avroToRuntime(v: unknown, schema: AvroJson, named: Map<string, AvroJson>): unknown {
  if (v === null || v === undefined) return null;
  const s = resolve(schema, named);
  if (Array.isArray(s)) {
    const nonNull = s.filter((b) => b !== 'null');
    if (nonNull.length === 1) return avroToRuntime(v, nonNull[0]!, named);
    // wrapped union value {branch: value}: a struct with one field set, as Connect maps it
    const [[branch, inner]] = Object.entries(v as object) as [string, unknown][];
    const out: Record<string, unknown> = {};
    nonNull.forEach((b, i) => (out[`${branchName(b)}${i}`.toUpperCase()] = branchName(b) === branch || branchName(b).endsWith(`.${branch}`) ? avroToRuntime(inner, b, named) : null));
    return out;
  }
  if (typeof s === 'string') {
    if (s === 'long') return typeof v === 'bigint' ? v : BigInt(v as number);
    if (s === 'bytes') return Buffer.from(v as Buffer);
    return v;
  }
  const t = s['type'];
  if (s['logicalType'] === 'decimal' && (t === 'bytes' || t === 'fixed')) {
    const b = v as Buffer;
    let u = 0n;
    for (const byte of b) u = (u << 8n) | BigInt(byte);
    if (b.length > 0) u = BigInt.asIntN(b.length * 8, u);
    return new Decimal(`${u}e-${Number(s['scale'] ?? 0)}`);
  }
  switch (t) {
    case 'record':
    case 'error': {
      const out: Record<string, unknown> = {};
      for (const f of (s['fields'] ?? []) as { name: string; type: AvroJson }[]) out[f.name] = avroToRuntime((v as Record<string, unknown>)[f.name], f.type, named);
      return out;
    }
    case 'array':
      return (v as unknown[]).map((e) => avroToRuntime(e, s['items'] as AvroJson, named));
    case 'map':
      return new Map(Object.entries(v as object).map(([k, e]) => [k, avroToRuntime(e, s['values'] as AvroJson, named)]));
    case 'fixed':
      return Buffer.from(v as Buffer);
    case 'enum':
      return v;
    default:
      return avroToRuntime(v, t as AvroJson, named);
  }
}

function upperKeyed(obj: object): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const [k, v] of obj instanceof Map ? obj.entries() : Object.entries(obj)) m.set(String(k).toUpperCase(), v);
  return m;
}

function bad(v: unknown, what: string): never {
  throw new SerdeError(`Cannot serialize value of JS type ${typeof v} as Avro ${what}`);
}

/** A runtime value as avsc writes it for `schema` (struct fields matched case-insensitively). */
export function runtimeToAvro(v: unknown, schema: AvroJson, named: Map<string, AvroJson>, defaultValue?: unknown, lenient = false): unknown {
  const s = resolve(schema, named);
  if (lenient && v !== null && v !== undefined) v = coerceLeniently(v, s);
  if (v === null || v === undefined) {
    if (Array.isArray(s) && s.includes('null')) return null;
    if (defaultValue !== undefined) return runtimeToAvro(defaultValue, schema, named, undefined, lenient);
    if (s === 'null') return null;
    throw new SerdeError(`Cannot write null for the non-nullable Avro type ${JSON.stringify(schema).slice(0, 80)}`);
  }
  if (Array.isArray(s)) {
    const nonNull = s.filter((b) => b !== 'null');
    if (nonNull.length === 1) return runtimeToAvro(v, nonNull[0]!, named, undefined, lenient);
    for (const b of nonNull) {
      try {
        return { [branchName(b)]: runtimeToAvro(v, b, named, undefined, lenient) };
      } catch {
        // try the next branch
      }
    }
    return bad(v, 'union');
  }
  if (typeof s === 'string') {
    switch (s) {
      case 'boolean':
        return typeof v === 'boolean' ? v : bad(v, s);
      case 'int':
        return typeof v === 'number' ? Math.trunc(v) : typeof v === 'bigint' ? Number(v) : bad(v, s);
      case 'long':
        return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : bad(v, s);
      case 'float':
      case 'double':
        return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : isDecimal(v) ? v.toNumber() : bad(v, s);
      case 'string':
        return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : bad(v, s);
      case 'bytes':
        return Buffer.isBuffer(v) ? v : bad(v, s);
      case 'null':
        return null;
      default:
        return bad(v, s);
    }
  }
  const t = s['type'];
  if (s['logicalType'] === 'decimal' && t === 'bytes') {
    if (!isDecimal(v)) bad(v, 'decimal');
    return unscaledBytes(fromDecimal(v as Decimal, Number(s['scale'] ?? 0)).unscaled);
  }
  switch (t) {
    case 'record':
    case 'error': {
      if (typeof v !== 'object' || Array.isArray(v)) bad(v, 'record');
      const src = upperKeyed(v as object);
      const out: Record<string, unknown> = {};
      for (const f of (s['fields'] ?? []) as { name: string; type: AvroJson; default?: unknown }[]) {
        out[f.name] = runtimeToAvro(src.get(f.name.toUpperCase()), f.type, named, f.default, lenient);
      }
      return out;
    }
    case 'array':
      return Array.isArray(v) ? v.map((e) => runtimeToAvro(e, s['items'] as AvroJson, named, undefined, lenient)) : bad(v, 'array');
    case 'map': {
      const out: Record<string, unknown> = {};
      const entries = v instanceof Map ? [...v.entries()] : typeof v === 'object' ? Object.entries(v as object) : bad(v, 'map');
      for (const [k, e] of entries) out[String(k)] = runtimeToAvro(e, s['values'] as AvroJson, named, undefined, lenient);
      return out;
    }
    case 'enum':
      return typeof v === 'string' ? v : bad(v, 'enum');
    case 'fixed':
      return Buffer.isBuffer(v) ? v : bad(v, 'fixed');
    default:
      return runtimeToAvro(v, t as AvroJson, named, defaultValue, lenient);
  }
}

/** Test data (JSON) towards an Avro type: numbers for strings and back, numbers for decimals. */
function coerceLeniently(v: unknown, s: AvroJson): unknown {
  const t = typeof s === 'string' ? s : Array.isArray(s) ? undefined : (s['type'] as unknown);
  const logical = typeof s === 'object' && !Array.isArray(s) ? s['logicalType'] : undefined;
  if (logical === 'decimal' && (typeof v === 'number' || typeof v === 'string')) return new Decimal(String(v));
  if ((t === 'int' || t === 'long' || t === 'float' || t === 'double') && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) {
    return t === 'long' && /^-?[0-9]+$/.test(v.trim()) ? BigInt(v.trim()) : Number(v);
  }
  if (t === 'string' && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')) return String(v);
  if (t === 'bytes' && typeof v === 'string') return Buffer.from(v, 'base64');
  return v;
}
