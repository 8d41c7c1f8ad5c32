/**
 * Foreign-key table-table join (ksqlDB's FK join: the left row's foreign key looks up the right
 * table, and a right change re-emits every left row referring to it), split into three parts the
 * way Kafka Streams' KIP-213 join is, so that a left row and the right row it refers to may live
 * in different tasks:
 *
 * 1. left part (task owning the left primary key): keeps the left rows; on a change it sends
 *    `unsubscribe` to the old foreign key and `subscribe`/`subscribe-null` (with a hash of the new
 *    row) to the new one. Results that need no right row (a delete's tombstone, a null foreign
 *    key) are emitted at once.
 * 2. subscription part (task owning the foreign key, i.e. the right table's key): keeps the right
 *    rows and the subscriptions (fk, pk) -> (hash, reply task); answers a subscription with the
 *    current right row, and a right change with one answer per subscriber.
 * 3. response part (task owning the left key again): emits the joined row, the null-joined row
 *    (LEFT) or a tombstone (INNER) — but only if the answer's hash is that of the left row held
 *    now. An answer about an older version of the row (its FK changed meanwhile, and the old FK's
 *    task answered late) is dropped, so the result converges on the current rows however fast
 *    the tasks run.
 *
 * The driver supplies the channels between the parts (the Kafka driver: two internal topics);
 * without them the parts call each other synchronously, which gives exactly the single-task
 * results, in the same order.
 */
import type { JoinStep } from '../../planner/plan.js';
import type { TopologyContext } from '../context.js';
import type { Operator, Row } from '../row.js';
import { encodeKeyString } from '../state/key-codec.js';
import { safeEvaluator } from './compiled.js';
import { leftRowHash, type FkInstruction, type FkProvenance, type FkResponse, type FkSubscription } from './fk-join-messages.js';

/** How the parts of one FK join reach each other across tasks (set by a multi-task driver). */
export interface FkJoinChannels {
  /** the task this topology runs as: answers to its subscriptions come back here */
  task: number;
  /** deliver to the subscription part of the task owning `msg.fk` */
  subscribe(msg: FkSubscription): void;
  /** deliver to the response part of task `msg.replyTo` */
  respond(msg: FkResponse): void;
}

/** Builds an output row: key, left columns, right columns, time, the record it came from, tombstone. */
export type Combine = (key: unknown[], l: unknown[] | null, r: unknown[] | null, ts: number, src: Row, nullValue?: boolean) => Row;

export interface FkJoinParts {
  left: Operator;
  right: Operator;
  /** entry of the subscription part (messages read from the subscription-registration topic) */
  subscription(msg: FkSubscription): void;
  /** entry of the response part (messages read from the subscription-response topic) */
  response(msg: FkResponse): void;
}

interface LeftRow {
  cols: unknown[];
  ts: number;
  fk: unknown;
}

interface RightRow {
  cols: unknown[] | null;
  ts: number;
}

interface SubscriptionEntry {
  hash: Buffer;
  replyTo: number;
}

/** The store names of an FK join's state (the Kafka driver backs each with a changelog). */
export function fkJoinStoreNames(queryId: string, stepId: string): { left: string; right: string; subscriptions: string } {
  return { left: `${queryId}-${stepId}-left`, right: `${queryId}-${stepId}-right`, subscriptions: `${queryId}-${stepId}-subscriptions` };
}

const provenanceOf = (row: Row): FkProvenance => ({ partition: row.partition, offset: row.offset, window: row.window });

/** A stand-in source row for `combine`: the output's ROWPARTITION/ROWOFFSET and window come from it. */
const sourceRow = (p: FkProvenance, ts: number): Row => ({ key: [], cols: [], nullValue: false, ts, partition: p.partition, offset: p.offset, headers: [], window: p.window });

/**
 * A key sorting after every [fk, pk] subscription key of one fk: pk is an array, and in the
 * store key order an object (struct) sorts after any array.
 */
const AFTER_EVERY_PK = Object.freeze({});

export function foreignKeyJoin(step: JoinStep, ctx: TopologyContext, next: Operator, combine: Combine, leftOuter: boolean, channels?: FkJoinChannels): FkJoinParts {
  const fkOf = safeEvaluator(ctx, step.leftKey, step.left.schema, 'JOIN');
  const names = fkJoinStoreNames(ctx.queryId, step.id);
  const lefts = ctx.stores!.keyValue<LeftRow>(names.left);
  const rights = ctx.stores!.keyValue<RightRow>(names.right);
  const subscriptions = ctx.stores!.keyValue<SubscriptionEntry>(names.subscriptions);

  // foreign keys compared as store keys are (exact for every key type)
  const sameFk = (a: unknown, b: unknown): boolean => a === b || (a !== null && b !== null && encodeKeyString([a]) === encodeKeyString([b]));

  // --- 2. subscription part: the right rows and who refers to them ---
  const onSubscription = (msg: FkSubscription): void => {
    const key = [msg.fk, msg.pk];
    if (msg.instruction === 'unsubscribe') {
      subscriptions.delete(key);
      return;
    }
    subscriptions.put(key, { hash: msg.hash!, replyTo: msg.replyTo });
    const r = rights.get([msg.fk]);
    const right = r && r.cols ? { cols: r.cols, ts: r.ts } : null;
    if (right || msg.instruction === 'subscribe-null') respond({ pk: msg.pk, hash: msg.hash!, right, ts: msg.ts, source: msg.source, replyTo: msg.replyTo });
  };

  const onRight = (row: Row): void => {
    const fk = row.key[0] ?? null;
    if (fk === null) return;
    if (row.nullValue) rights.delete([fk]);
    else rights.put([fk], { cols: row.cols, ts: row.ts });
    const right = row.nullValue ? null : { cols: row.cols, ts: row.ts };
    for (const [key, sub] of subscriptions.range([fk], [fk, AFTER_EVERY_PK])) {
      respond({ pk: key[1] as unknown[], hash: sub.hash, right, ts: row.ts, source: provenanceOf(row), replyTo: sub.replyTo });
    }
  };

  // --- 3. response part: join if the answer is about the left row held now ---
  const onResponse = (msg: FkResponse): void => {
    const l = lefts.get(msg.pk);
    if (!l || !leftRowHash(l.cols).equals(msg.hash)) return;
    const src = sourceRow(msg.source, msg.ts);
    const ts = Math.max(l.ts, msg.ts, msg.right?.ts ?? msg.ts);
    if (msg.right) next.process(combine(msg.pk, l.cols, msg.right.cols, ts, src));
    else if (leftOuter) next.process(combine(msg.pk, l.cols, null, ts, src));
    else next.process(combine(msg.pk, null, null, ts, src, true));
  };

  // in one task (no channels) the parts call each other directly
  const subscribe = channels ? (m: FkSubscription) => channels.subscribe(m) : onSubscription;
  const respond = channels ? (m: FkResponse) => channels.respond(m) : onResponse;
  const task = channels?.task ?? 0;

  // --- 1. left part: the left rows; (un)subscribe on every change ---
  const send = (row: Row, fk: unknown, instruction: FkInstruction, hash: Buffer | null) =>
    subscribe({ fk, pk: row.key, instruction, hash, ts: row.ts, source: provenanceOf(row), replyTo: task });

  const onLeft = (row: Row): void => {
    const prev = lefts.get(row.key);
    const fk = row.nullValue ? null : (fkOf(row) ?? null);
    if (prev && prev.fk !== null && (row.nullValue || !sameFk(prev.fk, fk))) send(row, prev.fk, 'unsubscribe', null);
    if (row.nullValue) {
      lefts.delete(row.key);
      if (prev) next.process(combine(row.key, null, null, row.ts, row, true));
      return;
    }
    lefts.put(row.key, { cols: row.cols, ts: row.ts, fk });
    if (fk === null) {
      // nothing to look up: a left join's row has a null right side; an inner join retracts
      if (leftOuter) next.process(combine(row.key, row.cols, null, row.ts, row));
      else if (prev) next.process(combine(row.key, null, null, row.ts, row, true));
      return;
    }
    // without a right row: a left join emits the null-joined row, an inner join retracts an
    // earlier result (there may have been one if the row existed before)
    send(row, fk, leftOuter || prev ? 'subscribe-null' : 'subscribe', leftRowHash(row.cols));
  };

  return { left: { process: onLeft }, right: { process: onRight }, subscription: onSubscription, response: onResponse };
}
