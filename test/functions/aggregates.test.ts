import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '../../src/common/decimal.js';
import type { SqlType } from '../../src/common/types.js';
import type { ArgInfo, ResolvedAggregate } from '../../src/runtime/functions/types.js';
import { decodeValue, encodeValue } from '../../src/runtime/state/value-codec.js';
import { args, reg, T } from './helpers.js';

/** Resolve an aggregate; `lits` are trailing literal parameters (typed from their JS value). */
function agg(name: string, types: SqlType[], lits: unknown[] = [], config: Record<string, unknown> = {}): ResolvedAggregate {
  const infos: ArgInfo[] = args(...types);
  for (const v of lits) {
    const type: SqlType = typeof v === 'boolean' ? T.BOOLEAN : T.INT;
    infos.push({ type, literal: { value: v } });
  }
  return reg.resolveAggregate(name, infos, config);
}

/** Fold rows (each an argument list) into an accumulator, round-tripping it through the store codec each time. */
function fold(a: ResolvedAggregate, rows: unknown[][], acc: unknown = a.init()): unknown {
  for (const r of rows) acc = decodeValue(encodeValue(a.add(acc, r)));
  return acc;
}

/** Results after each row, as a query over a stream emits them. */
function results(a: ResolvedAggregate, values: unknown[]): unknown[] {
  const out: unknown[] = [];
  let acc = a.init();
  for (const v of values) {
    acc = decodeValue(encodeValue(a.add(acc, [v])));
    out.push(a.result(acc));
  }
  return out;
}

describe('SUM / SUM_LIST / AVG', () => {
  it('sums each numeric type in its own type, skipping nulls', () => {
    const i = agg('SUM', [T.INT]);
    assert.deepEqual(i.returnType, T.INT);
    assert.deepEqual(results(i, [1, null, 2]), [1, 1, 3]);
    assert.equal(i.result(fold(i, [[2147483647], [1]])), -2147483648, 'INT wraps as in Java');
    const l = agg('SUM', [T.BIGINT]);
    assert.deepEqual(results(l, [2147483648n, 100n]), [2147483648n, 2147483748n]);
    assert.equal(l.result(fold(l, [[9223372036854775807n], [1n]])), -9223372036854775808n);
    const d = agg('SUM', [T.DOUBLE]);
    assert.deepEqual(results(d, [5.4, 100.1]), [5.4, 105.5]);
  });

  it('keeps a DECIMAL sum in the input precision and fails on overflow', () => {
    const s = agg('SUM', [T.dec(4, 1)]);
    assert.deepEqual(s.returnType, T.dec(4, 1));
    const acc = fold(s, [[new Decimal('500.9')], [new Decimal('300.8')]]);
    assert.equal((s.result(acc) as Decimal).toString(), '801.7');
    assert.throws(() => s.add(acc, [new Decimal('300.0')]), /Numeric field overflow: A field with precision 4 and scale 1 must round to an absolute value less than 10\^3. Got 1102/);
  });

  it('undoes and merges sums', () => {
    const s = agg('SUM', [T.INT]);
    assert.equal(s.undo!(10, [3]), 7);
    assert.equal(s.undo!(10, [null]), 10);
    assert.equal(s.merge!(4, 5), 9);
  });

  it('SUM_LIST adds the non-null elements of each list', () => {
    const s = agg('SUM_LIST', [T.arr(T.DOUBLE)]);
    assert.deepEqual(results(s, [[1.0, 1.0], [2.0, 2.0], null, [1.0, null]]), [2, 6, 6, 7]);
    assert.equal(s.undo!(7, [[1.0, 2.0]]), 4);
  });

  it('AVG returns a DOUBLE over a {SUM, COUNT} struct, 0.0 for no values', () => {
    const a = agg('AVG', [T.BIGINT]);
    assert.deepEqual(a.returnType, T.DOUBLE);
    assert.deepEqual(a.intermediateType, { kind: 'STRUCT', fields: [{ name: 'SUM', type: T.BIGINT }, { name: 'COUNT', type: T.BIGINT }] });
    assert.equal(a.result(a.init()), 0);
    const acc = fold(a, [[-1n], [9223372036854775807n], [1n], [null]]);
    assert.equal(a.result(acc), 3.0744573456182584e18);
    assert.equal(a.result(a.undo!(acc, [1n])), 4.611686018427388e18);
    const d = agg('AVG', [T.DOUBLE]);
    assert.deepEqual(results(d, [-1.8, 2.3]), [-1.8, (-1.8 + 2.3) / 2]);
    assert.equal(d.result(d.merge!(fold(d, [[1.0]]), fold(d, [[3.0], [5.0]]))), 3);
    // DECIMAL is averaged through the DOUBLE overload (implicit cast)
    assert.deepEqual(agg('AVG', [T.dec(4, 2)]).argTypes, [T.DOUBLE]);
  });
});

describe('STDDEV_SAMP / STDDEV_SAMPLE / CORRELATION', () => {
  it('STDDEV_SAMP returns what ksqlDB returns (the sample variance), STDDEV_SAMPLE its square root', () => {
    const v = agg('STDDEV_SAMP', [T.INT]);
    const s = agg('STDDEV_SAMPLE', [T.INT]);
    // one group's values from ksqlDB's standarddeviation.json: 0, 50, 7, 3, null
    assert.deepEqual(results(v, [0, 10]), [0, 50]);
    assert.deepEqual(results(s, [0, 10]), [0, 7.0710678118654755]);
    assert.deepEqual(results(v, [50, 10, 3]), [0, 800, 643]);
    assert.deepEqual(results(v, [0, 10, 7]).at(-1), 26.333333333333332);
    const l = agg('STDDEV_SAMPLE', [T.BIGINT]);
    assert.deepEqual(results(l, [2147483648n, 100n]), [0, 1518500179.2773468]);
    const d = agg('STDDEV_SAMP', [T.DOUBLE]);
    assert.deepEqual(results(d, [-1.8, 2.3]), [0, 8.405]);
  });

  it('undo reverses add and merge combines partial results', () => {
    const d = agg('STDDEV_SAMPLE', [T.DOUBLE]);
    const all = fold(d, [[1.0], [2.0], [4.0], [8.0]]);
    const undone = d.undo!(all, [8.0]);
    assert.ok(Math.abs((d.result(undone) as number) - (d.result(fold(d, [[1.0], [2.0], [4.0]])) as number)) < 1e-12);
    const merged = d.merge!(fold(d, [[1.0], [2.0]]), fold(d, [[4.0], [8.0]]));
    assert.ok(Math.abs((d.result(merged) as number) - (d.result(all) as number)) < 1e-12);
  });

  it('CORRELATION skips pairs with a null and is NaN until defined', () => {
    const c = agg('CORRELATION', [T.DOUBLE, T.DOUBLE]);
    let acc = fold(c, [[1.5, 8.0]]);
    assert.ok(Number.isNaN(c.result(acc) as number));
    acc = fold(c, [[-3.5, -2.0], [13.1, null]], acc);
    assert.equal(c.result(acc), 1);
    acc = fold(c, [[-1.0, -2.0], [-4.5, -1.0]], acc);
    const xs = [1.5, -3.5, -1.0, -4.5];
    const ys = [8.0, -2.0, -2.0, -1.0];
    const mean = (v: number[]) => v.reduce((a, b) => a + b) / v.length;
    const [mx, my] = [mean(xs), mean(ys)];
    const cov = xs.reduce((s, x, k) => s + (x - mx) * (ys[k]! - my), 0);
    const r = cov / Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0) * ys.reduce((s, y) => s + (y - my) ** 2, 0));
    assert.ok(Math.abs((c.result(acc) as number) - r) < 1e-12);
    const i = agg('CORRELATION', [T.INT, T.INT]);
    const pairs = [[1, 8], [-3, -2], [-1, -2], [-4, -1], [3, 11]];
    assert.equal(i.result(fold(i, pairs)), c.result(fold(c, pairs)), 'INTEGER pairs are correlated as doubles');
    assert.ok(c.undo);
  });
});

describe('MIN / MAX / TOPK / TOPKDISTINCT', () => {
  it('MIN and MAX order each comparable type as Java does and are not undoable', () => {
    assert.deepEqual(results(agg('MAX', [T.INT]), [3, null, 7, 5]), [3, 3, 7, 7]);
    assert.deepEqual(results(agg('MIN', [T.STRING]), ['b', 'a', 'c']), ['b', 'a', 'a']);
    assert.deepEqual(results(agg('MAX', [T.BIGINT]), [1n, 5n]), [1n, 5n]);
    // bytes compare as signed bytes: 0x80 < 0x01
    const bytes = agg('MAX', [T.BYTES]);
    assert.deepEqual(bytes.result(fold(bytes, [[Buffer.from([0x80])], [Buffer.from([0x01])]])), Buffer.from([0x01]));
    const dec = agg('MIN', [T.dec(5, 2)]);
    assert.deepEqual(dec.returnType, T.dec(5, 2));
    assert.equal((dec.result(fold(dec, [[new Decimal('1.50')], [new Decimal('-2.25')]])) as Decimal).toString(), '-2.25');
    assert.equal(agg('MAX', [T.TIMESTAMP]).undo, undefined);
    assert.equal(agg('MIN', [T.DATE]).merge!(5, 3), 3);
    assert.throws(() => agg('MAX', [T.BOOLEAN]), /does not accept parameters \(BOOLEAN\)/);
  });

  it('TOPK keeps the k largest, with other columns as {sort_col, col0...} structs', () => {
    const t = agg('TOPK', [T.BIGINT], [3]);
    assert.deepEqual(t.returnType, T.arr(T.BIGINT));
    assert.equal(t.columnArgs, 1);
    assert.deepEqual(results(t, [2147483648n, 100n, 99n, 7n, 100n]).at(-1), [2147483648n, 100n, 100n]);
    const s = agg('TOPK', [T.INT, T.STRING], [2]);
    assert.deepEqual(s.returnType, T.arr({ kind: 'STRUCT', fields: [{ name: 'sort_col', type: T.INT }, { name: 'col0', type: T.STRING }] }));
    assert.equal(s.columnArgs, 2);
    const acc = fold(s, [[0, 'zero'], [100, 'one'], [null, 'three'], [99, 'two'], [100, null]]);
    assert.deepEqual(s.result(acc), [{ sort_col: 100, col0: 'one' }, { sort_col: 100, col0: null }]);
    const m = agg('TOPK', [T.INT], [3]);
    assert.deepEqual(m.merge!([9, 5, 1], [7, 5]), [9, 7, 5]);
  });

  it('TOPKDISTINCT keeps the k largest distinct values', () => {
    const t = agg('TOPKDISTINCT', [T.INT], [2]);
    assert.deepEqual(results(t, [1, 3, 3, 2, 5]), [[1], [3, 1], [3, 1], [3, 2], [5, 3]]);
    assert.deepEqual(t.merge!([5, 3], [5, 4]), [5, 4]);
    assert.deepEqual(agg('TOPKDISTINCT', [T.dec(3, 1)], [1]).returnType, T.arr(T.dec(3, 1)));
  });

  it('the k of TOPK must be a literal', () => {
    assert.throws(() => reg.resolveAggregate('TOPK', [{ type: T.INT, text: 'V' }, { type: T.INT, text: 'K' }], {}), /Parameter 2 passed to function TOPK must be a literal constant, but was expression: 'K'/);
  });
});

describe('COLLECT_LIST / COLLECT_SET / HISTOGRAM / ATTR', () => {
  it('COLLECT_LIST keeps nulls, honours the configured limit and undoes the last equal value', () => {
    const c = agg('COLLECT_LIST', [T.INT]);
    assert.deepEqual(c.returnType, T.arr(T.INT));
    assert.deepEqual(c.result(fold(c, [[1], [null], [1]])), [1, null, 1]);
    assert.deepEqual(c.undo!([1, 2, 1, 3], [1]), [1, 2, 3]);
    assert.deepEqual(c.undo!([1, 2], [9]), [1, 2]);
    const limited = agg('COLLECT_LIST', [T.INT], [], { 'ksql.functions.collect_list.limit': '2' });
    assert.deepEqual(limited.result(fold(limited, [[1], [2], [3]])), [1, 2]);
    assert.deepEqual(limited.merge!([1], [2, 3]), [1, 2]);
    const unlimited = agg('COLLECT_LIST', [T.INT], [], { 'ksql.functions.collect_list.limit': -1 });
    assert.equal((unlimited.result(fold(unlimited, [[1], [2], [3]])) as unknown[]).length, 3);
  });

  it('COLLECT_SET keeps distinct values (deep equality), has its own limit and no undo', () => {
    const c = agg('COLLECT_SET', [T.map(T.STRING, T.INT)]);
    const m = (v: number) => new Map([['a', v]]);
    assert.deepEqual(c.result(fold(c, [[m(1)], [m(1)], [m(2)]])), [m(1), m(2)]);
    assert.equal(c.undo, undefined);
    const limited = agg('COLLECT_SET', [T.STRING], [], { 'ksql.functions.collect_set.limit': 1 });
    assert.deepEqual(limited.result(fold(limited, [['x'], ['y']])), ['x']);
  });

  it('HISTOGRAM counts strings and undoes counts, dropping entries that reach zero', () => {
    const h = agg('HISTOGRAM', [T.STRING]);
    assert.deepEqual(h.returnType, T.map(T.STRING, T.BIGINT));
    const acc = fold(h, [['foo'], ['baz'], ['foo']]);
    assert.deepEqual(h.result(acc), new Map([['foo', 2n], ['baz', 1n]]));
    assert.deepEqual(h.result(h.undo!(acc, ['baz'])), new Map([['foo', 2n]]));
    assert.deepEqual(h.merge!(new Map([['a', 1n]]), new Map([['a', 2n], ['b', 1n]])), new Map([['a', 3n], ['b', 1n]]));
  });

  it('ATTR is the single value seen, null once a second distinct value (null included) is present', () => {
    const a = agg('ATTR', [T.STRING]);
    assert.deepEqual(results(a, ['1', null, '1']), ['1', null, null]);
    assert.deepEqual(results(a, [null, null]), [null, null]);
    let acc = fold(a, [['1'], ['2']]);
    assert.equal(a.result(acc), null);
    acc = a.undo!(acc, ['2']);
    assert.equal(a.result(acc), '1');
  });
});

describe('LATEST_BY_OFFSET / EARLIEST_BY_OFFSET', () => {
  it('latest and earliest value, ignoring nulls unless told otherwise', () => {
    assert.deepEqual(results(agg('LATEST_BY_OFFSET', [T.INT]), [1, null, 3]), [1, 1, 3]);
    assert.deepEqual(results(agg('LATEST_BY_OFFSET', [T.INT], [false]), [1, null]), [1, null]);
    assert.deepEqual(results(agg('EARLIEST_BY_OFFSET', [T.INT]), [null, 2, 3]), [null, 2, 2]);
    assert.deepEqual(results(agg('EARLIEST_BY_OFFSET', [T.INT], [false]), [null, 2]), [null, null]);
  });

  it('N variants return arrays of the latest / earliest N', () => {
    const l = agg('LATEST_BY_OFFSET', [T.STRING], [2]);
    assert.deepEqual(l.returnType, T.arr(T.STRING));
    assert.deepEqual(results(l, ['a', 'b', null, 'c']).at(-1), ['b', 'c']);
    const e = agg('EARLIEST_BY_OFFSET', [T.INT], [2, false]);
    assert.deepEqual(results(e, [null, 1, 2]).at(-1), [null, 1]);
    assert.throws(() => agg('LATEST_BY_OFFSET', [T.INT], [0]), /latestN must be 1 or greater/);
    assert.throws(() => agg('EARLIEST_BY_OFFSET', [T.INT], [-1, true]), /earliestN must be 1 or greater/);
  });

  it('merging session accumulators picks by arrival order; neither is undoable', () => {
    const l = agg('LATEST_BY_OFFSET', [T.INT]);
    const older = l.add(l.init(), [1]);
    const newer = l.add(l.init(), [2]);
    assert.equal(l.result(l.merge!(newer, older)), 2);
    assert.equal(l.result(l.merge!(older, newer)), 2);
    const e = agg('EARLIEST_BY_OFFSET', [T.INT]);
    const first = e.add(e.init(), [1]);
    const second = e.add(e.init(), [2]);
    assert.equal(e.result(e.merge!(second, first)), 1);
    assert.equal(e.result(e.merge!(e.init(), second)), 2);
    assert.equal(l.undo, undefined);
    assert.equal(e.undo, undefined);
  });
});

describe('COUNT_DISTINCT', () => {
  it('counts distinct non-null values of any type and merges', () => {
    const c = agg('COUNT_DISTINCT', [T.STRING]);
    assert.deepEqual(results(c, ['one', 'two', 'one', null]), [1n, 2n, 2n, 2n]);
    const n = agg('COUNT_DISTINCT', [T.BIGINT]);
    const values = Array.from({ length: 200 }, (_, i) => [BigInt(i % 100)]);
    assert.equal(n.result(fold(n, values)), 100n);
    const a = fold(n, [[1n], [2n]]);
    const b = fold(n, [[2n], [3n]]);
    assert.equal(n.result(n.merge!(a, b)), 3n);
    assert.equal(n.undo, undefined);
  });

  it('stays within a few percent for large counts', () => {
    const c = agg('COUNT_DISTINCT', [T.INT]);
    let acc = c.init();
    for (let i = 0; i < 20000; i++) acc = c.add(acc, [i]);
    const est = Number(c.result(acc));
    assert.ok(Math.abs(est - 20000) / 20000 < 0.03, `estimate ${est}`);
  });
});

describe('intermediate types', () => {
  it('name the accumulator type ksqlDB declares, or the return type', () => {
    assert.equal(agg('STDDEV_SAMP', [T.INT]).intermediateType.kind, 'STRUCT');
    assert.equal(agg('LATEST_BY_OFFSET', [T.INT]).intermediateType.kind, 'STRUCT');
    assert.equal(agg('ATTR', [T.INT]).intermediateType.kind, 'ARRAY');
    assert.deepEqual(agg('SUM', [T.INT]).intermediateType, T.INT);
    assert.deepEqual(reg.resolveAggregate('COUNT', [], {}).intermediateType, T.BIGINT);
  });
});
