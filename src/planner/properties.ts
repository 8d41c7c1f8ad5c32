/**
 * WITH (...) properties of CREATE statements: names, validation and the formats they imply,
 * following ksqlDB's CreateSourceProperties / CreateSourceAsProperties.
 */
import { KsqlError } from '../common/errors.js';
import type { Properties, PropertyValue } from '../parser/ast.js';
import type { FormatInfo } from './plan.js';
import { parseDelimiter } from '../runtime/serde/index.js';

export const KNOWN_FORMATS = ['JSON', 'DELIMITED', 'KAFKA', 'NONE', 'AVRO', 'PROTOBUF', 'PROTOBUF_NOSR', 'JSON_SR'];

const CREATE_PROPS = new Set([
  'KAFKA_TOPIC', 'VALUE_FORMAT', 'KEY_FORMAT', 'FORMAT', 'PARTITIONS', 'REPLICAS', 'TIMESTAMP', 'TIMESTAMP_FORMAT', 'WRAP_SINGLE_VALUE',
  'VALUE_DELIMITER', 'KEY_DELIMITER', 'WINDOW_TYPE', 'WINDOW_SIZE', 'KEY_SCHEMA_ID', 'VALUE_SCHEMA_ID', 'KEY_SCHEMA_FULL_NAME',
  'VALUE_SCHEMA_FULL_NAME', 'VALUE_AVRO_SCHEMA_FULL_NAME', 'RETENTION_MS', 'SOURCE_CONNECTOR', 'KEY_PROTOBUF_NULLABLE_REPRESENTATION',
  'VALUE_PROTOBUF_NULLABLE_REPRESENTATION',
]);

export class WithProperties {
  constructor(readonly props: Properties) {
    for (const k of Object.keys(props)) {
      if (!CREATE_PROPS.has(k)) throw new KsqlError(`Invalid config variable(s) in the WITH clause: ${k}`);
    }
  }

  has(name: string): boolean {
    return this.props[name] !== undefined;
  }

  string(name: string): string | undefined {
    const v = this.props[name];
    if (v === undefined || v === null) return undefined;
    return String(v);
  }

  int(name: string): number | undefined {
    const v: PropertyValue | undefined = this.props[name];
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n)) throw new KsqlError(`Invalid value ${v} for property ${name}: expected an integer`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.props[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    const s = String(v).toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    throw new KsqlError(`Property ${name} must be a boolean: ${v}`);
  }

  /** the key and value formats given by FORMAT / KEY_FORMAT / VALUE_FORMAT (either may be absent) */
  formats(): { key?: string; value?: string } {
    const format = this.string('FORMAT')?.toUpperCase();
    const key = this.string('KEY_FORMAT')?.toUpperCase();
    const value = this.string('VALUE_FORMAT')?.toUpperCase();
    if (format && (key || value)) {
      throw new KsqlError(
        `Cannot supply both '${key ? 'KEY_FORMAT' : 'VALUE_FORMAT'}' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.`,
      );
    }
    for (const f of [format, key, value]) if (f !== undefined && !KNOWN_FORMATS.includes(f)) throw new KsqlError(`Unknown format: ${f}`);
    return { key: format ?? key, value: format ?? value };
  }

  /** format properties (delimiter, schema ids, full names) for the key or the value */
  formatProperties(side: 'KEY' | 'VALUE'): Record<string, string> {
    const out: Record<string, string> = {};
    const delim = this.string(`${side}_DELIMITER`);
    if (delim !== undefined) {
      try {
        parseDelimiter(delim);
      } catch (err) {
        throw new KsqlError(`Failed to prepare statement: Configuration ${side}_DELIMITER is invalid: ${(err as Error).message}`);
      }
      out['delimiter'] = delim;
    }
    const id = this.string(`${side}_SCHEMA_ID`);
    if (id !== undefined) out['schemaId'] = id;
    const full = this.string(`${side}_SCHEMA_FULL_NAME`) ?? (side === 'VALUE' ? this.string('VALUE_AVRO_SCHEMA_FULL_NAME') : undefined);
    if (full !== undefined) {
      if (full.trim() === '') throw new KsqlError(`fullSchemaName cannot be empty. Format configuration: {fullSchemaName=${full.trim()}}`);
      out['fullSchemaName'] = full;
    }
    const nullable = this.string(`${side}_PROTOBUF_NULLABLE_REPRESENTATION`);
    if (nullable !== undefined) out['nullableRepresentation'] = nullable.toUpperCase();
    return out;
  }
}


