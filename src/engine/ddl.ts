/**
 * CREATE STREAM / CREATE TABLE over a topic: builds the logical schema from the column
 * elements, validates keys, names and formats the way ksqlDB does, and produces the DataSource
 * the metastore keeps.
 */
import { KsqlError } from '../common/errors.js';
import { formatType, type SqlType } from '../common/types.js';
import type { Statement, TableElement } from '../parser/ast.js';
import type { DataSource } from '../planner/metastore.js';
import type { FormatInfo, WindowInfo } from '../planner/plan.js';
import { WithProperties } from '../planner/properties.js';
import type { Column, LogicalSchema } from '../planner/schema.js';
import { SYSTEM_COLUMN_NAMES } from '../planner/schema.js';
import { resolveTypeAst } from '../runtime/expr/compile.js';
import { formatSupports, isFormatName, keySchemaErrorMessage, validateFormatProperties, type FormatSpec } from '../runtime/serde/index.js';
import type { SchemaRegistryClient } from '../schema-registry/index.js';
import { inferSourceSchema } from './schema-registration.js';

type CreateSource = Extract<Statement, { type: 'CreateSource' }>;

const HEADERS_TYPE: SqlType = { kind: 'ARRAY', element: { kind: 'STRUCT', fields: [{ name: 'KEY', type: { kind: 'STRING' } }, { name: 'VALUE', type: { kind: 'BYTES' } }] } };

export function buildSchema(sourceType: 'STREAM' | 'TABLE', elements: TableElement[], customTypes: Map<string, SqlType>): LogicalSchema {
  const key: Column[] = [];
  const value: Column[] = [];
  const headers: Column[] = [];
  const seen = new Set<string>();
  for (const el of elements) {
    if (SYSTEM_COLUMN_NAMES.has(el.name)) {
      throw new KsqlError(`'${el.name}' is a reserved column name.${el.name === 'ROWTIME' || el.name === 'ROWPARTITION' || el.name === 'ROWOFFSET' ? '' : ''} You cannot use it as a name for a column.`, el.loc);
    }
    if (seen.has(el.name)) throw new KsqlError(`Duplicate column names: ${el.name}`, el.loc);
    seen.add(el.name);
    const type = resolveTypeAst(el.type, customTypes);
    const c = el.constraint;
    if (c?.kind === 'KEY' || c?.kind === 'PRIMARY_KEY') {
      if (sourceType === 'STREAM' && c.kind === 'PRIMARY_KEY') {
        throw new KsqlError(
          `Column \`${el.name}\` is a 'PRIMARY KEY' column: please use 'KEY' for streams.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.`,
          el.loc,
        );
      }
      if (sourceType === 'TABLE' && c.kind === 'KEY') {
        throw new KsqlError(
          `Column \`${el.name}\` is a 'KEY' column: please use 'PRIMARY KEY' for tables.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.`,
          el.loc,
        );
      }
      key.push({ name: el.name, type, namespace: 'KEY' });
    } else if (c?.kind === 'HEADERS') {
      if (formatType(type) !== formatType(HEADERS_TYPE)) throw new KsqlError(`Invalid type for HEADERS column: expected ${formatType(HEADERS_TYPE)}, got ${formatType(type)}`, el.loc);
      headers.push({ name: el.name, type, namespace: 'HEADER' });
    } else if (c?.kind === 'HEADER') {
      if (type.kind !== 'BYTES') throw new KsqlError(`Invalid type for HEADER('${c.key}') column: expected BYTES, got ${formatType(type)}`, el.loc);
      headers.push({ name: el.name, type, namespace: 'HEADER', headerKey: c.key });
    } else {
      value.push({ name: el.name, type, namespace: 'VALUE' });
    }
  }
  if (headers.filter((h) => h.headerKey === undefined).length > 1) throw new KsqlError('Schema already contains a HEADERS column.');
  for (const k of key) checkKeyType(k.name, k.type);
  return { key, value, headers };
}

/** Map keys (and types containing maps) can't be keys: their serialised form is not deterministic. */
export function checkKeyType(name: string, type: SqlType): void {
  const hasMap = (t: SqlType): boolean => t.kind === 'MAP' || (t.kind === 'ARRAY' && hasMap(t.element)) || (t.kind === 'STRUCT' && t.fields.some((f) => hasMap(f.type)));
  if (hasMap(type)) {
    throw new KsqlError(`Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${name}\`. Column type: ${formatType(type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`);
  }
}

export function validateFormat(format: FormatInfo, columns: { name: string; type: SqlType }[], isKey: boolean, wrapSingleValue?: boolean): void {
  const props = validateFormatProperties(format as FormatSpec);
  if (props) throw new KsqlError(props);
  const err = formatSupports(format.format as FormatSpec['format'], columns, { isKey, ...(wrapSingleValue !== undefined ? { wrapSingleValue } : {}) });
  // a key the format cannot hold is reported with the key schema, as ksqlDB's KeyFormat check does
  // (the map-key refusal stands alone)
  if (err) throw new KsqlError(isKey && !err.startsWith('Map keys') && isFormatName(format.format) ? keySchemaErrorMessage(format.format, columns, err) : err);
}

export interface DdlContext {
  config: Record<string, unknown>;
  customTypes: Map<string, SqlType>;
  topicPartitions(topic: string): number | undefined;
  /** where CREATE without columns finds them (AVRO/PROTOBUF/JSON_SR) */
  schemaRegistry?: SchemaRegistryClient;
}

export function createSourceFromDdl(stmt: CreateSource, text: string, ctx: DdlContext): { source: DataSource; createTopic?: { partitions: number; replicas: number } } {
  const props = new WithProperties(stmt.properties);
  const topic = props.string('KAFKA_TOPIC');
  if (topic === undefined) throw new KsqlError('Missing required property "KAFKA_TOPIC" which has no default value.', stmt.loc);
  let schema = buildSchema(stmt.sourceType, stmt.elements, ctx.customTypes);
  const formats = props.formats();
  const keyFormatName = formats.key ?? String(ctx.config['ksql.persistence.default.format.key'] ?? 'KAFKA').toUpperCase();
  const valueFormatName = formats.value ?? (ctx.config['ksql.persistence.default.format.value'] as string | undefined)?.toUpperCase();
  if (valueFormatName === undefined) {
    throw new KsqlError(`Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.`, stmt.loc);
  }
  const keyFormat: FormatInfo = { format: keyFormatName, properties: props.formatProperties('KEY') };
  const valueFormat: FormatInfo = { format: valueFormatName, properties: props.formatProperties('VALUE') };
  const wrap = props.bool('WRAP_SINGLE_VALUE');
  if (ctx.schemaRegistry) schema = inferSourceSchema(ctx.schemaRegistry, topic, schema, keyFormat, valueFormat, wrap);
  for (const f of [keyFormat, valueFormat]) {
    const unsupported = isFormatName(f.format) ? validateFormatProperties(f as FormatSpec) : undefined;
    if (unsupported) throw new KsqlError(unsupported, stmt.loc);
  }
  if (schema.key.length + schema.value.length + schema.headers.length === 0) throw new KsqlError(`The statement does not define any columns.`, stmt.loc);
  if (stmt.sourceType === 'TABLE' && schema.key.length === 0) {
    throw new KsqlError(`Tables require a PRIMARY KEY. Please define the PRIMARY KEY.${'\n'}Use a partial schema to define the primary key and still load the value columns from the Schema Registry, for example:${'\n'}\tCREATE TABLE ${stmt.name} (ID INT PRIMARY KEY) WITH (...);`, stmt.loc);
  }
  if (wrap !== undefined && schema.value.length + schema.headers.length !== 1 && schema.value.length !== 1) {
    throw new KsqlError(`'WRAP_SINGLE_VALUE' is only valid for single-field value schemas`, stmt.loc);
  }
  const defaultWrap = ctx.config['ksql.persistence.wrap.single.values'];
  // the config default only applies where wrapping means something: a single value column
  const wrapSingleValue = wrap ?? (defaultWrap === undefined || defaultWrap === null || schema.value.length !== 1 ? undefined : String(defaultWrap) === 'true');
  if (schema.key.length > 0) validateFormat(keyFormat, schema.key, true);
  validateFormat(valueFormat, schema.value, false, wrapSingleValue);
  const tsCol = props.string('TIMESTAMP');
  let timestamp;
  if (tsCol !== undefined) {
    const name = tsCol.toUpperCase();
    const col = [...schema.key, ...schema.value].find((c) => c.name === name || c.name === tsCol);
    if (!col) throw new KsqlError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name}'`, stmt.loc);
    const fmt = props.string('TIMESTAMP_FORMAT');
    if (col.type.kind !== 'BIGINT' && col.type.kind !== 'TIMESTAMP' && !(col.type.kind === 'STRING' && fmt !== undefined)) {
      throw new KsqlError(`Timestamp column, \`${col.name}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`, stmt.loc);
    }
    timestamp = { column: col.name, ...(fmt !== undefined ? { format: fmt } : {}) };
  }
  let window: WindowInfo | undefined;
  const wt = props.string('WINDOW_TYPE')?.toUpperCase();
  if (wt !== undefined) {
    if (!['TUMBLING', 'HOPPING', 'SESSION'].includes(wt)) throw new KsqlError(`Invalid value ${wt} for property WINDOW_TYPE`, stmt.loc);
    const size = props.string('WINDOW_SIZE');
    if (wt !== 'SESSION' && size === undefined) throw new KsqlError(`${wt} windows require 'WINDOW_SIZE' to be provided in the WITH clause. For example: 'WINDOW_SIZE'='10 SECONDS'`, stmt.loc);
    if (wt === 'SESSION' && size !== undefined) throw new KsqlError(`'WINDOW_SIZE' should not be set for SESSION windows.`, stmt.loc);
    window = { type: wt as WindowInfo['type'], ...(size !== undefined ? { sizeMs: parseDuration(size) } : {}) };
  }
  const existing = ctx.topicPartitions(topic);
  const partitions = props.int('PARTITIONS');
  let createTopic: { partitions: number; replicas: number } | undefined;
  if (existing === undefined) {
    if (partitions === undefined) {
      throw new KsqlError(`Topic '${topic}' does not exist. If you want to create a new topic for the ${stmt.sourceType === 'STREAM' ? 'stream' : 'table'} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). For example: CREATE ${stmt.sourceType} ${stmt.name} (ID INT${stmt.sourceType === 'TABLE' ? ' PRIMARY' : ''} KEY, NAME STRING) WITH (KAFKA_TOPIC='${topic}', PARTITIONS=2, REPLICAS=1, FORMAT='JSON');`, stmt.loc);
    }
    createTopic = { partitions, replicas: props.int('REPLICAS') ?? 1 };
  } else if (partitions !== undefined && partitions !== existing) {
    throw new KsqlError(`A Kafka topic with the name '${topic}' already exists, with different partition/replica configuration than required. KSQL expects ${partitions} partitions (topic has ${existing}), and 1 replication factor (topic has 1).`, stmt.loc);
  }
  const source: DataSource = {
    name: stmt.name,
    sourceType: stmt.sourceType,
    schema,
    topic,
    keyFormat,
    valueFormat,
    ...(wrapSingleValue !== undefined ? { wrapSingleValue } : {}),
    ...(timestamp ? { timestamp } : {}),
    ...(window ? { window } : {}),
    isSource: stmt.isSource,
    sql: text,
  };
  return createTopic ? { source, createTopic } : { source };
}

/** '10 SECONDS' -> ms */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+)\s*([A-Za-z]+)\s*$/.exec(text);
  if (!m) throw new KsqlError(`Invalid duration: '${text}'`);
  const unit = m[2]!.toUpperCase().replace(/S$/, '');
  const mult: Record<string, number> = { MILLISECOND: 1, SECOND: 1000, MINUTE: 60000, HOUR: 3600000, DAY: 86400000 };
  if (mult[unit] === undefined) throw new KsqlError(`Invalid duration unit in '${text}'`);
  return Number(m[1]) * mult[unit]!;
}
