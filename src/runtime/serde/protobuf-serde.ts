/**
 * ksqlDB's PROTOBUF (Confluent wire format: magic byte, schema id, message indexes, payload)
 * and PROTOBUF_NOSR (the bare payload) formats. protobufjs does the wire encoding.
 *
 * Writer schema: the registry schema `schemaId` names, else (useLatestSchema) the subject's
 * latest, else the one derived from the columns (protobuf-schema.ts), registered under
 * `<topic>-key|value` when a registry is given. Reading with a registry decodes with the
 * writer schema the id names and maps its fields to the columns by name; without one the
 * column-derived schema is used and the id is skipped.
 */
import protobuf from 'protobufjs';
import type { SchemaRegistryClient } from '../../schema-registry/types.js';
import { SerdeError } from './errors.js';
import { frame, unframe } from './sr-framing.js';
import { messageAt, nullableRepresentation, parseProtobuf, protobufSchemaFor, selectMessage, type ParsedProtobuf } from './protobuf-schema.js';
import { coerceToSql, messageFromProto, messageToProto } from './protobuf-values.js';
import type { FormatSpec, RowSerde, SerdeColumn, SerdeOptions } from './types.js';

export function subjectFor(topic: string, isKey: boolean): string {
  return `${topic}-${isKey ? 'key' : 'value'}`;
}

/** Parsed registry schemas by id, shared by a registry's serdes (schemas under an id never change). */
const parsedById = new WeakMap<SchemaRegistryClient, Map<number, ParsedProtobuf>>();

export function registryProtobuf(registry: SchemaRegistryClient, id: number): ParsedProtobuf {
  let cache = parsedById.get(registry);
  if (!cache) parsedById.set(registry, (cache = new Map()));
  let parsed = cache.get(id);
  if (!parsed) {
    const s = registry.getById(id);
    if (s.schemaType !== 'PROTOBUF') throw new SerdeError(`Schema ${id} is a ${s.schemaType} schema, not PROTOBUF`);
    parsed = parseProtobuf(s.schema, registry.resolveReferences(s.references));
    cache.set(id, parsed);
  }
  return parsed;
}

interface Writer {
  id: number;
  type: protobuf.Type;
  indexes: number[];
}

function chooseWriter(spec: FormatSpec, columns: readonly SerdeColumn[], opts: SerdeOptions): Writer {
  const registry = opts.registry;
  const fullName = spec.properties['fullSchemaName'];
  const idText = spec.properties['schemaId'];
  const subject = opts.topic === undefined ? undefined : subjectFor(opts.topic, opts.isKey);
  if (registry && idText !== undefined) {
    const id = Number(idText);
    const parsed = registryProtobuf(registry, id);
    return { id, ...selectMessage(parsed, fullName) };
  }
  if (registry && subject && opts.useLatestSchema) {
    const latest = registry.getLatest(subject);
    if (latest && latest.schemaType === 'PROTOBUF') return { id: latest.id, ...selectMessage(registryProtobuf(registry, latest.id), fullName) };
  }
  const text = protobufSchemaFor(columns, nullableRepresentation(spec.properties), fullName);
  const parsed = parseProtobuf(text);
  let id = idText === undefined ? 0 : Number(idText);
  if (registry && subject && spec.format === 'PROTOBUF') {
    try {
      id = registry.register(subject, { schemaType: 'PROTOBUF', schema: text });
    } catch (e) {
      throw new SerdeError(`Cannot register the schema for ${subject}: ${(e as Error).message}`, { cause: e });
    }
  }
  return { id, type: parsed.messages[0]!, indexes: [0] };
}

/** The message type bytes were written with, and their payload. */
function writerOf(spec: FormatSpec, opts: SerdeOptions, data: Buffer, columnType: () => protobuf.Type, what: string): { type: protobuf.Type; payload: Buffer } {
  if (spec.format !== 'PROTOBUF') return { type: columnType(), payload: data };
  const u = unframe(data, true, what);
  if (!opts.registry) return { type: columnType(), payload: u.payload };
  return { type: messageAt(registryProtobuf(opts.registry, u.schemaId), u.indexes), payload: u.payload };
}

/** Bytes decoded with their writer schema, as an object keyed by its field names (qtt outputs). */
export function decodeProtobufMessage(spec: FormatSpec, columns: readonly SerdeColumn[], opts: SerdeOptions, data: Buffer): Record<string, unknown> {
  const columnType = () => parseProtobuf(protobufSchemaFor(columns, nullableRepresentation(spec.properties), spec.properties['fullSchemaName'])).messages[0]!;
  const { type, payload } = writerOf(spec, opts, data, columnType, opts.isKey ? 'key' : 'value');
  return messageFromProto(type.decode(payload) as unknown as Record<string, unknown>, type);
}

export function createProtobufSerde(spec: FormatSpec, columns: readonly SerdeColumn[], opts: SerdeOptions): RowSerde {
  const framed = spec.format === 'PROTOBUF';
  const target = opts.isKey ? 'key' : 'value';
  const where = opts.topic === undefined ? '' : ` from topic: ${opts.topic}`;
  const rowType = { kind: 'STRUCT' as const, fields: columns.map((c) => ({ name: c.name, type: c.type })) };
  // the writer is chosen lazily: a source serde that only reads never registers anything
  let writer: Writer | undefined;
  let ownType: protobuf.Type | undefined;
  const columnType = (): protobuf.Type =>
    (ownType ??= parseProtobuf(protobufSchemaFor(columns, nullableRepresentation(spec.properties), spec.properties['fullSchemaName'])).messages[0]!);

  const readerFor = (data: Buffer) => writerOf(spec, opts, data, columnType, `${target}${where}`);

  return {
    deserialize(data) {
      if (data === null) return null;
      let obj: Record<string, unknown>;
      try {
        const { type, payload } = readerFor(data);
        obj = messageFromProto(type.decode(payload) as unknown as Record<string, unknown>, type);
      } catch (e) {
        const msg = (e as Error).message;
        throw new SerdeError(msg.startsWith('Failed to deserialize') ? msg : `Failed to deserialize ${target}${where}: invalid protobuf data (${msg})`, { cause: e });
      }
      const row = coerceToSql(obj, rowType) as Record<string, unknown>;
      return columns.map((c) => row[c.name]);
    },
    serialize(values) {
      if (values === null) return null;
      if (values.length !== columns.length) {
        throw new SerdeError(`Column count mismatch on serialization. expected: ${columns.length}, got: ${values.length}`);
      }
      writer ??= chooseWriter(spec, columns, opts);
      const obj: Record<string, unknown> = {};
      columns.forEach((c, i) => (obj[c.name] = values[i]));
      let payload: Buffer;
      try {
        const msg = writer.type.fromObject(messageToProto(obj, writer.type));
        payload = Buffer.from(writer.type.encode(msg).finish());
      } catch (e) {
        throw new SerdeError(`Failed to serialize ${target} as protobuf: ${(e as Error).message}`, { cause: e });
      }
      return framed ? frame(writer.id, payload, writer.indexes) : payload;
    },
  };
}

/** The protobuf schema text a serde for these columns derives (what CSAS registers). */
export function protobufSchemaText(spec: FormatSpec, columns: readonly SerdeColumn[]): string {
  return protobufSchemaFor(columns, nullableRepresentation(spec.properties), spec.properties['fullSchemaName']);
}
