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

function convert(v: unknown, from: SqlType | null, to: SqlType, name: string): unknown {
  if (v === null || from === null) return null;
  const ok = commonType(from, to) !== undefined || from.kind === 'STRING';
  if (!ok) throw new KsqlError(`Expected type ${formatType(to)} for field ${name} but got ${formatType(from)}(${String(v)})`);
  try {
    return castConverter(from, to)(v);
  } catch (err) {
    throw new KsqlError(`Expected type ${formatType(to)} for field ${name} but got ${formatType(from)}(${String(v)}): ${(err as Error).message}`);
  }
}
