/**
 * Plans GROUP BY queries (ksqlDB's AggregateNode): group-by -> aggregate (optionally windowed)
 * -> HAVING filter -> projection. Aggregate calls become columns KSQL_AGG_VARIABLE_<i>, and
 * group-by expressions become the key columns; the projection must name every grouping
 * expression, and any other column it uses must be grouped, as ksqlDB requires.
 */
import { KsqlError } from '../common/errors.js';
import type { SqlType } from '../common/types.js';
import type { Expr, Query } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import type { CompileContext } from '../runtime/expr/compile.js';
import type { ResolvedAggregate } from '../runtime/functions/types.js';
import { formatSupports, isFormatName } from '../runtime/serde/format-support.js';
import { ExpressionCompiler } from '../runtime/expr/compile.js';
import { AliasGenerator, naturalName } from './naming.js';
import type { AggregateStep, GroupByStep, ProjectStep, RowColumn, RowSchema, Step } from './plan.js';
import { mapChildren, scopeOf, unqualifiedText } from './query-planner.js';
import { WINDOWEND, WINDOWSTART } from './schema.js';

export interface AggregatePlanResult {
  root: Step;
  key: { name: string; type: SqlType }[];
  value: { name: string; type: SqlType }[];
  window?: RowSchema['window'];
}

const DEFAULT_GRACE_MS = 24 * 3600 * 1000;

/**
 * ksqlDB's checks on the aggregate functions themselves: over a table every aggregate must be
 * undoable (SchemaKGroupedTable), and the aggregation's state, stored in the input's value
 * format, must be able to hold each function's intermediate type (MaterializationUtil).
 */
function checkAggregatesFit(aggs: ResolvedAggregate[], isTable: boolean, valueFormat: string | undefined, q: Query): void {
  if (isTable) {
    const names = [...new Set(aggs.filter((a) => !a.undo).map((a) => a.name))];
    if (names.length > 0) {
      const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
      throw new KsqlError(`The aggregation function${names.length === 1 ? '' : 's'} ${list} cannot be applied to a table source, only to a stream source.`, q.loc);
    }
  }
  if (valueFormat !== undefined && isFormatName(valueFormat)) {
    const columns = aggs.map((a, i) => ({ name: `KSQL_AGG_VARIABLE_${i}`, type: a.intermediateType }));
    if (formatSupports(valueFormat, columns, { isKey: false }) !== undefined) {
      throw new KsqlError(
        'One of the functions used in the statement has an intermediate type that the value format can not handle. Please remove the function or change the format.',
        q.loc,
      );
    }
  }
}

export function planAggregate(
  q: Query,
  input: Step,
  items: { alias: string; expr: Expr }[],
  isTable: boolean,
  ctx: CompileContext,
  nextId: (k: string) => string,
  opts: { persistent: boolean; sinkName?: string; inputValueFormat?: string },
): AggregatePlanResult {
  const reg = ctx.registry;
  const groupBy = q.groupBy ?? [];
  if (groupBy.length === 0) throw new KsqlError('GROUP BY requires at least one expression', q.loc);
  for (const g of groupBy) {
    const agg = findAggregates(g, reg.isAggregate.bind(reg));
    if (agg.length > 0) throw new KsqlError(`GROUP BY does not support aggregate functions: ${(agg[0] as { name: string }).name.toUpperCase()} is an aggregate function.`, g.loc);
    if (containsWindowBound(g)) throw new KsqlError(`Window bounds column ${WINDOWSTART} can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.`, g.loc);
  }
  const inSchema = input.schema;
  const typeIn = (e: Expr, clause: string) => new ExpressionCompiler(ctx, scopeOf(inSchema, clause)).compile(e).type;
  const keyTypes = groupBy.map((g) => typeIn(g, 'GROUP BY') ?? ({ kind: 'STRING' } as SqlType));

  // name each grouping expression's key column
  const gen = new AliasGenerator(new Set(items.map((i) => i.alias)));
  const keyNames = groupBy.map((g) => {
    const item = items.find((it) => unqualifiedText(it.expr) === unqualifiedText(g));
    if (item) return item.alias;
    return naturalName(g) ?? gen.fresh();
  });

  // aggregate calls in SELECT and HAVING, deduplicated by text
  const aggCalls: Expr[] = [];
  const aggIndex = new Map<string, number>();
  const collect = (e: Expr) => {
    for (const a of findAggregates(e, reg.isAggregate.bind(reg))) {
      const call = a as Extract<Expr, { type: 'FunctionCall' }>;
      for (const arg of call.args) {
        if (findAggregates(arg, reg.isAggregate.bind(reg)).length > 0) throw new KsqlError(`Aggregate functions can not be nested: ${formatExpression(a)}`, a.loc);
        if (containsWindowBound(arg)) throw new KsqlError(`Window bounds column ${WINDOWSTART} can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.`, a.loc);
      }
      const t = formatExpression(a);
      if (!aggIndex.has(t)) {
        aggIndex.set(t, aggCalls.length);
        aggCalls.push(a);
      }
    }
  };
  for (const it of items) collect(it.expr);
  if (q.having) collect(q.having);
  if (aggCalls.length === 0) throw new KsqlError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.', q.loc);

  // type each aggregate against the input
  const resolved = aggCalls.map((a) => {
    const call = a as Extract<Expr, { type: 'FunctionCall' }>;
    const compiler = new ExpressionCompiler(ctx, scopeOf(inSchema, 'SELECT'));
    const args = call.star ? { infos: [] } : compiler.compileArgs(call.args);
    try {
      return reg.resolveAggregate(call.name.toUpperCase(), args.infos, ctx.config);
    } catch (err) {
      if (err instanceof KsqlError) throw err;
      throw new KsqlError((err as Error).message, a.loc);
    }
  });
  const aggTypes = resolved.map((r) => r.returnType);
  checkAggregatesFit(resolved, isTable, opts.inputValueFormat, q);

  const groupStep: GroupByStep = {
    id: nextId('GroupBy'),
    type: 'GroupBy',
    source: input,
    keyExpressions: groupBy.map(formatExpression),
    table: isTable,
    schema: { ...inSchema, key: keyNames.map((n, i) => ({ name: n, type: keyTypes[i]! })) },
  };

  const w = q.window;
  const windowInfo: RowSchema['window'] | undefined = w
    ? { type: w.kind, ...(w.kind === 'SESSION' ? {} : { sizeMs: w.sizeMs }) }
    : undefined;
  if (w && inSchema.window) throw new KsqlError('Cannot aggregate a windowed source with a WINDOW clause.', w.loc);
  const aggCols: RowColumn[] = [
    ...keyNames.map((n, i) => ({ name: n, type: keyTypes[i]!, role: 'key' as const })),
    ...aggCalls.map((_, i) => ({ name: `KSQL_AGG_VARIABLE_${i}`, type: aggTypes[i]!, role: 'value' as const })),
  ];
  if (w) {
    aggCols.push({ name: WINDOWSTART, type: { kind: 'BIGINT' }, role: 'window' });
    aggCols.push({ name: WINDOWEND, type: { kind: 'BIGINT' }, role: 'window' });
  }
  const aggStep: AggregateStep = {
    id: nextId('Aggregate'),
    type: 'Aggregate',
    source: groupStep,
    nonAggregateColumns: [],
    aggregations: aggCalls.map(formatExpression),
    ...(w
      ? {
          window: {
            type: w.kind,
            ...(w.kind === 'SESSION' ? { gapMs: w.gapMs } : { sizeMs: w.sizeMs }),
            ...(w.kind === 'HOPPING' ? { advanceMs: w.advanceMs } : {}),
            graceMs: w.graceMs ?? (q.emit === 'FINAL' ? 0 : DEFAULT_GRACE_MS),
            ...(w.retentionMs !== undefined ? { retentionMs: w.retentionMs } : {}),
          },
        }
      : {}),
    table: isTable,
    emitFinal: q.emit === 'FINAL',
    schema: { key: keyNames.map((n, i) => ({ name: n, type: keyTypes[i]! })), columns: aggCols, ...(windowInfo ? { window: windowInfo } : {}) },
  };
  if (w?.kind === 'HOPPING' && w.advanceMs > w.sizeMs) throw new KsqlError(`Window advance must be less than or equal to window size. Got advance: ${w.advanceMs}, size: ${w.sizeMs}`, w.loc);

  // rewrite SELECT / HAVING over the aggregate's output
  const rewrite = (e: Expr, clause: string, bad: Set<string>): Expr => {
    const visit = (x: Expr): Expr => {
      const text = formatExpression(x);
      const ai = aggIndex.get(text);
      if (ai !== undefined) return { type: 'ColumnRef', name: `KSQL_AGG_VARIABLE_${ai}`, loc: x.loc };
      const ut = unqualifiedText(x);
      const gi = groupBy.findIndex((g) => unqualifiedText(g) === ut);
      if (gi >= 0) return { type: 'ColumnRef', name: keyNames[gi]!, loc: x.loc };
      if (x.type === 'ColumnRef') {
        if ((x.name === WINDOWSTART || x.name === WINDOWEND) && w) return { type: 'ColumnRef', name: x.name, loc: x.loc };
        if (x.name === WINDOWSTART || x.name === WINDOWEND) {
          throw new KsqlError(`Window bounds column ${x.name} can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.`, x.loc);
        }
        bad.add(formatExpression(x));
        return x;
      }
      return mapChildren(x, visit);
    };
    void clause;
    return visit(e);
  };
  // ksqlDB names each offending select expression whole (its columns when it is a plain column)
  const badSelect: string[] = [];
  const projected = items.map((it) => {
    const bad = new Set<string>();
    const expr = rewrite(it.expr, 'SELECT', bad);
    if (bad.size > 0) badSelect.push(formatExpression(it.expr));
    return { alias: it.alias, original: it.expr, expr };
  });
  if (badSelect.length > 0) {
    throw new KsqlError(`Non-aggregate SELECT expression(s) not part of GROUP BY: ${badSelect.join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`, q.loc);
  }
  let step: Step = aggStep;
  if (q.having) {
    const badHaving = new Set<string>();
    const h = rewrite(q.having, 'HAVING', badHaving);
    if (badHaving.size > 0) throw new KsqlError(`Non-aggregate HAVING expression not part of GROUP BY: ${[...badHaving].join(', ')}`, q.having.loc);
    let t;
    try {
      t = new ExpressionCompiler(ctx, scopeOf(aggStep.schema, 'HAVING')).compile(h).type;
    } catch (err) {
      if (!(err instanceof KsqlError)) throw err;
      // name the aggregate calls, not their internal columns
      const named = err.message.replace(/KSQL_AGG_VARIABLE_(\d+)/g, (_m, i: string) => formatExpression(aggCalls[Number(i)]!));
      throw new KsqlError(named.startsWith('Error in') ? named : `Error in HAVING expression: ${named}`, err.loc);
    }
    if (t && t.kind !== 'BOOLEAN') throw new KsqlError(`Type error in HAVING expression: Should evaluate to boolean but is ${formatExpression(q.having)} (${t.kind}) instead.`, q.having.loc);
    step = { id: nextId('Filter'), type: 'Filter', source: step, predicate: formatExpression(h), table: true, schema: aggStep.schema };
  }

  // the projection: key columns are the select items naming the grouping expressions
  const keyItem: number[] = [];
  const missing: string[] = [];
  groupBy.forEach((g) => {
    const matches = projected.map((_, i) => i).filter((i) => !keyItem.includes(i) && unqualifiedText(projected[i]!.original) === unqualifiedText(g));
    if (matches.length > 1 && opts.persistent) {
      throw new KsqlError(`The projection contains a key column more than once: ${matches.map((i) => `\`${projected[i]!.alias}\``).join(' and ')}.`, q.loc);
    }
    if (matches.length > 0) keyItem.push(matches[0]!);
    else missing.push(formatExpression(g));
  });
  if (missing.length > 0 && opts.persistent) {
    const list = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}` : missing[0];
    throw new KsqlError(`The query used to build \`${opts.sinkName ?? 'OUTPUT'}\` must include the grouping expression${missing.length > 1 ? 's' : ''} ${list} in its projection (eg, SELECT ${missing.join(', ')}...).`, q.loc);
  }
  const aggScope = scopeOf(step.schema, 'SELECT');
  const outKey = keyItem.map((i) => ({ name: projected[i]!.alias, type: new ExpressionCompiler(ctx, aggScope).compile(projected[i]!.expr).type ?? ({ kind: 'STRING' } as SqlType) }));
  const values = projected.filter((_, i) => !keyItem.includes(i));
  const valueCols: RowColumn[] = values.map((v) => {
    const t = new ExpressionCompiler(ctx, aggScope).compile(v.expr).type;
    if (t === null) throw new KsqlError(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`, q.loc);
    return { name: v.alias, type: t, role: 'value' };
  });
  if (opts.persistent && valueCols.length === 0) throw new KsqlError('The projection contains no value columns.', q.loc);
  const project: ProjectStep = {
    id: nextId('Project'),
    type: 'Project',
    source: step,
    expressions: values.map((v) => formatExpression(v.expr)),
    keyExpressions: keyItem.map((i) => formatExpression(projected[i]!.expr)),
    table: true,
    schema: { key: outKey, columns: [...outKey.map((k) => ({ name: k.name, type: k.type, role: 'key' as const })), ...valueCols], ...(windowInfo ? { window: windowInfo } : {}) },
  };
  return { root: project, key: outKey, value: valueCols.map((c) => ({ name: c.name, type: c.type })), ...(windowInfo ? { window: windowInfo } : {}) };
}

function containsWindowBound(e: Expr): boolean {
  let found = false;
  const visit = (x: Expr): Expr => {
    if (x.type === 'ColumnRef' && (x.name === WINDOWSTART || x.name === WINDOWEND)) found = true;
    return mapChildren(x, visit);
  };
  visit(e);
  return found;
}

/** Top-level aggregate calls within an expression (not descending into them). */
export function findAggregates(e: Expr, isAggregate: (name: string) => boolean): Expr[] {
  const out: Expr[] = [];
  const visit = (x: Expr): Expr => {
    if (x.type === 'FunctionCall' && isAggregate(x.name.toUpperCase())) {
      out.push(x);
      return x;
    }
    return mapChildren(x, visit);
  };
  visit(e);
  return out;
}
