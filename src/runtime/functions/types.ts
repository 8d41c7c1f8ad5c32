/**
 * The contract between the planner and the function library (scalar functions, table
 * functions, aggregates). The planner asks the registry to resolve a call from the argument
 * types it inferred; the registry picks an overload (exact match first, then ksqlDB's implicit
 * widening INTEGER -> BIGINT -> DECIMAL -> DOUBLE, NULL literals matching anything), and returns
 * the return type, the type each argument must be cast to, and the JS implementation.
 *
 * Values follow the representation documented in src/common/types.ts. Implementations receive
 * nulls and decide themselves (most return null when an input is null, as ksqlDB UDFs do).
 * An implementation may throw: the runtime turns that into a processing-log entry and a null.
 */
import type { SqlType } from '../../common/types.js';

/** What the planner knows of one argument at resolution time. */
export interface ArgInfo {
  /** the inferred type; null for an untyped NULL literal */
  type: SqlType | null;
  /**
   * For a lambda argument: its arity, and a callback typing its body once the registry has
   * bound the lambda's parameter types (e.g. TRANSFORM(arr, x => ...) binds x to arr's element type).
   */
  lambda?: { arity: number; typeBody: (paramTypes: SqlType[]) => SqlType };
  /** when the argument is a literal, its value (in runtime representation); aggregates use this for
   *  initial arguments such as TOPK(col, 3) */
  literal?: { value: unknown };
  /** the argument's SQL text, for messages (e.g. a non-literal where a literal is required) */
  text?: string;
  /**
   * For a time-unit keyword argument (TIMESTAMPADD(SECONDS, 5, ts)): the unit, upper case
   * (e.g. 'SECONDS'); `type` is then null. The implementation receives the unit name as a string.
   */
  intervalUnit?: string;
}

/** Engine settings a function may depend on (e.g. ksql.functions.* properties). */
export type FunctionConfig = Record<string, unknown>;

export interface ResolvedScalar {
  name: string;
  returnType: SqlType;
  /** the type each argument is cast to before the call (lambda arguments: the lambda's body type) */
  argTypes: SqlType[];
  /** called with one JS value per argument; lambda arguments arrive as JS functions */
  impl: (...args: any[]) => unknown;
}

export interface ResolvedTableFunction {
  name: string;
  /** the type of each produced element */
  returnType: SqlType;
  argTypes: SqlType[];
  /** returns the rows to emit (null or [] for none) */
  impl: (...args: any[]) => unknown[] | null;
}

/**
 * An aggregate: the accumulator must be made of runtime values (so it can be serialised to
 * a state store). `undo` is present when the aggregate can run over a table (it subtracts the
 * old row's contribution when a row changes); `merge` when it can run in a SESSION window.
 * Arguments after the first non-literal ones that are literals (TOPK's k) are given to
 * `resolve` through ArgInfo.literal and are not passed to add/undo.
 */
export interface ResolvedAggregate {
  name: string;
  returnType: SqlType;
  /** the type each (column) argument is cast to before add/undo */
  argTypes: SqlType[];
  /** how many leading arguments are column arguments (the rest are literal parameters) */
  columnArgs: number;
  /**
   * The SQL type of the accumulator as ksqlDB declares it (e.g. STRUCT<SUM BIGINT, COUNT BIGINT>
   * for AVG); ksqlDB rejects aggregates whose intermediate type the value format cannot hold
   * (DELIMITED has no STRUCT or ARRAY). Equals returnType when the accumulator is the result.
   */
  intermediateType: SqlType;
  init(): unknown;
  add(acc: unknown, args: unknown[]): unknown;
  undo?(acc: unknown, args: unknown[]): unknown;
  merge?(a: unknown, b: unknown): unknown;
  result(acc: unknown): unknown;
}

/** For SHOW FUNCTIONS / DESCRIBE FUNCTION. */
export interface FunctionDescription {
  name: string;
  kind: 'SCALAR' | 'TABLE' | 'AGGREGATE';
  category: string;
  description: string;
  author?: string;
  version?: string;
  overloads: { signature: string; returns: string; description?: string; args: { name: string; type: string; description?: string }[] }[];
}

export interface FunctionRegistry {
  isAggregate(name: string): boolean;
  isTableFunction(name: string): boolean;
  /** whether a function of any kind has this name */
  exists(name: string): boolean;
  /** throws a FunctionResolutionError (message in ksqlDB's words) when nothing matches */
  resolveScalar(name: string, args: ArgInfo[], config: FunctionConfig): ResolvedScalar;
  resolveTable(name: string, args: ArgInfo[], config: FunctionConfig): ResolvedTableFunction;
  resolveAggregate(name: string, args: ArgInfo[], config: FunctionConfig): ResolvedAggregate;
  list(): FunctionDescription[];
  describe(name: string): FunctionDescription | undefined;
}

export class FunctionResolutionError extends Error {
  override name = 'FunctionResolutionError';
}
