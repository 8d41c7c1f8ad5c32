/**
 * Statistical aggregates: STDDEV_SAMP, STDDEV_SAMPLE and CORRELATION, each undoable (tables)
 * and mergeable (session windows).
 *
 * The standard deviations follow ksqlDB's Youngs-Cramer update over a {SUM, COUNT, M2} struct,
 * including its quirks, because results must match ksqlDB's bit for bit: the running SUM has the
 * input's type (INT sums wrap at 32 bits, BIGINT at 64), the delta is computed in Java long
 * arithmetic for integral inputs, and STDDEV_SAMP returns M2 / (n - 1) — the sample *variance* —
 * while STDDEV_SAMPLE returns its square root. When merging two integral accumulators
 * STDDEV_SAMP divides the sums by the counts in integer arithmetic and STDDEV_SAMPLE in doubles.
 */
import type { SqlType } from '../../../common/types.js';
import type { AggregateImpl } from '../definitions.js';
import type { Registry } from '../registry.js';
import { int32, int64, toDouble } from './aggregate-util.js';

interface StdDevAcc {
  SUM: number | bigint;
  COUNT: bigint;
  M2: number;
}

/** Per input type: how the running sum and the Youngs-Cramer delta are computed. */
interface StdDevOps {
  sumType: SqlType;
  zero: number | bigint;
  add(sum: number | bigint, v: number | bigint): number | bigint;
  sub(sum: number | bigint, v: number | bigint): number | bigint;
  /** v * (count + 1) - (sum + v), in the arithmetic ksqlDB uses for this type */
  delta(acc: StdDevAcc, v: number | bigint): number;
  /** mean(a) - mean(b) when merging; integerMeans: STDDEV_SAMP's long division */
  meanDiff(a: StdDevAcc, b: StdDevAcc, integerMeans: boolean): number;
}

const INT_OPS: StdDevOps = {
  sumType: { kind: 'INTEGER' },
  zero: 0,
  add: (s, v) => int32((s as number) + (v as number)),
  sub: (s, v) => int32((s as number) - (v as number)),
  // Java: int * long -> long; (int sum + int v) wraps as int before the long subtraction
  delta: (acc, v) => Number(int64(BigInt(v as number) * (acc.COUNT + 1n) - BigInt(int32((acc.SUM as number) + (v as number))))),
  meanDiff: (a, b, integerMeans) =>
    integerMeans
      ? Number(int64(BigInt(a.SUM as number) / a.COUNT - BigInt(b.SUM as number) / b.COUNT))
      : (a.SUM as number) / Number(a.COUNT) - (b.SUM as number) / Number(b.COUNT),
};

const BIGINT_OPS: StdDevOps = {
  sumType: { kind: 'BIGINT' },
  zero: 0n,
  add: (s, v) => int64((s as bigint) + (v as bigint)),
  sub: (s, v) => int64((s as bigint) - (v as bigint)),
  delta: (acc, v) => Number(int64(int64((v as bigint) * (acc.COUNT + 1n)) - int64((acc.SUM as bigint) + (v as bigint)))),
  meanDiff: (a, b, integerMeans) =>
    integerMeans
      ? Number(int64((a.SUM as bigint) / a.COUNT - (b.SUM as bigint) / b.COUNT))
      : Number(a.SUM) / Number(a.COUNT) - Number(b.SUM) / Number(b.COUNT),
};

const DOUBLE_OPS: StdDevOps = {
  sumType: { kind: 'DOUBLE' },
  zero: 0,
  add: (s, v) => (v as number) + (s as number),
  sub: (s, v) => (s as number) - (v as number),
  delta: (acc, v) => (v as number) * Number(acc.COUNT + 1n) - ((acc.SUM as number) + (v as number)),
  meanDiff: (a, b) => (a.SUM as number) / Number(a.COUNT) - (b.SUM as number) / Number(b.COUNT),
};

function stdDev(ops: StdDevOps, sampleStdDev: boolean): AggregateImpl {
  return {
    intermediateType: {
      kind: 'STRUCT',
      fields: [
        { name: 'SUM', type: ops.sumType },
        { name: 'COUNT', type: { kind: 'BIGINT' } },
        { name: 'M2', type: { kind: 'DOUBLE' } },
      ],
    },
    init: (): StdDevAcc => ({ SUM: ops.zero, COUNT: 0n, M2: 0 }),
    add: (acc, [v]) => {
      if (v === null) return acc;
      const a = acc as StdDevAcc;
      const n = a.COUNT + 1n;
      let m2 = 0;
      if (n > 1n) {
        const d = ops.delta(a, v as number | bigint);
        m2 = (d * d) / Number(n * (n - 1n));
      }
      return { SUM: ops.add(a.SUM, v as number | bigint), COUNT: n, M2: m2 + a.M2 };
    },
    undo: (acc, [v]) => {
      if (v === null) return acc;
      const a = acc as StdDevAcc;
      const n = a.COUNT - 1n;
      let m2 = 0;
      if (n > 0n) {
        const d = ops.delta(a, v as number | bigint);
        m2 = (d * d) / Number(n * (n + 1n));
      }
      return { SUM: ops.sub(a.SUM, v as number | bigint), COUNT: n, M2: a.M2 - m2 };
    },
    merge: (x, y) => {
      const a = x as StdDevAcc;
      const b = y as StdDevAcc;
      const n = a.COUNT + b.COUNT;
      let m2: number;
      if (a.COUNT === 0n || b.COUNT === 0n) m2 = a.M2 + b.M2;
      else {
        const inner = ops.meanDiff(a, b, !sampleStdDev);
        m2 = a.M2 + b.M2 + (Number(a.COUNT * b.COUNT) * inner * inner) / Number(n);
      }
      return { SUM: ops.add(a.SUM, b.SUM), COUNT: n, M2: m2 };
    },
    result: (acc) => {
      const a = acc as StdDevAcc;
      if (a.COUNT < 2n) return 0;
      const variance = a.M2 / Number(a.COUNT - 1n);
      return sampleStdDev ? Math.sqrt(variance) : variance;
    },
  };
}

interface CorrAcc {
  X_SUM: number;
  Y_SUM: number;
  X_SQUARED_SUM: number;
  Y_SQUARED_SUM: number;
  XY_SUM: number;
  COUNT: bigint;
}

const CORR_TYPE: SqlType = {
  kind: 'STRUCT',
  fields: [
    ...['X_SUM', 'Y_SUM', 'X_SQUARED_SUM', 'Y_SQUARED_SUM', 'XY_SUM'].map((name) => ({ name, type: { kind: 'DOUBLE' } as SqlType })),
    { name: 'COUNT', type: { kind: 'BIGINT' } },
  ],
};

/** Pearson's r over the single-pass sums; pairs with a null on either side are skipped. */
function correlation(): AggregateImpl {
  const step = (acc: unknown, args: unknown[], sign: 1 | -1): unknown => {
    const [xv, yv] = args;
    if (xv === null || yv === null) return acc;
    const a = acc as CorrAcc;
    const x = toDouble(xv);
    const y = toDouble(yv);
    return {
      X_SUM: a.X_SUM + sign * x,
      Y_SUM: a.Y_SUM + sign * y,
      X_SQUARED_SUM: a.X_SQUARED_SUM + sign * x * x,
      Y_SQUARED_SUM: a.Y_SQUARED_SUM + sign * y * y,
      XY_SUM: a.XY_SUM + sign * x * y,
      COUNT: a.COUNT + BigInt(sign),
    };
  };
  return {
    intermediateType: CORR_TYPE,
    init: (): CorrAcc => ({ X_SUM: 0, Y_SUM: 0, X_SQUARED_SUM: 0, Y_SQUARED_SUM: 0, XY_SUM: 0, COUNT: 0n }),
    add: (acc, args) => step(acc, args, 1),
    undo: (acc, args) => step(acc, args, -1),
    merge: (x, y) => {
      const a = x as CorrAcc;
      const b = y as CorrAcc;
      return {
        X_SUM: a.X_SUM + b.X_SUM,
        Y_SUM: a.Y_SUM + b.Y_SUM,
        X_SQUARED_SUM: a.X_SQUARED_SUM + b.X_SQUARED_SUM,
        Y_SQUARED_SUM: a.Y_SQUARED_SUM + b.Y_SQUARED_SUM,
        XY_SUM: a.XY_SUM + b.XY_SUM,
        COUNT: a.COUNT + b.COUNT,
      };
    },
    result: (acc) => {
      const a = acc as CorrAcc;
      const n = Number(a.COUNT);
      const numerator = n * a.XY_SUM - a.X_SUM * a.Y_SUM;
      const dx = n * a.X_SQUARED_SUM - a.X_SUM * a.X_SUM;
      const dy = n * a.Y_SQUARED_SUM - a.Y_SUM * a.Y_SUM;
      return numerator / Math.sqrt(dx * dy);
    },
  };
}

export function registerStatAggregates(reg: Registry): void {
  const stdDevOverloads = (sample: boolean) => [
    { sig: 'BIGINT -> DOUBLE', params: ['col'], description: 'Compute sample standard deviation of column with type Long.', create: () => stdDev(BIGINT_OPS, sample) },
    { sig: 'INTEGER -> DOUBLE', params: ['col'], description: 'Compute sample standard deviation of column with type Integer.', create: () => stdDev(INT_OPS, sample) },
    { sig: 'DOUBLE -> DOUBLE', params: ['col'], description: 'Compute sample standard deviation of column with type Double.', create: () => stdDev(DOUBLE_OPS, sample) },
  ];
  reg.registerAggregate({
    name: 'STDDEV_SAMP',
    category: 'AGGREGATE',
    description: 'Returns the sample standard deviation of the column. Applicable only to numeric types.',
    overloads: stdDevOverloads(false),
  });
  reg.registerAggregate({
    name: 'STDDEV_SAMPLE',
    category: 'AGGREGATE',
    description: 'Returns the sample standard deviation of the column. Applicable only to numeric types.',
    overloads: stdDevOverloads(true),
  });
  reg.registerAggregate({
    name: 'CORRELATION',
    category: 'AGGREGATE',
    description: 'Computes the Pearson correlation coefficient between two columns of data.',
    overloads: (['DOUBLE', 'INTEGER', 'BIGINT'] as const).map((t) => ({
      sig: `${t}, ${t} -> DOUBLE`,
      params: ['x', 'y'],
      description: `Computes the Pearson correlation coefficient between two ${t} columns.`,
      create: correlation,
    })),
  });
}
