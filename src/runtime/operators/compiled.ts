/**
 * Compiles a step's expression texts against its input schema into row functions. Errors
 * while evaluating are reported to the processing log and yield null, as ksqlDB's
 * SelectValueMapper does, so one bad record never stops a query.
 */
import { parseExpression } from '../../parser/index.js';
import { scopeOf } from '../../planner/query-planner.js';
import type { RowSchema } from '../../planner/plan.js';
import type { TopologyContext } from '../context.js';
import { ExpressionCompiler, type Compiled } from '../expr/compile.js';
import type { Row } from '../row.js';

export function compileText(ctx: TopologyContext, text: string, schema: RowSchema, clause: string): Compiled {
  return new ExpressionCompiler(ctx.compile, scopeOf(schema, clause)).compile(parseExpression(text));
}

export type SafeFn = (row: Row) => unknown;

/** A row function that logs evaluation errors and returns null instead of throwing. */
export function safeEvaluator(ctx: TopologyContext, text: string, schema: RowSchema, clause: string): SafeFn {
  const fn = compileText(ctx, text, schema, clause).fn;
  return (row) => {
    try {
      return fn(row.cols, null);
    } catch (err) {
      ctx.log.log({
        queryId: ctx.queryId,
        type: 'RECORD_PROCESSING_ERROR',
        message: `Error computing expression ${text} for column ${clause}: ${(err as Error).message}`,
        partition: row.partition,
        offset: row.offset,
      });
      return null;
    }
  };
}
