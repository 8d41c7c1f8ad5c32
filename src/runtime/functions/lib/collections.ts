/**
 * ARRAY and MAP functions (ARRAY_*, SLICE, ENTRIES, GENERATE_SERIES, AS_MAP, MAP_*), the
 * higher-order lambda functions TRANSFORM, FILTER and REDUCE, and the null-handling functions
 * COALESCE, IFNULL and NULLIF.
 */
import type { SqlType } from '../../../common/types.js';
import type { Registry } from '../registry.js';
import { compareValues, valueKey, valuesEqual, valueToText } from './values.js';

const ARR = 'ARRAY';
const MAP = 'MAP';
const LAMBDA = 'LAMBDA';
const COND = 'CONDITIONAL';

type Arr = unknown[] | null;

function distinct(xs: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const x of xs) {
    const k = valueKey(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

function keySet(xs: unknown[]): Set<unknown> {
  return new Set(xs.map(valueKey));
}

/** Nulls sort last in both directions, as ksqlDB's ARRAY_SORT does. */
function sortArray(xs: unknown[], desc: boolean): unknown[] {
  const nonNull: unknown[] = xs.filter((x) => x !== null);
  nonNull.sort((a, b) => (desc ? compareValues(b, a) : compareValues(a, b)));
  const nulls = xs.length - nonNull.length;
  for (let i = 0; i < nulls; i++) nonNull.push(null);
  return nonNull;
}

/** A lambda predicate must yield a BOOLEAN; null fails the call, as unboxing a null Boolean does in ksqlDB. */
function predicate(r: unknown): boolean {
  if (r === null || r === undefined) throw new Error('The FILTER lambda returned null');
  return r === true;
}

function series(start: number | bigint, end: number | bigint, step: number | bigint): unknown[] {
  const big = typeof start === 'bigint';
  const st = big ? BigInt(step) : Number(step);
  if (st === 0 || st === 0n) throw new Error('GENERATE_SERIES step cannot be zero');
  const diff = big ? (end as bigint) - (start as bigint) : (end as number) - (start as number);
  if ((diff > 0 && st < 0) || (diff < 0 && st > 0)) throw new Error('GENERATE_SERIES step has wrong sign');
  // 1 + diff / step with integer (truncating) division, as ksqlDB sizes the result
  const size = big ? 1 + Number((diff as bigint) / (st as bigint)) : 1 + Math.trunc((diff as number) / (st as number));
  const out: unknown[] = new Array(size);
  let v: any = start;
  for (let i = 0; i < size; i++) {
    out[i] = v;
    v += st;
  }
  return out;
}

export function registerCollections(reg: Registry): void {
  reg.registerScalar({
    name: 'ARRAY_LENGTH',
    category: ARR,
    description: 'The number of elements in an array.',
    overloads: [{ sig: 'ARRAY<T> -> INTEGER', impl: (a: Arr) => (a === null ? null : a.length) }],
  });
  reg.registerScalar({
    name: 'ARRAY_CONTAINS',
    category: ARR,
    description: 'Whether the array contains the value.',
    overloads: [{ sig: 'ARRAY<T>, T -> BOOLEAN', impl: (a: Arr, v: unknown) => (a === null ? false : a.some((x) => valuesEqual(x, v))) }],
  });
  reg.registerScalar({
    name: 'array_distinct',
    category: ARR,
    description: 'The distinct elements of an array, in order of first occurrence.',
    overloads: [{ sig: 'ARRAY<T> -> ARRAY<T>', impl: (a: Arr) => (a === null ? null : distinct(a)) }],
  });
  reg.registerScalar({
    name: 'array_except',
    category: ARR,
    description: 'The distinct elements of the first array that are not in the second.',
    overloads: [
      {
        sig: 'ARRAY<T>, ARRAY<T> -> ARRAY<T>',
        impl: (a: Arr, b: Arr) => {
          if (a === null || b === null) return null;
          const ex = keySet(b);
          return distinct(a).filter((x) => !ex.has(valueKey(x)));
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'array_intersect',
    category: ARR,
    description: 'The distinct elements present in both arrays.',
    overloads: [
      {
        sig: 'ARRAY<T>, ARRAY<T> -> ARRAY<T>',
        impl: (a: Arr, b: Arr) => {
          if (a === null || b === null) return null;
          const inB = keySet(b);
          return distinct(a).filter((x) => inB.has(valueKey(x)));
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'array_union',
    category: ARR,
    description: 'The distinct elements of both arrays.',
    overloads: [{ sig: 'ARRAY<T>, ARRAY<T> -> ARRAY<T>', impl: (a: Arr, b: Arr) => (a === null || b === null ? null : distinct([...a, ...b])) }],
  });
  reg.registerScalar({
    name: 'array_concat',
    category: ARR,
    description: 'Concatenates two arrays (a null array counts as empty; both null gives null).',
    overloads: [{ sig: 'ARRAY<T>, ARRAY<T> -> ARRAY<T>', impl: (a: Arr, b: Arr) => (a === null && b === null ? null : [...(a ?? []), ...(b ?? [])]) }],
  });
  /** ksqlDB joins only primitive elements; anything else fails the call (at run time, as there). */
  const joiner = (el: SqlType) => {
    const primitive = el.kind !== 'ARRAY' && el.kind !== 'MAP' && el.kind !== 'STRUCT';
    return (a: unknown[], d: string): string => {
      if (!primitive && a.some((x) => x !== null)) throw new Error(`error: hit element of type ${el.kind} which is currently not supported`);
      return a.map((x) => valueToText(x, el)).join(d);
    };
  };
  reg.registerScalar({
    name: 'ARRAY_JOIN',
    category: ARR,
    description: 'Joins the elements of an array of primitives into a string, with a delimiter (default comma).',
    overloads: [
      {
        sig: 'ARRAY<T> -> STRING',
        make: (ctx) => {
          const join = joiner(ctx.generics.get('T')!);
          return (a: Arr) => (a === null ? null : join(a, ','));
        },
      },
      {
        sig: 'ARRAY<T>, STRING -> STRING',
        make: (ctx) => {
          const join = joiner(ctx.generics.get('T')!);
          return (a: Arr, d: string | null) => (a === null ? null : join(a, d ?? ''));
        },
      },
    ],
  });
  for (const [name, sign] of [
    ['array_max', 1],
    ['array_min', -1],
  ] as const) {
    reg.registerScalar({
      name,
      category: ARR,
      description: `The ${sign > 0 ? 'largest' : 'smallest'} non-null element of an array; null when there is none.`,
      overloads: [
        {
          sig: 'ARRAY<T> -> T',
          impl: (a: Arr) => {
            if (a === null) return null;
            let best: unknown = null;
            for (const x of a) if (x !== null && (best === null || sign * compareValues(x, best) > 0)) best = x;
            return best;
          },
        },
      ],
    });
  }
  reg.registerScalar({
    name: 'array_sort',
    category: ARR,
    description: "Sorts an array ascending, or descending with 'DESC'; nulls go last.",
    overloads: [
      { sig: 'ARRAY<T> -> ARRAY<T>', impl: (a: Arr) => (a === null ? null : sortArray(a, false)) },
      {
        sig: 'ARRAY<T>, STRING -> ARRAY<T>',
        impl: (a: Arr, dir: string | null) => {
          if (a === null || dir === null) return null;
          const d = dir.toUpperCase();
          if (d === 'ASC' || d === 'ASCENDING') return sortArray(a, false);
          if (d === 'DESC' || d === 'DESCENDING') return sortArray(a, true);
          return null;
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'array_remove',
    category: ARR,
    description: 'The array without every element equal to the value.',
    overloads: [{ sig: 'ARRAY<T>, T -> ARRAY<T>', impl: (a: Arr, v: unknown) => (a === null ? null : a.filter((x) => !valuesEqual(x, v))) }],
  });
  reg.registerScalar({
    name: 'slice',
    category: ARR,
    description: 'The elements from position `from` to `to` (1-based, inclusive).',
    overloads: [
      {
        sig: 'ARRAY<T>, INTEGER, INTEGER -> ARRAY<T>',
        impl: (a: Arr, from: number | null, to: number | null) => {
          if (a === null) return null;
          const start = from === null ? 0 : from - 1;
          const end = to === null ? a.length : to;
          // Java's subList bounds: anything outside gives null
          if (start < 0 || end > a.length || start > end) return null;
          return a.slice(start, end);
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'ENTRIES',
    category: MAP,
    description: 'The entries of a map as an array of structs with fields K and V, optionally sorted by key.',
    overloads: [
      {
        sig: 'MAP<STRING, T>, BOOLEAN -> ARRAY<STRUCT>',
        returns: (_args, _info, g) => ({ kind: 'ARRAY', element: { kind: 'STRUCT', fields: [{ name: 'K', type: { kind: 'STRING' } }, { name: 'V', type: g.get('T')! }] } }),
        impl: (m: Map<string, unknown> | null, sorted: boolean | null) => {
          if (m === null || sorted === null) return null;
          const keys = [...m.keys()];
          if (sorted) keys.sort();
          return keys.map((k) => ({ K: k, V: m.get(k) ?? null }));
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'GENERATE_SERIES',
    category: ARR,
    description: 'An array of values from start to end (inclusive), by step (default 1 or -1).',
    overloads: [
      { sig: 'INTEGER, INTEGER -> ARRAY<INTEGER>', impl: (s: number | null, e: number | null) => (s === null || e === null ? null : series(s, e, e - s > 0 ? 1 : -1)) },
      {
        sig: 'INTEGER, INTEGER, INTEGER -> ARRAY<INTEGER>',
        impl: (s: number | null, e: number | null, st: number | null) => (s === null || e === null || st === null ? null : series(s, e, st)),
      },
      { sig: 'BIGINT, BIGINT -> ARRAY<BIGINT>', impl: (s: bigint | null, e: bigint | null) => (s === null || e === null ? null : series(s, e, e - s > 0n ? 1n : -1n)) },
      {
        sig: 'BIGINT, BIGINT, INTEGER -> ARRAY<BIGINT>',
        impl: (s: bigint | null, e: bigint | null, st: number | null) => (s === null || e === null || st === null ? null : series(s, e, BigInt(st))),
      },
    ],
  });
  reg.registerScalar({
    name: 'AS_MAP',
    category: MAP,
    description: 'Builds a map from an array of keys and an array of values.',
    overloads: [
      {
        sig: 'ARRAY<STRING>, ARRAY<T> -> MAP<STRING, T>',
        impl: (ks: (string | null)[] | null, vs: Arr) => {
          if (ks === null || vs === null) return null;
          const m = new Map<string, unknown>();
          for (let i = 0; i < ks.length; i++) m.set(ks[i]!, i < vs.length ? vs[i] : null);
          return m;
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'map_keys',
    category: MAP,
    description: 'The keys of a map.',
    overloads: [{ sig: 'MAP<K, V> -> ARRAY<K>', impl: (m: Map<unknown, unknown> | null) => (m === null ? null : [...m.keys()]) }],
  });
  reg.registerScalar({
    name: 'map_values',
    category: MAP,
    description: 'The values of a map.',
    overloads: [{ sig: 'MAP<K, V> -> ARRAY<V>', impl: (m: Map<unknown, unknown> | null) => (m === null ? null : [...m.values()]) }],
  });
  reg.registerScalar({
    name: 'map_union',
    category: MAP,
    description: 'Merges two maps; on a shared key the second map wins.',
    overloads: [
      {
        sig: 'MAP<K, V>, MAP<K, V> -> MAP<K, V>',
        impl: (a: Map<unknown, unknown> | null, b: Map<unknown, unknown> | null) => {
          if (a === null && b === null) return null;
          const out = new Map(a ?? []);
          for (const [k, v] of b ?? []) out.set(k, v);
          return out;
        },
      },
    ],
  });

  // Lambdas: null collections give null (REDUCE: the initial state).
  reg.registerScalar({
    name: 'transform',
    category: LAMBDA,
    description: 'Applies a lambda to each element of an array, or to each key and value of a map.',
    overloads: [
      { sig: 'ARRAY<T>, LAMBDA(T) -> U -> ARRAY<U>', impl: (a: Arr, f: (x: unknown) => unknown) => (a === null ? null : a.map((x) => f(x))) },
      {
        sig: 'MAP<K, V>, LAMBDA(K, V) -> A, LAMBDA(K, V) -> B -> MAP<A, B>',
        impl: (m: Map<unknown, unknown> | null, fk: (k: unknown, v: unknown) => unknown, fv: (k: unknown, v: unknown) => unknown) => {
          if (m === null) return null;
          // ksqlDB collects with Collectors.toMap: duplicate keys and null values fail the call
          const out = new Map<unknown, unknown>();
          const seen = new Set<unknown>();
          for (const [k, v] of m) {
            const nk = fk(k, v);
            const nv = fv(k, v);
            const key = valueKey(nk);
            if (seen.has(key)) throw new Error(`Duplicate key ${String(nk)} produced by TRANSFORM`);
            if (nv === null) throw new Error(`TRANSFORM produced a null value for key ${String(nk)}`);
            seen.add(key);
            out.set(nk, nv);
          }
          return out;
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'filter',
    category: LAMBDA,
    description: 'Keeps the array elements, or map entries, for which the lambda is true.',
    overloads: [
      { sig: 'ARRAY<T>, LAMBDA(T) -> BOOLEAN -> ARRAY<T>', impl: (a: Arr, f: (x: unknown) => unknown) => (a === null ? null : a.filter((x) => predicate(f(x)))) },
      {
        sig: 'MAP<K, V>, LAMBDA(K, V) -> BOOLEAN -> MAP<K, V>',
        impl: (m: Map<unknown, unknown> | null, f: (k: unknown, v: unknown) => unknown) => {
          if (m === null) return null;
          const out = new Map<unknown, unknown>();
          for (const [k, v] of m) {
            if (!predicate(f(k, v))) continue;
            // ksqlDB collects the kept entries with Collectors.toMap, which rejects null values
            if (v === null) throw new Error(`FILTER cannot keep the null value of key ${String(k)}`);
            out.set(k, v);
          }
          return out;
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'reduce',
    category: LAMBDA,
    description: 'Folds an array, or a map, into a single value starting from an initial state.',
    overloads: [
      {
        sig: 'ARRAY<T>, S, LAMBDA(S, T) -> S -> S',
        impl: (a: Arr, init: unknown, f: (s: unknown, x: unknown) => unknown) => {
          if (init === null) return null;
          if (a === null) return init;
          let s: unknown = init;
          for (const x of a) s = f(s, x);
          return s;
        },
      },
      {
        sig: 'MAP<K, V>, S, LAMBDA(S, K, V) -> S -> S',
        impl: (m: Map<unknown, unknown> | null, init: unknown, f: (s: unknown, k: unknown, v: unknown) => unknown) => {
          if (init === null) return null;
          if (m === null) return init;
          let s: unknown = init;
          for (const [k, v] of m) s = f(s, k, v);
          return s;
        },
      },
    ],
  });

  reg.registerScalar({
    name: 'AS_VALUE',
    category: 'OTHER',
    description: 'Copies a (key) column into the value of the result.',
    overloads: [{ sig: 'T -> T', impl: (x: unknown) => x }],
  });
  reg.registerScalar({
    name: 'COALESCE',
    category: COND,
    description: 'The first non-null argument.',
    overloads: [{ sig: 'T, T... -> T', impl: (...xs: unknown[]) => xs.find((x) => x !== null && x !== undefined) ?? null }],
  });
  reg.registerScalar({
    name: 'IFNULL',
    category: COND,
    description: 'The expression, or the alternative when the expression is null.',
    overloads: [{ sig: 'T, T -> T', impl: (x: unknown, alt: unknown) => (x === null || x === undefined ? alt : x) }],
  });
  reg.registerScalar({
    name: 'NULLIF',
    category: COND,
    description: 'Null when both arguments are equal, otherwise the first.',
    overloads: [{ sig: 'T, T -> T', impl: (a: unknown, b: unknown) => (a === null || valuesEqual(a, b) ? null : a) }],
  });
}
