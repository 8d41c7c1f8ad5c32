/**
 * Plans a SELECT into physical steps (ksqlDB's logical plan, flattened): source -> filter
 * (WHERE) -> flat-map (table functions) -> select-key (PARTITION BY) -> project -> sink.
 * It resolves every name and type through the same expression compiler the runtime uses, so
 * what the planner accepts the runtime can run, and it raises ksqlDB's errors for misuse.
 */
import { KsqlError } from '../common/errors.js';
import type { SqlType } from '../common/types.js';
import type { Expr, Query, SelectItem } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { ExpressionCompiler, type CompileContext } from '../runtime/expr/compile.js';
import { ExprScope, type ScopeColumn } from '../runtime/expr/scope.js';
import type { DataSource, MetaStore } from './metastore.js';
import { AliasGenerator, naturalName } from './naming.js';
import type { ProjectStep, RowColumn, RowSchema, SourceStep, Step } from './plan.js';
import { SYSTEM_COLUMN_NAMES, WINDOWEND, WINDOWSTART } from './schema.js';
import { planAggregate } from './aggregate-planner.js';
import { planJoins, type TopicPartitions } from './join-planner.js';

export interface PlannedQuery {
  root: Step;
  /** the output schema (key + value columns) */
  key: { name: string; type: SqlType }[];
  value: { name: string; type: SqlType }[];
  sourceNames: string[];
  sourceType: 'STREAM' | 'TABLE';
  window?: RowSchema['window'];
  /** the first source, whose formats and partitions a sink inherits */
  primarySource: DataSource;
  /** every source, left to right */
  sources: DataSource[];
  /**
   * The SELECT items in the order written, each pointing at its output column (a key column
   * by index into `key`, or a value column by index into `value`): what a transient query's
   * client sees, since the plan itself lays key copies out first.
   */
  selectOrder: { name: string; type: SqlType; key: boolean; index: number }[];
}

export interface PlanOptions {
  /** persistent queries must project their key columns; transient ones need not */
  persistent: boolean;
  /** name of the sink, for messages */
  sinkName?: string;
  /** the statement, for messages: `CREATE TABLE AS SELECT`, `CREATE STREAM AS SELECT`, `INSERT INTO` */
  statement?: string;
}

function selectOrder(
  items: number,
  keyPos: Map<number, number>,
  key: { name: string; type: SqlType }[],
  values: { name: string; type: SqlType }[],
): PlannedQuery['selectOrder'] {
  const out: PlannedQuery['selectOrder'] = [];
  let v = 0;
  for (let i = 0; i < items; i++) {
    const k = keyPos.get(i);
    if (k !== undefined) out.push({ name: key[k]!.name, type: key[k]!.type, key: true, index: k });
    else {
      out.push({ name: values[v]!.name, type: values[v]!.type, key: false, index: v });
      v++;
    }
  }
  return out;
}

/** SELECT order of an aggregation's output, matching items to output columns by name. */
function selectOrderByName(
  items: { alias: string }[],
  key: { name: string; type: SqlType }[],
  values: { name: string; type: SqlType }[],
): PlannedQuery['selectOrder'] {
  const out: PlannedQuery['selectOrder'] = [];
  for (const it of items) {
    const k = key.findIndex((c) => c.name === it.alias);
    if (k >= 0) out.push({ name: key[k]!.name, type: key[k]!.type, key: true, index: k });
    else {
      const v = values.findIndex((c) => c.name === it.alias);
      if (v >= 0) out.push({ name: values[v]!.name, type: values[v]!.type, key: false, index: v });
    }
  }
  return out;
}

/** Scope over a step's output rows. */
export function scopeOf(schema: RowSchema, clause?: string): ExprScope {
  const cols: ScopeColumn[] = schema.columns.map((c, i) => ({ name: c.name, type: c.type, index: i, qualifier: c.qualifier, baseName: c.baseName }));
  const quals = [...new Set(schema.columns.map((c) => c.qualifier).filter((q): q is string => q !== undefined))];
  return new ExprScope(cols, clause, quals);
}

export function sourceStepFor(ds: DataSource, alias: string, id: string): SourceStep {
  const columns: RowColumn[] = [
    ...ds.schema.key.map((c) => ({ name: c.name, type: c.type, role: 'key' as const, qualifier: alias })),
    ...ds.schema.value.map((c) => ({ name: c.name, type: c.type, role: 'value' as const, qualifier: alias })),
    ...ds.schema.headers.map((c) => ({ name: c.name, type: c.type, role: 'header' as const, qualifier: alias, ...(c.headerKey !== undefined ? { headerKey: c.headerKey } : {}) })),
    { name: 'ROWTIME', type: { kind: 'BIGINT' }, role: 'pseudo', qualifier: alias },
    { name: 'ROWPARTITION', type: { kind: 'INTEGER' }, role: 'pseudo', qualifier: alias },
    { name: 'ROWOFFSET', type: { kind: 'BIGINT' }, role: 'pseudo', qualifier: alias },
  ];
  if (ds.window) {
    columns.push({ name: WINDOWSTART, type: { kind: 'BIGINT' }, role: 'window', qualifier: alias });
    columns.push({ name: WINDOWEND, type: { kind: 'BIGINT' }, role: 'window', qualifier: alias });
  }
  return {
    id,
    type: ds.sourceType === 'STREAM' ? 'StreamSource' : 'TableSource',
    sourceName: ds.name,
    alias,
    topic: ds.topic,
    keyFormat: ds.keyFormat,
    valueFormat: ds.valueFormat,
    keyColumns: ds.schema.key.map((c) => ({ name: c.name, type: c.type })),
    valueColumns: ds.schema.value.map((c) => ({ name: c.name, type: c.type })),
    headerColumns: ds.schema.headers.map((c) => ({ name: c.name, type: c.type, ...(c.headerKey !== undefined ? { headerKey: c.headerKey } : {}) })),
    ...(ds.wrapSingleValue !== undefined ? { wrapSingleValue: ds.wrapSingleValue } : {}),
    ...(ds.timestamp ? { timestamp: ds.timestamp } : {}),
    ...(ds.window ? { window: ds.window } : {}),
    schema: { key: ds.schema.key.map((c) => ({ name: c.name, type: c.type })), columns, ...(ds.window ? { window: ds.window } : {}) },
  };
}

/** Expression with qualifiers removed, for comparing a select item with a PARTITION BY / GROUP BY expression. */
export function unqualifiedText(e: Expr): string {
  return formatExpression(stripQualifiers(e));
}

function stripQualifiers(e: Expr): Expr {
  return JSON.parse(JSON.stringify(e), (k, v) => (k === 'source' && typeof v === 'string' ? undefined : k === 'loc' ? undefined : v)) as Expr;
}

const KEY_MISSING = 'Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n';

/** Expression text with every column reference replaced by the column it resolves to. */
export function canonicalText(e: Expr, scope: ExprScope): string {
  const visit = (x: Expr): Expr => {
    if (x.type === 'ColumnRef') {
      const c = scope.tryResolve(x);
      return c ? { type: 'ColumnRef', name: c.name, loc: x.loc } : x;
    }
    return mapChildren(x, visit);
  };
  return formatExpression(visit(e));
}

/**
 * The name a qualified column reference gets in a projection: its own name when no other
 * source has a column of that name, else the alias-prefixed name (`T_ID`), as ksqlDB names them.
 */
function joinAlias(ref: { source?: string; name: string }, scope: ExprScope): string {
  const col = scope.tryResolve(ref);
  if (!col) return ref.name;
  const base = col.baseName ?? col.name;
  const clash = scope.columns.some((c) => c !== col && (c.baseName ?? c.name) === base && c.qualifier !== col.qualifier);
  return clash ? col.name : base;
}

/** Expression text with every column reference qualified by its source, as ksqlDB prints them in errors. */
export function qualifiedText(e: Expr, scope: ExprScope): string {
  const visit = (x: Expr): Expr => {
    if (x.type === 'ColumnRef') {
      const c = scope.tryResolve(x);
      return c && c.qualifier ? { type: 'ColumnRef', source: c.qualifier, name: c.baseName ?? c.name, loc: x.loc } : x;
    }
    return mapChildren(x, visit);
  };
  return formatExpression(visit(e));
}

/** Table sources under a join feeding an aggregation must send their previous rows. */
function markSendOldValues(step: Step): void {
  if (step.type === 'TableSource') step.sendOldValues = true;
  if ('source' in step) markSendOldValues(step.source);
  if (step.type === 'Join') {
    markSendOldValues(step.left);
    markSendOldValues(step.right);
  }
}

export class QueryPlanner {
  private stepCounter = 0;

  constructor(
    private readonly metastore: MetaStore,
    private readonly ctx: CompileContext,
    /** partition counts of topics, for the co-partitioning check of joins (unknown: unchecked) */
    private readonly topicPartitions?: TopicPartitions,
  ) {}

  /** the aggregate function calls of the select items */
  private aggregatesIn(items: SelectItem[]): Expr[] {
    const found: Expr[] = [];
    const visit = (x: Expr): Expr => {
      if (x.type === 'FunctionCall' && this.ctx.registry.isAggregate(x.name.toUpperCase())) found.push(x);
      return mapChildren(x, visit);
    };
    for (const it of items) if (it.type === 'SelectExpr') visit(it.expr);
    return found;
  }

  private nextId(kind: string): string {
    return `${kind}_${this.stepCounter++}`;
  }

  plan(q: Query, opts: PlanOptions): PlannedQuery {
    // a push query may aggregate without GROUP BY: every row falls in one group, as in ksqlDB
    if (!q.groupBy && !q.window && this.aggregatesIn(q.select).length > 0) {
      if (opts.persistent) {
        // COUNT(*) counts rows by their ROWTIME, and ksqlDB names it so
        const calls = this.aggregatesIn(q.select).map((c) => formatExpression(c.type === 'FunctionCall' && c.star ? { ...c, star: false, args: [{ type: 'ColumnRef', name: 'ROWTIME', loc: c.loc }] } : c));
        throw new KsqlError(`${opts.statement ?? 'CREATE TABLE AS SELECT'} statement does not support aggregate function [${calls.join(', ')}] without a GROUP BY clause.`, q.loc);
      }
      q = { ...q, groupBy: [{ type: 'Literal', literalType: 'INTEGER', value: '1', loc: q.loc }] };
    }
    if (q.window && !q.groupBy) throw new KsqlError('WINDOW clause requires a GROUP BY clause.', q.window.loc);
    if (q.having && !q.groupBy) throw new KsqlError('HAVING clause requires a GROUP BY clause.', q.having.loc);
    let step: Step;
    let isTable: boolean;
    let ds: DataSource;
    let sourceNames: string[];
    let sources: DataSource[];
    let keyEquivalents: Expr[][];
    let missingKey: ((sink: string, missing: Expr[][]) => string) | undefined;
    if (q.joins.length === 0) {
      const found = this.metastore.getSource(q.from.name);
      if (!found) throw new KsqlError(`${q.from.name} does not exist.`, q.from.loc);
      ds = found;
      const alias = q.from.alias ?? ds.name;
      isTable = ds.sourceType === 'TABLE';
      const sourceStep = sourceStepFor(ds, alias, this.nextId('Source'));
      if (isTable && q.groupBy) sourceStep.sendOldValues = true;
      step = sourceStep;
      sourceNames = [ds.name];
      sources = [ds];
      keyEquivalents = ds.schema.key.map((k) => [{ type: 'ColumnRef', source: alias, name: k.name, loc: q.loc } as Expr]);
    } else {
      const fp = planJoins(q, this.metastore, this.ctx, (k) => this.nextId(k), this.topicPartitions);
      step = fp.step;
      isTable = fp.isTable;
      ds = fp.sources[0]!;
      sourceNames = [...new Set(fp.sources.map((x) => x.name))];
      sources = fp.sources;
      keyEquivalents = fp.keyEquivalents;
      missingKey = fp.missingKeyMessage;
      if (isTable && q.groupBy) markSendOldValues(step);
    }

    // WHERE
    if (q.where) {
      const c = this.typeOf(q.where, step.schema, 'WHERE');
      if (c !== null && c.kind !== 'BOOLEAN') {
        throw new KsqlError(`Type error in WHERE expression: Should evaluate to boolean but is ${formatExpression(q.where)} (${c.kind === 'DECIMAL' ? `DECIMAL(${c.precision}, ${c.scale})` : c.kind}) instead.`, q.where.loc);
      }
      step = { id: this.nextId('Filter'), type: 'Filter', source: step, predicate: formatExpression(q.where), table: isTable, schema: step.schema };
    }

    // SELECT items: expand stars, find table functions
    const items = this.expandSelect(q.select, step.schema, ds, q.groupBy !== undefined && q.window !== undefined, q.partitionBy !== undefined && q.joins.length === 0, !opts.persistent);
    if (q.groupBy) {
      if (q.partitionBy) throw new KsqlError('PARTITION BY and GROUP BY in the same query is not supported.', q.loc);
      // the aggregation's state is stored in the input's value format; KAFKA cannot hold it
      const kafkaSources = sourceNames.filter((n) => this.metastore.getSource(n)?.valueFormat.format === 'KAFKA');
      if (kafkaSources.length > 0) {
        throw new KsqlError(`Source(s) ${kafkaSources.join(', ')} are using the 'KAFKA' value format. This format does not yet support GROUP BY.`, q.loc);
      }
      const agg = planAggregate(q, step, items, isTable, this.ctx, (k) => this.nextId(k), { ...opts, inputValueFormat: ds.valueFormat.format });
      return { root: agg.root, key: agg.key, value: agg.value, sourceNames, sourceType: 'TABLE', ...(agg.window ? { window: agg.window } : {}), primarySource: ds, sources, selectOrder: selectOrderByName(items, agg.key, agg.value) };
    }
    const tableFns: { call: Expr; name: string }[] = [];
    const rewritten = items.map((it) => ({ ...it, expr: this.extractTableFunctions(it.expr, tableFns) }));
    if (tableFns.length > 0) {
      if (isTable) throw new KsqlError('Table source is not supported with table functions', q.loc);
      const cols = [...step.schema.columns];
      for (const tf of tableFns) {
        const fc = tf.call as Extract<Expr, { type: 'FunctionCall' }>;
        const compiler = new ExpressionCompiler(this.ctx, scopeOf(step.schema, 'SELECT'));
        const args = compiler.compileArgs(fc.args);
        const r = this.ctx.registry.resolveTable(fc.name.toUpperCase(), args.infos, this.ctx.config);
        cols.push({ name: tf.name, type: r.returnType, role: 'synthetic' });
      }
      step = {
        id: this.nextId('FlatMap'),
        type: 'FlatMap',
        source: step,
        functions: tableFns.map((t) => formatExpression(t.call)),
        outputNames: tableFns.map((t) => t.name),
        schema: { ...step.schema, columns: cols },
      };
    }

    // type every projection before deciding the key: type errors come first, as in ksqlDB
    {
      const typed = step.schema;
      for (const it of rewritten) this.typeOf(it.expr, typed, 'SELECT');
    }

    // PARTITION BY
    let repartitioned = false;
    if (q.partitionBy) {
      if (isTable) throw new KsqlError(`Invalid use of PARTITION BY on a TABLE. PARTITION BY can only be used on STREAMs.`, q.loc);
      if (q.partitionBy.length === 0) throw new KsqlError('PARTITION BY requires at least one expression', q.loc);
      const pb = q.partitionBy.filter((e) => !(e.type === 'Literal' && e.literalType === 'NULL'));
      for (const e of pb) this.typeOf(e, step.schema, 'PARTITION BY');
      const keyTypes = pb.map((e) => ({ name: '?', type: this.typeOf(e, step.schema, 'PARTITION BY') ?? { kind: 'STRING' as const } }));
      keyEquivalents = pb.map((e) => [e]);
      missingKey = undefined;
      repartitioned = true;
      step = { id: this.nextId('SelectKey'), type: 'SelectKey', source: step, keyExpressions: pb.map(formatExpression), schema: { ...step.schema, key: keyTypes } };
    }

    // Projection: which select items become key columns
    const hasStar = q.select.some((s) => s.type === 'AllColumns');
    const inSchema = step.schema;
    const inScope = scopeOf(inSchema);
    const canon = (e: Expr) => canonicalText(e, inScope);
    const keyItemIdx: number[] = [];
    const keyPosBySelect = new Map<number, number>();
    const outKey: { name: string; type: SqlType }[] = [];
    const missing: Expr[][] = [];
    const taken = new Set(rewritten.map((r) => r.alias));
    const aliasGen = new AliasGenerator(taken);
    const extraKeys: { alias: string; expr: Expr }[] = [];
    for (const group of keyEquivalents) {
      const texts = new Set(group.map(canon));
      const matches = rewritten.map((it, i) => i).filter((i) => !keyItemIdx.includes(i) && texts.has(canon(rewritten[i]!.expr)));
      if (matches.length > 0) {
        const idx = matches[0]!;
        const chosen = canon(rewritten[idx]!.expr);
        const dupes = matches.filter((i) => rewritten[i]!.expr.type === 'ColumnRef' && canon(rewritten[i]!.expr) === chosen);
        if (opts.persistent && dupes.length > 1) {
          const col = inScope.tryResolve(rewritten[idx]!.expr as { name: string; source?: string });
          throw new KsqlError(`The projection contains a key column (\`${col?.name ?? rewritten[idx]!.alias}\`) more than once, aliased as: ${dupes.map((i) => rewritten[i]!.alias).sort().join(' and ')}.`, q.loc);
        }
        keyItemIdx.push(idx);
        keyPosBySelect.set(idx, outKey.length);
        outKey.push({ name: rewritten[idx]!.alias, type: this.typeOf(rewritten[idx]!.expr, inSchema, 'SELECT') ?? { kind: 'STRING' } });
      } else if (!opts.persistent || (hasStar && repartitioned && q.joins.length === 0)) {
        const ke = group[0]!;
        const name = naturalName(ke) ?? aliasGen.fresh();
        extraKeys.push({ alias: name, expr: ke });
        outKey.push({ name, type: this.typeOf(ke, inSchema, 'SELECT') ?? { kind: 'STRING' } });
      } else {
        missing.push(group);
      }
    }
    if (missing.length > 0) {
      const sink = opts.sinkName ?? 'OUTPUT';
      if (missingKey) throw new KsqlError(missingKey(sink, missing), q.loc);
      const names = missing.map((g) => (repartitioned ? qualifiedText(g[0]!, inScope) : formatExpression(g[0]!)));
      const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
      if (repartitioned) {
        throw new KsqlError(`${KEY_MISSING}The query used to build \`${sink}\` must include the partitioning expression${names.length > 1 ? 's' : ''} ${list} in its projection (eg, SELECT ${names.join(', ')}...).`, q.loc);
      }
      const keyNames = missing.map((g) => (g[0] as { name: string }).name);
      const klist = keyNames.length > 1 ? `${keyNames.slice(0, -1).join(', ')} and ${keyNames[keyNames.length - 1]}` : keyNames[0];
      throw new KsqlError(`${KEY_MISSING}The query used to build \`${sink}\` must include the key column${keyNames.length > 1 ? 's' : ''} ${klist} in its projection (eg, SELECT ${keyNames.join(', ')}...).`, q.loc);
    }

    const valueItems = rewritten.filter((_, i) => !keyItemIdx.includes(i));
    const valueCols: RowColumn[] = [];
    for (const it of valueItems) {
      const t = this.typeOf(it.expr, inSchema, 'SELECT');
      if (t === null) throw new KsqlError(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`, q.loc);
      valueCols.push({ name: it.alias, type: t, role: 'value' });
    }
    if (opts.persistent && valueCols.length === 0) throw new KsqlError('The projection contains no value columns.', q.loc);
    const keyExprTexts = [...keyItemIdx.map((i) => formatExpression(rewritten[i]!.expr)), ...extraKeys.map((k) => formatExpression(k.expr))];
    // order output key as the key expressions were declared
    const project: ProjectStep = {
      id: this.nextId('Project'),
      type: 'Project',
      source: step,
      expressions: valueItems.map((it) => formatExpression(it.expr)),
      keyExpressions: keyExprTexts,
      table: isTable,
      schema: {
        key: outKey,
        columns: [...outKey.map((k) => ({ name: k.name, type: k.type, role: 'key' as const })), ...valueCols],
        ...(inSchema.window ? { window: inSchema.window } : {}),
      },
    };
    // project's columns: key copies first (so the sink and downstream scopes can see them), then values
    return {
      root: project,
      key: outKey,
      value: valueCols.map((c) => ({ name: c.name, type: c.type })),
      sourceNames,
      sourceType: isTable ? 'TABLE' : 'STREAM',
      ...(inSchema.window ? { window: inSchema.window } : {}),
      primarySource: ds,
      sources,
      selectOrder: selectOrder(rewritten.length, keyPosBySelect, outKey, valueCols),
    };
  }

  typeOf(e: Expr, schema: RowSchema, clause: string): SqlType | null {
    try {
      return new ExpressionCompiler(this.ctx, scopeOf(schema, clause)).compile(e).type;
    } catch (err) {
      // PARTITION BY is applied to the input: a projection alias is not a column there
      if (err instanceof KsqlError && clause === 'PARTITION BY' && /^PARTITION BY column '(.+)' cannot be resolved\.$/.test(err.message)) {
        const name = /'(.+)'/.exec(err.message)![1];
        throw new KsqlError(`${err.message} '${name}' must be a column in the source schema since PARTITION BY is applied on the input.`, err.loc);
      }
      // type errors in a clause name it, as ksqlDB does; unknown columns already say where
      if (err instanceof KsqlError && clause !== 'SELECT' && !err.message.startsWith(`${clause} column`) && !err.message.startsWith('Error in') && !/cannot be resolved|does not exist|Invalid Predicate/.test(err.message)) {
        throw new KsqlError(`Error in ${clause} expression: ${err.message}`, err.loc);
      }
      throw err;
    }
  }

  /** Expand `*`, `src.*` and `col->*`; give every item its output name (KSQL_COL_n when unnamed). */
  private expandSelect(items: SelectItem[], schema: RowSchema, ds: DataSource, windowedAggregate = false, valuesFirst = false, transient = false): { alias: string; expr: Expr }[] {
    const out: { alias: string; expr: Expr; explicit: boolean }[] = [];
    for (const it of items) {
      if (it.type === 'AllColumns') {
        if (it.source !== undefined && !schema.columns.some((c) => c.qualifier === it.source)) {
          throw new KsqlError(`'${it.source}' is not a valid stream/table name or alias.`, it.loc);
        }
        const ordered = valuesFirst ? [...schema.columns.filter((c) => c.role !== 'key'), ...schema.columns.filter((c) => c.role === 'key')] : schema.columns;
        // a transient query's `*` over a windowed source shows the window bounds after the key
        const withWindow = transient && !windowedAggregate && ordered.some((c) => c.role === 'window') ? [...ordered.filter((c) => c.role === 'key'), ...ordered.filter((c) => c.role === 'window'), ...ordered.filter((c) => c.role !== 'key' && c.role !== 'window')] : ordered;
        for (const c of withWindow) {
          if (c.role === 'pseudo' || c.role === 'synthetic' || (c.role === 'window' && (!transient || windowedAggregate))) continue;
          if (it.source !== undefined && c.qualifier !== it.source) continue;
          out.push({ alias: c.name, expr: { type: 'ColumnRef', ...(c.qualifier ? { source: c.qualifier } : {}), name: c.baseName ?? c.name, loc: it.loc }, explicit: false });
        }
      } else if (it.type === 'StructAll') {
        const t = this.typeOf(it.base, schema, 'SELECT');
        if (!t || t.kind !== 'STRUCT') throw new KsqlError(`Expected STRUCT type for ${formatExpression(it.base)}->*`, it.loc);
        for (const f of t.fields) out.push({ alias: f.name, expr: { type: 'Dereference', base: it.base, field: f.name, loc: it.loc }, explicit: false });
      } else {
        if (it.alias !== undefined && SYSTEM_COLUMN_NAMES.has(it.alias)) {
          // `l.WINDOWSTART AS WINDOWSTART` re-selects the system column; any other expression may not take its name
          if (it.expr.type === 'ColumnRef' && it.expr.name === it.alias) {
            throw new KsqlError(`Reserved column name in select: \`${it.alias}\`. Please remove or alias the column.`, it.loc);
          }
          throw new KsqlError(`\`${it.alias}\` is a reserved column name. You cannot use it as an alias for a column.`, it.loc);
        }
        out.push({ alias: it.alias ?? '', expr: it.expr, explicit: it.alias !== undefined });
      }
    }
    // generated names avoid explicit aliases and every column of the input
    const taken = new Set([...out.filter((o) => o.alias !== '').map((o) => o.alias), ...schema.columns.map((c) => c.name)]);
    const gen = new AliasGenerator(taken);
    const used = new Set(out.filter((o) => o.alias !== '').map((o) => o.alias));
    const scope = scopeOf(schema);
    for (const o of out) {
      if (o.alias === '') {
        const nat = o.expr.type === 'ColumnRef' && o.expr.source !== undefined ? joinAlias(o.expr, scope) : naturalName(o.expr);
        // transient queries may select system columns (ROWTIME, WINDOWSTART, ...) by name
        if (nat !== undefined && SYSTEM_COLUMN_NAMES.has(nat) && o.expr.type === 'ColumnRef' && !transient) {
          void windowedAggregate;
          throw new KsqlError(`Reserved column name in select: \`${nat}\`. Please remove or alias the column.`, o.expr.loc);
        }
        if (nat === undefined) o.alias = gen.fresh();
        else if (!used.has(nat)) o.alias = nat;
        else {
          // a struct field whose name is taken becomes NAME_1, NAME_2, ...
          let i = 1;
          while (used.has(`${nat}_${i}`)) i++;
          o.alias = `${nat}_${i}`;
        }
        used.add(o.alias);
        taken.add(o.alias);
      }
    }
    const seen = new Set<string>();
    for (const o of out) {
      if (seen.has(o.alias)) throw new KsqlError(`Duplicate value columns found in schema: \`${o.alias}\``, o.expr.loc);
      seen.add(o.alias);
    }
    return out;
  }

  /** Replace table-function calls by references to synthetic columns the FlatMap step will add. */
  private extractTableFunctions(e: Expr, found: { call: Expr; name: string }[]): Expr {
    const visit = (x: Expr): Expr => {
      if (x.type === 'FunctionCall' && this.ctx.registry.isTableFunction(x.name.toUpperCase())) {
        const name = `KSQL_SYNTH_${found.length}`;
        found.push({ call: x, name });
        return { type: 'ColumnRef', name, loc: x.loc };
      }
      return mapChildren(x, visit);
    };
    return visit(e);
  }
}

/** Rebuild an expression with each direct child replaced by `f(child)`. */
export function mapChildren(e: Expr, f: (x: Expr) => Expr): Expr {
  switch (e.type) {
    case 'Dereference':
      return { ...e, base: f(e.base) };
    case 'Subscript':
      return { ...e, base: f(e.base), index: f(e.index) };
    case 'FunctionCall':
      return { ...e, args: e.args.map(f) };
    case 'Lambda':
      return { ...e, body: f(e.body) };
    case 'Arithmetic':
    case 'Concat':
    case 'Comparison':
    case 'Logical':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'Negate':
    case 'Not':
    case 'IsNull':
    case 'Cast':
    case 'AtTimeZone':
      return { ...e, operand: f(e.operand) };
    case 'Between':
      return { ...e, operand: f(e.operand), low: f(e.low), high: f(e.high) };
    case 'In':
      return { ...e, operand: f(e.operand), list: e.list.map(f) };
    case 'Like':
      return { ...e, operand: f(e.operand), pattern: f(e.pattern) };
    case 'Case':
      return { ...e, ...(e.operand ? { operand: f(e.operand) } : {}), whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), ...(e.else ? { else: f(e.else) } : {}) };
    case 'ArrayCtor':
      return { ...e, items: e.items.map(f) };
    case 'MapCtor':
      return { ...e, entries: e.entries.map((x) => ({ key: f(x.key), value: f(x.value) })) };
    case 'StructCtor':
      return { ...e, fields: e.fields.map((x) => ({ name: x.name, value: f(x.value) })) };
    default:
      return e;
  }
}
