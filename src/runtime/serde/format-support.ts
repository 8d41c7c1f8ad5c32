/**
 * Which schemas each format can hold, with ksqlDB's error texts (KafkaSerdeFactory,
 * KsqlDelimitedDeserializer, NoneFormat, KsqlJsonSerdeFactory, AvroUtil, the Protobuf serde
 * factories, SerdeFeaturesFactory, FormatProperties and the key-column MAP check).
 */
import { formatType, type SqlType } from '../../common/types.js';
import { KAFKA_TYPES } from './kafka-serde.js';
import type { FormatName, FormatSpec, SerdeColumn } from './types.js';

export const FORMAT_NAMES: readonly FormatName[] = ['JSON', 'DELIMITED', 'KAFKA', 'NONE', 'AVRO', 'PROTOBUF', 'PROTOBUF_NOSR', 'JSON_SR'];

/** Wrapping features each format supports (ksqlDB's Format.supportedFeatures). */
const WRAPPING: Record<FormatName, { wrap: boolean; unwrap: boolean }> = {
  JSON: { wrap: true, unwrap: true },
  JSON_SR: { wrap: true, unwrap: true },
  AVRO: { wrap: true, unwrap: true },
  PROTOBUF: { wrap: true, unwrap: false },
  PROTOBUF_NOSR: { wrap: true, unwrap: true },
  DELIMITED: { wrap: false, unwrap: true },
  KAFKA: { wrap: false, unwrap: true },
  NONE: { wrap: false, unwrap: false },
};

/** WITH-clause properties each format accepts (ksqlDB's Format.getSupportedProperties). */
const PROPERTIES: Record<FormatName, readonly string[]> = {
  JSON: [],
  JSON_SR: ['fullSchemaName', 'schemaId'],
  AVRO: ['fullSchemaName', 'schemaId'],
  PROTOBUF: ['fullSchemaName', 'schemaId', 'unwrapPrimitives', 'nullableRepresentation', 'subjectName'],
  PROTOBUF_NOSR: ['unwrapPrimitives', 'nullableRepresentation'],
  DELIMITED: ['delimiter'],
  KAFKA: [],
  NONE: [],
};

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/** "[`K` STRING KEY, `V` INTEGER]" as ksqlDB prints a persistence schema's columns. */
export function formatColumns(columns: readonly SerdeColumn[], isKey: boolean): string {
  return `[${columns.map((c) => `\`${c.name}\` ${formatType(c.type)}${isKey ? ' KEY' : ''}`).join(', ')}]`;
}

function containsMap(t: SqlType): boolean {
  switch (t.kind) {
    case 'MAP':
      return true;
    case 'ARRAY':
      return containsMap(t.element);
    case 'STRUCT':
      return t.fields.some((f) => containsMap(f.type));
    default:
      return false;
  }
}

function hasNonStringMapKey(t: SqlType): boolean {
  switch (t.kind) {
    case 'MAP':
      return t.key.kind !== 'STRING' || hasNonStringMapKey(t.key) || hasNonStringMapKey(t.value);
    case 'ARRAY':
      return hasNonStringMapKey(t.element);
    case 'STRUCT':
      return t.fields.some((f) => hasNonStringMapKey(f.type));
    default:
      return false;
  }
}

const PRIMITIVE_KINDS = new Set(['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP']);

/**
 * undefined if `format` can hold `columns`, else ksqlDB's reason. For keys the planner wraps a
 * format reason as keySchemaErrorMessage() shows; the MAP-key text stands alone.
 */
export function formatSupports(
  format: FormatName,
  columns: readonly SerdeColumn[],
  opts: { isKey: boolean; wrapSingleValue?: boolean },
): string | undefined {
  if (opts.isKey) {
    const withMap = columns.find((c) => containsMap(c.type));
    if (withMap) {
      return (
        'Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to ' +
        `inconsistent serialization. Key column name: \`${withMap.name}\`. Column type: ${formatType(withMap.type)}. ` +
        'See https://github.com/confluentinc/ksql/issues/6621 for more.'
      );
    }
  }
  if (!opts.isKey && opts.wrapSingleValue !== undefined) {
    const features = WRAPPING[format];
    if (!(opts.wrapSingleValue ? features.wrap : features.unwrap)) {
      return `Format '${format}' does not support 'WRAP_SINGLE_VALUE' set to '${opts.wrapSingleValue}'.`;
    }
    if (columns.length !== 1) return "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas";
  }
  switch (format) {
    case 'NONE':
      return columns.length === 0
        ? undefined
        : `The 'NONE' format can only be used when no columns are defined. Got: ${formatColumns(columns, opts.isKey)}`;
    case 'KAFKA': {
      if (columns.length === 0) return undefined;
      if (columns.length !== 1) {
        return `The 'KAFKA' format only supports a single field. Got: ${formatColumns(columns, opts.isKey)}`;
      }
      const kind = columns[0]!.type.kind;
      return KAFKA_TYPES.has(kind) ? undefined : `The 'KAFKA' format does not support type '${kind}'`;
    }
    case 'DELIMITED': {
      const bad = columns.find((c) => !PRIMITIVE_KINDS.has(c.type.kind));
      return bad ? `The 'DELIMITED' format does not support type '${bad.type.kind}', column: \`${bad.name}\`` : undefined;
    }
    case 'JSON':
    case 'JSON_SR':
      return columns.some((c) => hasNonStringMapKey(c.type)) ? 'JSON only supports MAP types with STRING keys' : undefined;
    case 'AVRO':
      if (columns.some((c) => hasNonStringMapKey(c.type))) return 'Avro only supports MAPs with STRING keys';
      // an unwrapped single column has no field name of its own in the Avro schema
      if (columns.length === 1 && (opts.isKey ? opts.wrapSingleValue !== true : opts.wrapSingleValue === false)) {
        const t = columns[0]!.type;
        return t.kind === 'STRUCT' ? avroNameProblem(t.fields) : undefined;
      }
      return avroNameProblem(columns);
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return columns.some((c) => hasNonStringMapKey(c.type)) ? 'PROTOBUF format only supports MAP types with STRING keys' : undefined;
  }
}

/** Avro names: a letter or _ first, then letters, digits and _ (dots become _ first). */
function avroNameProblem(fields: readonly { name: string; type: SqlType }[]): string | undefined {
  for (const f of fields) {
    const name = f.name.replace(/\./g, '_');
    if (!/^[A-Za-z_]/.test(name)) return `Schema is not compatible with Avro: Illegal initial character: ${name}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `Schema is not compatible with Avro: Illegal character in: ${name}`;
    const t = f.type;
    const nested = t.kind === 'STRUCT' ? t.fields : t.kind === 'ARRAY' && t.element.kind === 'STRUCT' ? t.element.fields : t.kind === 'MAP' && t.value.kind === 'STRUCT' ? t.value.fields : undefined;
    const problem = nested ? avroNameProblem(nested) : undefined;
    if (problem) return problem;
  }
  return undefined;
}

/** ksqlDB's text when a key format cannot hold the key columns (KeyFormat validation). */
export function keySchemaErrorMessage(format: FormatName, columns: readonly SerdeColumn[], reason: string): string {
  return `Key format does not support schema.\nformat: ${format}\nschema: Persistence{columns=${formatColumns(columns, true)}, features=[]}\nreason: ${reason}`;
}

/** undefined if the WITH-clause properties suit the format, else ksqlDB's FormatProperties text. */
export function validateFormatProperties(spec: FormatSpec): string | undefined {
  const supported = PROPERTIES[spec.format];
  const unknown = Object.keys(spec.properties).filter((k) => !supported.includes(k));
  if (unknown.length > 0) return `${spec.format} does not support the following configs: [${unknown.join(', ')}]`;
  for (const [k, v] of Object.entries(spec.properties)) {
    // a delimiter is already parsed (TAB and SPACE are whitespace on purpose)
    if (k !== 'delimiter' && v.trim().length === 0) {
      const shown = Object.entries(spec.properties)
        .map(([pk, pv]) => `${pk}=${pv}`)
        .join(', ');
      return `${k} cannot be empty. Format configuration: {${shown}}`;
    }
  }
  return undefined;
}
