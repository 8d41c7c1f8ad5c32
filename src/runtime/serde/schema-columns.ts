/**
 * Columns from a registry schema (ksqlDB's schema inference). A record / object / message
 * root gives one column per field; any other root gives a single column named ROWKEY (keys)
 * or ROWVAL (values), as ksqlDB names an unwrapped inferred column. Column and nested field
 * names are upper-cased, as ksqlDB's connect schema translator does.
 *
 * Avro: boolean, int INTEGER (date DATE, time-millis TIME), long BIGINT (timestamp-millis /
 * -micros TIMESTAMP), float/double DOUBLE, string/enum STRING, bytes/fixed BYTES (decimal
 * DECIMAL), array ARRAY, map MAP<STRING, _>, record STRUCT, ["null", T] T.
 * JSON Schema (Confluent's JsonSchemaData): boolean, integer BIGINT (connect.type int8/16/32
 * INTEGER), number DOUBLE (connect.type bytes + Decimal DECIMAL), string STRING (connect.type
 * bytes BYTES; Date/Time/Timestamp by connect.name), array ARRAY, object with properties STRUCT,
 * object with additionalProperties MAP, oneOf [null, T] T.
 */
import type { SqlType } from '../../common/types.js';
import { SerdeError } from './errors.js';
import type { SerdeColumn } from './types.js';
import { messageColumns, parseProtobuf, selectMessage } from './protobuf-schema.js';

export function singleColumnName(isKey: boolean): string {
  return isKey ? 'ROWKEY' : 'ROWVAL';
}

type AvroJson = string | AvroJson[] | { [k: string]: unknown };

function avroNamed(named: Map<string, AvroJson>, name: string, ns?: string): AvroJson | undefined {
  return named.get(name) ?? (ns ? named.get(`${ns}.${name}`) : undefined);
}

function avroToSql(s: AvroJson, named: Map<string, AvroJson>, ns: string | undefined, depth: number, upper = true): SqlType {
  if (depth > 64) throw new SerdeError('Avro schema nests too deeply (recursive?)');
  if (Array.isArray(s)) {
    const branches = s.filter((b) => b !== 'null');
    if (branches.length === 1) return avroToSql(branches[0]!, named, ns, depth + 1, upper);
    // a general union: a struct of its branches, as Connect's AvroData maps it
    return {
      kind: 'STRUCT',
      fields: branches.map((b, i) => ({ name: `${typeof b === 'string' ? b : String((b as { type?: unknown }).type ?? 'branch')}${i}`.toUpperCase(), type: avroToSql(b, named, ns, depth + 1, upper) })),
    };
  }
  if (typeof s === 'string') {
    switch (s) {
      case 'boolean':
        return { kind: 'BOOLEAN' };
      case 'int':
        return { kind: 'INTEGER' };
      case 'long':
        return { kind: 'BIGINT' };
      case 'float':
      case 'double':
        return { kind: 'DOUBLE' };
      case 'string':
        return { kind: 'STRING' };
      case 'bytes':
        return { kind: 'BYTES' };
      default: {
        const def = avroNamed(named, s, ns);
        if (def === undefined) throw new SerdeError(`Unknown Avro type ${s}`);
        return avroToSql(def, named, ns, depth + 1, upper);
      }
    }
  }
  const o = s;
  const logical = o['logicalType'];
  const type = o['type'] as AvroJson;
  if (logical === 'decimal' && (type === 'bytes' || type === 'fixed')) {
    return { kind: 'DECIMAL', precision: Number(o['precision'] ?? 64), scale: Number(o['scale'] ?? 0) };
  }
  if (logical === 'date' && type === 'int') return { kind: 'DATE' };
  if (logical === 'time-millis' && type === 'int') return { kind: 'TIME' };
  if ((logical === 'timestamp-millis' || logical === 'timestamp-micros') && type === 'long') return { kind: 'TIMESTAMP' };
  switch (type) {
    case 'record':
    case 'error': {
      const name = String(o['name'] ?? '');
      const space = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : ((o['namespace'] as string | undefined) ?? ns);
      const full = name.includes('.') || !space ? name : `${space}.${name}`;
      named.set(full, o);
      named.set(name, o);
      const fields = (o['fields'] ?? []) as { name: string; type: AvroJson }[];
      return { kind: 'STRUCT', fields: fields.map((f) => ({ name: upper ? f.name.toUpperCase() : f.name, type: avroToSql(f.type, named, space, depth + 1, upper) })) };
    }
    case 'enum':
      named.set(String(o['name']), o);
      return { kind: 'STRING' };
    case 'fixed':
      named.set(String(o['name']), o);
      return { kind: 'BYTES' };
    case 'array':
      return { kind: 'ARRAY', element: avroToSql(o['items'] as AvroJson, named, ns, depth + 1, upper) };
    case 'map':
      return { kind: 'MAP', key: { kind: 'STRING' }, value: avroToSql(o['values'] as AvroJson, named, ns, depth + 1, upper) };
    default:
      return avroToSql(type, named, ns, depth + 1, upper);
  }
}

function rootColumns(t: SqlType, isRecord: boolean, isKey: boolean): SerdeColumn[] {
  if (isRecord && t.kind === 'STRUCT') return t.fields.map((f) => ({ name: f.name, type: f.type }));
  return [{ name: singleColumnName(isKey), type: t }];
}

/**
 * Columns of an Avro schema. `unwrapped` (WRAP_SINGLE_VALUE=false, or a key read as one
 * column) makes even a record root a single column.
 */
export function avroSchemaColumns(schemaText: string, isKey: boolean, unwrapped = false, upper = true): SerdeColumn[] {
  let s: AvroJson;
  try {
    s = JSON.parse(schemaText) as AvroJson;
  } catch {
    // a bare primitive name, as registries sometimes hold it
    s = schemaText.trim().replace(/^"|"$/g, '');
  }
  const t = avroToSql(s, new Map(), undefined, 0, upper);
  const isRecord = typeof s === 'object' && !Array.isArray(s) && (s['type'] === 'record' || s['type'] === 'error');
  return rootColumns(t, isRecord && !unwrapped, isKey);
}

type JsonSchema = boolean | { [k: string]: unknown };

function jsonToSql(s: JsonSchema, root: JsonSchema, depth: number, upper = true): SqlType {
  if (depth > 64) throw new SerdeError('JSON schema nests too deeply (recursive?)');
  if (typeof s === 'boolean') throw new SerdeError('A JSON schema of true/false has no SQL type');
  const ref = s['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#')) {
    let target: unknown = root;
    for (const part of ref.slice(1).split('/').filter((p) => p !== '')) target = (target as Record<string, unknown> | undefined)?.[part];
    if (target === undefined) throw new SerdeError(`Unresolvable JSON schema reference ${ref}`);
    return jsonToSql(target as JsonSchema, root, depth + 1, upper);
  }
  const alts = (s['oneOf'] ?? s['anyOf']) as JsonSchema[] | undefined;
  if (alts) {
    const nonNull = alts.filter((a) => !(typeof a === 'object' && a['type'] === 'null'));
    if (nonNull.length === 1) return jsonToSql(nonNull[0]!, root, depth + 1, upper);
    return { kind: 'STRUCT', fields: nonNull.map((a, i) => ({ name: `IO.CONFLUENT.CONNECT.JSON.ONEOF.FIELD.${i}`, type: jsonToSql(a, root, depth + 1, upper) })) };
  }
  const connectType = s['connect.type'];
  const connectName = s['title'] ?? s['connect.name'];
  let type = s['type'];
  if (Array.isArray(type)) {
    const nonNull = (type as string[]).filter((t) => t !== 'null');
    type = nonNull.length === 1 ? nonNull[0] : nonNull;
  }
  switch (type) {
    case 'boolean':
      return { kind: 'BOOLEAN' };
    case 'integer':
      if (connectName === 'org.apache.kafka.connect.data.Timestamp') return { kind: 'TIMESTAMP' };
      if (connectName === 'org.apache.kafka.connect.data.Date') return { kind: 'DATE' };
      if (connectName === 'org.apache.kafka.connect.data.Time') return { kind: 'TIME' };
      return connectType === 'int8' || connectType === 'int16' || connectType === 'int32' ? { kind: 'INTEGER' } : { kind: 'BIGINT' };
    case 'number': {
      if (connectName === 'org.apache.kafka.connect.data.Decimal' || connectType === 'bytes') {
        const params = (s['connect.parameters'] ?? {}) as Record<string, string>;
        return { kind: 'DECIMAL', precision: Number(params['connect.decimal.precision'] ?? 64), scale: Number(params['scale'] ?? 0) };
      }
      return { kind: 'DOUBLE' };
    }
    case 'string':
      return connectType === 'bytes' ? { kind: 'BYTES' } : { kind: 'STRING' };
    case 'array':
      return { kind: 'ARRAY', element: jsonToSql((s['items'] ?? {}) as JsonSchema, root, depth + 1, upper) };
    case 'object':
    case undefined: {
      const props = s['properties'] as Record<string, JsonSchema> | undefined;
      if (connectType === 'map' || (props === undefined && typeof s['additionalProperties'] === 'object')) {
        return { kind: 'MAP', key: { kind: 'STRING' }, value: jsonToSql(s['additionalProperties'] as JsonSchema, root, depth + 1, upper) };
      }
      if (props === undefined && type === undefined) throw new SerdeError('JSON schema has no type');
      const entries = Object.entries(props ?? {});
      // Connect orders fields by connect.index when present
      entries.sort(([, a], [, b]) => Number((a as Record<string, unknown>)['connect.index'] ?? 0) - Number((b as Record<string, unknown>)['connect.index'] ?? 0));
      return { kind: 'STRUCT', fields: entries.map(([name, p]) => ({ name: upper ? name.toUpperCase() : name, type: jsonToSql(p, root, depth + 1, upper) })) };
    }
    default:
      throw new SerdeError(`Unsupported JSON schema type ${JSON.stringify(type)}`);
  }
}

export function jsonSchemaColumns(schemaText: string, isKey: boolean, unwrapped = false, upper = true): SerdeColumn[] {
  let s: JsonSchema;
  try {
    s = JSON.parse(schemaText) as JsonSchema;
  } catch (e) {
    throw new SerdeError(`Invalid JSON schema: ${(e as Error).message}`, { cause: e });
  }
  const t = jsonToSql(s, s, 0, upper);
  const isObject = typeof s === 'object' && t.kind === 'STRUCT' && (s['type'] === 'object' || s['properties'] !== undefined);
  return rootColumns(t, isObject && !unwrapped, isKey);
}

/**
 * The columns a registered schema gives for a format (schema inference). PROTOBUF reads the
 * message `fullSchemaName` names, else the first; a message root is always a row of fields.
 */
export function registeredSchemaColumns(
  schema: { schemaType: string; schema: string },
  references: ReadonlyMap<string, string>,
  format: string,
  opts: { isKey: boolean; unwrapped: boolean; upper: boolean; fullSchemaName?: string },
): SerdeColumn[] {
  const expected = format === 'JSON_SR' ? 'JSON' : format;
  if (schema.schemaType !== expected) throw new SerdeError(`The schema is a ${schema.schemaType} schema, which the ${format} format cannot read`);
  switch (format) {
    case 'AVRO':
      return avroSchemaColumns(schema.schema, opts.isKey, opts.unwrapped, opts.upper);
    case 'JSON_SR':
      return jsonSchemaColumns(schema.schema, opts.isKey, opts.unwrapped, opts.upper);
    case 'PROTOBUF': {
      const { type } = selectMessage(parseProtobuf(schema.schema, references), opts.fullSchemaName);
      return messageColumns(type, [], opts.upper);
    }
    default:
      throw new SerdeError(`The ${format} format does not support schema inference`);
  }
}
