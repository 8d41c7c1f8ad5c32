/**
 * Joins, with Kafka Streams' semantics as ksqlDB uses them (every update emitted):
 * - stream-stream: both sides buffered in window stores for WITHIN (before, after); a record
 *   joins the other side's records in range, output time is the later of the two. Without a
 *   GRACE PERIOD, outer sides emit a null-joined row at once (ksqlDB's legacy semantics); with
 *   one, unmatched outer rows wait until their window closes and are emitted then.
 * - stream-table: the table side is materialised; a stream row looks its key up.
 * - table-table: both sides materialised; a change on either side emits the joined row (or a
 *   delete), output time the later of the two rows.
 * - foreign-key table-table: the left row's foreign key looks up the right table; a right
 *   change re-emits every left row referring to it (./fk-join.ts, split in KIP-213's parts).
 */
import type { JoinStep, RowSchema } from '../../planner/plan.js';
import type { TopologyContext } from '../context.js';
import type { Operator, Row } from '../row.js';
import { foreignKeyJoin, type Combine, type FkJoinChannels, type FkJoinParts } from './fk-join.js';

export interface JoinInputs {
  left: Operator;
  right: Operator;
}

interface Side {
  cols: unknown[] | null;
  ts: number;
}

function keptLeftColumns(schema: RowSchema): number[] {
  const out: number[] = [];
  schema.columns.forEach((c, i) => {
    if (c.qualifier !== undefined) out.push(i);
  });
  return out;
}

const keyId = (k: unknown[]): string => JSON.stringify(k, (_x, v) => (typeof v === 'bigint' ? `${v}n` : Buffer.isBuffer(v) ? v.toString('base64') : v));

/**
 * The join's input operators. A foreign-key join also has the entry points of its subscription
 * and response parts (./fk-join.ts); `fkChannels` (a multi-task driver) carries its messages
 * between tasks, without it they stay in-process.
 */
export function joinOperator(step: JoinStep, ctx: TopologyContext, next: Operator, fkChannels?: FkJoinChannels): JoinInputs | FkJoinParts {
  const leftKept = keptLeftColumns(step.left.schema);
  const rightWidth = step.right.schema.columns.length;
  const synthetic = step.schema.columns.some((c) => c.name === 'ROWKEY' && c.role === 'key' && c.qualifier === undefined);
  const outer = { left: step.joinType === 'LEFT' || step.joinType === 'FULL', right: step.joinType === 'RIGHT' || step.joinType === 'FULL' };

  const combine = (key: unknown[], l: unknown[] | null, r: unknown[] | null, ts: number, src: Row, nullValue = false): Row => {
    const cols: unknown[] = [];
    for (const i of leftKept) cols.push(l ? (l[i] ?? null) : null);
    for (let i = 0; i < rightWidth; i++) cols.push(r ? (r[i] ?? null) : null);
    if (synthetic) cols.push(key[0] ?? null);
    cols.push(BigInt(ts), src.partition, BigInt(src.offset));
    return { key, cols, nullValue, ts, partition: src.partition, offset: src.offset, headers: [], window: src.window };
  };

  switch (step.joinKind) {
    case 'STREAM_STREAM':
      return streamStreamJoin(step, ctx, next, combine, outer);
    case 'STREAM_TABLE':
      return streamTableJoin(step, ctx, next, combine, outer.left);
    case 'TABLE_TABLE':
      return tableTableJoin(step, ctx, next, combine, outer);
    case 'FK_TABLE_TABLE':
      return foreignKeyJoin(step, ctx, next, combine, outer.left, fkChannels);
  }
}


function streamStreamJoin(step: JoinStep, ctx: TopologyContext, next: Operator, combine: Combine, outer: { left: boolean; right: boolean }): JoinInputs {
  const w = step.within!;
  const grace = w.graceMs;
  const retention = w.beforeMs + w.afterMs + (grace ?? 86400000);
  const stores = {
    left: ctx.stores!.window<unknown[][]>(`${ctx.queryId}-${step.id}-left`, { retentionMs: retention, sizeMs: 1 }),
    right: ctx.stores!.window<unknown[][]>(`${ctx.queryId}-${step.id}-right`, { retentionMs: retention, sizeMs: 1 }),
  };
  let streamTime = -1;
  // unmatched outer rows waiting for their window to close (only with GRACE PERIOD)
  const pending: { side: 'left' | 'right'; key: unknown[]; outKey: unknown[]; cols: unknown[]; ts: number; closeAt: number; row: Row; matched: boolean }[] = [];

  const emitExpired = () => {
    if (grace === undefined) return;
    pending.sort((a, b) => a.ts - b.ts);
    while (pending.length > 0 && pending[0]!.closeAt < streamTime) {
      const p = pending.shift()!;
      if (p.matched) continue;
      next.process(p.side === 'left' ? combine(p.outKey, p.cols, null, p.ts, p.row) : combine(p.outKey, null, p.cols, p.ts, p.row));
    }
  };

  const handle = (side: 'left' | 'right', input: Row) => {
    if (input.nullValue || input.key.some((k) => k === null)) return;
    // windowed sources join only within the same window: the window is part of the key
    const row = input.window ? { ...input, key: [...input.key, input.window.start, input.window.end] } : input;
    const outKey = input.key;
    const ts = row.ts;
    streamTime = Math.max(streamTime, ts);
    const other = side === 'left' ? 'right' : 'left';
    // range of the other side's timestamps this record joins
    const from = side === 'left' ? ts - w.beforeMs : ts - w.afterMs;
    const to = side === 'left' ? ts + w.afterMs : ts + w.beforeMs;
    const closeAt = (side === 'left' ? ts + w.afterMs : ts + w.beforeMs) + (grace ?? 0);
    const isOuter = side === 'left' ? outer.left : outer.right;
    if (grace !== undefined && closeAt < streamTime) {
      // too late to join: outer sides still produce their null-joined row
      if (isOuter) next.process(side === 'left' ? combine(outKey, row.cols, null, ts, row) : combine(outKey, null, row.cols, ts, row));
      emitExpired();
      return;
    }
    let matched = false;
    for (const [otherTs, list] of stores[other].fetch(row.key, from, to)) {
      for (const cols of list) {
        matched = true;
        const outTs = Math.max(ts, otherTs);
        next.process(side === 'left' ? combine(outKey, row.cols, cols, outTs, row) : combine(outKey, cols, row.cols, outTs, row));
      }
      // the other side's pending outer rows in range are now matched
      if (grace !== undefined) for (const p of pending) if (p.side === other && p.ts === otherTs && keyId(p.key) === keyId(row.key)) p.matched = true;
    }
    const existing = stores[side].get(row.key, ts) ?? [];
    stores[side].put(row.key, ts, [...existing, row.cols]);
    if (!matched && isOuter) {
      if (grace === undefined) next.process(side === 'left' ? combine(outKey, row.cols, null, ts, row) : combine(outKey, null, row.cols, ts, row));
      else pending.push({ side, key: row.key, outKey, cols: row.cols, ts, closeAt, row, matched: false });
    }
    emitExpired();
    stores.left.expireBefore(streamTime - retention);
    stores.right.expireBefore(streamTime - retention);
  };
  return { left: { process: (r) => handle('left', r) }, right: { process: (r) => handle('right', r) } };
}

function streamTableJoin(step: JoinStep, ctx: TopologyContext, next: Operator, combine: Combine, leftOuter: boolean): JoinInputs {
  const table = ctx.stores!.keyValue<Side>(`${ctx.queryId}-${step.id}-table`);
  return {
    left: {
      process(row) {
        if (row.nullValue) return;
        const hasKey = !row.key.some((k) => k === null);
        const found = hasKey ? table.get(row.key) : undefined;
        if (found && found.cols) next.process(combine(row.key, row.cols, found.cols, row.ts, row));
        else if (leftOuter) next.process(combine(row.key, row.cols, null, row.ts, row));
      },
    },
    right: {
      process(row) {
        if (row.key.some((k) => k === null)) return;
        if (row.nullValue) table.delete(row.key);
        else table.put(row.key, { cols: row.cols, ts: row.ts });
      },
    },
  };
}

function tableTableJoin(step: JoinStep, ctx: TopologyContext, next: Operator, combine: Combine, outer: { left: boolean; right: boolean }): JoinInputs {
  const stores = {
    left: ctx.stores!.keyValue<Side>(`${ctx.queryId}-${step.id}-left`),
    right: ctx.stores!.keyValue<Side>(`${ctx.queryId}-${step.id}-right`),
  };
  const handle = (side: 'left' | 'right', row: Row) => {
    if (row.key.some((k) => k === null)) return;
    const other = side === 'left' ? 'right' : 'left';
    const prev = stores[side].get(row.key);
    if (row.nullValue) stores[side].delete(row.key);
    else stores[side].put(row.key, { cols: row.cols, ts: row.ts });
    const o = stores[other].get(row.key);
    const mine = row.nullValue ? null : row.cols;
    const l = side === 'left' ? mine : (o?.cols ?? null);
    const r = side === 'right' ? mine : (o?.cols ?? null);
    const ts = Math.max(row.ts, o?.ts ?? 0);
    const produces = (lv: unknown[] | null, rv: unknown[] | null) => (lv !== null && rv !== null) || (lv !== null && outer.left) || (rv !== null && outer.right);
    if (produces(l, r)) {
      next.process(combine(row.key, l, r, ts, row));
      return;
    }
    // no result now: delete the previous result if there was one
    const prevL = side === 'left' ? (prev?.cols ?? null) : l;
    const prevR = side === 'right' ? (prev?.cols ?? null) : r;
    if (produces(prevL, prevR)) next.process(combine(row.key, null, null, ts, row, true));
  };
  return { left: { process: (r) => handle('left', r) }, right: { process: (r) => handle('right', r) } };
}
