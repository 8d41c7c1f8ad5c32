/**
 * ksqlDB's AVRO format without a schema registry: plain Avro binary (no magic byte or schema
 * id) written and read with the schema ksqlDB derives from the columns (avro-schema.ts).
 * avsc does the binary encoding; this file maps runtime values to and from what avsc holds:
 * BIGINT/TIMESTAMP longs as bigint, DECIMAL as two's-complement unscaled bytes, MAP as objects,
 * STRUCT field names made Avro-safe.
 */
import avro from 'avsc';
import type { SchemaRegistryClient } from '../../schema-registry/types.js';
import type { SqlType } from '../../common/types.js';
import { Decimal, isDecimal } from '../../common/decimal.js';
import { SerdeError } from './errors.js';
import { fromDecimal } from './decimal-fit.js';
import { avroFieldName, avroSchemaFor, DEFAULT_AVRO_SCHEMA_FULL_NAME } from './avro-schema.js';
import { isUnwrapped } from './json-serde.js';
import type { RowSerde, SerdeColumn, SerdeOptions } from './types.js';
import { BigIntLong, avroToRuntime, registryAvro, runtimeToAvro } from './avro-registry.js';
import { frame, unframe } from './sr-framing.js';
import { coerceToSql } from './protobuf-values.js';
import { subjectName } from './registry-schema.js';

function bad(v: unknown, t: SqlType): never {
  throw new SerdeError(`Cannot serialize value of JS type ${typeof v} as ${t.kind}`);
}

/** Two's-complement big-endian bytes of the unscaled value (java.math.BigInteger.toByteArray). */
function decimalBytes(v: Decimal, scale: number): Buffer {
  let u = fromDecimal(v, scale).unscaled;
  const bytes: number[] = [];
  // emit until the remaining value is just the sign extension of the last byte
  for (;;) {
    const byte = Number(BigInt.asUintN(8, u));
    bytes.unshift(byte);
    u >>= 8n;
    if ((u === 0n && (byte & 0x80) === 0) || (u === -1n && (byte & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

function bytesDecimal(b: Buffer, scale: number): Decimal {
  if (b.length === 0) return new Decimal(0);
  let u = 0n;
  for (const byte of b) u = (u << 8n) | BigInt(byte);
  u = BigInt.asIntN(b.length * 8, u);
  return new Decimal(`${u}e-${scale}`);
}

function toAvro(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'BOOLEAN':
      return typeof v === 'boolean' ? v : bad(v, t);
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'bigint') return Number(v);
      return bad(v, t);
    case 'BIGINT':
    case 'TIMESTAMP':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
      return bad(v, t);
    case 'DOUBLE':
      return typeof v === 'number' ? v : bad(v, t);
    case 'STRING':
      return typeof v === 'string' ? v : bad(v, t);
    case 'BYTES':
      return Buffer.isBuffer(v) ? v : bad(v, t);
    case 'DECIMAL':
      return isDecimal(v) ? decimalBytes(v, t.scale) : bad(v, t);
    case 'ARRAY':
      return Array.isArray(v) ? v.map((e) => toAvro(e, t.element)) : bad(v, t);
    case 'MAP': {
      const out: Record<string, unknown> = {};
      const entries = v instanceof Map ? [...v.entries()] : typeof v === 'object' ? Object.entries(v as object) : bad(v, t);
      for (const [k, e] of entries) out[String(k)] = toAvro(e, t.value);
      return out;
    }
    case 'STRUCT': {
      if (typeof v !== 'object' || Array.isArray(v)) bad(v, t);
      const src = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[avroFieldName(f.name)] = toAvro(src[f.name], f.type);
      return out;
    }
  }
}

function fromAvro(v: unknown, t: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'TIMESTAMP':
      return Number(v as bigint);
    case 'DECIMAL':
      return bytesDecimal(v as Buffer, t.scale);
    case 'BYTES':
      return Buffer.from(v as Buffer);
    case 'ARRAY':
      return (v as unknown[]).map((e) => fromAvro(e, t.element));
    case 'MAP':
      return new Map(Object.entries(v as Record<string, unknown>).map(([k, e]) => [k, fromAvro(e, t.value)]));
    case 'STRUCT': {
      const src = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[f.name] = fromAvro(src[avroFieldName(f.name)], f.type);
      return out;
    }
    default:
      return v;
  }
}

export function createAvroSerde(columns: readonly SerdeColumn[], properties: Record<string, string>, opts: SerdeOptions): RowSerde {
  const unwrapped = isUnwrapped(columns, opts);
  const fullName = properties['fullSchemaName'] ?? DEFAULT_AVRO_SCHEMA_FULL_NAME;
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(avroSchemaFor(columns, unwrapped, fullName) as avro.Schema, {
      registry: { long: BigIntLong },
      // object schemas such as {type: long, logicalType: timestamp-millis} bypass the registry
      typeHook: (schema: avro.Schema) =>
        typeof schema === 'object' && (schema as { type?: unknown }).type === 'long' ? BigIntLong : undefined,
      wrapUnions: 'auto',
      omitRecordMethods: true,
    });
  } catch (e) {
    throw new SerdeError(`Cannot build an Avro schema for the columns: ${(e as Error).message}`, { cause: e });
  }
  const rowType: SqlType = { kind: 'STRUCT', fields: columns.map((c) => ({ name: c.name, type: c.type })) };
  const target = opts.isKey ? 'key' : 'value';
  if (opts.registry) return registryAvroSerde(columns, properties, opts, unwrapped, type, rowType);

  return {
    deserialize(data) {
      if (data === null) return null;
      let decoded: unknown;
      try {
        decoded = type.fromBuffer(data);
      } catch (e) {
        throw new SerdeError(`Failed to deserialize ${target}: invalid Avro data (${(e as Error).message})`, { cause: e });
      }
      if (unwrapped) return [fromAvro(decoded, columns[0]!.type)];
      const obj = fromAvro(decoded, rowType) as Record<string, unknown>;
      return columns.map((c) => obj[c.name]);
    },
    serialize(values) {
      if (values === null) return null;
      if (values.length !== columns.length) {
        throw new SerdeError(`Column count mismatch on serialization. expected: ${columns.length}, got: ${values.length}`);
      }
      let avroValue: unknown;
      if (unwrapped) {
        if (values[0] === null || values[0] === undefined) return null;
        avroValue = toAvro(values[0], columns[0]!.type);
      } else {
        const obj: Record<string, unknown> = {};
        columns.forEach((c, i) => (obj[c.name] = values[i]));
        avroValue = toAvro(obj, rowType);
      }
      try {
        return type.toBuffer(avroValue);
      } catch (e) {
        throw new SerdeError(`Failed to serialize ${target} as Avro: ${(e as Error).message}`, { cause: e });
      }
    },
  };
}

/** The Avro schema (JSON) a serde for these columns writes with. */
export function avroSchemaJson(columns: readonly SerdeColumn[], opts: SerdeOptions, fullName?: string): string {
  return JSON.stringify(avroSchemaFor(columns, isUnwrapped(columns, opts), fullName));
}

/**
 * AVRO with a registry: Confluent framing; written with the `schemaId` schema, the subject's
 * latest (useLatestSchema) or the columns' schema registered under the subject; read with the
 * writer schema the id names, mapped onto the columns by name.
 */
function registryAvroSerde(
  columns: readonly SerdeColumn[],
  properties: Record<string, string>,
  opts: SerdeOptions,
  unwrapped: boolean,
  ownType: avro.Type,
  rowType: SqlType,
): RowSerde {
  const registry = opts.registry!;
  const target = opts.isKey ? 'key' : 'value';
  const where = opts.topic === undefined ? '' : ` from topic: ${opts.topic}`;
  let writer: { id: number; foreign: boolean } | undefined;
  const chooseWriter = (): { id: number; foreign: boolean } => {
    const idText = properties['schemaId'];
    if (idText !== undefined) return { id: Number(idText), foreign: true };
    const subject = opts.topic === undefined ? undefined : subjectName(opts.topic, opts.isKey);
    if (subject && opts.useLatestSchema) {
      const latest = registry.getLatest(subject);
      if (latest && latest.schemaType === 'AVRO') return { id: latest.id, foreign: true };
    }
    const schema = avroSchemaJson(columns, opts, properties['fullSchemaName']);
    if (!subject) throw new SerdeError('AVRO with a schema registry needs the topic name to register its schema');
    try {
      return { id: registry.register(subject, { schemaType: 'AVRO', schema }), foreign: false };
    } catch (e) {
      throw new SerdeError(`Cannot register the schema for ${subject}: ${(e as Error).message}`, { cause: e });
    }
  };
  return {
    deserialize(data) {
      if (data === null) return null;
      let generic: unknown;
      try {
        const u = unframe(data, false, `${target}${where}`);
        const parsed = registryAvro(registry, u.schemaId);
        generic = avroToRuntime(parsed.type.fromBuffer(u.payload), parsed.json, parsed.named);
      } catch (e) {
        const msg = (e as Error).message;
        throw new SerdeError(msg.startsWith('Failed to deserialize') ? msg : `Failed to deserialize ${target}${where}: invalid Avro data (${msg})`, { cause: e });
      }
      if (unwrapped) return [coerceToSql(generic, columns[0]!.type)];
      if (generic === null) return null;
      const obj = coerceToSql(generic, rowType) as Record<string, unknown>;
      return columns.map((c) => obj[c.name]);
    },
    serialize(values) {
      if (values === null) return null;
      if (values.length !== columns.length) {
        throw new SerdeError(`Column count mismatch on serialization. expected: ${columns.length}, got: ${values.length}`);
      }
      if (unwrapped && (values[0] === null || values[0] === undefined)) return null;
      writer ??= chooseWriter();
      try {
        if (!writer.foreign) {
          let avroValue: unknown;
          if (unwrapped) avroValue = toAvro(values[0], columns[0]!.type);
          else {
            const obj: Record<string, unknown> = {};
            columns.forEach((c, i) => (obj[c.name] = values[i]));
            avroValue = toAvro(obj, rowType);
          }
          return frame(writer.id, ownType.toBuffer(avroValue));
        }
        const parsed = registryAvro(registry, writer.id);
        let runtime: unknown;
        if (unwrapped) runtime = values[0];
        else {
          const obj: Record<string, unknown> = {};
          columns.forEach((c, i) => (obj[c.name] = values[i]));
          runtime = obj;
        }
        return frame(writer.id, parsed.type.toBuffer(runtimeToAvro(runtime, parsed.json, parsed.named)));
      } catch (e) {
        throw new SerdeError(`Failed to serialize ${target} as Avro: ${(e as Error).message}`, { cause: e });
      }
    },
  };
}

/** Avro bytes (framed, with a registry) decoded by their writer schema: field names as the writer has them. */
export function decodeAvroByWriter(registry: SchemaRegistryClient, data: Buffer): unknown {
  const u = unframe(data, false, 'record');
  const parsed = registryAvro(registry, u.schemaId);
  return avroToRuntime(parsed.type.fromBuffer(u.payload), parsed.json, parsed.named);
}
