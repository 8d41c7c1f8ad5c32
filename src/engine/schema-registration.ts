/**
 * The engine's side of the schema registry: schema inference for CREATE STREAM/TABLE without
 * (key or value) columns, and registration of the schemas sources and sinks write with, under
 * `<topic>-key` / `<topic>-value`, with ksqlDB's errors.
 */
import { KsqlError } from '../common/errors.js';
import { formatType, typeEquals } from '../common/types.js';
import type { DataSource } from '../planner/metastore.js';
import type { FormatInfo } from '../planner/plan.js';
import type { Column, LogicalSchema } from '../planner/schema.js';
import { registeredSchemaColumns, registrySchemaFor, subjectName, usesSchemaRegistry, type FormatSpec, type SerdeColumn } from '../runtime/serde/index.js';
import type { RegisteredSchema, SchemaRegistryClient } from '../schema-registry/index.js';

function describe(cols: readonly SerdeColumn[]): string {
  return `[${cols.map((c) => `\`${c.name}\` ${formatType(c.type)}`).join(', ')}]`;
}

function lookup(registry: SchemaRegistryClient, topic: string, format: FormatInfo, isKey: boolean): RegisteredSchema | undefined {
  const idText = format.properties['schemaId'];
  const what = isKey ? 'keys' : 'values';
  const subject = subjectName(topic, isKey);
  if (idText !== undefined) {
    const id = Number(idText);
    try {
      return registry.getById(id);
    } catch {
      throw new KsqlError(`Schema for message ${what} on topic '${topic}' does not exist in the Schema Registry.\nSubject: ${subject}\nSchema id: ${idText}`);
    }
  }
  return registry.getLatest(subject);
}

function columnsOf(registry: SchemaRegistryClient, schema: RegisteredSchema, format: FormatInfo, isKey: boolean, unwrapped: boolean): SerdeColumn[] {
  try {
    return registeredSchemaColumns(schema, registry.resolveReferences(schema.references), format.format, {
      isKey,
      unwrapped,
      // ksqlDB upper-cases names inferred from a subject's latest schema, not from a given id
      upper: format.properties['schemaId'] === undefined,
      ...(format.properties['fullSchemaName'] !== undefined ? { fullSchemaName: format.properties['fullSchemaName'] } : {}),
    });
  } catch (e) {
    throw new KsqlError(`Unable to use the ${isKey ? 'key' : 'value'} schema from the Schema Registry for topic: ${(e as Error).message}`);
  }
}

/**
 * The schema of a CREATE statement with the missing key and/or value columns taken from the
 * registry. Key columns come from the key subject when none are declared and the key format
 * has a registered schema; value columns must come from the registry when none are declared
 * and the value format supports inference.
 */
export function inferSourceSchema(
  registry: SchemaRegistryClient,
  topic: string,
  schema: LogicalSchema,
  keyFormat: FormatInfo,
  valueFormat: FormatInfo,
  wrapSingleValue: boolean | undefined,
): LogicalSchema {
  const keyId = keyFormat.properties['schemaId'];
  const valueId = valueFormat.properties['schemaId'];
  if (keyId !== undefined && schema.key.length > 0) throw new KsqlError('Table elements and KEY_SCHEMA_ID cannot both exist for create statement.');
  if (valueId !== undefined && schema.value.length > 0) throw new KsqlError('Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.');
  if (keyId !== undefined && !usesSchemaRegistry(keyFormat.format)) {
    throw new KsqlError(`KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is ${keyFormat.format}.`);
  }
  if (valueId !== undefined && !usesSchemaRegistry(valueFormat.format)) {
    throw new KsqlError(`VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is ${valueFormat.format}.`);
  }
  let key = schema.key;
  let value = schema.value;
  if (key.length === 0 && usesSchemaRegistry(keyFormat.format)) {
    const found = lookup(registry, topic, keyFormat, true);
    // PROTOBUF keys are always messages (its fields are the key columns); others unwrap one column
    if (found) key = columnsOf(registry, found, keyFormat, true, keyFormat.format !== 'PROTOBUF').map((c): Column => ({ ...c, namespace: 'KEY' }));
  }
  if (value.length === 0 && usesSchemaRegistry(valueFormat.format)) {
    const found = lookup(registry, topic, valueFormat, false);
    if (!found) {
      const subject = subjectName(topic, false);
      throw new KsqlError(
        `Schema for message values on topic '${topic}' does not exist in the Schema Registry.\nSubject: ${subject}\n\nPossible causes include:\n- The topic itself does not exist\n\t-> Use SHOW TOPICS; to check\n- Messages on the topic are not serialized using a format Schema Registry supports\n\t-> Use PRINT '${topic}' FROM BEGINNING; to verify\n- Messages on the topic have not been serialized using a Confluent Schema Registry supported serializer\n\t-> See https://docs.confluent.io/current/schema-registry/docs/serializer-formatter.html\n- The schema is registered on a different instance of the Schema Registry\n\t-> Use the REST API to list available subjects\thttps://docs.confluent.io/current/schema-registry/docs/api.html#get--subjects`,
      );
    }
    value = columnsOf(registry, found, valueFormat, false, wrapSingleValue === false).map((c): Column => ({ ...c, namespace: 'VALUE' }));
  }
  return { ...schema, key, value };
}

/**
 * Registers the schemas a source (CREATE with declared columns: only when its subject has
 * none yet) or a sink (CSAS/CTAS) writes with. A sink with KEY_/VALUE_SCHEMA_ID instead
 * checks that its columns lead the registered schema's, in order and type.
 */
export function registerSourceSchemas(registry: SchemaRegistryClient, source: DataSource, mode: 'source' | 'sink'): void {
  const sides = [
    { isKey: true, format: source.keyFormat, columns: source.schema.key, wrap: undefined as boolean | undefined },
    { isKey: false, format: source.valueFormat, columns: source.schema.value, wrap: source.wrapSingleValue },
  ];
  for (const side of sides) {
    if (!usesSchemaRegistry(side.format.format) || side.columns.length === 0) continue;
    const subject = subjectName(source.topic, side.isKey);
    const opts = { isKey: side.isKey, ...(side.wrap !== undefined ? { wrapSingleValue: side.wrap } : {}) };
    const idText = side.format.properties['schemaId'];
    if (idText !== undefined) {
      if (mode === 'sink') checkAgainstRegistered(registry, source, side.format, side.isKey, side.columns, opts.isKey ? true : side.wrap === false);
      continue;
    }
    if (mode === 'source' && registry.getLatest(subject) !== undefined) continue;
    const schema = registrySchemaFor(side.format as FormatSpec, side.columns.map((c) => ({ name: c.name, type: c.type })), opts);
    if (!schema) continue;
    try {
      registry.register(subject, schema);
    } catch (e) {
      throw new KsqlError(`Could not register schema for topic: ${(e as Error).message}`);
    }
  }
}

function checkAgainstRegistered(registry: SchemaRegistryClient, source: DataSource, format: FormatInfo, isKey: boolean, columns: readonly Column[], unwrapped: boolean): void {
  const found = lookup(registry, source.topic, format, isKey)!;
  const registered = columnsOf(registry, found, format, isKey, unwrapped && format.format !== 'PROTOBUF');
  if (unwrapped && format.format !== 'PROTOBUF' && columns.length === 1) return;
  const bad = columns.filter((c, i) => {
    const r = registered[i];
    return !r || r.name !== c.name || !typeEquals(r.type, c.type);
  });
  if (bad.length > 0) {
    throw new KsqlError(
      `The following ${isKey ? 'key' : 'value'} columns are changed, missing or reordered: ${describe(bad)}. Schema from schema registry is ${describe(registered)}`,
    );
  }
}
