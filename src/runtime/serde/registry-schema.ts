/**
 * The registry schema ksqlDB registers for a source's or sink's columns in a schema-registry
 * format (AVRO, PROTOBUF, JSON_SR), and the subject it goes under, `<topic>-key|value`.
 * JSON_SR follows Connect's JsonSchemaData: an object whose properties carry connect.index
 * and are `oneOf [null, T]`, integers tagged with connect.type, decimals as numbers tagged
 * with the Decimal logical name and parameters.
 */
import type { SqlType } from '../../common/types.js';
import type { SchemaInput } from '../../schema-registry/types.js';
import { avroSchemaJson } from './avro-serde.js';
import { isUnwrapped } from './json-serde.js';
import { protobufSchemaText } from './protobuf-serde.js';
import type { FormatSpec, SerdeColumn, SerdeOptions } from './types.js';

export function subjectName(topic: string, isKey: boolean): string {
  return `${topic}-${isKey ? 'key' : 'value'}`;
}

/** Formats whose schemas live in a registry (and so support schema inference). */
export function usesSchemaRegistry(format: string): boolean {
  return format === 'AVRO' || format === 'PROTOBUF' || format === 'JSON_SR';
}

function jsonSchemaType(t: SqlType): Record<string, unknown> {
  switch (t.kind) {
    case 'BOOLEAN':
      return { type: 'boolean' };
    case 'INTEGER':
      return { type: 'integer', 'connect.type': 'int32' };
    case 'BIGINT':
      return { type: 'integer', 'connect.type': 'int64' };
    case 'DOUBLE':
      return { type: 'number', 'connect.type': 'float64' };
    case 'STRING':
      return { type: 'string' };
    case 'BYTES':
      return { type: 'string', 'connect.type': 'bytes' };
    case 'DECIMAL':
      return {
        type: 'number',
        title: 'org.apache.kafka.connect.data.Decimal',
        'connect.version': 1,
        'connect.type': 'bytes',
        'connect.parameters': { scale: String(t.scale), 'connect.decimal.precision': String(t.precision) },
      };
    case 'DATE':
      return { type: 'integer', title: 'org.apache.kafka.connect.data.Date', 'connect.version': 1, 'connect.type': 'int32' };
    case 'TIME':
      return { type: 'integer', title: 'org.apache.kafka.connect.data.Time', 'connect.version': 1, 'connect.type': 'int32' };
    case 'TIMESTAMP':
      return { type: 'integer', title: 'org.apache.kafka.connect.data.Timestamp', 'connect.version': 1, 'connect.type': 'int64' };
    case 'ARRAY':
      return { type: 'array', items: nullable(jsonSchemaType(t.element)) };
    case 'MAP':
      return { type: 'object', additionalProperties: nullable(jsonSchemaType(t.value)), 'connect.type': 'map' };
    case 'STRUCT':
      return jsonObject(t.fields);
  }
}

function nullable(s: Record<string, unknown>): Record<string, unknown> {
  return { oneOf: [{ type: 'null' }, s] };
}

function jsonObject(fields: readonly { name: string; type: SqlType }[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  fields.forEach((f, i) => (properties[f.name] = { ...nullable(jsonSchemaType(f.type)), 'connect.index': i }));
  return { type: 'object', properties };
}

export function jsonSchemaFor(columns: readonly SerdeColumn[], unwrapped: boolean): string {
  return JSON.stringify(unwrapped ? nullable(jsonSchemaType(columns[0]!.type)) : jsonObject(columns));
}

/** The schema a writer of these columns registers; undefined for formats without a registry. */
export function registrySchemaFor(spec: FormatSpec, columns: readonly SerdeColumn[], opts: SerdeOptions): SchemaInput | undefined {
  switch (spec.format) {
    case 'AVRO':
      return { schemaType: 'AVRO', schema: avroSchemaJson(columns, opts, spec.properties['fullSchemaName']) };
    case 'PROTOBUF':
      return { schemaType: 'PROTOBUF', schema: protobufSchemaText(spec, columns) };
    case 'JSON_SR':
      return { schemaType: 'JSON', schema: jsonSchemaFor(columns, isUnwrapped(columns, opts)) };
    default:
      return undefined;
  }
}
