/**
 * Errors the engine raises for statements, named like ksqlDB's so that clients and the
 * conformance runner can tell them apart. Messages follow ksqlDB's wording.
 */
import type { Loc } from '../parser/ast.js';

/** A statement is invalid (semantic error): ksqlDB's KsqlStatementException / KsqlException. */
export class KsqlError extends Error {
  override name = 'KsqlError';
  constructor(
    message: string,
    readonly loc?: Loc,
  ) {
    super(message);
  }
}

/** An error evaluating an expression for one record: logged to the processing log, never fatal. */
export class EvalError extends Error {
  override name = 'EvalError';
}

