/**
 * Numeric aggregates: COUNT, SUM, SUM_LIST, AVG. All can run over tables (undo) and in
 * session windows (merge). INT and BIGINT sums keep Java's wrap-around arithmetic, as ksqlDB's
 * Integer / Long sums do; DECIMAL sums keep the input's precision and scale and fail (the record's
 * contribution is dropped, with a processing-log entry) when the sum no longer fits.
 */
import { Decimal } from '../../../common/decimal.js';
import type { SqlType } from '../../../common/types.js';
import type { AggregateImpl } from '../definitions.js';
import type { Registry } from '../registry.js';
import { int32, int64 } from './aggregate-util.js';

const BIGINT: SqlType = { kind: 'BIGINT' };

/** COUNT(col) counts non-null values; COUNT(*) (no column arguments) counts rows. */
function counter(countAll: boolean): AggregateImpl {
  return {
    init: () => 0n,
    add: (acc, args) => (countAll || args[0] !== null ? (acc as bigint) + 1n : acc),
    undo: (acc, args) => (countAll || args[0] !== null ? (acc as bigint) - 1n : acc),
    merge: (a, b) => (a as bigint) + (b as bigint),
    result: (acc) => acc,
  };
}

/** Addition and subtraction for one numeric type, with that type's overflow behaviour. */
interface Arith<V> {
  zero: V;
  plus(a: V, b: V): V;
  minus(a: V, b: V): V;
  /** merging two partial sums (session windows); defaults to plus */
  combine?(a: V, b: V): V;
}

const INT_ARITH: Arith<number> = { zero: 0, plus: (a, b) => int32(a + b), minus: (a, b) => int32(a - b) };
const BIGINT_ARITH: Arith<bigint> = { zero: 0n, plus: (a, b) => int64(a + b), minus: (a, b) => int64(a - b) };
const DOUBLE_ARITH: Arith<number> = { zero: 0, plus: (a, b) => a + b, minus: (a, b) => a - b };

/** DECIMAL(p, s) sums: ksqlDB rounds to p significant digits and rejects results of p - s or more integer digits. */
function decimalArith(precision: number, scale: number): Arith<Decimal> {
  const digits = precision - scale;
  const max = new Decimal(10).pow(digits);
  const round = (d: Decimal) => d.toSignificantDigits(precision, Decimal.ROUND_HALF_UP);
  return {
    zero: new Decimal(0),
    plus: (a, b) => {
      const v = round(a.plus(b));
      if (v.abs().gte(max)) {
        throw new Error(
          `Numeric field overflow: A field with precision ${precision} and scale ${scale} must round to an absolute value less than 10^${digits}. Got ${v.toFixed()}`,
        );
      }
      return v;
    },
    minus: (a, b) => round(a.minus(b)),
    // ksqlDB checks for overflow when adding a value, not when merging sessions
    combine: (a, b) => round(a.plus(b)),
  };
}

function summer<V>(arith: Arith<V>, valueOf: (arg: unknown) => V = (x) => x as V): AggregateImpl {
  return {
    init: () => arith.zero,
    add: (acc, [v]) => (v === null || v === undefined ? acc : arith.plus(acc as V, valueOf(v))),
    undo: (acc, [v]) => (v === null || v === undefined ? acc : arith.minus(acc as V, valueOf(v))),
    merge: (a, b) => (arith.combine ?? arith.plus)(a as V, b as V),
    result: (acc) => acc,
  };
}

/** SUM_LIST: the non-null elements of each list are summed, then added to the total. */
function listSummer<V>(arith: Arith<V>): AggregateImpl {
  const sumList = (list: unknown) => (list as (V | null)[]).reduce<V>((s, x) => (x === null ? s : arith.plus(s, x)), arith.zero);
  return summer(arith, sumList);
}

/** The struct AVG keeps: the running sum (in the input's type) and the count of non-null values. */
interface AvgAcc<V> {
  SUM: V;
  COUNT: bigint;
}

function averager<V>(arith: Arith<V>, sumType: SqlType, divide: (sum: V, count: number) => number): AggregateImpl {
  return {
    intermediateType: { kind: 'STRUCT', fields: [{ name: 'SUM', type: sumType }, { name: 'COUNT', type: BIGINT }] },
    init: (): AvgAcc<V> => ({ SUM: arith.zero, COUNT: 0n }),
    add: (acc, [v]) => {
      if (v === null) return acc;
      const a = acc as AvgAcc<V>;
      return { SUM: arith.plus(a.SUM, v as V), COUNT: a.COUNT + 1n };
    },
    undo: (acc, [v]) => {
      if (v === null) return acc;
      const a = acc as AvgAcc<V>;
      return { SUM: arith.minus(a.SUM, v as V), COUNT: a.COUNT - 1n };
    },
    merge: (x, y) => {
      const a = x as AvgAcc<V>;
      const b = y as AvgAcc<V>;
      return { SUM: arith.plus(a.SUM, b.SUM), COUNT: a.COUNT + b.COUNT };
    },
    result: (acc) => {
      const a = acc as AvgAcc<V>;
      return a.COUNT === 0n ? 0 : divide(a.SUM, Number(a.COUNT));
    },
  };
}

export function registerNumericAggregates(reg: Registry): void {
  reg.registerAggregate({
    name: 'COUNT',
    category: 'AGGREGATE',
    description: 'Counts records by key.',
    overloads: [
      { sig: '-> BIGINT', description: 'counts every record', create: () => counter(true) },
      { sig: 'T -> BIGINT', params: ['col'], description: 'counts records where col is not null', create: () => counter(false) },
    ],
  });

  reg.registerAggregate({
    name: 'SUM',
    category: 'AGGREGATE',
    description: 'Computes the sum for a key.',
    overloads: [
      { sig: 'INTEGER -> INTEGER', params: ['col'], create: () => summer(INT_ARITH) },
      { sig: 'BIGINT -> BIGINT', params: ['col'], create: () => summer(BIGINT_ARITH) },
      { sig: 'DOUBLE -> DOUBLE', params: ['col'], create: () => summer(DOUBLE_ARITH) },
      {
        sig: 'DECIMAL -> DECIMAL',
        params: ['col'],
        description: 'Computes the sum of decimal values for a key, resulting in a decimal with the same precision and scale.',
        returns: (argTypes) => argTypes[0]!,
        create: (ctx) => {
          const t = ctx.argTypes[0] as { precision: number; scale: number };
          return summer(decimalArith(t.precision, t.scale));
        },
      },
    ],
  });

  reg.registerAggregate({
    name: 'SUM_LIST',
    category: 'AGGREGATE',
    description: 'Returns the sum of elements contained in the list.',
    overloads: [
      { sig: 'ARRAY<DOUBLE> -> DOUBLE', params: ['list'], description: 'sum double values in a list into a single double', create: () => listSummer(DOUBLE_ARITH) },
      { sig: 'ARRAY<INTEGER> -> INTEGER', params: ['list'], description: 'sum int values in a list into a single int', create: () => listSummer(INT_ARITH) },
      { sig: 'ARRAY<BIGINT> -> BIGINT', params: ['list'], description: 'sum long values in a list into a single long', create: () => listSummer(BIGINT_ARITH) },
    ],
  });

  reg.registerAggregate({
    name: 'AVG',
    category: 'AGGREGATE',
    description: 'Returns the average value of the column computed as the sum divided by the count. Applicable only to numeric types.',
    overloads: [
      { sig: 'BIGINT -> DOUBLE', params: ['col'], create: () => averager(BIGINT_ARITH, BIGINT, (s, c) => Number(s) / c) },
      { sig: 'INTEGER -> DOUBLE', params: ['col'], create: () => averager(INT_ARITH, { kind: 'INTEGER' }, (s, c) => s / c) },
      { sig: 'DOUBLE -> DOUBLE', params: ['col'], create: () => averager(DOUBLE_ARITH, { kind: 'DOUBLE' }, (s, c) => s / c) },
    ],
  });
}


