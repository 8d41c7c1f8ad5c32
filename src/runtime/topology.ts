/**
 * Builds the executable form of a query plan: walks the step tree from the sink down, wires an
 * operator per step, and returns the record handlers of its sources by topic. The same builder
 * serves both drivers; stateful steps get their stores from the driver's context.
 */
import { KsqlError } from '../common/errors.js';
import type { QueryPlan, Step } from '../planner/plan.js';
import type { TopologyContext } from './context.js';
import { filterOperator, flatMapOperator, projectOperator, selectKeyOperator } from './operators/stateless.js';
import { sinkOperator } from './operators/sink.js';
import { aggregateOperator, groupByOperator } from './operators/aggregate.js';
import { joinOperator } from './operators/join.js';
import type { FkJoinChannels, FkJoinParts } from './operators/fk-join.js';
import type { FkResponse, FkSubscription } from './operators/fk-join-messages.js';
import { sourceOperator, type RecordHandler } from './operators/source.js';
import type { ConsumedRecord, Operator, Row } from './row.js';
import { encodeKeyString } from './state/key-codec.js';

export interface Topology {
  queryId: string;
  /** input topic -> handlers (a topic read twice, e.g. a self-join, has two) */
  handlers: Map<string, RecordHandler[]>;
  process(rec: ConsumedRecord): void;
  /**
   * With a `repartition` hook: the step ids whose output goes through a repartition topic, in
   * build order (each is the entry point of a downstream sub-topology); empty otherwise.
   */
  repartitionSteps: string[];
  /** hand a row read back from step `stepId`'s repartition topic to its downstream sub-topology */
  processRepartitioned(stepId: string, row: Row): void;
  /** With an `fkJoin` hook: the ids of the foreign-key Join steps, in build order; empty otherwise. */
  fkJoinSteps: string[];
  /** hand a subscription read back from FK join `stepId`'s registration topic to its subscription part */
  processSubscription(stepId: string, msg: FkSubscription): void;
  /** hand a response read back from FK join `stepId`'s response topic to its response part */
  processResponse(stepId: string, msg: FkResponse): void;
}

/**
 * A multi-task driver's routes for foreign-key joins (see ./operators/fk-join.ts): the messages
 * a join's left part sends to the task owning a foreign key, and the answers sent back.
 */
export interface FkJoinHook {
  /** the task (partition number) this topology instance runs as */
  task: number;
  subscribe(stepId: string, msg: FkSubscription): void;
  respond(stepId: string, msg: FkResponse): void;
}

export interface TopologyOptions {
  /**
   * Set by a driver running a query as several tasks (the Kafka driver): the output of a GroupBy
   * and of a SelectKey feeding a join is handed to this hook (the driver produces it to the step's
   * repartition topic, partitioned by the row's key) instead of flowing on, and the driver feeds
   * rows read back from that topic to `processRepartitioned`, so that all rows of one key meet in
   * one task. Without it (the test driver: one task) re-keyed rows flow on in-process.
   */
  repartition?: (stepId: string, row: Row) => void;
  /**
   * Set with `repartition`: a foreign-key join's left row and the right row it refers to may be
   * in different tasks, so its subscriptions and responses go through this hook (the driver's
   * registration and response topics) and come back through processSubscription/Response.
   * Without it the join's parts call each other in-process.
   */
  fkJoin?: FkJoinHook;
}

export function buildTopology(plan: QueryPlan, baseCtx: TopologyContext, terminal?: Operator, opts: TopologyOptions = {}): Topology {
  // function failures inside expressions are logged against this query
  // a persistent query (no terminal operator) counts what it reads and writes in the processing
  // log; transient queries are short-lived and would only grow the counters forever
  const log = baseCtx.log;
  const counting = terminal === undefined && log.recordConsumed !== undefined;
  const ctx: TopologyContext = {
    ...baseCtx,
    compile: { ...baseCtx.compile, onError: (message) => baseCtx.log.log({ queryId: baseCtx.queryId, type: 'RECORD_PROCESSING_ERROR', message }) },
    ...(counting && log.recordProduced
      ? {
          emit: (rec) => {
            log.recordProduced!(baseCtx.queryId);
            baseCtx.emit(rec);
          },
        }
      : {}),
  };
  const handlers = new Map<string, RecordHandler[]>();
  const entries = new Map<string, Operator>();
  const fkJoins = new Map<string, FkJoinParts>();
  const fkHook = opts.fkJoin;
  const repartition = opts.repartition;
  /** cut the graph after `stepId`: rows leave through the hook, `downstream` becomes an entry point */
  const cut = (stepId: string, downstream: Operator, splitRegroup: boolean): Operator => {
    entries.set(stepId, downstream);
    if (!splitRegroup) return { process: (row) => repartition!(stepId, row) };
    return {
      process(row) {
        // A table row that moved from one group to another: the old group may live in another
        // task, so the subtraction and the addition travel separately (as Kafka Streams' table
        // group-by sends them), each to its own key's partition.
        const prior = row.prior;
        if (!prior || encodeKeyString(prior.key) === encodeKeyString(row.key)) {
          repartition!(stepId, row);
          return;
        }
        repartition!(stepId, { ...row, key: prior.key, nullValue: true, prior });
        if (!row.nullValue) repartition!(stepId, { ...row, prior: null });
      },
    };
  };
  const build = (step: Step, next: Operator | undefined): void => {
    switch (step.type) {
      case 'Sink':
        build(step.source, sinkOperator(step, ctx));
        return;
      case 'StreamSource':
      case 'TableSource': {
        const op = sourceOperator(step, ctx, next!);
        const h: RecordHandler = counting
          ? (rec) => {
              log.recordConsumed!(baseCtx.queryId);
              op(rec);
            }
          : op;
        handlers.set(step.topic, [...(handlers.get(step.topic) ?? []), h]);
        return;
      }
      case 'Filter':
        build(step.source, filterOperator(step, ctx, next!));
        return;
      case 'FlatMap':
        build(step.source, flatMapOperator(step, ctx, next!));
        return;
      case 'SelectKey':
        build(step.source, selectKeyOperator(step, ctx, next!));
        return;
      case 'Project':
        build(step.source, projectOperator(step, ctx, next!));
        return;
      case 'GroupBy':
        build(step.source, groupByOperator(step, ctx, repartition ? cut(step.id, next!, step.table) : next!));
        return;
      case 'Join': {
        const channels: FkJoinChannels | undefined =
          fkHook && step.joinKind === 'FK_TABLE_TABLE'
            ? { task: fkHook.task, subscribe: (m) => fkHook.subscribe(step.id, m), respond: (m) => fkHook.respond(step.id, m) }
            : undefined;
        const inputs = joinOperator(step, ctx, next!, channels);
        if (channels) fkJoins.set(step.id, inputs as FkJoinParts);
        // a side re-keyed for the join (SelectKey) is repartitioned by its join key
        const side = (s: Step, input: Operator) => (repartition && s.type === 'SelectKey' ? cut(s.id, input, false) : input);
        build(step.left, side(step.left, inputs.left));
        build(step.right, side(step.right, inputs.right));
        return;
      }
      case 'Aggregate':
        build(step.source, aggregateOperator(step, ctx, next!));
        return;
      default:
        throw new KsqlError(`The runtime cannot execute step ${(step as { type: string }).type}`);
    }
  };
  build(plan.root, terminal);
  return {
    queryId: plan.queryId,
    handlers,
    process(rec) {
      const hs = handlers.get(rec.topic);
      if (hs) for (const h of hs) h(rec);
    },
    repartitionSteps: [...entries.keys()],
    processRepartitioned(stepId, row) {
      const op = entries.get(stepId);
      if (!op) throw new Error(`query ${plan.queryId} has no repartitioned step ${stepId}`);
      op.process(row);
    },
    fkJoinSteps: [...fkJoins.keys()],
    processSubscription(stepId, msg) {
      const j = fkJoins.get(stepId);
      if (!j) throw new Error(`query ${plan.queryId} has no foreign-key join ${stepId}`);
      j.subscription(msg);
    },
    processResponse(stepId, msg) {
      const j = fkJoins.get(stepId);
      if (!j) throw new Error(`query ${plan.queryId} has no foreign-key join ${stepId}`);
      j.response(msg);
    },
  };
}
