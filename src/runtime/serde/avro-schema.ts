/**
 * The Avro schema ksqlDB derives for a set of columns (AvroSchemas + Connect's AvroData with
 * connect.meta.data on): a record named io.confluent.ksql.avro_schemas.KsqlDataSourceSchema
 * whose fields are ["null", T] with default null; nested records are named after their path
 * (KsqlDataSourceSchema_FIELD, ..._MapValue); the root itself is never nullable. DECIMAL is
 * bytes/decimal, DATE int/date, TIME int/time-millis, TIMESTAMP long/timestamp-millis.
 */
import type { SqlType } from '../../common/types.js';
import { SerdeError } from './errors.js';
import type { SerdeColumn } from './types.js';

export const DEFAULT_AVRO_SCHEMA_FULL_NAME = 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema';

export type AvroSchema = string | { [key: string]: unknown } | AvroSchema[];

/** ksqlDB's avroCompatibleFieldName: dots (qualified names) become underscores. */
export function avroFieldName(name: string): string {
  return name.replace(/\./g, '_');
}

function connectLogical(type: string, logicalType: string, connectName: string, extra: Record<string, unknown> = {}): AvroSchema {
  return { type, ...extra, 'connect.version': 1, 'connect.name': connectName, logicalType };
}

function nullable(s: AvroSchema): AvroSchema {
  return ['null', s];
}

/** The Avro type for `t`; `path` names nested records as ksqlDB does. */
export function avroType(t: SqlType, path: readonly string[]): AvroSchema {
  switch (t.kind) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INTEGER':
      return 'int';
    case 'BIGINT':
      return 'long';
    case 'DOUBLE':
      return 'double';
    case 'STRING':
      return 'string';
    case 'BYTES':
      return 'bytes';
    case 'DECIMAL':
      return connectLogical('bytes', 'decimal', 'org.apache.kafka.connect.data.Decimal', {
        scale: t.scale,
        precision: t.precision,
        'connect.parameters': { scale: String(t.scale), 'connect.decimal.precision': String(t.precision) },
      });
    case 'DATE':
      return connectLogical('int', 'date', 'org.apache.kafka.connect.data.Date');
    case 'TIME':
      return connectLogical('int', 'time-millis', 'org.apache.kafka.connect.data.Time');
    case 'TIMESTAMP':
      return connectLogical('long', 'timestamp-millis', 'org.apache.kafka.connect.data.Timestamp');
    case 'ARRAY':
      return { type: 'array', items: nullable(avroType(t.element, path)) };
    case 'MAP':
      if (t.key.kind !== 'STRING') throw new SerdeError('Avro only supports MAPs with STRING keys');
      return { type: 'map', values: nullable(avroType(t.value, [...path, 'MapValue'])) };
    case 'STRUCT':
      return avroRecord(path.join('_'), t.fields, path);
  }
}

function avroRecord(name: string, fields: readonly { name: string; type: SqlType }[], path: readonly string[]): AvroSchema {
  return {
    type: 'record',
    name,
    fields: fields.map((f) => ({ name: avroFieldName(f.name), type: nullable(avroType(f.type, [...path, f.name])), default: null })),
    'connect.name': name,
  };
}

/** The writer schema for a row: a record of the columns, or the single column's type if unwrapped. */
export function avroSchemaFor(columns: readonly SerdeColumn[], unwrapped: boolean, fullName = DEFAULT_AVRO_SCHEMA_FULL_NAME): AvroSchema {
  if (unwrapped) return avroType(columns[0]!.type, [fullName]);
  return avroRecord(fullName, columns, [fullName]);
}
