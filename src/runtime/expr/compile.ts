/**
 * The expression compiler: types an AST expression against a scope (ksqlDB's type rules) and
 * builds, once, a tree of JS closures that evaluates it against a row array. The planner uses
 * the types; operators use the closures on the hot path (no parsing or lookups per record).
 */
import type { SchemaRegistryClient } from '../../schema-registry/types.js';
import { Decimal, toScale } from '../../common/decimal.js';
import { EvalError, KsqlError } from '../../common/errors.js';
import { BIGINT, BOOLEAN, DOUBLE, formatType, INTEGER, isNumeric, integralAsDecimal, STRING, type SqlType, typeEquals } from '../../common/types.js';
import type { Expr, LiteralExpr, TypeAst } from '../../parser/ast.js';
import type { ArgInfo, FunctionConfig, FunctionRegistry } from '../functions/types.js';
import { castConverter, compareValues, valuesEqual } from './cast.js';
import type { ExprScope } from './scope.js';
import { coerceLiteral, isLiteralLike, NO_MATCH } from './literal-coercion.js';

/** Lambda variables in scope: name -> value, chained for nested lambdas. */
export type Env = Record<string, unknown> | null;
export type RowFn = (row: unknown[], env: Env) => unknown;

export interface Compiled {
  /** null: an untyped NULL literal */
  type: SqlType | null;
  fn: RowFn;
  /** true when the value does not depend on the row */
  constant?: boolean;
}

export interface CompileContext {
  registry: FunctionRegistry;
  config: FunctionConfig;
  /** custom types registered with CREATE TYPE */
  customTypes: Map<string, SqlType>;
  /**
   * Where a function's failure for one record is reported (the processing log). The call then
   * yields null and the rest of the expression goes on, as in ksqlDB's generated code.
   */
  onError?: (message: string) => void;
  /** the schema registry serdes of AVRO/PROTOBUF/JSON_SR sources and sinks use */
  schemaRegistry?: SchemaRegistryClient;
}

export function resolveTypeAst(t: TypeAst, customTypes: Map<string, SqlType>): SqlType {
  switch (t.kind) {
    case 'CUSTOM': {
      const found = customTypes.get(t.name.toUpperCase()) ?? customTypes.get(t.name);
      if (!found) throw new KsqlError(`Unknown type: ${t.name}`);
      return found;
    }
    case 'ARRAY':
      return { kind: 'ARRAY', element: resolveTypeAst(t.element, customTypes) };
    case 'MAP':
      return { kind: 'MAP', key: resolveTypeAst(t.key, customTypes), value: resolveTypeAst(t.value, customTypes) };
    case 'STRUCT':
      return { kind: 'STRUCT', fields: t.fields.map((f) => ({ name: f.name, type: resolveTypeAst(f.type, customTypes) })) };
    case 'DECIMAL':
      if (t.precision < 1) throw new KsqlError(`DECIMAL precision must be >= 1: DECIMAL(${t.precision}, ${t.scale})`);
      if (t.scale < 0 || t.scale > t.precision) throw new KsqlError(`DECIMAL scale must be between 0 and precision: DECIMAL(${t.precision}, ${t.scale})`);
      return { kind: 'DECIMAL', precision: t.precision, scale: t.scale };
    default:
      return { kind: t.kind } as SqlType;
  }
}

// ------------------------------------------------------------------ literals

function literalPrecision(text: string): { precision: number; scale: number } {
  const t = text.replace(/^[-+]/, '');
  const [int = '', frac = ''] = t.split('.');
  const digits = (int + frac).replace(/^0+/, '');
  const scale = frac.length;
  return { precision: Math.max(digits.length, scale, 1), scale };
}

export function literalValue(e: LiteralExpr): { type: SqlType | null; value: unknown } {
  switch (e.literalType) {
    case 'NULL':
      return { type: null, value: null };
    case 'BOOLEAN':
      return { type: BOOLEAN, value: e.value as boolean };
    case 'STRING':
      return { type: STRING, value: e.value as string };
    case 'INTEGER':
    case 'BIGINT': {
      const b = BigInt(e.value as string);
      if (b >= -2147483648n && b <= 2147483647n) return { type: INTEGER, value: Number(b) };
      if (b > 9223372036854775807n || b < -9223372036854775808n) throw new KsqlError(`Invalid numeric literal: ${e.value}`, e.loc);
      return { type: BIGINT, value: b };
    }
    case 'DECIMAL': {
      const { precision, scale } = literalPrecision(e.value as string);
      return { type: { kind: 'DECIMAL', precision, scale }, value: new Decimal(e.value as string) };
    }
    case 'DOUBLE':
      return { type: DOUBLE, value: Number(e.value) };
  }
}

const constant = (type: SqlType | null, value: unknown): Compiled => ({ type, fn: () => value, constant: true });

// ------------------------------------------------------------------ numeric typing

const clampPrecision = (p: number) => Math.min(p, 38);

/** ksqlDB's result type of a binary arithmetic operation between two numeric types. */
export function arithmeticResultType(op: string, a: SqlType, b: SqlType): SqlType {
  if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return DOUBLE;
  if (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') {
    const x = integralAsDecimal(a)!;
    const y = integralAsDecimal(b)!;
    const [p1, s1, p2, s2] = [x.precision, x.scale, y.precision, y.scale];
    switch (op) {
      case '+':
      case '-': {
        const scale = Math.max(s1, s2);
        return { kind: 'DECIMAL', precision: clampPrecision(scale + Math.max(p1 - s1, p2 - s2) + 1), scale };
      }
      case '*':
        return { kind: 'DECIMAL', precision: clampPrecision(p1 + p2 + 1), scale: s1 + s2 };
      case '/': {
        const scale = Math.max(6, s1 + p2 + 1);
        return { kind: 'DECIMAL', precision: clampPrecision(p1 - s1 + s2 + scale), scale };
      }
      default: {
        const scale = Math.max(s1, s2);
        return { kind: 'DECIMAL', precision: clampPrecision(Math.min(p1 - s1, p2 - s2) + scale), scale };
      }
    }
  }
  if (a.kind === 'BIGINT' || b.kind === 'BIGINT') return BIGINT;
  return INTEGER;
}

/** The common type two expressions are widened to (CASE branches, IN lists, comparisons, ARRAY[...]). */
export function commonType(a: SqlType | null, b: SqlType | null): SqlType | null | undefined {
  if (a === null) return b;
  if (b === null) return a;
  if (typeEquals(a, b)) return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return DOUBLE;
    if (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') {
      const x = integralAsDecimal(a)!;
      const y = integralAsDecimal(b)!;
      const scale = Math.max(x.scale, y.scale);
      return { kind: 'DECIMAL', precision: clampPrecision(Math.max(x.precision - x.scale, y.precision - y.scale) + scale), scale };
    }
    return BIGINT;
  }
  if (a.kind === 'ARRAY' && b.kind === 'ARRAY') {
    const e = commonType(a.element, b.element);
    return e ? { kind: 'ARRAY', element: e } : undefined;
  }
  if (a.kind === 'MAP' && b.kind === 'MAP') {
    const k = commonType(a.key, b.key);
    const v = commonType(a.value, b.value);
    return k && v ? { kind: 'MAP', key: k, value: v } : undefined;
  }
  return undefined;
}

/** Wrap a compiled expression so its value is converted to `target` (implicit widening). */
export function coerce(c: Compiled, target: SqlType): Compiled {
  if (c.type === null) return { type: target, fn: c.fn, constant: c.constant };
  if (typeEquals(c.type, target)) return c;
  const conv = castConverter(c.type, target);
  const f = c.fn;
  if (c.constant) {
    const v = conv(f([], null));
    return constant(target, v);
  }
  return { type: target, fn: (r, e) => conv(f(r, e)), constant: false };
}

// ------------------------------------------------------------------ the compiler

const CMP_NAMES: Record<string, string> = {
  '=': 'EQUAL',
  '<>': 'NOT_EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
  'IS DISTINCT FROM': 'IS_DISTINCT_FROM',
  'IS NOT DISTINCT FROM': 'IS_NOT_DISTINCT_FROM',
};

export class ExpressionCompiler {
  constructor(
    private readonly ctx: CompileContext,
    private readonly scope: ExprScope,
    /** lambda variables visible here: name -> type */
    private readonly lambdaVars: Map<string, SqlType> = new Map(),
  ) {}

  compile(e: Expr): Compiled {
    const c = this.compileNode(e);
    // fold constant subtrees once (errors surface at run time, as ksqlDB evaluates per record)
    if (c.constant && !isPureLiteral(e)) {
      try {
        const v = c.fn([], null);
        return constant(c.type, v);
      } catch {
        return { ...c, constant: false };
      }
    }
    return c;
  }

  private compileNode(e: Expr): Compiled {
    switch (e.type) {
      case 'Literal': {
        const { type, value } = literalValue(e);
        return constant(type, value);
      }
      case 'ColumnRef':
      case 'LambdaVariable': {
        if (e.type === 'LambdaVariable' || (e.source === undefined && this.lambdaVars.has(e.name))) {
          const t = this.lambdaVars.get(e.name);
          if (!t) throw new KsqlError(`Unknown lambda variable ${e.name}`, e.loc);
          const name = e.name;
          return { type: t, fn: (_r, env) => (env ? (env[name] ?? null) : null) };
        }
        const col = this.scope.resolve(e);
        const i = col.index;
        return { type: col.type, fn: (r) => r[i] ?? null };
      }
      case 'Dereference': {
        const base = this.compile(e.base);
        if (!base.type || base.type.kind !== 'STRUCT') {
          throw new KsqlError(`Expected STRUCT type for dereference of ${e.field}, got ${base.type ? formatType(base.type) : 'NULL'}`, e.loc);
        }
        const field = base.type.fields.find((f) => f.name === e.field) ?? base.type.fields.find((f) => f.name.toUpperCase() === e.field.toUpperCase());
        if (!field) throw new KsqlError(`Could not find field '${e.field}' in '${exprText(e.base)}'.`, e.loc);
        const bf = base.fn;
        const name = field.name;
        return { type: field.type, fn: (r, env) => { const s = bf(r, env) as Record<string, unknown> | null; return s === null ? null : (s[name] ?? null); }, constant: base.constant };
      }
      case 'Subscript':
        return this.compileSubscript(e);
      case 'FunctionCall':
        return this.compileCall(e);
      case 'Lambda':
        throw new KsqlError('Lambda expressions are only allowed as function arguments', e.loc);
      case 'Arithmetic':
        return this.compileArithmetic(e.op, this.compile(e.left), this.compile(e.right), e);
      case 'Negate': {
        const c = this.compile(e.operand);
        if (c.type && !isNumeric(c.type)) throw new KsqlError(`Unsupported arithmetic unary minus on ${formatType(c.type)}`, e.loc);
        const f = c.fn;
        const neg = negator(c.type);
        return { type: c.type, fn: (r, env) => { const v = f(r, env); return v === null ? null : neg(v); }, constant: c.constant };
      }
      case 'Concat': {
        const l = this.compile(e.left);
        const r = this.compile(e.right);
        for (const x of [l, r]) if (x.type && x.type.kind !== 'STRING') throw new KsqlError(`Unsupported concatenation of ${formatType(x.type)}`, e.loc);
        const lf = l.fn;
        const rf = r.fn;
        return { type: STRING, fn: (row, env) => { const a = lf(row, env); const b = rf(row, env); return a === null || b === null ? null : (a as string) + (b as string); }, constant: l.constant && r.constant };
      }
      case 'Comparison': {
        const m = magicTimestamp(e.left, e.right) ?? e.right;
        const ml = magicTimestamp(e.right, e.left) ?? e.left;
        return this.compileComparison(e.op, this.compile(ml), this.compile(m), e);
      }
      case 'Logical': {
        const l = this.boolOperand(e.left, e.op);
        const r = this.boolOperand(e.right, e.op);
        const lf = l.fn;
        const rf = r.fn;
        const fn: RowFn =
          e.op === 'AND'
            ? (row, env) => { const a = lf(row, env); if (a === false) return false; const b = rf(row, env); if (b === false) return false; return a === null || b === null ? null : true; }
            : (row, env) => { const a = lf(row, env); if (a === true) return true; const b = rf(row, env); if (b === true) return true; return a === null || b === null ? null : false; };
        return { type: BOOLEAN, fn, constant: l.constant && r.constant };
      }
      case 'Not': {
        const c = this.boolOperand(e.operand, 'NOT');
        const f = c.fn;
        return { type: BOOLEAN, fn: (r, env) => { const v = f(r, env); return v === null ? null : !v; }, constant: c.constant };
      }
      case 'IsNull': {
        const c = this.compile(e.operand);
        const f = c.fn;
        return { type: BOOLEAN, fn: e.negated ? (r, env) => f(r, env) !== null : (r, env) => f(r, env) === null, constant: c.constant };
      }
      case 'Between': {
        const ge = this.compileComparison('>=', this.compile(e.operand), this.compile(magicTimestamp(e.operand, e.low) ?? e.low), e);
        const le = this.compileComparison('<=', this.compile(e.operand), this.compile(magicTimestamp(e.operand, e.high) ?? e.high), e);
        const a = ge.fn;
        const b = le.fn;
        const neg = e.negated;
        return {
          type: BOOLEAN,
          fn: (r, env) => { const x = a(r, env); const y = b(r, env); const v = x === false || y === false ? false : x === null || y === null ? null : true; return v === null ? null : neg ? !v : v; },
          constant: ge.constant && le.constant,
        };
      }
      case 'In':
        return this.compileIn(e);
      case 'Like':
        return this.compileLike(e);
      case 'Case':
        return this.compileCase(e);
      case 'Cast': {
        const c = this.compile(e.operand);
        const target = resolveTypeAst(e.target, this.ctx.customTypes);
        let conv;
        try {
          conv = castConverter(c.type, target);
        } catch (err) {
          throw new KsqlError((err as Error).message, e.loc);
        }
        const f = c.fn;
        // a value that can't be converted casts to null (ksqlDB's CAST doesn't fail the row)
        return { type: target, fn: (r, env) => { const v = f(r, env); try { return conv(v); } catch { return null; } }, constant: c.constant };
      }
      case 'ArrayCtor': {
        if (e.items.length === 0) throw new KsqlError('Array constructor cannot be empty', e.loc);
        const { type: t, fns, constant: c } = this.unifyElements(e.items, e.loc);
        if (t === null) {
          throw new KsqlError("Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.", e.loc);
        }
        return { type: { kind: 'ARRAY', element: t }, fn: (r, env) => fns.map((f) => f(r, env)), constant: c };
      }
      case 'MapCtor': {
        if (e.entries.length === 0) throw new KsqlError('Map constructor cannot be empty. Please supply at least one key value pair (see https://github.com/confluentinc/ksql/issues/4239).', e.loc);
        const keys = this.unifyElements(e.entries.map((x) => x.key), e.loc);
        const vals = this.unifyElements(e.entries.map((x) => x.value), e.loc);
        if (keys.type === null) throw new KsqlError('Cannot construct a map with all NULL keys (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL key to the desired type.', e.loc);
        if (vals.type === null) throw new KsqlError('Cannot construct a map with all NULL values (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.', e.loc);
        const kf = keys.fns;
        const vf = vals.fns;
        return {
          type: { kind: 'MAP', key: keys.type, value: vals.type },
          fn: (r, env) => { const m = new Map(); for (let i = 0; i < kf.length; i++) m.set(kf[i]!(r, env), vf[i]!(r, env)); return m; },
          constant: keys.constant && vals.constant,
        };
      }
      case 'StructCtor': {
        const seen = new Set<string>();
        const fields = e.fields.map((f) => {
          if (seen.has(f.name)) throw new KsqlError(`Duplicate field names found in STRUCT: '${f.name}' and '${f.name}'`, e.loc);
          seen.add(f.name);
          const c = this.compile(f.value);
          return { name: f.name, c };
        });
        const type: SqlType = { kind: 'STRUCT', fields: fields.map((f) => ({ name: f.name, type: f.c.type ?? STRING })) };
        const fs = fields.map((f) => [f.name, f.c.fn] as const);
        return { type, fn: (r, env) => { const o: Record<string, unknown> = {}; for (const [n, f] of fs) o[n] = f(r, env); return o; }, constant: fields.every((f) => f.c.constant) };
      }
      case 'TypeConstructor': {
        const target = resolveTypeAst({ kind: e.typeName.toUpperCase() === 'VARCHAR' ? 'STRING' : e.typeName.toUpperCase() } as TypeAst, this.ctx.customTypes);
        const conv = castConverter(STRING, target);
        return constant(target, conv(e.value));
      }
      case 'IntervalUnit':
        return constant(STRING, e.unit);
      case 'AtTimeZone':
        throw new KsqlError('AT TIME ZONE is only supported inside FORMAT_TIMESTAMP', e.loc);
    }
  }

  /**
   * The elements of ARRAY[...] / MAP(...) as ksqlDB types them: the element type comes from the
   * non-literal elements (widened to a common type; STRUCTs to the union of their fields), and
   * literals are coerced to it ('2e1' is the INTEGER 20); with only literals, their common type.
   */
  private unifyElements(items: Expr[], loc: Expr['loc']): { type: SqlType | null; fns: RowFn[]; constant: boolean } {
    const compiled = items.map((x) => this.compile(x));
    const literal = items.map((x) => isLiteralLike(x));
    let t: SqlType | null = null;
    const widen = (a: SqlType | null, b: SqlType | null, at: number) => {
      const ct = a && b && a.kind === 'STRUCT' && b.kind === 'STRUCT' ? structUnion(a, b) : commonType(a, b);
      if (ct === undefined) throw new KsqlError(`invalid input syntax for type ${formatType(a!)}: "${literalText(items[at]!)}".`, loc);
      return ct;
    };
    compiled.forEach((c, i) => {
      if (!literal[i]) t = widen(t, c.type, i);
    });
    if (t === null) compiled.forEach((c, i) => (t = widen(t, c.type, i)));
    const target = t as SqlType | null;
    const fns = compiled.map((c, i) => {
      if (target === null) return c.fn;
      if (literal[i] && target.kind !== 'STRUCT') {
        const co = coerceLiteral(items[i]!, target, exprText, () => c.type);
        if (co === NO_MATCH) throw new KsqlError(`invalid input syntax for type ${formatType(target)}: "${literalText(items[i]!)}".`, loc);
        if ('error' in co) throw new KsqlError(co.error, loc);
        const v = co.value;
        return () => v;
      }
      return coerce(c, target).fn;
    });
    return { type: target, fns, constant: compiled.every((c) => c.constant) };
  }

  private boolOperand(e: Expr, op: string): Compiled {
    const c = this.compile(e);
    if (c.type !== null && c.type.kind !== 'BOOLEAN') {
      throw new KsqlError(`Logical operator ${op} requires BOOLEAN operands, got ${formatType(c.type)}: ${exprText(e)}`, e.loc);
    }
    return c;
  }

  private compileSubscript(e: Extract<Expr, { type: 'Subscript' }>): Compiled {
    const base = this.compile(e.base);
    const idx = this.compile(e.index);
    const bf = base.fn;
    if (base.type?.kind === 'ARRAY') {
      if (idx.type && idx.type.kind !== 'INTEGER' && idx.type.kind !== 'BIGINT') throw new KsqlError(`Array index must be an INTEGER, got ${formatType(idx.type)}`, e.loc);
      const xf = idx.fn;
      return {
        type: base.type.element,
        fn: (r, env) => {
          const a = bf(r, env) as unknown[] | null;
          const i = xf(r, env);
          if (a === null || i === null) return null;
          const n = Number(i);
          const pos = n > 0 ? n - 1 : a.length + n;
          return n === 0 || pos < 0 || pos >= a.length ? null : (a[pos] ?? null);
        },
        constant: base.constant && idx.constant,
      };
    }
    if (base.type?.kind === 'MAP') {
      const key = coerce(idx, base.type.key).fn;
      return {
        type: base.type.value,
        fn: (r, env) => {
          const m = bf(r, env) as Map<unknown, unknown> | null;
          const k = key(r, env);
          if (m === null || k === null) return null;
          if (m.has(k)) return m.get(k) ?? null;
          for (const [mk, mv] of m) if (valuesEqual(mk, k)) return mv;
          return null;
        },
        constant: base.constant && idx.constant,
      };
    }
    throw new KsqlError(`Subscript expression can only be used on ARRAY or MAP types, got ${base.type ? formatType(base.type) : 'NULL'}`, e.loc);
  }

  private compileArithmetic(op: '+' | '-' | '*' | '/' | '%', l: Compiled, r: Compiled, e: Expr): Compiled {
    const lt = l.type;
    const rt = r.type;
    if (lt?.kind === 'STRING' && rt?.kind === 'STRING' && op === '+') {
      const lf = l.fn;
      const rf = r.fn;
      return { type: STRING, fn: (row, env) => { const a = lf(row, env); const b = rf(row, env); return a === null || b === null ? null : (a as string) + (b as string); }, constant: l.constant && r.constant };
    }
    // a NULL literal operand has no type to compute in (ksqlDB refuses it)
    if (lt === null || rt === null) {
      throw new KsqlError(`Error processing expression: ${exprText(e)}. Arithmetic on types ${lt ? formatType(lt) : 'null'} and ${rt ? formatType(rt) : 'null'} are not supported.`, e.loc);
    }
    if ((lt && !isNumeric(lt)) || (rt && !isNumeric(rt))) {
      const kindOf = (x: SqlType | null) => (x ? (x.kind === 'DECIMAL' ? 'DECIMAL' : formatType(x)) : 'NULL');
      throw new KsqlError(`Error processing expression: ${exprText(e)}. Unsupported arithmetic types. ${kindOf(lt)} ${kindOf(rt)}`, e.loc);
    }
    const type = arithmeticResultType(op, lt ?? rt!, rt ?? lt!);
    // operands widen to the result's kind; DECIMAL operands keep their own scale (exact)
    const operandType = type.kind === 'DECIMAL' ? null : type;
    const lc = operandType ? coerce(l, operandType) : toDecimalOperand(l);
    const rc = operandType ? coerce(r, operandType) : toDecimalOperand(r);
    const op2 = arithmeticOp(op, type);
    const lf = lc.fn;
    const rf = rc.fn;
    return { type, fn: (row, env) => { const a = lf(row, env); if (a === null) return null; const b = rf(row, env); return b === null ? null : op2(a, b); }, constant: l.constant && r.constant };
  }

  private compileComparison(op: string, l: Compiled, r: Compiled, e: Expr): Compiled {
    if (l.type === null && r.type === null && !op.includes('DISTINCT')) {
      const side = (x: string) => (x === 'null' ? 'NULL' : x);
      throw new KsqlError(`Comparison with NULL not supported: ${side(exprTextOf(e, 'left'))} ${op} ${side(exprTextOf(e, 'right'))}`, e.loc);
    }
    let t = comparisonType(l.type, r.type);
    if (t === undefined) {
      throw new KsqlError(
        `Cannot compare ${exprTextOf(e, 'left')} (${l.type ? formatType(l.type) : 'NULL'}) to ${exprTextOf(e, 'right')} (${r.type ? formatType(r.type) : 'NULL'}) with ${CMP_NAMES[op] ?? op}.`,
        e.loc,
      );
    }
    if (t !== null && (t.kind === 'ARRAY' || t.kind === 'MAP' || t.kind === 'STRUCT') && !['=', '<>', 'IS DISTINCT FROM', 'IS NOT DISTINCT FROM'].includes(op)) {
      throw new KsqlError(`Cannot compare ${exprTextOf(e, 'left')} (${formatType(l.type!)}) to ${exprTextOf(e, 'right')} (${formatType(r.type!)}) with ${CMP_NAMES[op]}.`, e.loc);
    }
    const lf = t ? coerce(l, t).fn : l.fn;
    const rf = t ? coerce(r, t).fn : r.fn;
    const constant = l.constant && r.constant;
    if (op === 'IS DISTINCT FROM' || op === 'IS NOT DISTINCT FROM') {
      const want = op === 'IS DISTINCT FROM';
      return { type: BOOLEAN, fn: (row, env) => { const a = lf(row, env); const b = rf(row, env); const same = a === null || b === null ? a === b : valuesEqual(a, b); return want ? !same : same; }, constant };
    }
    let test: (a: unknown, b: unknown) => boolean;
    switch (op) {
      case '=':
        test = valuesEqual;
        break;
      case '<>':
        test = (a, b) => !valuesEqual(a, b);
        break;
      case '<':
        test = (a, b) => compareValues(a, b) < 0;
        break;
      case '<=':
        test = (a, b) => compareValues(a, b) <= 0;
        break;
      case '>':
        test = (a, b) => compareValues(a, b) > 0;
        break;
      default:
        test = (a, b) => compareValues(a, b) >= 0;
    }
    t = t ?? null;
    // ksqlDB's comparisons are false, not null, when either side is null
    return { type: BOOLEAN, fn: (row, env) => { const a = lf(row, env); if (a === null) return false; const b = rf(row, env); return b === null ? false : test(a, b); }, constant };
  }

  private compileIn(e: Extract<Expr, { type: 'In' }>): Compiled {
    const operand = this.compile(e.operand);
    const t = operand.type;
    // each candidate pairs the operand (widened when the item's type is wider) with the item;
    // literals are coerced to the operand's type (ksqlDB's lax literal coercion), other
    // expressions must be comparable with it
    const pairs: { left: RowFn; right: RowFn }[] = [];
    let allConstant = operand.constant ?? false;
    for (const item of e.list) {
      if (t !== null && isLiteralLike(item)) {
        const c = coerceLiteral(item, t, exprText, (x) => this.compile(x).type);
        if (c === NO_MATCH) continue;
        if ('error' in c) throw new KsqlError(`Invalid Predicate: ${c.error}`, item.loc);
        const v = c.value;
        pairs.push({ left: operand.fn, right: () => v });
        continue;
      }
      const it = this.compile(item);
      const ct = comparisonType(t, it.type);
      if (ct === undefined || (t !== null && it.type !== null && !comparableForIn(t, it.type))) {
        throw new KsqlError(`Invalid Predicate: operator does not exist: ${t ? formatType(t) : 'NULL'} = ${it.type ? formatType(it.type) : 'NULL'} (${exprText(item)})`, item.loc);
      }
      allConstant = allConstant && (it.constant ?? false);
      pairs.push(ct ? { left: coerce(operand, ct).fn, right: coerce(it, ct).fn } : { left: operand.fn, right: it.fn });
    }
    const of = operand.fn;
    const neg = e.negated;
    return {
      type: BOOLEAN,
      fn: (r, env) => {
        if (of(r, env) === null) return null;
        let sawNull = false;
        for (const p of pairs) {
          const x = p.right(r, env);
          if (x === null) sawNull = true;
          else if (valuesEqual(p.left(r, env), x)) return !neg;
        }
        return sawNull ? null : neg;
      },
      constant: allConstant,
    };
  }

  private compileLike(e: Extract<Expr, { type: 'Like' }>): Compiled {
    const operand = this.compile(e.operand);
    const pattern = this.compile(e.pattern);
    for (const [c, what] of [[operand, 'value'], [pattern, 'pattern']] as const) {
      if (c.type && c.type.kind !== 'STRING') throw new KsqlError(`LIKE ${what} must be a STRING, got ${formatType(c.type)}`, e.loc);
    }
    const esc = e.escape;
    if (esc !== undefined && esc.length !== 1) throw new KsqlError(`Escape string must be a single character, got '${esc}'`, e.loc);
    const of = operand.fn;
    const neg = e.negated;
    if (pattern.constant) {
      const p = pattern.fn([], null);
      const re = p === null ? null : likeRegex(p as string, esc);
      return { type: BOOLEAN, fn: (r, env) => { const v = of(r, env); if (v === null || re === null) return null; const m = re.test(v as string); return neg ? !m : m; }, constant: operand.constant };
    }
    const pf = pattern.fn;
    return {
      type: BOOLEAN,
      fn: (r, env) => { const v = of(r, env); const p = pf(r, env); if (v === null || p === null) return null; const m = likeRegex(p as string, esc).test(v as string); return neg ? !m : m; },
    };
  }

  private compileCase(e: Extract<Expr, { type: 'Case' }>): Compiled {
    const operand = e.operand ? this.compile(e.operand) : undefined;
    const whens = e.whens.map((w) => {
      if (operand) return { cond: this.compileComparison('=', operand, this.compile(w.when), w.when), then: this.compile(w.then) };
      const cond = this.compile(w.when);
      if (cond.type && cond.type.kind !== 'BOOLEAN') throw new KsqlError(`WHEN operand type should be boolean.${'\n'}Type for '${exprText(w.when)}' is ${formatType(cond.type)}`, w.when.loc);
      return { cond, then: this.compile(w.then) };
    });
    const els = e.else ? this.compile(e.else) : undefined;
    let t: SqlType | null = null;
    for (const r of [...whens.map((w) => w.then), ...(els ? [els] : [])]) {
      const ct = commonType(t, r.type);
      if (ct === undefined) throw new KsqlError(`Invalid Case expression. Type for all 'THEN' clauses should be the same.${'\n'}THEN expression '${exprText(e.whens[0]!.then)}' has type: ${formatType(t!)}.${'\n'}THEN expression has type: ${formatType(r.type!)}.`, e.loc);
      t = ct;
    }
    if (t === null) throw new KsqlError('Invalid Case expression. All case branches have NULL type', e.loc);
    const conds = whens.map((w) => w.cond.fn);
    const thens = whens.map((w) => (t ? coerce(w.then, t).fn : w.then.fn));
    const ef = els ? (t ? coerce(els, t).fn : els.fn) : null;
    return {
      type: t,
      fn: (r, env) => {
        for (let i = 0; i < conds.length; i++) if (conds[i]!(r, env) === true) return thens[i]!(r, env);
        return ef ? ef(r, env) : null;
      },
    };
  }

  private compileCall(e: Extract<Expr, { type: 'FunctionCall' }>): Compiled {
    const name = e.name.toUpperCase();
    const reg = this.ctx.registry;
    if (reg.isAggregate(name)) throw new KsqlError(`Use of aggregate function ${name} requires a GROUP BY clause.`, e.loc);
    if (reg.isTableFunction(name)) throw new KsqlError(`Table functions can only be used in the SELECT clause: ${exprText(e)}`, e.loc);
    if (!reg.exists(name)) throw new KsqlError(`Can't find any functions with the name '${name}'`, e.loc);
    const { infos, compiled, lambdaBodies } = this.compileArgs(e.args);
    let resolved;
    try {
      resolved = reg.resolveScalar(name, infos, this.ctx.config);
    } catch (err) {
      if (err instanceof KsqlError) throw err;
      throw new KsqlError((err as Error).message, e.loc);
    }
    const argFns = compiled.map((c, i) => {
      const lam = lambdaBodies[i];
      if (lam) return makeLambda(lam.params, lam.body().fn);
      const target = resolved.argTypes[i];
      return target && c && c.type !== null && e.args[i]!.type !== 'IntervalUnit' ? coerce(c, target).fn : c!.fn;
    });
    const impl = resolved.impl;
    const n = argFns.length;
    const onError = this.ctx.onError;
    const fail = (err: unknown): null => {
      onError?.(`Error computing ${name}: ${(err as Error).message}`);
      return null;
    };
    let fn: RowFn;
    // arguments are evaluated outside the try: their own calls report their own failures
    if (n === 0) fn = () => { try { return impl() ?? null; } catch (err) { return fail(err); } };
    else if (n === 1) { const a = argFns[0]!; fn = (r, env) => { const x = a(r, env); try { return impl(x) ?? null; } catch (err) { return fail(err); } }; }
    else if (n === 2) { const a = argFns[0]!; const b = argFns[1]!; fn = (r, env) => { const x = a(r, env); const y = b(r, env); try { return impl(x, y) ?? null; } catch (err) { return fail(err); } }; }
    else fn = (r, env) => { const args = argFns.map((f) => f(r, env)); try { return impl(...args) ?? null; } catch (err) { return fail(err); } };
    const deterministic = !NON_DETERMINISTIC.has(name);
    return { type: resolved.returnType, fn, constant: deterministic && compiled.every((c, i) => lambdaBodies[i] !== undefined || c!.constant) && compiled.length > 0 && !lambdaBodies.some(Boolean) };
  }

  /** Compile call arguments; lambdas are typed lazily once the registry binds their parameter types. */
  compileArgs(args: Expr[]): {
    infos: ArgInfo[];
    compiled: (Compiled | undefined)[];
    lambdaBodies: ({ params: string[]; body: () => Compiled } | undefined)[];
  } {
    const infos: ArgInfo[] = [];
    const compiled: (Compiled | undefined)[] = [];
    const lambdaBodies: ({ params: string[]; body: () => Compiled } | undefined)[] = [];
    for (const a of args) {
      if (a.type === 'Lambda') {
        let last: Compiled | undefined;
        const params = a.params;
        infos.push({
          type: null,
          lambda: {
            arity: params.length,
            typeBody: (paramTypes) => {
              const vars = new Map(this.lambdaVars);
              params.forEach((p, i) => vars.set(p, paramTypes[i]!));
              last = new ExpressionCompiler(this.ctx, this.scope, vars).compile(a.body);
              if (last.type === null) return STRING;
              return last.type;
            },
          },
        });
        compiled.push(undefined);
        lambdaBodies.push({ params, body: () => { if (!last) throw new KsqlError('Lambda could not be typed', a.loc); return last; } });
      } else if (a.type === 'IntervalUnit') {
        compiled.push(constant(STRING, a.unit.toUpperCase()));
        lambdaBodies.push(undefined);
        infos.push({ type: null, intervalUnit: a.unit.toUpperCase(), literal: { value: a.unit.toUpperCase() } });
      } else {
        const c = this.compile(a);
        compiled.push(c);
        lambdaBodies.push(undefined);
        const info: ArgInfo = { type: c.type, text: formatExpression(a) };
        if (a.type === 'Literal' || (a.type === 'Negate' && a.operand.type === 'Literal')) info.literal = { value: c.fn([], null) };
        infos.push(info);
      }
    }
    return { infos, compiled, lambdaBodies };
  }
}

const NON_DETERMINISTIC = new Set(['RANDOM', 'UUID', 'UNIX_TIMESTAMP', 'UNIX_DATE', 'NOW', 'CURRENT_TIMESTAMP']);


function makeLambda(params: string[], body: RowFn): RowFn {
  // the lambda value handed to a function implementation: a JS function of the lambda's parameters
  return (row, env) =>
    (...args: unknown[]) => {
      const inner: Record<string, unknown> = env ? Object.create(env) : {};
      for (let i = 0; i < params.length; i++) inner[params[i]!] = args[i] ?? null;
      return body(row, inner);
    };
}

function isPureLiteral(e: Expr): boolean {
  return e.type === 'Literal';
}

function toDecimalOperand(c: Compiled): Compiled {
  if (c.type === null || c.type.kind === 'DECIMAL') return c;
  const d = integralAsDecimal(c.type)!;
  return coerce(c, { kind: 'DECIMAL', precision: d.precision, scale: d.scale });
}

function negator(t: SqlType | null): (v: unknown) => unknown {
  switch (t?.kind) {
    case 'INTEGER':
      return (v) => (-(v as number)) | 0;
    case 'BIGINT':
      return (v) => BigInt.asIntN(64, -(v as bigint));
    case 'DECIMAL':
      return (v) => (v as Decimal).neg();
    default:
      return (v) => -(v as number);
  }
}

function arithmeticOp(op: string, t: SqlType): (a: any, b: any) => unknown {
  switch (t.kind) {
    case 'INTEGER':
      switch (op) {
        case '+': return (a: number, b: number) => (a + b) | 0;
        case '-': return (a: number, b: number) => (a - b) | 0;
        case '*': return (a: number, b: number) => Math.imul(a, b);
        case '/': return (a: number, b: number) => { if (b === 0) throw new EvalError('/ by zero'); return (a / b) | 0; };
        default: return (a: number, b: number) => { if (b === 0) throw new EvalError('/ by zero'); return a % b; };
      }
    case 'BIGINT':
      switch (op) {
        case '+': return (a: bigint, b: bigint) => BigInt.asIntN(64, a + b);
        case '-': return (a: bigint, b: bigint) => BigInt.asIntN(64, a - b);
        case '*': return (a: bigint, b: bigint) => BigInt.asIntN(64, a * b);
        case '/': return (a: bigint, b: bigint) => { if (b === 0n) throw new EvalError('/ by zero'); return BigInt.asIntN(64, a / b); };
        default: return (a: bigint, b: bigint) => { if (b === 0n) throw new EvalError('/ by zero'); return a % b; };
      }
    case 'DECIMAL': {
      const { scale } = t;
      switch (op) {
        case '+': return (a: Decimal, b: Decimal) => toScale(a.plus(b), scale);
        case '-': return (a: Decimal, b: Decimal) => toScale(a.minus(b), scale);
        case '*': return (a: Decimal, b: Decimal) => toScale(a.times(b), scale);
        case '/': return (a: Decimal, b: Decimal) => { if (b.isZero()) throw new EvalError('Division by zero'); return toScale(a.div(b), scale); };
        default: return (a: Decimal, b: Decimal) => { if (b.isZero()) throw new EvalError('Division by zero'); return toScale(a.mod(b), scale); };
      }
    }
    default:
      switch (op) {
        case '+': return (a: number, b: number) => a + b;
        case '-': return (a: number, b: number) => a - b;
        case '*': return (a: number, b: number) => a * b;
        case '/': return (a: number, b: number) => a / b;
        default: return (a: number, b: number) => a % b;
      }
  }
}

/**
 * ksqlDB's "magic" timestamps: ROWTIME, WINDOWSTART or WINDOWEND compared with a string literal
 * reads the string as a (possibly partial) timestamp — '2018', '2018-01-01T00:00:00+0445' —
 * and compares epoch milliseconds.
 */
function magicTimestamp(column: Expr, other: Expr): Expr | undefined {
  if (column.type !== 'ColumnRef' || !['ROWTIME', 'WINDOWSTART', 'WINDOWEND'].includes(column.name)) return undefined;
  if (other.type !== 'Literal' || other.literalType !== 'STRING') return undefined;
  const ms = parsePartialTimestamp(other.value as string);
  if (ms === undefined) return undefined;
  return { type: 'Literal', literalType: 'BIGINT', value: String(ms), loc: other.loc };
}

/** yyyy[-MM[-dd[Thh[:mm[:ss[.SSS]]]]]][zone]: missing parts are their minimum. */
export function parsePartialTimestamp(text: string): number | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', sec = '00', ms = '0', zone] = m;
  let t = Date.UTC(+y!, +mo - 1, +d, +h, +mi, +sec, +ms.padEnd(3, '0'));
  if (zone && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const off = (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60000;
    t -= zone.startsWith('-') ? -off : off;
  }
  return t;
}

/** A literal as ksqlDB quotes it in coercion errors: strings without their quotes. */
function literalText(e: Expr): string {
  return e.type === 'Literal' && e.literalType === 'STRING' ? String(e.value) : exprText(e);
}

/** Two STRUCT types as one: every field of either, fields in both widened to a common type. */
function structUnion(a: Extract<SqlType, { kind: 'STRUCT' }>, b: Extract<SqlType, { kind: 'STRUCT' }>): SqlType | undefined {
  const fields = a.fields.map((f) => ({ ...f }));
  for (const f of b.fields) {
    const mine = fields.find((x) => x.name === f.name);
    if (!mine) fields.push({ ...f });
    else {
      const ct = commonType(mine.type, f.type);
      if (ct === undefined || ct === null) return undefined;
      mine.type = ct;
    }
  }
  return { kind: 'STRUCT', fields };
}

/** IN compares numbers with numbers and otherwise only like with like. */
function comparableForIn(a: SqlType, b: SqlType): boolean {
  if (isNumeric(a) && isNumeric(b)) return true;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'ARRAY') return comparableForIn(a.element, (b as typeof a).element);
  if (a.kind === 'MAP') return comparableForIn(a.key, (b as typeof a).key) && comparableForIn(a.value, (b as typeof a).value);
  return true;
}

/** The type both sides of a comparison are converted to; undefined when they can't be compared. */
function comparisonType(a: SqlType | null, b: SqlType | null): SqlType | null | undefined {
  if (a === null) return b;
  if (b === null) return a;
  const temporal = (k: string) => k === 'TIMESTAMP' || k === 'DATE' || k === 'TIME';
  if (temporal(a.kind) && b.kind === 'STRING') return a;
  if (temporal(b.kind) && a.kind === 'STRING') return b;
  if ((a.kind === 'TIMESTAMP' && b.kind === 'DATE') || (a.kind === 'DATE' && b.kind === 'TIMESTAMP')) return { kind: 'TIMESTAMP' };
  const c = commonType(a, b);
  if (c === undefined && a.kind === 'STRUCT' && b.kind === 'STRUCT') return a;
  return c;
}

/** A LIKE pattern as an anchored RegExp: % any run, _ one character, `esc` escapes either. */
export function likeRegex(pattern: string, esc?: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (esc !== undefined && ch === esc && i + 1 < pattern.length) {
      out += escapeRe(pattern[++i]!);
    } else if (ch === '%') out += '[\\s\\S]*';
    else if (ch === '_') out += '[\\s\\S]';
    else out += escapeRe(ch);
  }
  return new RegExp('^' + out + '$');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// ------------------------------------------------------------------ expression text (for messages)

import { formatExpression } from '../../parser/format.js';

export function exprText(e: Expr): string {
  return formatExpression(e);
}

function exprTextOf(e: Expr, side: 'left' | 'right'): string {
  const x = e as unknown as Record<string, Expr | undefined>;
  const s = x[side] ?? (side === 'left' ? x['operand'] : undefined);
  return s ? exprText(s) : '?';
}

