import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '../../src/common/decimal.js';
import { call, reg, T } from './helpers.js';

const A = T.arr;
const lam = (arity: number, body: typeof T.INT) => ({ type: null, lambda: { arity, typeBody: () => body } });

describe('array functions', () => {
  it('ARRAY_LENGTH / ARRAY_CONTAINS with nulls', () => {
    assert.equal(call('array_length', [A(T.INT)], [1, 2]), 2);
    assert.equal(call('array_length', [A(T.INT)], null), null);
    assert.equal(call('array_contains', [A(T.STRING), T.STRING], ['a', null], null), true);
    assert.equal(call('array_contains', [A(T.STRING), T.STRING], null, 'a'), false);
    assert.equal(call('array_contains', [A(A(T.INT)), A(T.INT)], [[1], [2, 3]], [2, 3]), true);
  });

  it('set operations keep first-occurrence order and de-duplicate by value', () => {
    assert.deepEqual(call('array_distinct', [A(T.INT)], [1, 2, 1, null, null]), [1, 2, null]);
    assert.deepEqual(call('array_except', [A(T.INT), A(T.INT)], [1, 2, 2, 3], [3]), [1, 2]);
    assert.deepEqual(call('array_intersect', [A(T.INT), A(T.INT)], [1, 2, 2, 3], [2, 3, 4]), [2, 3]);
    assert.deepEqual(call('array_union', [A(T.INT), A(T.INT)], [1, 2], [2, 3]), [1, 2, 3]);
    assert.equal(call('array_union', [A(T.INT), A(T.INT)], null, [2]), null);
    assert.deepEqual(call('array_concat', [A(T.INT), A(T.INT)], null, [2]), [2]);
    assert.equal(call('array_concat', [A(T.INT), A(T.INT)], null, null), null);
    const d = (s: string) => new Decimal(s);
    assert.equal((call('array_distinct', [A(T.dec(3, 1))], [d('1.0'), d('1.0')]) as unknown[]).length, 1);
  });

  it('ARRAY_JOIN formats elements as ksqlDB prints them', () => {
    assert.equal(call('array_join', [A(T.BOOLEAN)], [true, null, false]), 'true,null,false');
    assert.equal(call('array_join', [A(T.DOUBLE), T.STRING], [1.23, -23.42, 0.0], ' '), '1.23 -23.42 0.0');
    assert.equal(call('array_join', [A(T.BIGINT), T.STRING], [-4294967297n, 8589934592n], null), '-42949672978589934592');
    assert.equal(call('array_join', [A(T.dec(5, 2)), T.STRING], [new Decimal('123.45'), new Decimal('987.6')], '#'), '123.45#987.60');
    assert.throws(() => reg.resolveScalar('array_join', [{ type: A(A(T.INT)) }], {}).impl([[1]]), /not supported/);
  });

  it('ARRAY_MAX / ARRAY_MIN / ARRAY_SORT skip or trail nulls', () => {
    assert.equal(call('array_max', [A(T.STRING)], ['foo', 'fo', 'Food', null, 'F', 'food']), 'food');
    assert.equal(call('array_min', [A(T.STRING)], ['foo', 'fo', 'Food', null, 'F', 'food']), 'F');
    assert.equal(call('array_min', [A(T.INT)], []), null);
    assert.equal(call('array_max', [A(T.BOOLEAN)], [null, false, true]), true);
    assert.deepEqual(call('array_sort', [A(T.INT)], [0, null, 1, 0, -1]), [-1, 0, 0, 1, null]);
    assert.deepEqual(call('array_sort', [A(T.INT), T.STRING], [0, null, 1, 0, -1], 'desc'), [1, 0, 0, -1, null]);
    assert.deepEqual(call('array_sort', [A(T.BIGINT)], [234n, -123n, 345n]), [-123n, 234n, 345n]);
    assert.deepEqual(call('array_sort', [A(T.DOUBLE)], [NaN, 1, 0, -0, -Infinity]), [-Infinity, -0, 0, 1, NaN]);
    assert.ok(Number.isNaN(call('array_max', [A(T.DOUBLE)], [1, NaN, 2]) as number));
    assert.equal(call('array_sort', [A(T.INT), T.STRING], [1], 'sideways'), null);
    assert.deepEqual(call('array_sort', [A(T.INT), T.STRING], [1, 3, 2], 'Descending'), [3, 2, 1]);
  });

  it('ARRAY_REMOVE compares complex values by value', () => {
    assert.deepEqual(call('array_remove', [A(T.STRING), T.STRING], ['foo', 'bar', 'foo'], 'foo'), ['bar']);
    assert.deepEqual(call('array_remove', [A(A(T.STRING)), A(T.STRING)], [null, ['foo'], ['foo', 'bar']], ['foo']), [null, ['foo', 'bar']]);
    const m = (a: number, b: number) => new Map([['apple', a], ['banana', b]]);
    assert.deepEqual(call('array_remove', [A(T.map(T.STRING, T.INT)), T.map(T.STRING, T.INT)], [m(1, 2), m(3, 4), null], m(1, 2)), [m(3, 4), null]);
  });

  it('SLICE and GENERATE_SERIES', () => {
    assert.deepEqual(call('slice', [A(T.STRING), T.INT, T.INT], ['a', 'b', 'c', 'd'], 2, 3), ['b', 'c']);
    assert.deepEqual(call('slice', [A(T.STRING), T.INT, T.INT], ['a', 'b'], null, null), ['a', 'b']);
    assert.equal(call('slice', [A(T.STRING), T.INT, T.INT], ['a'], 1, 5), null);
    assert.deepEqual(call('slice', [A(T.STRING), T.INT, T.INT], ['a', 'b'], 2, 1), []);
    assert.equal(call('slice', [A(T.STRING), T.INT, T.INT], ['a', 'b'], 3, 1), null);
    assert.deepEqual(call('generate_series', [T.INT, T.INT], 1, 3), [1, 2, 3]);
    assert.deepEqual(call('generate_series', [T.INT, T.INT], 3, 1), [3, 2, 1]);
    assert.deepEqual(call('generate_series', [T.INT, T.INT, T.INT], 0, 9, 4), [0, 4, 8]);
    assert.deepEqual(call('generate_series', [T.BIGINT, T.BIGINT], 1n, 2n), [1n, 2n]);
    assert.throws(() => call('generate_series', [T.INT, T.INT, T.INT], 0, 9, -1), /wrong sign/);
    assert.deepEqual(call('generate_series', [T.INT, T.INT, T.INT], 4, 4, -1), [4]);
    assert.deepEqual(call('generate_series', [T.INT, T.INT, T.INT], 1, -2, -2), [1, -1]);
    assert.deepEqual(call('generate_series', [T.BIGINT, T.BIGINT, T.INT], 9n, 0n, -3), [9n, 6n, 3n, 0n]);
    assert.throws(() => call('generate_series', [T.INT, T.INT, T.INT], 0, 9, 0), /zero/);
  });
});

describe('map functions', () => {
  const M = T.map(T.STRING, T.INT);
  const m = new Map([['b', 2], ['a', 1]]);
  it('ENTRIES returns K/V structs, optionally sorted', () => {
    const r = reg.resolveScalar('entries', [{ type: M }, { type: T.BOOLEAN }], {});
    assert.deepEqual(r.returnType, A({ kind: 'STRUCT', fields: [{ name: 'K', type: T.STRING }, { name: 'V', type: T.INT }] }));
    assert.deepEqual(r.impl(m, true), [{ K: 'a', V: 1 }, { K: 'b', V: 2 }]);
    assert.deepEqual(r.impl(m, false), [{ K: 'b', V: 2 }, { K: 'a', V: 1 }]);
  });
  it('MAP_KEYS / MAP_VALUES / MAP_UNION / AS_MAP', () => {
    assert.deepEqual(call('map_keys', [M], m), ['b', 'a']);
    assert.deepEqual(call('map_values', [M], m), [2, 1]);
    assert.deepEqual(call('map_union', [M, M], m, new Map([['a', 9]])), new Map([['b', 2], ['a', 9]]));
    assert.deepEqual(call('map_union', [M, M], null, m), m);
    assert.deepEqual(call('as_map', [A(T.STRING), A(T.INT)], ['x', 'y'], [1, 2]), new Map([['x', 1], ['y', 2]]));
  });
});

describe('lambda functions', () => {
  it('TRANSFORM arrays and maps', () => {
    const r = reg.resolveScalar('transform', [{ type: A(T.INT) }, lam(1, T.INT)], {});
    assert.deepEqual(r.impl([1, 2], (x: number) => x * 2), [2, 4]);
    assert.equal(r.impl(null, (x: number) => x), null);
    const mr = reg.resolveScalar('transform', [{ type: T.map(T.STRING, T.INT) }, lam(2, T.STRING), lam(2, T.INT)], {});
    assert.deepEqual(mr.impl(new Map([['a', 1]]), (k: string) => k + k, (_k: string, v: number) => v + 1), new Map([['aa', 2]]));
    assert.throws(() => mr.impl(new Map([['a', 1], ['b', 2]]), () => 'same', (_k: string, v: number) => v), /Duplicate key/);
    assert.throws(() => mr.impl(new Map([['a', 1]]), (k: string) => k, () => null), /null value/);
  });
  it('FILTER keeps only entries where the lambda is true', () => {
    const r = reg.resolveScalar('filter', [{ type: A(T.INT) }, lam(1, T.BOOLEAN)], {});
    assert.deepEqual(r.impl([1, 2, 3, null], (x: number | null) => (x === null ? false : x > 1)), [2, 3]);
    assert.throws(() => r.impl([1, null], (x: number | null) => (x === null ? null : x > 1)), /returned null/);
    const mr = reg.resolveScalar('filter', [{ type: T.map(T.STRING, T.INT) }, lam(2, T.BOOLEAN)], {});
    assert.deepEqual(mr.impl(new Map([['a', 1], ['b', 2]]), (_k: string, v: number) => v > 1), new Map([['b', 2]]));
    assert.throws(() => mr.impl(new Map([['a', null]]), () => true), /null value/);
  });
  it('REDUCE folds, returns the initial state for a null collection and null for a null state', () => {
    const r = reg.resolveScalar('reduce', [{ type: A(T.INT) }, { type: T.INT }, lam(2, T.INT)], {});
    const add = (s: number | null, x: number | null) => (s === null || x === null ? null : s + x);
    assert.equal(r.impl([3, 6], 2, add), 11);
    assert.equal(r.impl([5, null], 2, add), null);
    assert.equal(r.impl(null, 2, add), 2);
    assert.equal(r.impl([1], null, add), null);
    const mr = reg.resolveScalar('reduce', [{ type: T.map(T.STRING, T.INT) }, { type: T.INT }, lam(3, T.INT)], {});
    assert.equal(mr.impl(new Map([['123', 3], ['12', 7], ['1234', 2]]), 0, (s: number, k: string, v: number) => (k.length > 3 ? s + v : s - v)), -8);
  });
});

describe('null functions', () => {
  it('COALESCE / IFNULL / NULLIF', () => {
    assert.equal(call('coalesce', [T.INT, T.INT, T.INT], null, null, 3), 3);
    assert.equal(call('coalesce', [T.INT], null), null);
    assert.throws(() => reg.resolveScalar('coalesce', [{ type: T.INT }, { type: T.STRING }], {}), /does not accept/);
    assert.equal(call('ifnull', [T.STRING, T.STRING], null, 'alt'), 'alt');
    assert.equal(call('ifnull', [T.STRING, T.STRING], 'x', 'alt'), 'x');
    assert.equal(call('nullif', [T.INT, T.INT], 1, 1), null);
    assert.equal(call('nullif', [T.INT, T.INT], 1, 2), 1);
  });
});
