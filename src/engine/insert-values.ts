/**
 * INSERT INTO source [(columns)] VALUES (...): evaluates the values, converts them to the
 * columns' types, serialises key and value with the source's formats and produces one record.
 */
import { KsqlError } from '../common/errors.js';
import { formatType, type SqlType } from '../common/types.js';
import type { Statement } from '../parser/ast.js';
import { castConverter } from '../runtime/expr/cast.js';
import { commonType, ExpressionCompiler } from '../runtime/expr/compile.js';
import { ExprScope } from '../runtime/expr/scope.js';
import { createSerde, type FormatSpec } from '../runtime/serde/index.js';
import type { Engine } from './engine.js';

export function insertValues(engine: Engine, s: Extract<Statement, { type: 'InsertValues' }>): void {
  const src = engine.metastore.getSource(s.target);
  if (!src) throw new KsqlError(`Cannot insert values into an unknown stream/table: ${s.target}`, s.loc);
  if (src.isSource) throw new KsqlError(`Cannot insert values into read-only ${src.sourceType.toLowerCase()}: ${src.name}`, s.loc);
  if (src.window) throw new KsqlError(`Cannot insert into windowed ${src.sourceType.toLowerCase()}: ${src.name}`, s.loc);
  const all = [...src.schema.key, ...src.schema.value];
  const names = s.columns ?? all.map((c) => c.name);
  if (names.length !== s.values.length) {
    throw new KsqlError(`Failed to prepare statement: Expected number columns and values to match: ${names.length}, ${s.values.length}`, s.loc);
  }
  const compiler = new ExpressionCompiler(engine.compileContext(), new ExprScope([], 'VALUES'));
  const byName = new Map<string, unknown>();
  let ts = Date.now();
  names.forEach((name, i) => {
    const expr = s.values[i]!;
    const c = compiler.compile(expr);
    if (name === 'ROWTIME') {
      const v = c.fn([], null);
      if (v !== null) ts = Number(v);
      return;
    }
    if (name === 'ROWPARTITION' || name === 'ROWOFFSET') throw new KsqlError(`Inserting into column \`${name}\` is not allowed.`, s.loc);
    const col = all.find((x) => x.name === name);
    if (!col) throw new KsqlError(`Column name ${name} does not exist.`, s.loc);
    const v = convert(c.fn([], null), c.type, col.type, name);
    byName.set(name, v);
  });
  if (src.sourceType === 'TABLE') for (const k of src.schema.key) if ((byName.get(k.name) ?? null) === null) throw new KsqlError(`Failed to insert values into '${src.name}'. Value for primary key column(s) ${k.name} is required for tables`, s.loc);
  const sr = { topic: src.topic, registry: engine.schemaRegistry };
  const keySerde = createSerde(src.keyFormat as FormatSpec, src.schema.key, { isKey: true, ...sr });
  const valueSerde = createSerde(src.valueFormat as FormatSpec, src.schema.value, { isKey: false, ...sr, ...(src.wrapSingleValue !== undefined ? { wrapSingleValue: src.wrapSingleValue } : {}) });
  let key: Buffer | null;
  let value: Buffer | null;
  try {
    key = src.schema.key.length === 0 ? null : keySerde.serialize(src.schema.key.map((k) => byName.get(k.name) ?? null));
    value = valueSerde.serialize(src.schema.value.map((c) => byName.get(c.name) ?? null));
  } catch (err) {
    throw new KsqlError(`Failed to insert values into '${src.name}'. Could not serialize value: ${(err as Error).message}`, s.loc);
  }
  engine.driver.produce({ topic: src.topic, key, value, timestamp: ts, headers: [] });
}

/**
 * A value for a column of type `to`, as ksqlDB's value coercer makes it: numbers widen, and
 * structs, arrays and maps are coerced member by member — a struct's fields by name (exact,
 * else ignoring case), fields the target lacks are dropped and fields it has but the value
 * lacks are null.
 */
function convert(v: unknown, from: SqlType | null, to: SqlType, name: string): unknown {
  if (v === null || from === null) return null;
  const fail = (detail?: string): never => {
    throw new KsqlError(`Expected type ${formatType(to)} for field ${name} but got ${formatType(from)}(${describe(v)})${detail ? `: ${detail}` : ''}`);
  };
  if (to.kind === 'STRUCT' && from.kind === 'STRUCT') {
    const obj = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of to.fields) {
      const src = from.fields.find((x) => x.name === f.name) ?? from.fields.find((x) => x.name.toUpperCase() === f.name.toUpperCase());
      out[f.name] = src ? convert(obj[src.name] ?? null, src.type, f.type, `${name}.${f.name}`) : null;
    }
    return out;
  }
  if (to.kind === 'ARRAY' && from.kind === 'ARRAY') return (v as unknown[]).map((e) => convert(e, from.element, to.element, name));
  if (to.kind === 'MAP' && from.kind === 'MAP') {
    const out = new Map<unknown, unknown>();
    for (const [k, x] of v as Map<unknown, unknown>) out.set(convert(k, from.key, to.key, name), convert(x, from.value, to.value, name));
    return out;
  }
  if (['STRUCT', 'ARRAY', 'MAP'].includes(to.kind) || ['STRUCT', 'ARRAY', 'MAP'].includes(from.kind)) {
    if (from.kind !== to.kind) fail();
  }
  const ok = commonType(from, to) !== undefined || from.kind === 'STRING';
  if (!ok) fail();
  try {
    return castConverter(from, to)(v);
  } catch (err) {
    return fail((err as Error).message);
  }
}

/** A value as ksqlDB prints it in this error (structs as {F=v}, not [object Object]). */
function describe(v: unknown): string {
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${describe(k)}=${describe(x)}`).join(', ')}}`;
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v) && v.constructor === Object) return `Struct{${Object.entries(v).map(([k, x]) => `${k}=${describe(x)}`).join(',')}}`;
  return String(v);
}
