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
import { sourceOperator, type RecordHandler } from './operators/source.js';
import type { ConsumedRecord, Operator } from './row.js';

export interface Topology {
  queryId: string;
  /** input topic -> handlers (a topic read twice, e.g. a self-join, has two) */
  handlers: Map<string, RecordHandler[]>;
  process(rec: ConsumedRecord): void;
}

export function buildTopology(plan: QueryPlan, baseCtx: TopologyContext, terminal?: Operator): Topology {
  // function failures inside expressions are logged against this query
  const ctx: TopologyContext = {
    ...baseCtx,
    compile: { ...baseCtx.compile, onError: (message) => baseCtx.log.log({ queryId: baseCtx.queryId, type: 'RECORD_PROCESSING_ERROR', message }) },
  };
  const handlers = new Map<string, RecordHandler[]>();
  const build = (step: Step, next: Operator | undefined): void => {
    switch (step.type) {
      case 'Sink':
        build(step.source, sinkOperator(step, ctx));
        return;
      case 'StreamSource':
      case 'TableSource': {
        const h = sourceOperator(step, ctx, next!);
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
        build(step.source, groupByOperator(step, ctx, next!));
        return;
      case 'Join': {
        const inputs = joinOperator(step, ctx, next!);
        build(step.left, inputs.left);
        build(step.right, inputs.right);
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
  };
}
