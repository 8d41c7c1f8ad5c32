/**
 * GROUP BY and aggregation: the group-by operator re-keys rows by the grouping expressions; the
 * aggregate operator folds them into per-key accumulators held in a state store — plain,
 * tumbling/hopping (window store) or session (session store) — emitting every update (no
 * record cache) or, with EMIT FINAL, each window once when stream time passes its end plus the
 * grace period. Table inputs subtract the previous row before adding the new one.
 */
import { parseExpression } from '../../parser/index.js';
import type { AggregateStep, GroupByStep } from '../../planner/plan.js';
import { scopeOf } from '../../planner/query-planner.js';
import type { TopologyContext } from '../context.js';
import { coerce, ExpressionCompiler } from '../expr/compile.js';
import type { ResolvedAggregate } from '../functions/types.js';
import type { Operator, Row, Window } from '../row.js';
import { encodeKeyString } from '../state/key-codec.js';
import type { StoreKey } from '../state/types.js';
import { safeEvaluator } from './compiled.js';

export function groupByOperator(step: GroupByStep, ctx: TopologyContext, next: Operator): Operator {
  const keyFns = step.keyExpressions.map((t) => safeEvaluator(ctx, t, step.source.schema, 'GROUP BY'));
  const keyOf = (row: Row): unknown[] | null => {
    const k = keyFns.map((f) => f(row));
    return k.some((v) => v === null) ? null : k;
  };
  return {
    process(row: Row) {
      if (!step.table) {
        if (row.nullValue) return;
        const key = keyOf(row);
        if (key === null) {
          ctx.log.log({ queryId: ctx.queryId, type: 'RECORD_PROCESSING_ERROR', message: 'Group-by column with value null: record dropped', partition: row.partition, offset: row.offset });
          return;
        }
        next.process({ ...row, key, nullKey: false });
        return;
      }
      // table: carry the previous row's group key so the aggregate can subtract it
      const priorKey = row.prior ? keyOf({ ...row, cols: row.prior.cols }) : null;
      const newKey = row.nullValue ? null : keyOf(row);
      if (newKey === null && priorKey === null) return;
      next.process({ ...row, key: newKey ?? priorKey!, nullValue: newKey === null, prior: priorKey ? { key: priorKey, cols: row.prior!.cols } : null });
    },
  };
}

interface BoundAggregate {
  agg: ResolvedAggregate;
  args: ((row: Row) => unknown)[];
}

function bindAggregates(step: AggregateStep, ctx: TopologyContext): BoundAggregate[] {
  const schema = step.source.schema;
  return step.aggregations.map((text) => {
    const call = parseExpression(text);
    if (call.type !== 'FunctionCall') throw new Error(`not an aggregate call: ${text}`);
    const compiler = new ExpressionCompiler(ctx.compile, scopeOf(schema, 'SELECT'));
    const compiled = call.star ? { infos: [], compiled: [] } : compiler.compileArgs(call.args);
    const agg = ctx.compile.registry.resolveAggregate(call.name.toUpperCase(), compiled.infos, ctx.compile.config);
    const args = compiled.compiled.slice(0, agg.columnArgs).map((c, i) => {
      const fn = (agg.argTypes[i] ? coerce(c!, agg.argTypes[i]!) : c!).fn;
      return (row: Row) => fn(row.cols, null);
    });
    return { agg, args };
  });
}

export function aggregateOperator(step: AggregateStep, ctx: TopologyContext, next: Operator): Operator {
  const aggs = bindAggregates(step, ctx);
  const nKey = step.schema.key.length;
  const init = () => aggs.map((a) => a.agg.init());
  const add = (accs: unknown[], row: Row) => accs.map((acc, i) => safeApply(ctx, row, () => aggs[i]!.agg.add(acc, aggs[i]!.args.map((f) => f(row))), acc));
  const undo = (accs: unknown[], row: Row) =>
    accs.map((acc, i) => {
      const u = aggs[i]!.agg.undo;
      return u ? safeApply(ctx, row, () => u(acc, aggs[i]!.args.map((f) => f(row))), acc) : acc;
    });
  const results = (accs: unknown[]) => accs.map((acc, i) => aggs[i]!.agg.result(acc));
  const colsOf = (key: unknown[], accs: unknown[] | null, window: Window | null): unknown[] => {
    const cols: unknown[] = key.slice(0, nKey);
    if (accs) for (const r of results(accs)) cols.push(r);
    else for (let i = 0; i < aggs.length; i++) cols.push(null);
    if (window) cols.push(BigInt(window.start), BigInt(window.end));
    return cols;
  };
  // the previous result goes along (`prior`) so HAVING can turn a row that stops matching into a delete
  const emit = (row: Row, key: unknown[], accs: unknown[] | null, ts: number, window: Window | null, priorAccs?: unknown[] | null) => {
    const prior = priorAccs ? { key, cols: colsOf(key, priorAccs, window) } : null;
    next.process({ key, cols: colsOf(key, accs, window), nullValue: accs === null, ts, partition: row.partition, offset: row.offset, headers: [], window, prior });
  };

  const w = step.window;
  if (!w) {
    const store = ctx.stores!.keyValue<unknown[]>(`${ctx.queryId}-${step.id}`);
    return {
      process(row: Row) {
        // a table update that stays in its group is subtracted then added, and emitted once
        // (as Kafka Streams' table aggregation does when the grouping key is unchanged)
        const sameGroup = step.table && row.prior && !row.nullValue && encodeKeyString(row.prior.key) === encodeKeyString(row.key);
        let accs: unknown[] | undefined;
        let before: unknown[] | undefined;
        if (step.table && row.prior) {
          const pk = row.prior.key;
          before = store.get(pk);
          const after = undo(before ?? init(), { ...row, cols: row.prior.cols });
          if (sameGroup) accs = after;
          else {
            store.put(pk, after);
            emit(row, pk, after, row.ts, null, before);
            before = undefined;
          }
        }
        if (row.nullValue) return;
        if (!sameGroup) before = store.get(row.key);
        const after = add(accs ?? before ?? init(), row);
        store.put(row.key, after);
        emit(row, row.key, after, row.ts, null, before);
      },
    };
  }

  const grace = w.graceMs ?? 86400000;
  let streamTime = -1;
  if (w.type === 'SESSION') {
    const gap = w.gapMs!;
    const store = ctx.stores!.session<unknown[]>(`${ctx.queryId}-${step.id}`, { retentionMs: w.retentionMs ?? Math.max(gap + grace, 86400000) });
    const final = step.emitFinal ? new FinalEmitter(grace, (k, win, accs, ts) => emit(dummyRow, k, accs, ts, win)) : undefined;
    return {
      process(row: Row) {
        if (row.nullValue) return;
        const ts = row.ts;
        streamTime = Math.max(streamTime, ts);
        const closeTime = streamTime - grace;
        const overlapping = store.findSessions(row.key, ts - gap, ts + gap);
        let start = ts;
        let end = ts;
        let accs = init();
        for (const s of overlapping) {
          start = Math.min(start, s.start);
          end = Math.max(end, s.end);
        }
        if (end < closeTime) {
          ctx.log.log({ queryId: ctx.queryId, type: 'RECORD_PROCESSING_ERROR', message: `Skipping record for expired session: ts ${ts}, stream time ${streamTime}`, partition: row.partition, offset: row.offset });
          return;
        }
        for (const s of overlapping) {
          accs = accs.map((a, i) => {
            const m = aggs[i]!.agg.merge;
            return m ? m(a, s.value[i]) : s.value[i];
          });
          if (s.start !== start || s.end !== end) {
            store.remove(row.key, s.start, s.end);
            if (final) final.remove(row.key, { start: s.start, end: s.end });
            else emit(row, row.key, null, s.end, { start: s.start, end: s.end });
          }
        }
        accs = add(accs, row);
        store.put({ key: row.key, start, end, value: accs });
        if (final) {
          final.update(row.key, { start, end }, accs, end);
          final.advance(streamTime);
        } else emit(row, row.key, accs, end, { start, end });
      },
    };
  }

  const size = w.sizeMs!;
  const advance = w.type === 'HOPPING' ? w.advanceMs! : size;
  // EMIT FINAL keeps windows for size + grace (ksqlDB's default retention there); a window that
  // falls out of retention before stream time closes it is never emitted, as in Kafka Streams
  const retention = w.retentionMs ?? (step.emitFinal ? size + grace : Math.max(size + grace, 86400000));
  // stored per (key, window start): the accumulators and the latest record time in the window
  const store = ctx.stores!.window<{ a: unknown[]; t: number }>(`${ctx.queryId}-${step.id}`, { retentionMs: retention, sizeMs: size });
  let lastEmitClose: number | undefined;
  const emitClosed = (closeTime: number) => {
    if (lastEmitClose !== undefined && lastEmitClose >= closeTime) return;
    const upper = closeTime - size;
    if (upper < 0) return;
    const lower = lastEmitClose === undefined ? -1 : lastEmitClose - size;
    // windows older than the retention are gone from the store (Kafka Streams' fetch clamps to it)
    const oldest = streamTime - retention;
    store.expireBefore(oldest);
    for (const [key, start, v] of store.fetchAll(Math.max(lower + 1, oldest), upper)) emit(dummyRow, key, v.a, v.t, { start, end: start + size });
    lastEmitClose = closeTime;
  };
  return {
    process(row: Row) {
      if (row.nullValue) return;
      const ts = row.ts;
      streamTime = Math.max(streamTime, ts);
      const closeTime = streamTime - grace;
      // windows containing ts: starts in (ts - size, ts], aligned to the advance, never negative
      const first = Math.max(0, Math.floor((ts - size) / advance + 1) * advance);
      for (let start = first; start <= ts; start += advance) {
        const end = start + size;
        if (end <= closeTime) {
          ctx.log.log({ queryId: ctx.queryId, type: 'RECORD_PROCESSING_ERROR', message: `Skipping record for expired window: ts ${ts}, window [${start}, ${end}), stream time ${streamTime}`, partition: row.partition, offset: row.offset });
          continue;
        }
        const before = store.get(row.key, start);
        const accs = add(before?.a ?? init(), row);
        // the window's time is its latest record's (Kafka Streams keeps the max)
        const t = before ? Math.max(before.t, ts) : ts;
        store.put(row.key, start, { a: accs, t });
        if (!step.emitFinal) emit(row, row.key, accs, t, { start, end }, before?.a);
      }
      if (step.emitFinal) emitClosed(closeTime);
    },
  };
}

const dummyRow: Row = { key: [], cols: [], nullValue: false, ts: 0, partition: 0, offset: 0, headers: [], window: null };

/**
 * EMIT FINAL: holds the latest result of each open window and emits it once stream time passes
 * the window's end plus grace. Memory is bounded by the windows still open.
 */
class FinalEmitter {
  private readonly open = new Map<string, { key: StoreKey; window: Window; accs: unknown[]; ts: number }>();
  constructor(
    private readonly grace: number,
    private readonly out: (key: StoreKey, window: Window, accs: unknown[], ts: number) => void,
  ) {}

  private id(key: StoreKey, w: Window): string {
    return JSON.stringify(key, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) + `@${w.start}-${w.end}`;
  }

  update(key: StoreKey, window: Window, accs: unknown[], ts: number): void {
    this.open.set(this.id(key, window), { key, window, accs, ts });
  }

  remove(key: StoreKey, window: Window): void {
    this.open.delete(this.id(key, window));
  }

  advance(streamTime: number): void {
    const closed = [...this.open.entries()].filter(([, v]) => v.window.end + this.grace <= streamTime);
    closed.sort((a, b) => a[1].window.end - b[1].window.end || a[1].window.start - b[1].window.start);
    for (const [id, v] of closed) {
      this.open.delete(id);
      this.out(v.key, v.window, v.accs, v.ts);
    }
  }
}

function safeApply(ctx: TopologyContext, row: Row, f: () => unknown, fallback: unknown): unknown {
  try {
    return f();
  } catch (err) {
    ctx.log.log({ queryId: ctx.queryId, type: 'RECORD_PROCESSING_ERROR', message: `Error in aggregate function: ${(err as Error).message}`, partition: row.partition, offset: row.offset });
    return fallback;
  }
}
