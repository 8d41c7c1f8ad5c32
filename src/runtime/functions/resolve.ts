/**
 * Overload resolution, following ksqlDB's UdfIndex rules:
 *  1. first look for overloads that accept the arguments without implicit casts, and only if
 *     none does, allow casts (INTEGER -> BIGINT -> DECIMAL -> DOUBLE, STRING -> DATE/TIME/TIMESTAMP/BYTES);
 *  2. an untyped NULL accepts any parameter; generic parameters bind exactly (no casts);
 *  3. among several accepting overloads the best one by (non-variadic over variadic, more declared
 *     parameters, fewer generic parameters, no ANY varargs, later variadic position) wins; a tie is
 *     reported as ambiguous, in ksqlDB's words.
 */
import { formatType, typeEquals, type SqlType } from '../../common/types.js';
import { formatSignatureParams, hasGenerics, instantiate, type ParamType, type Signature } from './signature.js';
import { FunctionResolutionError, type ArgInfo } from './types.js';

export interface Candidate<O> {
  overload: O;
  sig: Signature;
}

export interface Match<O> {
  overload: O;
  sig: Signature;
  argTypes: SqlType[];
  bindings: Map<string, SqlType>;
}

const NUMERIC_ORDER: Record<string, number> = { INTEGER: 1, BIGINT: 2, DECIMAL: 3, DOUBLE: 4 };

/** ksqlDB's SqlBaseType.canImplicitlyCast for function arguments. */
export function canImplicitlyCast(from: SqlType['kind'], to: SqlType['kind']): boolean {
  if (from === to) return true;
  const a = NUMERIC_ORDER[from];
  const b = NUMERIC_ORDER[to];
  if (a !== undefined && b !== undefined) return a <= b;
  return from === 'STRING' && (to === 'DATE' || to === 'TIME' || to === 'TIMESTAMP' || to === 'BYTES');
}

function accepts(p: ParamType, t: SqlType, bindings: Map<string, SqlType>, allowCast: boolean): boolean {
  switch (p.t) {
    case 'any':
      return true;
    case 'generic': {
      const bound = bindings.get(p.name);
      if (bound) return typeEquals(bound, t);
      bindings.set(p.name, t);
      return true;
    }
    case 'prim':
      return t.kind === p.kind || (allowCast && canImplicitlyCast(t.kind, p.kind));
    case 'decimal':
      return t.kind === 'DECIMAL' || (allowCast && (t.kind === 'INTEGER' || t.kind === 'BIGINT'));
    case 'struct': {
      if (t.kind !== 'STRUCT') return false;
      // as ksqlDB: an empty struct matches any declared struct; fields match exactly, without casts
      if (!p.fields || t.fields.length === 0) return true;
      if (t.fields.length !== p.fields.length) return false;
      return p.fields.every((pf) => {
        const tf = t.fields.find((f) => f.name === pf.name);
        return tf !== undefined && accepts(pf.type, tf.type, bindings, false);
      });
    }
    case 'array':
      return t.kind === 'ARRAY' && accepts(p.element, t.element, bindings, allowCast);
    case 'map':
      return t.kind === 'MAP' && accepts(p.key, t.key, bindings, allowCast) && accepts(p.value, t.value, bindings, allowCast);
    case 'lambda':
    case 'interval':
      return false;
  }
}

/** The type an accepted argument is cast to before the call. */
function castTarget(p: ParamType, t: SqlType, bindings: Map<string, SqlType>): SqlType {
  switch (p.t) {
    case 'prim':
      return { kind: p.kind } as SqlType;
    case 'decimal':
      if (t.kind === 'INTEGER') return { kind: 'DECIMAL', precision: 10, scale: 0 };
      if (t.kind === 'BIGINT') return { kind: 'DECIMAL', precision: 19, scale: 0 };
      return t;
    case 'array':
      return t.kind === 'ARRAY' ? { kind: 'ARRAY', element: castTarget(p.element, t.element, bindings) } : t;
    case 'map':
      return t.kind === 'MAP' ? { kind: 'MAP', key: castTarget(p.key, t.key, bindings), value: castTarget(p.value, t.value, bindings) } : t;
    default:
      return t;
  }
}

/** Declared parameter for each actual argument (variadic parameters repeated), or undefined on arity mismatch. */
export function expandParams(sig: Signature, n: number): ParamType[] | undefined {
  if (sig.variadic < 0) return n === sig.params.length ? sig.params : undefined;
  const fixed = sig.params.length - 1;
  if (n < fixed) return undefined;
  const out = sig.params.slice(0, sig.variadic);
  const v = sig.params[sig.variadic]!;
  for (let i = 0; i < n - fixed; i++) out.push(v);
  out.push(...sig.params.slice(sig.variadic + 1));
  return out;
}

const NULL_FALLBACK: SqlType = { kind: 'STRING' };

class LambdaTyper {
  private readonly cache = new Map<string, SqlType | Error>();
  constructor(private readonly typeBody: (paramTypes: SqlType[]) => SqlType) {}
  type(inputs: SqlType[]): SqlType {
    const key = inputs.map(formatType).join('|');
    let r = this.cache.get(key);
    if (r === undefined) {
      try {
        r = this.typeBody(inputs);
      } catch (e) {
        r = e instanceof Error ? e : new Error(String(e));
      }
      this.cache.set(key, r);
    }
    if (r instanceof Error) throw r;
    return r;
  }
}

function matchOne<O>(c: Candidate<O>, args: ArgInfo[], typers: (LambdaTyper | undefined)[], allowCast: boolean, lambdaErrors: Error[]): Match<O> | undefined {
  const params = expandParams(c.sig, args.length);
  if (!params) return undefined;
  const bindings = new Map<string, SqlType>();
  const argTypes: (SqlType | undefined)[] = new Array(args.length);
  // Non-lambda arguments first: they bind the generics that lambda parameters are typed from.
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const p = params[i]!;
    if (a.lambda) {
      if (p.t !== 'lambda' || p.inputs.length !== a.lambda.arity) return undefined;
      continue;
    }
    if (a.intervalUnit !== undefined) {
      if (p.t !== 'interval') return undefined;
      argTypes[i] = NULL_FALLBACK;
      continue;
    }
    if (p.t === 'interval') return undefined;
    if (a.type === null) continue; // untyped NULL: accepted, typed once generics are bound
    if (p.t === 'lambda') return undefined;
    if (!accepts(p, a.type, bindings, allowCast)) return undefined;
    argTypes[i] = castTarget(p, a.type, bindings);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const p = params[i]!;
    if (!a.lambda || p.t !== 'lambda') continue;
    const inputs: SqlType[] = [];
    for (const ip of p.inputs) {
      const it = instantiate(ip, bindings);
      if (!it) return undefined;
      inputs.push(it);
    }
    let body: SqlType;
    try {
      body = typers[i]!.type(inputs);
    } catch (e) {
      lambdaErrors.push(e as Error);
      return undefined;
    }
    if (!accepts(p.ret, body, bindings, allowCast)) return undefined;
    argTypes[i] = castTarget(p.ret, body, bindings);
  }
  for (let i = 0; i < args.length; i++) {
    if (argTypes[i] === undefined) argTypes[i] = nullArgType(params[i]!, bindings);
  }
  return { overload: c.overload, sig: c.sig, argTypes: argTypes as SqlType[], bindings };
}

function nullArgType(p: ParamType, bindings: Map<string, SqlType>): SqlType {
  if (p.t === 'decimal') return { kind: 'DECIMAL', precision: 38, scale: 18 };
  return instantiate(p, bindings) ?? NULL_FALLBACK;
}

function rank(sig: Signature): number[] {
  const variadicAny = sig.variadic >= 0 && sig.params[sig.variadic]!.t === 'any';
  const generics = sig.params.filter((p, i) => hasGenerics(p) || (i === sig.variadic && p.t === 'any')).length;
  return [sig.variadic >= 0 ? 0 : 1, sig.params.length, -generics, variadicAny ? 0 : 1, sig.variadic];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** ksqlDB prints argument types this way in resolution errors (no identifier quoting). */
export function formatArgType(a: ArgInfo): string {
  if (a.lambda) return `LAMBDA`;
  if (a.intervalUnit !== undefined) return a.intervalUnit;
  if (a.type === null) return 'null';
  return formatType(a.type).replace(/`/g, '');
}

export function formatArgs(args: ArgInfo[]): string {
  return `(${args.map(formatArgType).join(', ')})`;
}

/** One line per overload, as ksqlDB lists them: `name(TYPE param, TYPE... rest)`. */
export function formatAlternatives<O>(name: string, candidates: Candidate<O>[]): string {
  return candidates
    .map((c) => {
      const names = (c.overload as { params?: string[] }).params ?? [];
      const params = formatSignatureParams(c.sig).map((t, i) => (names[i] ? `${t} ${names[i]}` : t));
      return `${name}(${params.join(', ')})`;
    })
    .join('\n');
}

export function resolveOverload<O>(name: string, candidates: Candidate<O>[], args: ArgInfo[]): Match<O> {
  const typers = args.map((a) => (a.lambda ? new LambdaTyper(a.lambda.typeBody) : undefined));
  const lambdaErrors: Error[] = [];
  for (const allowCast of [false, true]) {
    const matches: Match<O>[] = [];
    for (const c of candidates) {
      const m = matchOne(c, args, typers, allowCast, lambdaErrors);
      if (m) matches.push(m);
    }
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      const ranked = matches.map((m) => ({ m, r: rank(m.sig) })).sort((x, y) => compareRank(y.r, x.r));
      if (compareRank(ranked[0]!.r, ranked[1]!.r) > 0) return ranked[0]!.m;
      throw new FunctionResolutionError(
        `Function '${name}' cannot be resolved due to ambiguous method parameters ${formatArgs(args)}.\n` +
          `Use CAST() to explicitly cast your parameters to one of the supported function calls.\n` +
          `Valid function calls are:\n${formatAlternatives(name, candidates)}\n` +
          `For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;`,
      );
    }
  }
  // A lambda body that failed to type is a more useful message than "does not accept".
  if (lambdaErrors.length > 0) throw lambdaErrors[0]!;
  throw new FunctionResolutionError(
    `Function '${name}' does not accept parameters ${formatArgs(args)}.\n` +
      `Valid alternatives are:\n${formatAlternatives(name, candidates)}\n` +
      `For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;`,
  );
}
