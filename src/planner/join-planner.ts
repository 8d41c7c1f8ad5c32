/**
 * Plans the FROM clause of a join (ksqlDB's JoinNode): each source gets its columns prefixed
 * with its alias (`L_COL`), streams are re-keyed by their join expression when it is not their
 * key (a repartition, as ksqlDB does), tables must join on their primary key (or, left table to
 * right table's key, as a foreign-key join), and the join key becomes the result's key — the
 * left column, the right column, or a synthetic ROWKEY (FULL OUTER joins, or expressions).
 */
import { KsqlError } from '../common/errors.js';
import { formatType, type SqlType, typeEquals } from '../common/types.js';
import type { Expr, JoinClause, Query } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import type { CompileContext } from '../runtime/expr/compile.js';
import { ExpressionCompiler } from '../runtime/expr/compile.js';
import type { DataSource, MetaStore } from './metastore.js';
import type { JoinStep, RowColumn, RowSchema, SelectKeyStep, Step } from './plan.js';
import { canonicalText, mapChildren, qualifiedText, scopeOf, sourceStepFor } from './query-planner.js';

export interface FromPlan {
  step: Step;
  isTable: boolean;
  sources: DataSource[];
  /** per output key column: the expressions the projection may use to name it */
  keyEquivalents: Expr[][];
  /** how a missing key is described in ksqlDB's error */
  missingKeyMessage: (sink: string, missing: Expr[][]) => string;
  windowed: boolean;
}

const JOIN_TEXT: Record<JoinClause['joinType'], string> = {
  INNER: '[INNER] JOIN',
  LEFT: 'LEFT [OUTER] JOIN',
  RIGHT: 'RIGHT [OUTER] JOIN',
  FULL: '[FULL] OUTER JOIN',
};

const KEY_MISSING = 'Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n';

interface Side {
  step: Step;
  isTable: boolean;
  /** aliases the side's columns belong to */
  aliases: string[];
  keyColumnRefs: Expr[];
  /** expressions equal to the side's key (a join result: every join expression so far) */
  keyEquivalents: Expr[];
  source?: DataSource;
  windowed: boolean;
  /**
   * the partition count of the topic the side's rows come from, unrepartitioned (a join
   * result: its left side's), and the source it is named after in the co-partitioning error
   */
  partitions?: { count: number; source: string };
}

/** What the join planner needs to know of Kafka: a topic's partition count, when it exists. */
export type TopicPartitions = (topic: string) => number | undefined;

export function planJoins(q: Query, metastore: MetaStore, ctx: CompileContext, nextId: (k: string) => string, topicPartitions?: TopicPartitions): FromPlan {
  const sources: DataSource[] = [];
  const sideFor = (name: string, alias: string | undefined, loc: Expr['loc']): Side => {
    const ds = metastore.getSource(name);
    if (!ds) throw new KsqlError(`${name} does not exist.`, loc);
    sources.push(ds);
    const a = alias ?? ds.name;
    const src = sourceStepFor(ds, a, nextId('Source'));
    const count = topicPartitions?.(ds.topic);
    // prefix every column with the alias, as ksqlDB's join schema does
    const columns = src.schema.columns.map((c) => ({ ...c, name: `${a}_${c.name}`, baseName: c.name }));
    src.schema = { ...src.schema, columns };
    return {
      step: src,
      isTable: ds.sourceType === 'TABLE',
      aliases: [a],
      keyColumnRefs: ds.schema.key.map((k) => ({ type: 'ColumnRef', source: a, name: k.name, loc })),
      keyEquivalents: ds.schema.key.length === 1 ? [{ type: 'ColumnRef', source: a, name: ds.schema.key[0]!.name, loc }] : [],
      source: ds,
      windowed: ds.window !== undefined,
      ...(count !== undefined ? { partitions: { count, source: ds.name } } : {}),
    };
  };

  let left = sideFor(q.from.name, q.from.alias, q.from.loc);
  const allAliases = new Set<string>(left.aliases);
  let groups: Expr[][] = [];
  let missing: (sink: string, m: Expr[][]) => string = () => '';
  for (const j of q.joins) {
    const right = sideFor(j.source.name, j.source.alias, j.source.loc);
    for (const a of right.aliases) {
      if (allAliases.has(a)) {
        if (q.joins.length > 1) throw new KsqlError(`N-way joins do not support multiple occurrences of the same source. Source: '${j.source.name}'`, j.loc);
        throw new KsqlError(`Can not join '${a}' to '${a}': self joins require aliases on both sources.`, j.loc);
      }
      allAliases.add(a);
    }
    const res = joinTwo(q, j, left, right, ctx, nextId);
    left = res.side;
    groups = res.groups;
    missing = res.missing;
  }
  return { step: left.step, isTable: left.isTable, sources, keyEquivalents: groups, missingKeyMessage: missing, windowed: left.windowed };
}

function joinTwo(q: Query, j: JoinClause, left: Side, right: Side, ctx: CompileContext, nextId: (k: string) => string): { side: Side; groups: Expr[][]; missing: (sink: string, m: Expr[][]) => string } {
  if (j.on.type !== 'Comparison' || j.on.op !== '=') {
    throw new KsqlError(`Unsupported join expression: ${formatExpression(j.on)}. Only equality joins between a column of each source are supported.`, j.on.loc);
  }
  // which side of the comparison belongs to which source
  const refsOf = (e: Expr, side: Side): boolean => refersOnlyTo(e, side);
  let lExpr = j.on.left;
  let rExpr = j.on.right;
  for (const e of [lExpr, rExpr]) {
    for (const q2 of qualifiersIn(e)) {
      if (!left.aliases.includes(q2) && !right.aliases.includes(q2)) throw new KsqlError(`Failed to prepare statement: '${q2}' is not a valid stream/table name or alias.`, e.loc);
    }
  }
  for (const e of [lExpr, rExpr]) {
    const l = refsOf(e, left);
    const r = refsOf(e, right);
    if (!l && !r) {
      throw new KsqlError(`Invalid comparison expression '${formatExpression(e)}' in join '${formatExpression(j.on)}'. Each side of the join comparision must contain references from exactly one source.`, j.on.loc);
    }
  }
  const onlyIn = (e: Expr) => [...new Set(qualifiersIn(e))];
  const lq = onlyIn(lExpr);
  const rq = onlyIn(rExpr);
  if (lq.length === 1 && rq.length === 1 && lq[0] === rq[0]) {
    throw new KsqlError(`Each side of the join must reference exactly one source and not the same source. Left side references \`${lq[0]}\` and right references \`${rq[0]}\``, j.on.loc);
  }
  if (refsOf(lExpr, right) && !refsOf(lExpr, left)) [lExpr, rExpr] = [rExpr, lExpr];
  if (!refsOf(lExpr, left) || !refsOf(rExpr, right)) {
    throw new KsqlError(`Invalid join condition: ${formatExpression(j.on)}. Each side of the join comparision must contain references from exactly one source.`, j.on.loc);
  }
  // expressions in messages are printed qualified by their source, as ksqlDB does
  const both = scopeOf({ key: [], columns: [...left.step.schema.columns, ...right.step.schema.columns] });
  const qt = (e: Expr) => qualifiedText(e, both);
  const lType = typeIn(lExpr, left.step.schema, ctx);
  const rType = typeIn(rExpr, right.step.schema, ctx);
  const kafkaSides = [left, right].filter((s) => s.source?.valueFormat.format === 'KAFKA').map((s) => s.source!.name);
  if (kafkaSides.length > 0) throw new KsqlError(`Source(s) ${kafkaSides.join(', ')} are using the 'KAFKA' value format. This format does not yet support JOIN.`, j.loc);
  if (!typeEquals(lType, rType)) {
    throw new KsqlError(`Invalid join condition: types don't match. Got ${qt(lExpr)}{${formatType(lType)}} = ${qt(rExpr)}{${formatType(rType)}}.`, j.on.loc);
  }
  if (left.windowed && right.windowed) {
    const lw = left.source?.window;
    const rw = right.source?.window;
    if (lw && rw && (lw.type === 'SESSION') !== (rw.type === 'SESSION')) {
      throw new KsqlError(
        `Incompatible windowed sources.\nLeft source: ${lw.type}\nRight source: ${rw.type}\nSession windowed sources can only be joined to other session windowed sources, and may still not result in expected behaviour as session bounds must be an exact match for the join to work\nHopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources`,
        j.loc,
      );
    }
    if (lw && rw && lw.sizeMs !== rw.sizeMs) throw new KsqlError('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.', j.loc);
  }
  if (left.windowed !== right.windowed) {
    const desc = (s: Side) => `\`${s.aliases[0]}\` is ${s.windowed ? `${s.source?.window?.type ?? ''} windowed` : 'not windowed'}`;
    throw new KsqlError(`Can not join windowed source to non-windowed source.${'\n'}${desc(left)}${'\n'}${desc(right)}`, j.loc);
  }

  let joinKind: JoinStep['joinKind'];
  if (!left.isTable && !right.isTable) {
    if (!j.within) throw new KsqlError('Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select', j.loc);
    joinKind = 'STREAM_STREAM';
  } else if (!left.isTable && right.isTable) {
    if (j.within) throw new KsqlError('A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop the window definition (ie. the WITHIN clause) and try to execute your join again.', j.loc);
    if (j.joinType === 'RIGHT' || j.joinType === 'FULL') throw new KsqlError(`${j.joinType === 'FULL' ? 'Full outer' : 'Right'} joins between streams and tables are not supported.`, j.loc);
    joinKind = 'STREAM_TABLE';
  } else if (left.isTable && !right.isTable) {
    throw new KsqlError(`Invalid join order: table-stream joins are not supported; only stream-table joins. Got ${left.aliases[left.aliases.length - 1]} ${JOIN_TEXT[j.joinType]} ${right.aliases[0]}.`, j.loc);
  } else {
    if (j.within) throw new KsqlError('A window definition was provided for a Table-Table join. These joins are not windowed. Please drop the window definition (i.e. the WITHIN clause) and try to execute your join again.', j.loc);
    joinKind = 'TABLE_TABLE';
  }

  const isKeyOf = (e: Expr, s: Side) => {
    const scope = scopeOf(s.step.schema);
    const t = canonicalText(e, scope);
    return s.keyEquivalents.some((k) => canonicalText(k, scope) === t);
  };
  const rightOnKey = isKeyOf(rExpr, right);
  const leftOnKey = isKeyOf(lExpr, left);
  if (joinKind === 'TABLE_TABLE') {
    if (!rightOnKey) {
      throw new KsqlError(`Invalid join condition: table-table joins require to join on the primary key of the right input table. Got ${qt(j.on.left)} = ${qt(j.on.right)}.`, j.on.loc);
    }
    if (!leftOnKey) joinKind = 'FK_TABLE_TABLE';
  }
  if (joinKind === 'FK_TABLE_TABLE' && (left.windowed || right.windowed)) throw new KsqlError('Foreign-key table-table joins are not supported on windowed tables.', j.loc);
  if (joinKind === 'FK_TABLE_TABLE' && (j.joinType === 'RIGHT' || j.joinType === 'FULL')) {
    if (j.joinType === 'RIGHT') throw new KsqlError('RIGHT OUTER JOIN on a foreign key is not supported', j.loc);
    throw new KsqlError(`Invalid join type: full-outer join not supported for foreign-key table-table join. Got ${left.aliases[0]} FULL OUTER JOIN ${right.aliases[0]}.`, j.loc);
  }
  // as in ksqlDB: a windowed table's rows are keyed by key and window, which a foreign key cannot name
  if (joinKind === 'STREAM_TABLE' && !rightOnKey) {
    throw new KsqlError(`Invalid join condition: stream-table joins require to join on the table's primary key. Got ${qt(j.on.left)} = ${qt(j.on.right)}.`, j.on.loc);
  }

  // re-key a stream side whose join expression is not its key
  const rekey = (s: Side, e: Expr, onKey: boolean): Step => {
    if (onKey || s.isTable) return s.step;
    if (s.windowed) throw new KsqlError('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.', e.loc);
    const t = typeIn(e, s.step.schema, ctx);
    const sk: SelectKeyStep = { id: nextId('PrependAliasLeft'), type: 'SelectKey', source: s.step, keyExpressions: [formatExpression(e)], schema: { ...s.step.schema, key: [{ name: 'JOINKEY', type: t }] } };
    return sk;
  };
  const leftStep = joinKind === 'FK_TABLE_TABLE' ? left.step : rekey(left, lExpr, leftOnKey);
  const rightStep = rekey(right, rExpr, rightOnKey);
  // sides joined on their keys as they are must be co-partitioned: partition p of one holds the
  // keys of partition p of the other only when both topics have the same partition count (a
  // re-keyed side goes through a repartition topic sized for the join; a foreign-key join routes
  // by the foreign key)
  if (joinKind !== 'FK_TABLE_TABLE' && leftStep === left.step && rightStep === right.step && left.partitions && right.partitions && left.partitions.count !== right.partitions.count) {
    const [l, r] = [left.partitions, right.partitions];
    throw new KsqlError(
      `Can't join \`${l.source}\` with \`${r.source}\` since the number of partitions don't match. \`${l.source}\` partitions = ${l.count}; \`${r.source}\` partitions = ${r.count}. Please repartition either one so that the number of partitions match.`,
      j.loc,
    );
  }

  // the result key: the left column, the right column, or a synthetic ROWKEY
  const lIsCol = lExpr.type === 'ColumnRef';
  const rIsCol = rExpr.type === 'ColumnRef';
  let keyName: string;
  let synthetic = false;
  let equivalents: Expr[];
  if (joinKind === 'FK_TABLE_TABLE') {
    const lk = left.keyColumnRefs[0]!;
    keyName = resolveName(lk, left.step.schema);
    equivalents = left.keyColumnRefs;
  } else if (j.joinType === 'FULL' || (!lIsCol && !rIsCol)) {
    keyName = 'ROWKEY';
    synthetic = true;
    equivalents = [{ type: 'ColumnRef', name: 'ROWKEY', loc: j.loc }];
  } else if (j.joinType === 'RIGHT') {
    keyName = rIsCol ? resolveName(rExpr, right.step.schema) : resolveName(lExpr, left.step.schema);
    equivalents = [...(rIsCol ? [rExpr] : []), ...(lIsCol ? [lExpr] : [])];
  } else {
    // the left's existing key (a previous join's) stays the key when this join is on it
    const prior = leftOnKey && left.keyEquivalents.length > 0 && !left.source ? left.keyEquivalents : [];
    keyName = prior.length > 0 ? left.step.schema.key[0]!.name : lIsCol ? resolveName(lExpr, left.step.schema) : resolveName(rExpr, right.step.schema);
    equivalents = [...prior.filter((p) => p.type === 'ColumnRef' || j.joinType !== 'LEFT'), ...(lIsCol && !prior.some((p) => formatExpression(p) === formatExpression(lExpr)) ? [lExpr] : []), ...(rIsCol ? [rExpr] : [])];
    if (j.joinType === 'LEFT' && !lIsCol) equivalents = [...prior, rExpr];
    if (j.joinType === 'INNER') {
      for (const e of [lExpr, rExpr]) if (!equivalents.some((x) => formatExpression(x) === formatExpression(e))) equivalents.push(e);
    }
  }
  const keyType = lType;
  const columns: RowColumn[] = [
    // a previous join's own ROWKEY / ROWTIME... columns are not carried into the next join
    ...leftStep.schema.columns.filter((c) => c.qualifier !== undefined),
    ...rightStep.schema.columns,
  ];
  if (synthetic) columns.push({ name: 'ROWKEY', type: keyType, role: 'key' });
  columns.push({ name: 'ROWTIME', type: { kind: 'BIGINT' }, role: 'pseudo' });
  columns.push({ name: 'ROWPARTITION', type: { kind: 'INTEGER' }, role: 'pseudo' });
  columns.push({ name: 'ROWOFFSET', type: { kind: 'BIGINT' }, role: 'pseudo' });
  // a foreign-key join keeps the left table's primary key (every column of it)
  const fkKey = joinKind === 'FK_TABLE_TABLE' ? left.keyColumnRefs.map((r) => ({ name: resolveName(r, left.step.schema), type: typeIn(r, left.step.schema, ctx) })) : undefined;
  const schema: RowSchema = { key: fkKey ?? [{ name: keyName, type: keyType }], columns, ...(left.step.schema.window ? { window: left.step.schema.window } : {}) };
  const step: JoinStep = {
    id: nextId('Join'),
    type: 'Join',
    joinKind,
    joinType: j.joinType,
    left: leftStep,
    right: rightStep,
    leftKey: formatExpression(lExpr),
    rightKey: formatExpression(rExpr),
    ...(j.within ? { within: j.within } : {}),
    schema,
  };
  const names = equivalents.map(formatExpression);
  const leftName = left.source?.name ?? left.aliases[0];
  const missing = (sink: string, m: Expr[][]) =>
    joinKind === 'FK_TABLE_TABLE'
      ? `Primary key column${m.length > 1 ? 's' : ''} missing in projection. For foreign-key table-table joins, the projection must include all primary key columns from the left input table (\`${leftName}\`). Missing column${m.length > 1 ? 's' : ''}: ${m.map((g) => `\`${(g[0] as { name: string }).name}\``).join(', ')}.`
      : synthetic
      ? `${KEY_MISSING}The query used to build \`${sink}\` must include the join expression ROWKEY in its projection (eg, SELECT ROWKEY...).\nROWKEY was added as a synthetic key column because the join criteria did not match any source column. This expression must be included in the projection and may be aliased. `
      : `${KEY_MISSING}The query used to build \`${sink}\` must include the join expression${names.length > 1 ? 's' : ''} ${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0]} in its projection (eg, SELECT ${names[0]}...).`;
  void q;
  return {
    side: {
      step,
      isTable: left.isTable && right.isTable,
      aliases: [...left.aliases, ...right.aliases],
      keyColumnRefs: synthetic ? [{ type: 'ColumnRef', name: 'ROWKEY', loc: j.loc }] : [equivalents[0]!],
      keyEquivalents: synthetic ? [{ type: 'ColumnRef', name: 'ROWKEY', loc: j.loc }] : joinKind === 'FK_TABLE_TABLE' ? left.keyEquivalents : equivalents,
      windowed: left.windowed,
      // a re-keyed left side no longer has its topic's partitioning
      ...(left.partitions && leftStep === left.step ? { partitions: left.partitions } : {}),
    },
    groups: joinKind === 'FK_TABLE_TABLE' ? left.keyColumnRefs.map((r) => [r]) : [equivalents],
    missing,
  };
}

function qualifiersIn(e: Expr): string[] {
  const out: string[] = [];
  const visit = (x: Expr): Expr => {
    if (x.type === 'ColumnRef' && x.source !== undefined) out.push(x.source);
    return mapChildren(x, visit);
  };
  visit(e);
  return out;
}

function typeIn(e: Expr, schema: RowSchema, ctx: CompileContext): SqlType {
  const t = new ExpressionCompiler(ctx, scopeOf(schema, 'JOIN ON')).compile(e).type;
  if (t === null) throw new KsqlError(`Invalid join expression: ${formatExpression(e)}`, e.loc);
  return t;
}

function resolveName(e: Expr, schema: RowSchema): string {
  if (e.type !== 'ColumnRef') return 'ROWKEY';
  const col = scopeOf(schema).tryResolve(e);
  return col?.name ?? e.name;
}


/** Whether every column the expression uses resolves in the side (and it uses at least one). */
function refersOnlyTo(e: Expr, s: Side): boolean {
  const scope = scopeOf(s.step.schema);
  let refs = 0;
  let ok = true;
  const visit = (x: Expr): Expr => {
    if (x.type === 'ColumnRef') {
      refs++;
      if (x.source !== undefined ? !s.aliases.includes(x.source) : !scope.tryResolve(x)) ok = false;
      return x;
    }
    return mapChildren(x, visit);
  };
  visit(e);
  return ok && refs > 0;
}
