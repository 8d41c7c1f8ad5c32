/**
 * The stateless operators: filter (WHERE), flat-map (table functions), select-key
 * (PARTITION BY) and project (SELECT). Each is built once from its plan step and processes
 * rows synchronously.
 */
import type { FilterStep, FlatMapStep, ProjectStep, SelectKeyStep } from '../../planner/plan.js';
import { parseExpression } from '../../parser/index.js';
import type { TopologyContext } from '../context.js';
import { coerce, ExpressionCompiler } from '../expr/compile.js';
import type { Operator, Row } from '../row.js';
import { scopeOf } from '../../planner/query-planner.js';
import { safeEvaluator } from './compiled.js';

export function filterOperator(step: FilterStep, ctx: TopologyContext, next: Operator): Operator {
  const pred = safeEvaluator(ctx, step.predicate, step.source.schema, 'WHERE');
  return {
    process(row: Row) {
      if (row.prior !== undefined) {
        // a table change with its previous row (sendOldValues): filter both, as KTableFilter does
        const newPass = !row.nullValue && pred(row) === true;
        const prior = row.prior && pred({ ...row, cols: row.prior.cols }) === true ? row.prior : null;
        if (!newPass && prior === null) return;
        next.process({ ...row, nullValue: !newPass, prior });
        return;
      }
      if (row.nullValue) {
        // tables: deletes always flow; streams: a null value can't satisfy a predicate
        if (step.table) next.process(row);
        return;
      }
      if (pred(row) === true) next.process(row);
      else if (step.table) next.process({ ...row, nullValue: true });
    },
  };
}

export function flatMapOperator(step: FlatMapStep, ctx: TopologyContext, next: Operator): Operator {
  const schema = step.source.schema;
  const compiler = new ExpressionCompiler(ctx.compile, scopeOf(schema, 'SELECT'));
  const fns = step.functions.map((text) => {
    const call = parseExpression(text);
    if (call.type !== 'FunctionCall') throw new Error(`not a table function call: ${text}`);
    const args = compiler.compileArgs(call.args);
    const resolved = ctx.compile.registry.resolveTable(call.name.toUpperCase(), args.infos, ctx.compile.config);
    const argFns = args.compiled.map((c, i) => (resolved.argTypes[i] ? coerce(c!, resolved.argTypes[i]!) : c!).fn);
    return { text, impl: resolved.impl, argFns };
  });
  return {
    process(row: Row) {
      if (row.nullValue) return;
      const outputs: unknown[][] = [];
      let max = 0;
      for (const f of fns) {
        let rows: unknown[] | null = null;
        try {
          rows = f.impl(...f.argFns.map((a) => a(row.cols, null)));
        } catch (err) {
          ctx.log.log({ queryId: ctx.queryId, type: 'RECORD_PROCESSING_ERROR', message: `Error in table function ${f.text}: ${(err as Error).message}`, partition: row.partition, offset: row.offset });
        }
        const list = rows ?? [];
        outputs.push(list);
        if (list.length > max) max = list.length;
      }
      // several table functions are zipped; shorter outputs are padded with nulls (ksqlDB semantics)
      for (let i = 0; i < max; i++) {
        const cols = row.cols.slice();
        for (const o of outputs) cols.push(i < o.length ? (o[i] ?? null) : null);
        next.process({ ...row, cols });
      }
    },
  };
}

export function selectKeyOperator(step: SelectKeyStep, ctx: TopologyContext, next: Operator): Operator {
  const keyFns = step.keyExpressions.map((t) => safeEvaluator(ctx, t, step.source.schema, 'PARTITION BY'));
  return {
    process(row: Row) {
      next.process({ ...row, key: keyFns.map((f) => f(row)), nullKey: false });
    },
  };
}

export function projectOperator(step: ProjectStep, ctx: TopologyContext, next: Operator): Operator {
  const input = step.source.schema;
  const valueFns = step.expressions.map((t) => safeEvaluator(ctx, t, input, 'SELECT'));
  // the output key is always the input's key: the planner only lets a projection name the key
  // (a key column, a join, PARTITION BY or GROUP BY expression), never change it; the key
  // expressions document which item that is. A join's key stays right when its side is null.
  return {
    process(row: Row) {
      const key = row.key;
      // output columns: key copies first, then values (see the planner's Project schema)
      const cols: unknown[] = key.slice();
      if (row.nullValue) {
        for (let i = 0; i < valueFns.length; i++) cols.push(null);
      } else {
        for (const f of valueFns) cols.push(f(row));
      }
      let prior = row.prior;
      if (prior) {
        const pr: Row = { ...row, cols: prior.cols, nullValue: false };
        prior = { key: prior.key, cols: [...prior.key, ...valueFns.map((f) => f(pr))] };
      }
      next.process({ ...row, key, cols, ...(prior !== undefined ? { prior } : {}) });
    },
  };
}
