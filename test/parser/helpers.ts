/** Test helpers: compare ASTs without their source positions. */
import { parseExpression, parseStatement } from '../../src/parser/index.js';
import type { Expr, Statement } from '../../src/parser/index.js';

/** Deep copy without `loc` properties. */
export function noLoc<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'loc' ? undefined : v))) as T;
}

export function expr(text: string): Expr {
  return noLoc(parseExpression(text));
}

export function stmt(text: string, testStatements = false): Statement {
  return noLoc(parseStatement(text, { testStatements }));
}

export const col = (name: string, source?: string): Expr =>
  source === undefined ? { type: 'ColumnRef', name } as Expr : ({ type: 'ColumnRef', source, name } as Expr);

export const int = (v: string): Expr => ({ type: 'Literal', literalType: 'INTEGER', value: v } as Expr);
export const str = (v: string): Expr => ({ type: 'Literal', literalType: 'STRING', value: v } as Expr);
