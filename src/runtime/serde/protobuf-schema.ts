/**
 * Protobuf schemas as ksqlDB and Confluent's ProtobufConverter see them: parsing schema text
 * (with references and the well-known imports) into protobufjs types, the schema ksqlDB derives
 * for a set of columns, and the SQL type of a protobuf field (schema inference).
 *
 * Type mapping (Confluent ProtobufData): bool BOOLEAN; int32/sint32/sfixed32 INTEGER;
 * int64/sint64/sfixed64/uint32/fixed32/uint64/fixed64 BIGINT; float/double DOUBLE; string and
 * enums STRING; bytes BYTES; confluent.type.Decimal DECIMAL (precision/scale in the field's
 * confluent.field_meta params); google.type.Date DATE; google.type.TimeOfDay TIME;
 * google.protobuf.Timestamp TIMESTAMP; google.protobuf.*Value wrappers their primitive; maps
 * MAP; repeated ARRAY; other messages STRUCT. Inferred column and field names are upper-cased
 * (ksqlDB's connect schema translator).
 */
import protobuf from 'protobufjs';
import type { SqlType } from '../../common/types.js';
import { SerdeError } from './errors.js';
import type { SerdeColumn } from './types.js';

export const DEFAULT_PROTOBUF_MESSAGE_NAME = 'ConnectDefault1';

/** The imports every Confluent protobuf schema may use without a reference. */
const WELL_KNOWN: Record<string, string> = {
  'google/protobuf/wrappers.proto': `syntax = "proto3"; package google.protobuf;
    message DoubleValue { double value = 1; } message FloatValue { float value = 1; }
    message Int64Value { int64 value = 1; } message UInt64Value { uint64 value = 1; }
    message Int32Value { int32 value = 1; } message UInt32Value { uint32 value = 1; }
    message BoolValue { bool value = 1; } message StringValue { string value = 1; }
    message BytesValue { bytes value = 1; }`,
  'google/protobuf/timestamp.proto': 'syntax = "proto3"; package google.protobuf; message Timestamp { int64 seconds = 1; int32 nanos = 2; }',
  'google/type/date.proto': 'syntax = "proto3"; package google.type; message Date { int32 year = 1; int32 month = 2; int32 day = 3; }',
  'google/type/timeofday.proto':
    'syntax = "proto3"; package google.type; message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }',
  'confluent/type/decimal.proto': 'syntax = "proto3"; package confluent.type; message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }',
  // the option extensions are not needed to read data: their values are rewritten (see below)
  'confluent/meta.proto': 'syntax = "proto3"; package confluent;',
  'google/protobuf/descriptor.proto': 'syntax = "proto3"; package google.protobuf;',
};

const WRAPPERS: Record<string, SqlType> = {
  'google.protobuf.DoubleValue': { kind: 'DOUBLE' },
  'google.protobuf.FloatValue': { kind: 'DOUBLE' },
  'google.protobuf.Int64Value': { kind: 'BIGINT' },
  'google.protobuf.UInt64Value': { kind: 'BIGINT' },
  'google.protobuf.Int32Value': { kind: 'INTEGER' },
  'google.protobuf.UInt32Value': { kind: 'BIGINT' },
  'google.protobuf.BoolValue': { kind: 'BOOLEAN' },
  'google.protobuf.StringValue': { kind: 'STRING' },
  'google.protobuf.BytesValue': { kind: 'BYTES' },
};

export function isWrapperType(fullName: string): boolean {
  return WRAPPERS[fullName] !== undefined;
}

/**
 * protobufjs cannot parse list values inside aggregate options, which Confluent uses for
 * `(confluent.field_meta) = { params: [{ key: "precision", value: "4" }, ...] }`. The params
 * are rewritten into plain options `(confluent_param_precision) = "4"`; other aggregate
 * options (message meta, docs) are dropped: they carry nothing needed to read data.
 */
function rewriteConfluentOptions(text: string): string {
  const aggregate = /\(\s*confluent\.(field_meta|message_meta|enum_meta|file_meta)\s*\)\s*=\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}/g;
  let out = text.replace(aggregate, (_m, kind: string, body: string) => {
    if (kind !== 'field_meta') return '(confluent_dropped) = true';
    const params: string[] = [];
    const pair = /\{([^{}]*)\}/g;
    for (let m = pair.exec(body); m; m = pair.exec(body)) {
      const key = /\bkey\s*:\s*"([^"]*)"/.exec(m[1]!)?.[1];
      const value = /\bvalue\s*:\s*"([^"]*)"/.exec(m[1]!)?.[1];
      if (key !== undefined && value !== undefined && /^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) {
        params.push(`(confluent_param_${key.replace(/\./g, '_')}) = "${value}"`);
      }
    }
    return params.length > 0 ? params.join(', ') : '(confluent_dropped) = true';
  });
  // statement options left as `option (confluent_dropped) = true;` parse fine; nothing else to do
  out = out.replace(/\boption\s+\(confluent_dropped\)\s*=\s*true\s*;/g, '');
  return out;
}

export interface ParsedProtobuf {
  root: protobuf.Root;
  /** The schema file's top-level messages, in declaration order (Confluent's message index 0, 1, ...). */
  messages: protobuf.Type[];
}

/**
 * Parses Confluent protobuf schema text. `references` maps import names to schema text (the
 * registry resolves them); the well-known imports need none. Throws SerdeError on bad text.
 */
export function parseProtobuf(text: string, references: ReadonlyMap<string, string> = new Map()): ParsedProtobuf {
  const root = new protobuf.Root();
  const loaded = new Set<string>();
  const load = (name: string, source: string, stack: string[]): protobuf.IParserResult => {
    let parsed: protobuf.IParserResult;
    try {
      // parse on its own first to learn the imports, then into the shared root
      parsed = protobuf.parse(rewriteConfluentOptions(source), new protobuf.Root(), { keepCase: true });
    } catch (e) {
      throw new SerdeError(`Invalid protobuf schema${name === '' ? '' : ` ${name}`}: ${(e as Error).message}`, { cause: e });
    }
    for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
      if (loaded.has(imp)) continue;
      if (stack.includes(imp)) throw new SerdeError(`Invalid protobuf schema: circular import of ${imp}`);
      const dep = references.get(imp) ?? WELL_KNOWN[imp];
      if (dep === undefined) throw new SerdeError(`Invalid protobuf schema: cannot resolve import "${imp}"`);
      loaded.add(imp);
      load(imp, dep, [...stack, imp]);
    }
    try {
      protobuf.parse(rewriteConfluentOptions(source), root, { keepCase: true });
    } catch (e) {
      throw new SerdeError(`Invalid protobuf schema${name === '' ? '' : ` ${name}`}: ${(e as Error).message}`, { cause: e });
    }
    return parsed;
  };
  const main = load('', text, []);
  try {
    root.resolveAll();
  } catch (e) {
    throw new SerdeError(`Invalid protobuf schema: ${(e as Error).message}`, { cause: e });
  }
  const ns = main.package ? main.root.lookup(main.package) : main.root;
  const names = ns && 'nestedArray' in ns ? (ns as protobuf.Namespace).nestedArray.filter((n) => n instanceof protobuf.Type).map((n) => n.fullName) : [];
  const messages = names.map((n) => root.lookupType(n));
  if (messages.length === 0) throw new SerdeError('Invalid protobuf schema: it defines no message');
  return { root, messages };
}

/** The message a schema's data is written with: `fullSchemaName` if given, else the first one. */
export function selectMessage(parsed: ParsedProtobuf, fullName?: string): { type: protobuf.Type; indexes: number[] } {
  if (fullName === undefined) return { type: parsed.messages[0]!, indexes: [0] };
  let type: protobuf.Type;
  try {
    type = parsed.root.lookupType(fullName.startsWith('.') ? fullName : `.${fullName}`);
  } catch {
    throw new SerdeError(`Schema does not contain a message named ${fullName}`);
  }
  return { type, indexes: messageIndexes(parsed, type) };
}

/** Confluent's message indexes: the path of a message from the file's top level. */
export function messageIndexes(parsed: ParsedProtobuf, type: protobuf.Type): number[] {
  const path: number[] = [];
  let t: protobuf.ReflectionObject = type;
  while (t.parent instanceof protobuf.Type) {
    const parent: protobuf.Type = t.parent;
    path.unshift(parent.nestedArray.filter((n) => n instanceof protobuf.Type).indexOf(t as protobuf.Type));
    t = parent;
  }
  const top = parsed.messages.findIndex((m) => m === t);
  if (top < 0) throw new SerdeError(`Message ${type.fullName} is not defined by the schema`);
  return [top, ...path];
}

/** The message at Confluent message indexes. */
export function messageAt(parsed: ParsedProtobuf, indexes: readonly number[]): protobuf.Type {
  let t = parsed.messages[indexes[0] ?? 0];
  for (const i of indexes.slice(1)) t = t?.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type)[i];
  if (!t) throw new SerdeError(`Invalid message indexes [${indexes.join(', ')}] for the schema`);
  return t;
}

export type NullableRepresentation = 'DEFAULT' | 'OPTIONAL' | 'WRAPPER';

export function nullableRepresentation(properties: Record<string, string>): NullableRepresentation {
  const v = properties['nullableRepresentation']?.toUpperCase();
  return v === 'OPTIONAL' || v === 'WRAPPER' ? v : 'DEFAULT';
}

const SCALAR: Partial<Record<SqlType['kind'], string>> = {
  BOOLEAN: 'bool',
  INTEGER: 'int32',
  BIGINT: 'int64',
  DOUBLE: 'double',
  STRING: 'string',
  BYTES: 'bytes',
};

const WRAPPER_OF: Partial<Record<SqlType['kind'], string>> = {
  BOOLEAN: 'google.protobuf.BoolValue',
  INTEGER: 'google.protobuf.Int32Value',
  BIGINT: 'google.protobuf.Int64Value',
  DOUBLE: 'google.protobuf.DoubleValue',
  STRING: 'google.protobuf.StringValue',
  BYTES: 'google.protobuf.BytesValue',
};

/**
 * The proto3 schema text ksqlDB writes for columns: one message, fields numbered in column
 * order, nested STRUCTs as nested messages ConnectDefault2, 3, ...; primitives plain (null
 * written as the default), `optional`, or as google.protobuf wrappers per nullableRepresentation.
 */
export function protobufSchemaFor(columns: readonly SerdeColumn[], nullable: NullableRepresentation, messageName = DEFAULT_PROTOBUF_MESSAGE_NAME): string {
  const imports = new Set<string>();
  let counter = 1;
  const message = (name: string, fields: readonly { name: string; type: SqlType }[], indent: string): string => {
    const nested: string[] = [];
    const lines = fields.map((f, i) => {
      const decl = fieldType(f.type, f.name, indent + '  ', nested, true);
      return `${indent}  ${decl.prefix}${decl.type} ${f.name} = ${i + 1}${decl.options};`;
    });
    return `${indent}message ${name} {\n${[...nested, ...lines].join('\n')}\n${indent}}`;
  };
  const fieldType = (t: SqlType, fieldName: string, indent: string, nested: string[], topLevel: boolean): { prefix: string; type: string; options: string } => {
    const plain = SCALAR[t.kind];
    if (plain !== undefined) {
      if (nullable === 'WRAPPER' && topLevel) {
        imports.add('google/protobuf/wrappers.proto');
        return { prefix: '', type: WRAPPER_OF[t.kind]!, options: '' };
      }
      return { prefix: nullable === 'OPTIONAL' && topLevel ? 'optional ' : '', type: plain, options: '' };
    }
    switch (t.kind) {
      case 'DECIMAL':
        imports.add('confluent/type/decimal.proto');
        imports.add('confluent/meta.proto');
        return {
          prefix: '',
          type: 'confluent.type.Decimal',
          options: ` [(confluent.field_meta) = { params: [{ key: "precision", value: "${t.precision}" }, { key: "scale", value: "${t.scale}" }] }]`,
        };
      case 'DATE':
        imports.add('google/type/date.proto');
        return { prefix: '', type: 'google.type.Date', options: '' };
      case 'TIME':
        imports.add('google/type/timeofday.proto');
        return { prefix: '', type: 'google.type.TimeOfDay', options: '' };
      case 'TIMESTAMP':
        imports.add('google/protobuf/timestamp.proto');
        return { prefix: '', type: 'google.protobuf.Timestamp', options: '' };
      case 'ARRAY': {
        if (t.element.kind === 'ARRAY' || t.element.kind === 'MAP') throw new SerdeError(`PROTOBUF format does not support nested ${t.element.kind} in ARRAY (column ${fieldName})`);
        const inner = fieldType(t.element, fieldName, indent, nested, false);
        return { prefix: 'repeated ', type: inner.type, options: inner.options };
      }
      case 'MAP': {
        if (t.value.kind === 'ARRAY' || t.value.kind === 'MAP') throw new SerdeError(`PROTOBUF format does not support nested ${t.value.kind} in MAP (column ${fieldName})`);
        const inner = fieldType(t.value, fieldName, indent, nested, false);
        return { prefix: '', type: `map<string, ${inner.type}>`, options: '' };
      }
      case 'STRUCT': {
        const name = `ConnectDefault${++counter}`;
        nested.push(message(name, t.fields, indent));
        return { prefix: '', type: name, options: '' };
      }
      default:
        throw new SerdeError(`PROTOBUF format does not support type ${t.kind}`);
    }
  };
  const body = message(messageName.split('.').pop()!, columns, '');
  const pkg = messageName.includes('.') ? `package ${messageName.slice(0, messageName.lastIndexOf('.'))};\n\n` : '';
  const importLines = [...imports].sort().map((i) => `import "${i}";\n`).join('');
  return `syntax = "proto3";\n\n${pkg}${importLines}${importLines ? '\n' : ''}${body}\n`;
}

/** A field's confluent.field_meta param (rewritten by rewriteConfluentOptions). */
export function fieldParam(field: protobuf.Field, key: string): string | undefined {
  const v = field.options?.[`(confluent_param_${key})`];
  return v === undefined ? undefined : String(v);
}

/** The SQL type a protobuf field holds (schema inference). */
export function sqlTypeOfField(field: protobuf.Field, seen: readonly string[] = [], upper = true): SqlType {
  field.resolve();
  if (field.map) {
    const mf = field as unknown as protobuf.MapField;
    const value = sqlTypeOfScalarOrMessage(mf.type, mf.resolvedType, field, seen, upper);
    const keyType = scalarType(mf.keyType);
    return { kind: 'MAP', key: keyType ?? { kind: 'STRING' }, value };
  }
  const element = sqlTypeOfScalarOrMessage(field.type, field.resolvedType, field, seen, upper);
  return field.repeated ? { kind: 'ARRAY', element } : element;
}

function scalarType(t: string): SqlType | undefined {
  switch (t) {
    case 'bool':
      return { kind: 'BOOLEAN' };
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return { kind: 'INTEGER' };
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint32':
    case 'fixed32':
    case 'uint64':
    case 'fixed64':
      return { kind: 'BIGINT' };
    case 'float':
    case 'double':
      return { kind: 'DOUBLE' };
    case 'string':
      return { kind: 'STRING' };
    case 'bytes':
      return { kind: 'BYTES' };
    default:
      return undefined;
  }
}

function sqlTypeOfScalarOrMessage(typeName: string, resolved: protobuf.Type | protobuf.Enum | null, field: protobuf.Field, seen: readonly string[], upper: boolean): SqlType {
  const scalar = scalarType(typeName);
  if (scalar) return scalar;
  if (resolved instanceof protobuf.Enum) return { kind: 'STRING' };
  if (!(resolved instanceof protobuf.Type)) throw new SerdeError(`Unknown protobuf type ${typeName}`);
  const full = resolved.fullName.replace(/^\./, '');
  const wrapped = WRAPPERS[full];
  if (wrapped) return wrapped;
  switch (full) {
    case 'confluent.type.Decimal': {
      const precision = Number(fieldParam(field, 'precision') ?? 64);
      const scale = Number(fieldParam(field, 'scale') ?? 0);
      return { kind: 'DECIMAL', precision, scale };
    }
    case 'google.type.Date':
      return { kind: 'DATE' };
    case 'google.type.TimeOfDay':
      return { kind: 'TIME' };
    case 'google.protobuf.Timestamp':
      return { kind: 'TIMESTAMP' };
  }
  if (seen.includes(full)) throw new SerdeError(`Recursive protobuf message ${full} cannot be a SQL type`);
  return { kind: 'STRUCT', fields: messageColumns(resolved, [...seen, full], upper) };
}

/**
 * The columns a message's fields give: names upper-cased as ksqlDB infers them from a
 * subject's latest schema, or kept (`upper` false) when a schema id names the schema.
 */
export function messageColumns(type: protobuf.Type, seen: readonly string[] = [], upper = true): SerdeColumn[] {
  return type.fieldsArray.map((f) => ({ name: upper ? f.name.toUpperCase() : f.name, type: sqlTypeOfField(f, [...seen, type.fullName.replace(/^\./, '')], upper) }));
}
