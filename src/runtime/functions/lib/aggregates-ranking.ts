/**
 * Aggregates over ordered values: MIN, MAX, TOPK, TOPKDISTINCT. They ignore nulls and merge
 * (session windows) but cannot be undone, so ksqlDB refuses them over tables.
 *
 * Values are ordered as Java's compareTo orders them (see javaComparator). TOPK with extra
 * columns returns structs {sort_col, col0, col1, ...}, as ksqlDB does.
 */
import type { SqlType } from '../../../common/types.js';
import type { AggregateImpl, AggregateOverload } from '../definitions.js';
import type { Registry } from '../registry.js';
import { javaComparator } from './aggregate-util.js';

const COMPARABLE = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'DATE', 'TIME', 'TIMESTAMP', 'STRING', 'BYTES'] as const;

const TYPE_WORDS: Record<string, string> = {
  INTEGER: 'an integer',
  BIGINT: 'a long',
  DOUBLE: 'a double',
  DECIMAL: 'a decimal',
  DATE: 'a date',
  TIME: 'a time',
  TIMESTAMP: 'a timestamp',
  STRING: 'a string',
  BYTES: 'a bytes',
};

/** MIN / MAX: keep the smaller / larger of the accumulator and each non-null value. */
function extreme(type: SqlType, max: boolean): AggregateImpl {
  const cmp = javaComparator(type);
  const pick = (current: unknown, acc: unknown): unknown => {
    if (current === null) return acc;
    if (acc === null) return current;
    const c = cmp(current, acc);
    return max ? (c > 0 ? current : acc) : c > 0 ? acc : current;
  };
  return {
    init: () => null,
    add: (acc, [v]) => pick(v ?? null, acc),
    merge: (a, b) => pick(a, b),
    result: (acc) => acc,
  };
}

function extremeOverloads(max: boolean): AggregateOverload[] {
  return COMPARABLE.map((kind) => ({
    sig: `${kind} -> ${kind}`,
    params: ['val'],
    description: `Computes the ${max ? 'maximum' : 'minimum'} value for ${TYPE_WORDS[kind]} key.`,
    ...(kind === 'DECIMAL' ? { returns: (argTypes: SqlType[]) => argTypes[0]! } : {}),
    create: (ctx) => extreme(ctx.argTypes[0]!, max),
  }));
}

function checkK(k: unknown, name: string): number {
  if (typeof k !== 'number' || !Number.isInteger(k)) throw new Error(`${name}: k must be an integer literal`);
  return k;
}

/**
 * TOPK keeps the k largest entries, sorted descending (stable: among equal values the earlier one
 * stays first). An entry is the value itself, or a {sort_col, col0, ...} struct with extra columns.
 */
function topk(k: number, sortType: SqlType, withStruct: boolean): AggregateImpl {
  const cmp = javaComparator(sortType);
  const sortVal = withStruct ? (e: unknown) => (e as Record<string, unknown>)['sort_col'] : (e: unknown) => e;
  const byDesc = (a: unknown, b: unknown) => cmp(sortVal(b), sortVal(a));
  return {
    init: () => [],
    add: (acc, args) => {
      const v = args[0];
      if (v === null || v === undefined || k <= 0) return acc;
      const list = acc as unknown[];
      if (list.length > 0 && list.length >= k && cmp(v, sortVal(list[list.length - 1])) <= 0) return acc;
      let entry: unknown = v;
      if (withStruct) {
        const s: Record<string, unknown> = { sort_col: v };
        for (let i = 1; i < args.length; i++) s[`col${i - 1}`] = args[i] ?? null;
        entry = s;
      }
      const out = list.length >= k ? [...list.slice(0, k - 1), entry] : [...list, entry];
      return out.sort(byDesc);
    },
    merge: (a, b) => {
      const one = a as unknown[];
      const two = b as unknown[];
      const out: unknown[] = [];
      let i = 0;
      let j = 0;
      while (out.length < k) {
        const s1 = i < one.length ? one[i] : undefined;
        const s2 = j < two.length ? two[j] : undefined;
        if (s1 !== undefined && (s2 === undefined || cmp(sortVal(s1), sortVal(s2)) >= 0)) {
          out.push(s1);
          i++;
        } else if (s2 !== undefined) {
          out.push(s2);
          j++;
        } else break;
      }
      return out;
    },
    result: (acc) => acc,
  };
}

/** TOPKDISTINCT keeps the k largest distinct values, sorted descending. */
function topkDistinct(k: number, type: SqlType): AggregateImpl {
  const cmp = javaComparator(type);
  return {
    init: () => [],
    add: (acc, [v]) => {
      if (v === null || v === undefined || k <= 0) return acc;
      const list = acc as unknown[];
      if (list.length === k && cmp(v, list[k - 1]) <= 0) return acc;
      if (list.some((x) => cmp(x, v) === 0)) return acc;
      const out = list.length === k ? [...list.slice(0, k - 1), v] : [...list, v];
      return out.sort((a, b) => cmp(b, a));
    },
    merge: (a, b) => {
      const one = a as unknown[];
      const two = b as unknown[];
      const out: unknown[] = [];
      let i = 0;
      let j = 0;
      while (out.length < k && (i < one.length || j < two.length)) {
        const v1 = i < one.length ? one[i] : undefined;
        const v2 = j < two.length ? two[j] : undefined;
        const c = v1 === undefined ? -1 : v2 === undefined ? 1 : cmp(v1, v2);
        if (c > 0) {
          out.push(v1);
          i++;
        } else if (c < 0) {
          out.push(v2);
          j++;
        } else {
          out.push(v1);
          i++;
          j++;
        }
      }
      return out;
    },
    result: (acc) => acc,
  };
}

export function registerRankingAggregates(reg: Registry): void {
  reg.registerAggregate({ name: 'MAX', category: 'AGGREGATE', description: 'Computes the maximum value for a key.', overloads: extremeOverloads(true) });
  reg.registerAggregate({ name: 'MIN', category: 'AGGREGATE', description: 'Computes the minimum value for a key.', overloads: extremeOverloads(false) });

  reg.registerAggregate({
    name: 'TOPK',
    category: 'AGGREGATE',
    description: 'Returns the top k values for a column and other values in those records.',
    overloads: (['INTEGER', 'BIGINT', 'DOUBLE', 'STRING'] as const).map(
      (kind): AggregateOverload => ({
        sig: `${kind}, ANY..., INTEGER -> ANY`,
        params: ['col', 'otherCols', 'k'],
        description: `Returns the top k values for ${TYPE_WORDS[kind]} column and other values in those records.`,
        literals: 1,
        returns: (argTypes) => {
          const sortType = argTypes[0]!;
          if (argTypes.length <= 2) return { kind: 'ARRAY', element: sortType };
          const fields = [{ name: 'sort_col', type: sortType }, ...argTypes.slice(1, -1).map((type, i) => ({ name: `col${i}`, type }))];
          return { kind: 'ARRAY', element: { kind: 'STRUCT', fields } };
        },
        create: (ctx) => topk(checkK(ctx.literals[0], 'TOPK'), ctx.argTypes[0]!, ctx.argTypes.length > 2),
      }),
    ),
  });

  reg.registerAggregate({
    name: 'TOPKDISTINCT',
    category: 'AGGREGATE',
    description: 'Computes the top k distinct values for a column, per key.',
    overloads: (['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'DECIMAL', 'DATE', 'TIME', 'TIMESTAMP', 'BYTES'] as const).map(
      (kind): AggregateOverload => ({
        sig: `${kind}, INTEGER -> ARRAY<${kind}>`,
        params: ['col', 'k'],
        description: `Calculates the top k distinct values for ${TYPE_WORDS[kind]} column, per key.`,
        literals: 1,
        ...(kind === 'DECIMAL' ? { returns: (argTypes: SqlType[]) => ({ kind: 'ARRAY', element: argTypes[0]! }) as SqlType } : {}),
        create: (ctx) => topkDistinct(checkK(ctx.literals[0], 'TOPKDISTINCT'), ctx.argTypes[0]!),
      }),
    ),
  });
}
