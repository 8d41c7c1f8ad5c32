/**
 * LATEST_BY_OFFSET and EARLIEST_BY_OFFSET: the latest / earliest value of a column in arrival
 * order, or the latest / earliest N (as an array). By default nulls are ignored; a trailing
 * boolean literal `false` keeps them.
 *
 * Each captured value is stored as {SEQ, VAL} where SEQ is a process-wide, ever-increasing
 * sequence number: merging two session windows' accumulators picks by SEQ, as ksqlDB does.
 * ksqlDB's sequence restarts at 0 with the process; ours starts from the wall clock in
 * microseconds so that accumulators restored from a changelog still compare older than new ones.
 * Neither function can be undone, so ksqlDB refuses them over tables.
 */
import type { SqlType } from '../../../common/types.js';
import type { AggregateImpl, AggregateOverload } from '../definitions.js';
import type { Registry } from '../registry.js';

interface Entry {
  SEQ: bigint;
  VAL: unknown;
}

let sequence = BigInt(Date.now()) * 1000n;
const entry = (val: unknown): Entry => ({ SEQ: sequence++, VAL: val });

/** ksqlDB's ordering by sequence; a negative sequence is taken to have wrapped around (newer). */
function bySeq(a: Entry, b: Entry): number {
  if (a.SEQ < 0n && b.SEQ >= 0n) return 1;
  if (b.SEQ < 0n && a.SEQ >= 0n) return -1;
  return a.SEQ < b.SEQ ? -1 : a.SEQ > b.SEQ ? 1 : 0;
}

/** As bySeq, but an entry holding null always ranks below one holding a value. */
function bySeqIgnoringNulls(a: Entry, b: Entry): number {
  if (a.VAL === null && b.VAL === null) return 0;
  if (a.VAL === null) return -1;
  if (b.VAL === null) return 1;
  return bySeq(a, b);
}

function entryType(valType: SqlType): SqlType {
  return { kind: 'STRUCT', fields: [{ name: 'SEQ', type: { kind: 'BIGINT' } }, { name: 'VAL', type: valType }] };
}

function latest(valType: SqlType, ignoreNulls: boolean): AggregateImpl {
  const cmp = ignoreNulls ? bySeqIgnoringNulls : bySeq;
  return {
    intermediateType: entryType(valType),
    init: () => entry(null),
    add: (acc, [v]) => (v === null && ignoreNulls ? acc : entry(v ?? null)),
    merge: (a, b) => (cmp(a as Entry, b as Entry) >= 0 ? a : b),
    result: (acc) => (acc as Entry).VAL,
  };
}

function earliest(valType: SqlType, ignoreNulls: boolean): AggregateImpl {
  return {
    intermediateType: entryType(valType),
    init: () => null,
    add: (acc, [v]) => {
      if (acc !== null) return acc;
      if (v === null && ignoreNulls) return null;
      return entry(v ?? null);
    },
    merge: (a, b) => {
      if (a === null) return b;
      if (b === null) return a;
      return bySeq(a as Entry, b as Entry) < 0 ? a : b;
    },
    result: (acc) => (acc === null ? null : (acc as Entry).VAL),
  };
}

/** Merging N-lists: ksqlDB sorts both by sequence and keeps the first N (for both functions). */
function mergeFirstN(n: number) {
  return (a: unknown, b: unknown): unknown => [...(a as Entry[]), ...(b as Entry[])].sort(bySeq).slice(0, n);
}

function latestN(valType: SqlType, n: number, ignoreNulls: boolean): AggregateImpl {
  if (n <= 0) throw new Error('latestN must be 1 or greater');
  return {
    intermediateType: { kind: 'ARRAY', element: entryType(valType) },
    init: () => [],
    add: (acc, [v]) => {
      if (v === null && ignoreNulls) return acc;
      const out = [...(acc as Entry[]), entry(v ?? null)];
      return out.length > n ? out.slice(out.length - n) : out;
    },
    merge: mergeFirstN(n),
    result: (acc) => (acc as Entry[]).map((e) => e.VAL),
  };
}

function earliestN(valType: SqlType, n: number, ignoreNulls: boolean): AggregateImpl {
  if (n <= 0) throw new Error('earliestN must be 1 or greater');
  return {
    intermediateType: { kind: 'ARRAY', element: entryType(valType) },
    init: () => [],
    add: (acc, [v]) => {
      if (v === null && ignoreNulls) return acc;
      const list = acc as Entry[];
      return list.length < n ? [...list, entry(v ?? null)] : acc;
    },
    merge: mergeFirstN(n),
    result: (acc) => (acc as Entry[]).map((e) => e.VAL),
  };
}

function literalBool(v: unknown, fn: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${fn}: ignoreNulls must be a BOOLEAN literal`);
  return v;
}

function literalInt(v: unknown, fn: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${fn}: N must be an INTEGER literal`);
  return v;
}

function offsetOverloads(
  fn: string,
  word: 'latest' | 'earliest',
  one: (t: SqlType, ignoreNulls: boolean) => AggregateImpl,
  many: (t: SqlType, n: number, ignoreNulls: boolean) => AggregateImpl,
): AggregateOverload[] {
  return [
    { sig: 'T -> T', params: ['val'], description: `return the ${word} value of a column`, create: (ctx) => one(ctx.argTypes[0]!, true) },
    {
      sig: 'T, BOOLEAN -> T',
      params: ['val', 'ignoreNulls'],
      literals: 1,
      description: `return the ${word} value of a column`,
      create: (ctx) => one(ctx.argTypes[0]!, literalBool(ctx.literals[0], fn)),
    },
    {
      sig: 'T, INTEGER -> ARRAY<T>',
      params: ['val', `${word}N`],
      literals: 1,
      description: `return the ${word} N values of a column`,
      create: (ctx) => many(ctx.argTypes[0]!, literalInt(ctx.literals[0], fn), true),
    },
    {
      sig: 'T, INTEGER, BOOLEAN -> ARRAY<T>',
      params: ['val', `${word}N`, 'ignoreNulls'],
      literals: 2,
      description: `return the ${word} N values of a column`,
      create: (ctx) => many(ctx.argTypes[0]!, literalInt(ctx.literals[0], fn), literalBool(ctx.literals[1], fn)),
    },
  ];
}

export function registerOffsetAggregates(reg: Registry): void {
  reg.registerAggregate({
    name: 'LATEST_BY_OFFSET',
    category: 'AGGREGATE',
    description: 'This function returns the most recent value for the column, computed by offset.',
    overloads: offsetOverloads('LATEST_BY_OFFSET', 'latest', latest, latestN),
  });
  reg.registerAggregate({
    name: 'EARLIEST_BY_OFFSET',
    category: 'AGGREGATE',
    description: 'This function returns the oldest value for the column, computed by offset.',
    overloads: offsetOverloads('EARLIEST_BY_OFFSET', 'earliest', earliest, earliestN),
  });
}
