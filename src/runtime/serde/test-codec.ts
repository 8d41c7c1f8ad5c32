/**
 * The qtt test-data codec: qtt cases give keys and values as JSON values, and ksqlDB's test
 * framework turns them into bytes per format (SerdeUtil.getSerdeSupplier): JSON as JSON text,
 * DELIMITED as the string itself, KAFKA with Kafka's primitive serializers (BYTES as the UTF-8
 * of the string, zero columns as a plain string), NONE as nothing. Decoding reverses this so
 * results compare with the cases' `outputs`.
 */
import { SerdeError } from './errors.js';
import { kafkaPrimitive } from './kafka-serde.js';
import type { FormatSpec, SerdeColumn, SerdeOptions } from './types.js';
import { isDecimal } from '../../common/decimal.js';
import { appendWindow, splitWindow } from './windowed.js';
import { createJsonSerde, isUnwrapped } from './json-serde.js';
import { createSerde } from './create.js';
import { decodeProtobufMessage } from './protobuf-serde.js';
import { decodeAvroByWriter } from './avro-serde.js';
import { registryAvro, runtimeToAvro } from './avro-registry.js';
import { frame } from './sr-framing.js';
import { subjectName } from './registry-schema.js';

/** JSON text of a test value; bigint, Decimal and lossless-json numbers keep their digits. */
export function testValueToJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (isDecimal(v)) return v.toString();
  if (typeof v === 'object' && (v as { isLosslessNumber?: boolean }).isLosslessNumber === true) {
    return String((v as { value: string }).value);
  }
  if (Array.isArray(v)) return `[${v.map(testValueToJson).join(',')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, e]) => `${JSON.stringify(String(k))}:${testValueToJson(e)}`).join(',')}}`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, e]) => `${JSON.stringify(k)}:${testValueToJson(e)}`)
      .join(',')}}`;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) throw new SerdeError(`Test value ${v} has no JSON form`);
  return JSON.stringify(v);
}

function asNumber(v: unknown, what: string): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (isDecimal(v)) return Number(v.toString());
  if (typeof v === 'object' && v !== null && (v as { isLosslessNumber?: boolean }).isLosslessNumber === true) {
    const text = String((v as { value: string }).value);
    return /^-?[0-9]+$/.test(text) ? BigInt(text) : Number(text);
  }
  throw new SerdeError(`Can't serialize ${testValueToJson(v)} as ${what}`);
}

function plainString(v: unknown): string {
  return typeof v === 'string' ? v : testValueToJson(v);
}

export function encodeTestValue(spec: FormatSpec, columns: readonly SerdeColumn[], opts: SerdeOptions, testValue: unknown): Buffer | null {
  if (testValue === null || testValue === undefined) return null;
  switch (spec.format) {
    case 'NONE':
      return null;
    case 'JSON':
      return Buffer.from(testValueToJson(testValue), 'utf8');
    case 'DELIMITED':
      return Buffer.from(plainString(testValue), 'utf8');
    case 'KAFKA': {
      // zero columns: the framework writes any given data as a string, to be ignored
      if (columns.length === 0) return Buffer.from(plainString(testValue), 'utf8');
      if (columns.length !== 1) throw new SerdeError('KAFKA format only supports single column schemas.');
      const type = columns[0]!.type;
      const prim = kafkaPrimitive(type);
      if (!prim) throw new SerdeError('Unsupported type for KAFKA format');
      switch (type.kind) {
        case 'INTEGER': {
          const n = asNumber(testValue, 'Integer');
          return prim.write(typeof n === 'bigint' ? n : Math.trunc(n));
        }
        case 'BIGINT': {
          const n = asNumber(testValue, 'Long');
          return prim.write(typeof n === 'bigint' ? n : BigInt(Math.trunc(n)));
        }
        case 'DOUBLE':
          return prim.write(Number(asNumber(testValue, 'Double')));
        case 'STRING':
          return prim.write(plainString(testValue));
        case 'BYTES':
          if (typeof testValue !== 'string') throw new SerdeError(`Can't serialize ${testValueToJson(testValue)} as BYTEBUFFER`);
          return Buffer.from(testValue, 'utf8');
        default:
          throw new SerdeError('Unsupported type for KAFKA format');
      }
    }
    case 'JSON_SR': {
      const body = Buffer.from(testValueToJson(testValue), 'utf8');
      const out = Buffer.alloc(5 + body.length);
      const latest = opts.registry && opts.topic !== undefined ? opts.registry.getLatest(subjectName(opts.topic, opts.isKey)) : undefined;
      out.writeInt32BE(Number(spec.properties['schemaId'] ?? latest?.id ?? 0) | 0, 1);
      body.copy(out, 5);
      return out;
    }
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR': {
      // lenient JSON read into the columns, then written with the subject's latest registered
      // schema (what the test framework registered for the topic) or the derived one
      if (columns.length === 0) return null;
      // protobuf keys are messages too: read the key as an object of its columns
      const row = createJsonSerde(columns, { ...opts, wrapSingleValue: true }).deserialize(Buffer.from(testValueToJson(testValue), 'utf8'));
      return createSerde(spec, [...columns], { ...opts, useLatestSchema: true }).serialize(row);
    }
    case 'AVRO': {
      // read the test value with ksqlDB's lenient JSON rules (case-insensitive fields, number
      // and string coercions), then write it as the engine would
      // no columns (the schema would come from a registry): nothing to write
      if (columns.length === 0) return null;
      // a registered writer schema (the topic's, as the test framework registered it): the
      // test value is written with it directly, as the framework's Avro serializer does
      const writerId = registeredWriterId(spec, opts);
      if (writerId !== undefined) return encodeAvroWithRegistered(opts.registry!, writerId, testValue);
      const json = createJsonSerde(columns, opts).deserialize(Buffer.from(testValueToJson(testValue), 'utf8'));
      return createSerde(spec, [...columns], { ...opts, useLatestSchema: true }).serialize(json);
    }
    default:
      throw new SerdeError(`The test-data codec does not support format ${spec.format} yet`);
  }
}

/** A runtime value as the JSON-like form qtt outputs use (numbers for BIGINT and DECIMAL). */
function runtimeToTestJson(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (isDecimal(v)) return v.toNumber();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(runtimeToTestJson);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, e]) => [String(k), runtimeToTestJson(e)]));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, runtimeToTestJson(e)]));
  return v;
}

/**
 * A JSON-like value for comparing with a case's expected output. JSON text is read with
 * JSON.parse semantics (numbers as JS numbers), like the expected values themselves.
 */
export function decodeTestValue(spec: FormatSpec, columns: readonly SerdeColumn[], opts: SerdeOptions, bytes: Buffer | null): unknown {
  if (bytes === null) return null;
  switch (spec.format) {
    case 'NONE':
      return null;
    case 'JSON':
      try {
        return JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new SerdeError('Output is not valid JSON');
      }
    case 'DELIMITED':
      return bytes.toString('utf8');
    case 'KAFKA': {
      if (columns.length === 0) return bytes.toString('utf8');
      if (columns.length !== 1) throw new SerdeError('KAFKA format only supports single column schemas.');
      const type = columns[0]!.type;
      const prim = kafkaPrimitive(type);
      if (!prim) throw new SerdeError('Unsupported type for KAFKA format');
      if (type.kind === 'BYTES') return bytes.toString('utf8');
      const v = prim.read(bytes);
      return typeof v === 'bigint' ? Number(v) : v;
    }
    case 'JSON_SR':
      if (bytes.length < 5 || bytes[0] !== 0) throw new SerdeError('Output does not start with the schema-registry magic byte');
      try {
        return JSON.parse(bytes.subarray(5).toString('utf8'));
      } catch {
        throw new SerdeError('Output is not valid JSON');
      }
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      // keyed by the writer schema's field names, defaults filled in, as ksqlDB's test
      // framework prints a protobuf message
      return runtimeToTestJson(decodeProtobufMessage(spec, columns, opts, bytes));
    case 'AVRO': {
      // with a registry: the writer schema's own field names, as the test framework reads them
      if (opts.registry) return runtimeToTestJson(decodeAvroByWriter(opts.registry, bytes));
      const row = createSerde(spec, [...columns], opts).deserialize(bytes);
      if (row === null) return null;
      if (isUnwrapped(columns, opts)) return runtimeToTestJson(row[0]);
      return Object.fromEntries(columns.map((c, i) => [c.name, runtimeToTestJson(row[i])]));
    }
    default:
      throw new SerdeError(`The test-data codec does not support format ${spec.format} yet`);
  }
}

/** A qtt record's `window`: { start, end, type: 'time' | 'session' }. */
export interface TestWindow {
  start: number;
  end: number;
  type: 'time' | 'session';
}

function windowKind(type: string): 'TIME' | 'SESSION' {
  const t = type.toLowerCase();
  if (t === 'session') return 'SESSION';
  if (t === 'time') return 'TIME';
  throw new SerdeError(`Unknown window type in test data: ${type}`);
}

/**
 * Bytes of a windowed test key: the test key encoded as for an unwindowed key, then the window
 * as Kafka Streams appends it (the end is only stored for session windows).
 */
export function encodeTestWindowedKey(
  spec: FormatSpec,
  columns: readonly SerdeColumn[],
  opts: SerdeOptions,
  testKey: unknown,
  window: TestWindow,
): Buffer {
  const keyBytes = encodeTestValue(spec, columns, opts, testKey) ?? Buffer.alloc(0);
  return appendWindow(keyBytes, windowKind(window.type), window);
}

/**
 * The test key and window of windowed key bytes. TIME windows need the window size to give
 * an end (start + size), as ksqlDB's TimeWindowedDeserializer does.
 */
export function decodeTestWindowedKey(
  spec: FormatSpec,
  columns: readonly SerdeColumn[],
  opts: SerdeOptions,
  bytes: Buffer,
  type: 'time' | 'session',
  windowSizeMs?: number,
): { key: unknown; window: { start: number; end?: number; type: 'time' | 'session' } } {
  const { keyBytes, window } = splitWindow(bytes, windowKind(type), windowSizeMs);
  return { key: decodeTestValue(spec, columns, opts, keyBytes), window: { ...window, type } };
}

/** The id of the schema test data for this side is written with: `schemaId`, else the subject's latest. */
function registeredWriterId(spec: FormatSpec, opts: SerdeOptions): number | undefined {
  if (!opts.registry || opts.topic === undefined) return undefined;
  const id = spec.properties['schemaId'];
  if (id !== undefined) return Number(id);
  return opts.registry.getLatest(subjectName(opts.topic, opts.isKey))?.id;
}

/** JSON test values in Avro: numbers and strings coerced to the writer's types. */
function jsonToRuntime(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && (v as { isLosslessNumber?: boolean }).isLosslessNumber === true) return asNumber(v, 'number');
  if (Array.isArray(v)) return v.map(jsonToRuntime);
  if (typeof v === 'object' && !isDecimal(v)) return Object.fromEntries(Object.entries(v as object).map(([k, e]) => [k, jsonToRuntime(e)]));
  return v;
}

function encodeAvroWithRegistered(registry: import('../../schema-registry/types.js').SchemaRegistryClient, id: number, testValue: unknown): Buffer {
  const parsed = registryAvro(registry, id);
  return frame(id, parsed.type.toBuffer(runtimeToAvro(jsonToRuntime(testValue), parsed.json, parsed.named, undefined, true)));
}
