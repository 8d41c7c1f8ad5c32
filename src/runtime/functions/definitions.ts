/**
 * The declarative shapes function families use to register themselves with the registry.
 *
 * An overload is a signature string (see ./signature.ts) plus either a plain `impl` or a `make`
 * factory that builds the implementation once at plan time from the resolved types (use it when
 * behaviour depends on the argument types, e.g. comparing DECIMALs vs strings, or on config).
 * Implementations receive one JS value per argument, variadic arguments included (so a variadic
 * implementation is naturally written with a rest parameter); lambda arguments arrive as JS functions.
 */
import type { SqlType } from '../../common/types.js';
import type { ArgInfo, FunctionConfig } from './types.js';

export interface ResolveContext {
  /** the type each argument is cast to (lambda arguments: the lambda body's type) */
  argTypes: SqlType[];
  /** the call's resolved return type */
  returnType: SqlType;
  /** bound generic type parameters (T, U, ...) */
  generics: ReadonlyMap<string, SqlType>;
  args: ArgInfo[];
  config: FunctionConfig;
}

/** Computes a return type that the signature alone cannot express (DECIMAL precision, STRUCT shapes). */
export type ReturnTypeProvider = (argTypes: SqlType[], args: ArgInfo[], generics: ReadonlyMap<string, SqlType>) => SqlType;

interface OverloadBase {
  /** e.g. 'STRING, INTEGER, INTEGER -> STRING' */
  sig: string;
  description?: string;
  /** parameter names for DESCRIBE FUNCTION, in order */
  params?: string[];
  returns?: ReturnTypeProvider;
}

export interface ScalarOverload extends OverloadBase {
  impl?: (...args: any[]) => unknown;
  make?: (ctx: ResolveContext) => (...args: any[]) => unknown;
}

export interface TableOverload extends OverloadBase {
  impl?: (...args: any[]) => unknown[] | null;
  make?: (ctx: ResolveContext) => (...args: any[]) => unknown[] | null;
}

/** The per-call behaviour of an aggregate; the accumulator must consist of runtime values. */
export interface AggregateImpl {
  /** the accumulator's SQL type, when it is not the return type (see ResolvedAggregate.intermediateType) */
  intermediateType?: SqlType;
  init(): unknown;
  add(acc: unknown, args: unknown[]): unknown;
  undo?(acc: unknown, args: unknown[]): unknown;
  merge?(a: unknown, b: unknown): unknown;
  result(acc: unknown): unknown;
}

export interface AggregateContext extends ResolveContext {
  /** values of the trailing literal parameters (e.g. TOPK's k), in order */
  literals: unknown[];
}

export interface AggregateOverload extends OverloadBase {
  /** how many trailing parameters must be literal constants (given to `create`, not to add/undo) */
  literals?: number;
  create(ctx: AggregateContext): AggregateImpl;
}

interface DefinitionBase<O> {
  /** the name as ksqlDB declares it; used verbatim in resolution error messages */
  name: string;
  category: string;
  description: string;
  author?: string;
  version?: string;
  overloads: O[];
}

export type ScalarDefinition = DefinitionBase<ScalarOverload>;
export type TableDefinition = DefinitionBase<TableOverload>;
export type AggregateDefinition = DefinitionBase<AggregateOverload>;
