/**
 * Aggregates that gather values: COLLECT_LIST, COLLECT_SET, HISTOGRAM, ATTR.
 *
 * COLLECT_LIST, HISTOGRAM and ATTR can run over tables (undo); COLLECT_SET cannot, as in
 * ksqlDB. The size limits of COLLECT_LIST / COLLECT_SET come from the
 * ksql.functions.collect_list.limit / ksql.functions.collect_set.limit settings (values past the
 * limit are silently ignored; a negative limit means none). Values are compared with Java's
 * equals semantics (deep equality, see valuesEqual). Accumulators are never mutated: each call
 * returns a new one, because the previous one may still be held by a state store.
 */
import type { SqlType } from '../../../common/types.js';
import type { AggregateImpl } from '../definitions.js';
import type { FunctionConfig } from '../types.js';
import type { Registry } from '../registry.js';
import { valuesEqual } from './values.js';

export const COLLECT_LIST_LIMIT = 'ksql.functions.collect_list.limit';
export const COLLECT_SET_LIMIT = 'ksql.functions.collect_set.limit';
const HISTOGRAM_LIMIT = 1000;

/** A configured size limit: a number or numeric string; absent or negative means unlimited. */
export function limitFrom(config: FunctionConfig, key: string): number {
  const raw = config[key];
  let limit = Number.MAX_SAFE_INTEGER;
  if (typeof raw === 'number' || typeof raw === 'bigint') limit = Math.trunc(Number(raw));
  else if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw.trim());
    if (!Number.isInteger(n)) throw new Error(`Invalid value for ${key}: '${raw}' is not an integer`);
    limit = n;
  }
  return limit < 0 ? Number.MAX_SAFE_INTEGER : limit;
}

function collectList(limit: number): AggregateImpl {
  return {
    init: () => [],
    add: (acc, [v]) => {
      const list = acc as unknown[];
      return list.length < limit ? [...list, v ?? null] : acc;
    },
    // ksqlDB removes the last equal value (it does not track which insertion a row made)
    undo: (acc, [v]) => {
      const list = acc as unknown[];
      for (let i = list.length - 1; i >= 0; i--) {
        if (valuesEqual(list[i], v ?? null)) return [...list.slice(0, i), ...list.slice(i + 1)];
      }
      return acc;
    },
    merge: (a, b) => {
      const one = a as unknown[];
      const room = Math.max(0, limit - one.length);
      return [...one, ...(b as unknown[]).slice(0, room)];
    },
    result: (acc) => acc,
  };
}

function collectSet(limit: number): AggregateImpl {
  const addOne = (list: unknown[], v: unknown): unknown[] => (list.length < limit && !list.some((x) => valuesEqual(x, v)) ? [...list, v] : list);
  return {
    init: () => [],
    add: (acc, [v]) => addOne(acc as unknown[], v ?? null),
    merge: (a, b) => {
      let out = a as unknown[];
      for (const v of b as unknown[]) {
        if (out.length >= limit) break;
        out = addOne(out, v);
      }
      return out;
    },
    result: (acc) => acc,
  };
}

/** HISTOGRAM: value -> number of occurrences, at most 1000 distinct values. */
function histogram(): AggregateImpl {
  const bump = (m: Map<unknown, bigint>, k: unknown, by: bigint): Map<unknown, bigint> => {
    if (m.size >= HISTOGRAM_LIMIT && !m.has(k)) return m;
    const out = new Map(m);
    out.set(k, (m.get(k) ?? 0n) + by);
    return out;
  };
  return {
    init: () => new Map(),
    add: (acc, [v]) => bump(acc as Map<unknown, bigint>, v ?? null, 1n),
    undo: (acc, [v]) => {
      const m = acc as Map<unknown, bigint>;
      const k = v ?? null;
      const n = m.get(k);
      if (n === undefined) throw new Error(`HISTOGRAM: cannot undo value '${String(k)}' that was never counted`);
      const out = new Map(m);
      if (n - 1n < 1n) out.delete(k);
      else out.set(k, n - 1n);
      return out;
    },
    merge: (a, b) => {
      let out = a as Map<unknown, bigint>;
      for (const [k, n] of b as Map<unknown, bigint>) out = bump(out, k, n);
      return out;
    },
    result: (acc) => acc,
  };
}

interface AttrEntry {
  VALUE: unknown;
  COUNT: number;
}

/**
 * ATTR: the single value a group is expected to hold; null when it has seen more than one
 * distinct value (nulls count as a value) still present. Counts per distinct value allow undo.
 */
function attr(inType: SqlType): AggregateImpl {
  const update = (list: AttrEntry[], v: unknown, by: number): AttrEntry[] => {
    const i = list.findIndex((e) => valuesEqual(e.VALUE, v));
    if (i >= 0) return list.map((e, j) => (j === i ? { VALUE: e.VALUE, COUNT: Math.max(0, e.COUNT + by) } : e));
    return by > 0 ? [...list, { VALUE: v, COUNT: by }] : list;
  };
  return {
    intermediateType: {
      kind: 'ARRAY',
      element: { kind: 'STRUCT', fields: [{ name: 'VALUE', type: inType }, { name: 'COUNT', type: { kind: 'INTEGER' } }] },
    },
    init: () => [],
    add: (acc, [v]) => update(acc as AttrEntry[], v ?? null, 1),
    undo: (acc, [v]) => update(acc as AttrEntry[], v ?? null, -1),
    merge: (a, b) => (b as AttrEntry[]).reduce((out, e) => update(out, e.VALUE, e.COUNT), a as AttrEntry[]),
    result: (acc) => {
      const live = (acc as AttrEntry[]).filter((e) => e.COUNT > 0);
      return live.length === 1 ? live[0]!.VALUE : null;
    },
  };
}

export function registerCollectAggregates(reg: Registry): void {
  reg.registerAggregate({
    name: 'COLLECT_LIST',
    category: 'AGGREGATE',
    description:
      'Gather all of the values from an input grouping into a single Array field.\n' +
      'Although this aggregate works on both Stream and Table inputs, the order of entries in the result array is not guaranteed when working on Table input data.\n' +
      `You may limit the size of the resultant Array to N entries, beyond which any further values will be silently ignored, by setting the ${COLLECT_LIST_LIMIT} configuration to N.`,
    overloads: [{ sig: 'T -> ARRAY<T>', params: ['col'], description: 'collect values of a field into a single Array', create: (ctx) => collectList(limitFrom(ctx.config, COLLECT_LIST_LIMIT)) }],
  });
  reg.registerAggregate({
    name: 'COLLECT_SET',
    category: 'AGGREGATE',
    description:
      'Gather all of the distinct values from an input grouping into a single Array.\nNot available for aggregating values from an input Table.\n' +
      `You may limit the size of the resultant Array to N entries, beyond which any further values will be silently ignored, by setting the ${COLLECT_SET_LIMIT} configuration to N.`,
    overloads: [{ sig: 'T -> ARRAY<T>', params: ['col'], description: 'collect distinct values of a field into a single Array', create: (ctx) => collectSet(limitFrom(ctx.config, COLLECT_SET_LIMIT)) }],
  });
  reg.registerAggregate({
    name: 'HISTOGRAM',
    category: 'AGGREGATE',
    description:
      'Returns a map of each distinct String from the input Stream or Table and how many times each occurs. \nThis version limits the size of the resultant Map to 1000 entries. Any entries added beyond this limit will be ignored.',
    overloads: [{ sig: 'STRING -> MAP<STRING, BIGINT>', params: ['col'], description: 'Build a value-to-count histogram of input Strings', create: histogram }],
  });
  reg.registerAggregate({
    name: 'ATTR',
    category: 'AGGREGATE',
    description:
      'The ATTR() aggregation indicates there are multiple values, but only one was expected. If the aggregation encounters more than a single value for the expected singular column, the entire aggregation will return null.',
    overloads: [{ sig: 'T -> T', params: ['col'], description: 'Collect as a singleton', create: (ctx) => attr(ctx.argTypes[0]!) }],
  });
}
