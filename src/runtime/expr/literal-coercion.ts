/**
 * ksqlDB's lax coercion of literals to a target type, used where it compares a column with a
 * list of literals (IN): '4.000' is the INTEGER 4, 'Y' is TRUE, 10.30 is the STRING '10.30',
 * ARRAY['3', null] an ARRAY<BIGINT>. A literal that names a different value of the target type
 * (5.10 for an INTEGER) can never match; one that isn't a value of it at all is an error.
 */
import { Decimal } from '../../common/decimal.js';
import { formatType, type SqlType } from '../../common/types.js';
import type { Expr } from '../../parser/ast.js';
import { castConverter } from './cast.js';

/** The coerced value, NO_MATCH (a value the target type can't equal), or an error message. */
export const NO_MATCH = Symbol('no-match');
export type Coerced = { value: unknown } | typeof NO_MATCH | { error: string };

export function isLiteralLike(e: Expr): boolean {
  switch (e.type) {
    case 'Literal':
      return true;
    case 'Negate':
      return e.operand.type === 'Literal';
    case 'ArrayCtor':
      return e.items.every(isLiteralLike);
    case 'MapCtor':
      return e.entries.every((x) => isLiteralLike(x.key) && isLiteralLike(x.value));
    case 'StructCtor':
      return e.fields.every((f) => isLiteralLike(f.value));
    default:
      return false;
  }
}

const invalid = (t: SqlType, text: string): Coerced => ({ error: `invalid input syntax for type ${formatType(t).replace(/\(\d+, \d+\)$/, '')}: "${text}".` });

function numericText(e: Expr): string | undefined {
  if (e.type === 'Literal' && ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE'].includes(e.literalType)) return String(e.value);
  if (e.type === 'Negate' && e.operand.type === 'Literal') {
    const t = numericText(e.operand);
    return t === undefined ? undefined : `-${t}`;
  }
  return undefined;
}

function toNumber(text: string, target: SqlType): Coerced {
  let d: Decimal;
  try {
    d = new Decimal(text.trim());
  } catch {
    return invalid(target, text);
  }
  switch (target.kind) {
    case 'INTEGER':
    case 'BIGINT': {
      if (!d.isInteger()) return NO_MATCH;
      const b = BigInt(d.toFixed(0));
      const max = target.kind === 'INTEGER' ? 2147483647n : 9223372036854775807n;
      if (b > max || b < -max - 1n) return NO_MATCH;
      return { value: target.kind === 'INTEGER' ? Number(b) : b };
    }
    case 'DOUBLE':
      return { value: d.toNumber() };
    default: {
      const scale = (target as { scale: number }).scale;
      if (d.decimalPlaces() > scale) return NO_MATCH;
      return { value: d };
    }
  }
}

function laxBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t.length === 0) return undefined;
  if ('true'.startsWith(t) || 'yes'.startsWith(t)) return true;
  if ('false'.startsWith(t) || 'no'.startsWith(t)) return false;
  return undefined;
}

/** `exprText` prints the literal for messages; `typeOf` types it when it is not coercible. */
export function coerceLiteral(e: Expr, target: SqlType, exprText: (e: Expr) => string, typeOf: (e: Expr) => SqlType | null): Coerced {
  if (e.type === 'Literal' && e.literalType === 'NULL') return { value: null };
  const mismatch = (): Coerced => {
    const t = typeOf(e);
    return { error: `operator does not exist: ${formatType(target)} = ${t ? formatType(t) : 'NULL'} (${exprText(e)})` };
  };
  const num = numericText(e);
  const str = e.type === 'Literal' && e.literalType === 'STRING' ? (e.value as string) : undefined;
  const bool = e.type === 'Literal' && e.literalType === 'BOOLEAN' ? (e.value as boolean) : undefined;
  switch (target.kind) {
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'DECIMAL':
      if (num !== undefined) return toNumber(num, target);
      if (str !== undefined) return toNumber(str, target);
      return mismatch();
    case 'BOOLEAN':
      if (bool !== undefined) return { value: bool };
      if (str !== undefined) {
        const b = laxBoolean(str);
        return b === undefined ? invalid(target, str) : { value: b };
      }
      return mismatch();
    case 'STRING':
      if (str !== undefined) return { value: str };
      if (bool !== undefined) return { value: bool ? 'true' : 'false' };
      if (num !== undefined) return { value: num };
      return mismatch();
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'BYTES':
      if (str !== undefined) {
        try {
          return { value: castConverter({ kind: 'STRING' }, target)(str) };
        } catch {
          return invalid(target, str);
        }
      }
      return mismatch();
    case 'ARRAY': {
      if (e.type !== 'ArrayCtor') return mismatch();
      const out: unknown[] = [];
      for (const item of e.items) {
        const c = coerceLiteral(item, target.element, exprText, typeOf);
        if (c === NO_MATCH || 'error' in c) return c;
        out.push(c.value);
      }
      return { value: out };
    }
    case 'MAP': {
      if (e.type !== 'MapCtor') return mismatch();
      const m = new Map<unknown, unknown>();
      for (const x of e.entries) {
        const k = coerceLiteral(x.key, target.key, exprText, typeOf);
        if (k === NO_MATCH || 'error' in k) return k;
        const v = coerceLiteral(x.value, target.value, exprText, typeOf);
        if (v === NO_MATCH || 'error' in v) return v;
        m.set(k.value, v.value);
      }
      return { value: m };
    }
    case 'STRUCT': {
      if (e.type !== 'StructCtor') return mismatch();
      const o: Record<string, unknown> = {};
      for (const f of target.fields) o[f.name] = null;
      for (const x of e.fields) {
        const field = target.fields.find((f) => f.name === x.name);
        if (!field) return NO_MATCH;
        const v = coerceLiteral(x.value, field.type, exprText, typeOf);
        if (v === NO_MATCH || 'error' in v) return v;
        o[field.name] = v.value;
      }
      return { value: o };
    }
  }
}
