/**
 * Pull queries on materialised tables: a SELECT without EMIT CHANGES on a table, answered from
 * the rows the table's persistent query keeps (EngineDriver.materializedRows). The query is
 * planned like any transient query (source → filter → projection) and its filter and
 * projection operators run over the current rows, so WHERE on key columns (=, IN, ranges),
 * on WINDOWSTART/WINDOWEND and on value columns evaluate exactly as in push queries. Rows come
 * out in key order, then window start; LIMIT cuts the result.
 */
import { KsqlError } from '../common/errors.js';
import { formatType, type SqlType } from '../common/types.js';
import type { Expr, Query } from '../parser/ast.js';
import { formatExpression } from '../parser/format.js';
import { parseStatements } from '../parser/index.js';
import type { DataSource } from '../planner/metastore.js';
import type { Step } from '../planner/plan.js';
import { QueryPlanner } from '../planner/query-planner.js';
import { filterOperator, projectOperator } from '../runtime/operators/stateless.js';
import type { Operator, Row } from '../runtime/row.js';
import type { TopologyContext } from '../runtime/context.js';
import { partitionFor } from '../runtime/partitioner.js';
import { createSerde, type FormatSpec } from '../runtime/serde/index.js';
import type { Engine } from './engine.js';
import type { MaterializedRow } from './driver.js';
import { conjuncts } from './pull-keys.js';

export interface PullColumn {
  name: string;
  type: SqlType;
  key: boolean;
}

export interface PullResult {
  queryId: string;
  columns: PullColumn[];
  rows: unknown[][];
}

const DISALLOWED_PSEUDO = ['ROWPARTITION', 'ROWOFFSET'];

/** Column names an expression tree references (ColumnRef nodes anywhere inside). */
function referencedColumns(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) for (const x of node) referencedColumns(x, out);
  else if (node && typeof node === 'object') {
    const n = node as { type?: string; name?: string };
    if (n.type === 'ColumnRef' && typeof n.name === 'string') out.add(n.name);
    for (const [k, v] of Object.entries(node)) if (k !== 'loc') referencedColumns(v, out);
  }
  return out;
}

/** Checks that ksqlDB applies to every pull query, on tables and on streams alike. */
export function validatePullQuery(q: Query, config: Record<string, unknown> = {}): void {
  if (q.limit !== undefined && String(config['ksql.query.pull.limit.clause.enabled'] ?? 'true') === 'false') {
    throw new KsqlError(
      'LIMIT clause in pull queries is currently disabled. You can enable them by setting ksql.query.pull.limit.clause.enabled=true. See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.',
    );
  }
  if (q.window) throw new KsqlError("Pull queries don't support WINDOW clauses.");
  if (q.groupBy) throw new KsqlError("Pull queries don't support GROUP BY clauses.");
  if (q.partitionBy) throw new KsqlError("Pull queries don't support PARTITION BY clauses.");
  if (q.having) throw new KsqlError("Pull queries don't support HAVING clauses.");
  const sel = referencedColumns(q.select);
  const badSel = DISALLOWED_PSEUDO.filter((c) => sel.has(c));
  if (badSel.length > 0) throw new KsqlError(`Pull queries don't support the following columns in SELECT clauses: ${badSel.map((c) => `\`${c}\``).join(', ')}`);
  if (q.where) {
    const w = referencedColumns(q.where);
    const badWhere = DISALLOWED_PSEUDO.filter((c) => w.has(c));
    if (badWhere.length > 0) throw new KsqlError(`Pull queries don't support the following columns in WHERE clauses: ${badWhere.map((c) => `\`${c}\``).join(', ')}`);
  }
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return a < b ? -1 : a > b ? 1 : 0;
  const sa = typeof a === 'string' ? a : JSON.stringify(a, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  const sb = typeof b === 'string' ? b : JSON.stringify(b, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Orders rows as a table scan over Kafka Streams state returns them: partition by partition
 * (each partition's store is separate), within a partition by the serialised key's bytes
 * (RocksDB's order), then by window start.
 */
function scanOrder(engine: Engine, table: DataSource, rows: MaterializedRow[]): MaterializedRow[] {
  const partitions = engine.driver.describeTopic(table.topic)?.partitions ?? 1;
  let serde: ReturnType<typeof createSerde> | undefined;
  try {
    serde = createSerde(table.keyFormat as FormatSpec, table.schema.key, { isKey: true, topic: table.topic, registry: engine.schemaRegistry });
  } catch {
    serde = undefined;
  }
  const keyed = rows.map((r) => {
    let bytes: Buffer | null = null;
    try {
      bytes = serde && table.schema.key.length > 0 ? serde.serialize(r.key) : null;
    } catch {
      bytes = null;
    }
    return { r, bytes, partition: partitionFor(bytes, partitions, () => 0) };
  });
  keyed.sort((a, b) => {
    if (a.partition !== b.partition) return a.partition - b.partition;
    const c = a.bytes && b.bytes ? Buffer.compare(a.bytes, b.bytes) : compareKeys(a.r, b.r);
    return c !== 0 ? c : (a.r.window?.start ?? 0) - (b.r.window?.start ?? 0);
  });
  return keyed.map((k) => k.r);
}

function compareKeys(a: MaterializedRow, b: MaterializedRow): number {
  for (let i = 0; i < Math.max(a.key.length, b.key.length); i++) {
    const c = compareValues(a.key[i], b.key[i]);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * The literal keys of a key lookup (`K = v` or `K IN (…)`, possibly ANDed with other
 * conditions) on a single-key table, in the order written: lookups return rows in that order.
 */
function lookupOrder(where: Expr | undefined, table: DataSource): string[] | undefined {
  if (!where || table.schema.key.length !== 1) return undefined;
  const key = table.schema.key[0]!.name;
  const lit = (e: Expr): string | undefined => {
    const x = e as unknown as { type: string; value?: unknown };
    return x.type === 'Literal' ? String(x.value) : undefined;
  };
  const isKey = (e: Expr) => (e as unknown as { type: string; name?: string }).type === 'ColumnRef' && (e as unknown as { name: string }).name === key;
  const found = (e: Expr): string[] | undefined => {
    const x = e as unknown as { type: string; op?: string; left: Expr; right: Expr; operand: Expr; values?: Expr[]; list?: Expr[] };
    if (x.type === 'Logical' && x.op === 'AND') return found(x.left) ?? found(x.right);
    if (x.type === 'Comparison' && x.op === '=') {
      if (isKey(x.left)) return lit(x.right) !== undefined ? [lit(x.right)!] : undefined;
      if (isKey(x.right)) return lit(x.left) !== undefined ? [lit(x.left)!] : undefined;
    }
    if (x.type === 'In' && isKey(x.operand)) {
      const vals = (x.values ?? x.list ?? []).map(lit);
      return vals.every((v) => v !== undefined) ? (vals as string[]) : undefined;
    }
    return undefined;
  };
  // only a plain lookup (the key constrained once) answers in the order asked; anything else scans
  if (conjuncts(where).filter((t) => referencedColumns(t).has(key)).length !== 1) return undefined;
  return found(where);
}

/**
 * What ksqlDB rejects in a table pull before it looks at the data: the same column selected
 * twice, comparisons with a NULL literal, and key lookups by values of the wrong type.
 */
function checkPullExpressions(q: Query, table: DataSource): void {
  const cols = [...table.schema.key, ...table.schema.value, ...table.schema.headers];
  const seen = new Set<string>();
  for (const it of q.select) {
    if (it.type !== 'SelectExpr' || it.alias !== undefined || it.expr.type !== 'ColumnRef') continue;
    const name = it.expr.name;
    if (seen.has(name)) {
      const col = cols.find((c) => c.name === name);
      throw new KsqlError(`Duplicate value columns found in schema: \`${name}\`${col ? ` ${formatType(col.type)}` : ''}`);
    }
    seen.add(name);
  }
  const keyCol = (e: Expr) => (e.type === 'ColumnRef' ? table.schema.key.find((k) => k.name === e.name) : undefined);
  const isNull = (e: Expr) => e.type === 'Literal' && e.literalType === 'NULL';
  const visit = (e: Expr): void => {
    if (e.type === 'Logical') {
      visit(e.left);
      visit(e.right);
    } else if (e.type === 'Comparison' && (isNull(e.left) || isNull(e.right))) {
      const other = isNull(e.left) ? e.right : e.left;
      const col = other.type === 'ColumnRef' ? cols.find((c) => c.name === other.name) : undefined;
      const t = col ? formatType(col.type) : 'NULL';
      const text = (x: Expr) => (isNull(x) ? 'null' : formatExpression(x));
      throw new KsqlError(`Error in WHERE expression: Comparison with NULL not supported: ${isNull(e.left) ? 'NULL' : t} ${e.op} ${isNull(e.right) ? 'NULL' : t}\nUse 'IS NULL' or 'IS NOT NULL' instead.\nStatement: (${text(e.left)} ${e.op} ${text(e.right)})`);
    } else if (e.type === 'In') {
      const k = keyCol(e.operand);
      if (k && k.type.kind !== 'STRING') {
        for (const v of e.list) {
          if (v.type === 'Literal' && v.literalType === 'STRING') throw new KsqlError(`'${String(v.value)}' can not be converted to the type of the key column: ${k.name} ${formatType(k.type)} KEY`);
        }
      }
    }
  };
  if (q.where) visit(q.where);
}

/**
 * WINDOWSTART / WINDOWEND may be bounded by timestamp text ('2020-02-23T23:45:12.000', with an
 * optional zone offset; UTC otherwise): such literals become epoch milliseconds.
 */
function windowBoundsAsMillis(e: Expr): Expr {
  const isBound = (x: Expr) => x.type === 'ColumnRef' && (x.name.toUpperCase() === 'WINDOWSTART' || x.name.toUpperCase() === 'WINDOWEND');
  const toMillis = (x: Expr): Expr => {
    if (x.type !== 'Literal' || x.literalType !== 'STRING' || typeof x.value !== 'string') return x;
    const m = /^(\d{4}-\d{2}-\d{2}(?:T\d{2}(?::\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(x.value.trim());
    if (!m) return x;
    let zone = m[2] ?? 'Z';
    if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const ms = Date.parse(`${m[1]!.length === 10 ? `${m[1]}T00:00:00` : m[1]}${zone}`);
    return Number.isNaN(ms) ? x : { type: 'Literal', literalType: 'BIGINT', value: String(ms), loc: x.loc };
  };
  const visit = (x: Expr): Expr => {
    if (x.type === 'Logical') return { ...x, left: visit(x.left), right: visit(x.right) };
    if (x.type === 'Comparison' && isBound(x.left)) return { ...x, right: toMillis(x.right) };
    if (x.type === 'Comparison' && isBound(x.right)) return { ...x, left: toMillis(x.left) };
    if (x.type === 'Between' && isBound(x.operand)) return { ...x, low: toMillis(x.low), high: toMillis(x.high) } as Expr;
    return x;
  };
  return visit(e);
}

/** The table source step at the bottom of a Project/Filter chain. */
function sourceOf(step: Step): Step {
  let s = step;
  while ('source' in s && s.source) s = s.source as Step;
  return s;
}

/** Rows a table's pull query reads: from its CTAS query's materialised state. */
function materialized(engine: Engine, table: DataSource): Iterable<MaterializedRow> {
  const rows = table.writeQueryId ? engine.driver.materializedRows(table.writeQueryId) : undefined;
  if (!rows) {
    throw new KsqlError(
      `The \`${table.name}\` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_${table.name} AS SELECT * FROM ${table.name}'. See https://cnfl.io/queries for more info.`,
    );
  }
  return rows;
}

/**
 * The current rows of a source table (CREATE SOURCE TABLE), which ksqlDB materialises without
 * a CTAS: read its topic to the end offsets with a transient query, keeping the last row per
 * key (a tombstone removes it).
 */
export function scanSourceTable(engine: Engine, table: DataSource): Promise<MaterializedRow[]> {
  const [ps] = parseStatements(`SELECT * FROM \`${table.name}\`;`);
  const r = engine.execute(ps!);
  if (r.kind !== 'TransientQuery') throw new KsqlError(`Cannot read ${table.name}`);
  const plan = engine.transientPlan(r.planned, ps!.text);
  const valueIdx = table.schema.value.map((c) => r.planned.value.findIndex((v) => v.name === c.name));
  const rows = new Map<string, MaterializedRow>();
  const keyText = (k: unknown[]) => JSON.stringify(k, (_x, v) => (typeof v === 'bigint' ? `${v}n` : v));
  return new Promise((resolve, reject) => {
    engine.driver.startTransientQuery(plan, engine.compileContext(), { fromBeginning: true, untilEnd: true }, {
      onRow(row) {
        const k = keyText(row.key);
        if (row.values === null) rows.delete(k);
        else rows.set(k, { key: row.key, values: valueIdx.map((i) => (i >= 0 ? row.values![i] : null)), timestamp: row.timestamp, ...(row.window ? { window: row.window } : {}) });
      },
      onEnd(err) {
        if (err) reject(err);
        else resolve([...rows.values()]);
      },
    });
  });
}

/** Whether a table is answered by scanning its topic (a source table) rather than CTAS state. */
export function isScannedSourceTable(table: DataSource): boolean {
  return table.sourceType === 'TABLE' && table.isSource && table.writeQueryId === undefined;
}

/**
 * Run a pull query against a materialised table. `config` holds the request's properties
 * (e.g. ksql.query.pull.table.scan.enabled).
 */
export function executeTablePull(engine: Engine, query: Query, config: Record<string, unknown> = {}, sourceRows?: MaterializedRow[]): PullResult {
  validatePullQuery(query, { ...engine.config, ...config });
  const q: Query = query.where ? { ...query, where: windowBoundsAsMillis(query.where) } : query;
  if (q.joins.length > 0) throw new KsqlError("Pull queries don't support JOIN clauses.");
  const table = engine.metastore.getSource(q.from.name);
  if (!table) throw new KsqlError(`${q.from.name} does not exist.`);
  if (table.sourceType !== 'TABLE') throw new KsqlError(`${q.from.name} is not a table.`);
  const scanDisabled = String(config['ksql.query.pull.table.scan.enabled'] ?? engine.config['ksql.query.pull.table.scan.enabled'] ?? 'true') === 'false';
  const rangeScan = String(config['ksql.query.pull.range.scan.enabled'] ?? engine.config['ksql.query.pull.range.scan.enabled'] ?? 'true') !== 'false';
  if (scanDisabled) requireKeyLookup(q.where, table, rangeScan);
  checkPullExpressions(q, table);
  const planned = new QueryPlanner(engine.metastore, engine.compileContext()).plan(q, { persistent: false });
  let rows = scanOrder(engine, table, sourceRows ?? [...materialized(engine, table)]);
  const lookups = lookupOrder(q.where, table);
  if (lookups) {
    const same = (lit: string, v: unknown) => lit === String(v) || (typeof v !== 'string' && v !== null && Number(lit) === Number(v));
    const rank = (r: MaterializedRow) => {
      const i = lookups.findIndex((l) => same(l, r.key[0]));
      return i < 0 ? lookups.length : i;
    };
    rows = rows.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map((x) => x.r);
  }
  const queryId = `query_${Date.now()}`;
  const ctx: TopologyContext = { queryId, compile: engine.compileContext(), log: engine.driver.processingLog, emit: () => undefined };
  const nKey = planned.key.length;
  const out: unknown[][] = [];
  const limit = q.limit;
  const terminal: Operator = {
    process(row: Row) {
      if (row.nullValue) return;
      if (limit !== undefined && out.length >= limit) return;
      out.push(planned.selectOrder.map((c) => (c.key ? row.cols[c.index] : row.cols[nKey + c.index]) ?? null));
    },
  };
  // wire the operators from the projection down to the source, as the topology builder does
  const chain: Step[] = [];
  for (let s: Step = planned.root; s.type !== 'TableSource'; s = (s as { source: Step }).source) {
    if (s.type !== 'Project' && s.type !== 'Filter') throw new KsqlError(`Pull queries don't support ${s.type} steps.`);
    chain.push(s);
  }
  let head: Operator = terminal;
  for (const s of chain) head = s.type === 'Project' ? projectOperator(s, ctx, head) : filterOperator(s as Extract<Step, { type: 'Filter' }>, ctx, head);
  const src = sourceOf(planned.root);
  const cols = src.schema.columns;
  for (const r of rows) {
    if (limit !== undefined && out.length >= limit) break;
    const values = cols.map((c) => {
      switch (c.role) {
        case 'key':
          return r.key[table.schema.key.findIndex((k) => k.name === c.name)] ?? null;
        case 'value':
          return r.values[table.schema.value.findIndex((k) => k.name === c.name)] ?? null;
        case 'window': {
          const w = c.name === 'WINDOWSTART' ? r.window?.start : r.window?.end;
          return w === undefined ? null : BigInt(w);
        }
        default:
          // pseudo columns hold the runtime's BIGINT representation (bigint)
          return c.name === 'ROWTIME' ? BigInt(r.timestamp ?? 0) : c.name === 'ROWOFFSET' ? 0n : c.name === 'ROWPARTITION' ? 0 : null;
      }
    });
    head.process({ key: r.key, cols: values, nullValue: false, ts: r.timestamp ?? 0, partition: 0, offset: 0, headers: [], window: r.window ?? null });
  }
  // on a windowed table the window bounds are part of the key
  const windowKey = (name: string) => table.window !== undefined && (name === 'WINDOWSTART' || name === 'WINDOWEND');
  return { queryId, columns: planned.selectOrder.map((c) => ({ name: c.name, type: c.type, key: c.key || windowKey(c.name) })), rows: out };
}

/**
 * With table scans disabled a pull query must be a key lookup (or, when range scans are on, a
 * range on a single key): ksqlDB's rules and messages, checked disjunct by disjunct.
 */
function requireKeyLookup(where: Expr | undefined, table: DataSource, rangeScanEnabled: boolean): void {
  if (!where) throw new KsqlError('Query requires table scan to be enabled');
  const keyNames = table.schema.key.map((k) => k.name);
  const multi = keyNames.length > 1;
  const split = (e: Expr, op: 'AND' | 'OR'): Expr[] => {
    const x = e as unknown as { type: string; op?: string; left: Expr; right: Expr };
    return x.type === 'Logical' && x.op === op ? [...split(x.left, op), ...split(x.right, op)] : [e];
  };
  const keyRef = (e: Expr): string | undefined => {
    const x = e as unknown as { type: string; name?: string };
    return x.type === 'ColumnRef' && keyNames.includes(x.name!) ? x.name : undefined;
  };
  const resolvable = (e: Expr) => referencedColumns(e).size === 0;
  const notResolvable = () => new KsqlError('A comparison must be between a key column and a resolvable expression.');
  const combined = () => new KsqlError('A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate');
  const disjuncts = split(where, 'OR');
  for (const d of disjuncts) {
    const bound = new Map<string, 'eq' | 'range'>();
    for (const term of split(d, 'AND')) {
      const x = term as unknown as { type: string; op?: string; left: Expr; right: Expr; operand: Expr; list: Expr[] };
      if (x.type === 'Like') throw new KsqlError('Like condition must be between strings');
      if (x.type === 'In') {
        const k = keyRef(x.operand);
        if (!k) continue;
        if (!x.list.every(resolvable)) throw notResolvable();
        if (bound.has(k)) throw combined();
        bound.set(k, 'eq');
        continue;
      }
      if (x.type !== 'Comparison') continue;
      const k = keyRef(x.left) ?? keyRef(x.right);
      if (!k) continue;
      const other = keyRef(x.left) ? x.right : x.left;
      if (!resolvable(other)) throw notResolvable();
      if (x.op === '=') {
        if (bound.has(k)) throw combined();
        bound.set(k, 'eq');
      } else if (x.op === '<>' || x.op === 'IS DISTINCT FROM' || x.op === 'IS NOT DISTINCT FROM') {
        throw new KsqlError(`Bound on key columns '[${table.schema.key.map((c) => `\`${c.name}\` ${c.type.kind} KEY`).join(', ')}]' must currently be '='. `);
      } else {
        if (bound.has(k)) throw combined();
        if (!rangeScanEnabled || table.window || (!multi && disjuncts.length > 1)) throw new KsqlError('Query requires table scan to be enabled');
        bound.set(k, 'range');
      }
    }
    if (bound.size === 0) {
      if (multi && disjuncts.length > 1) throw new KsqlError('Multi-column sources must specify every key in the WHERE clause.');
      throw new KsqlError(`WHERE clause missing key column for disjunct: ${formatExpression(d)}`);
    }
    if (bound.size < keyNames.length) throw new KsqlError('Multi-column sources must specify every key in the WHERE clause.');
    // a range over a multi-column key cannot be served by a key-range scan
    if (multi && [...bound.values()].includes('range')) throw new KsqlError('Query requires table scan to be enabled');
  }
}
