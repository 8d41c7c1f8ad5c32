import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from '../../src/runtime/functions/registry.js';
import { args, reg, T } from './helpers.js';

describe('table functions', () => {
  it('EXPLODE emits the elements, nothing for null', () => {
    const r = reg.resolveTable('explode', args(T.arr(T.STRING)), {});
    assert.deepEqual(r.returnType, T.STRING);
    assert.deepEqual(r.impl(['a', 'b']), ['a', 'b']);
    assert.equal(r.impl(null), null);
    assert.throws(() => reg.resolveTable('abs', args(T.INT), {}), /is a scalar function/);
  });
  it('CUBE_EXPLODE emits grouping-set combinations, skipping duplicates caused by nulls', () => {
    const r = reg.resolveTable('cube_explode', args(T.arr(T.INT)), {});
    assert.deepEqual(r.returnType, T.arr(T.INT));
    assert.deepEqual(r.impl([1, 2]), [[null, null], [null, 2], [1, null], [1, 2]]);
    assert.deepEqual(r.impl([1, null]), [[null, null], [1, null]]);
    assert.deepEqual(r.impl([]), [[]]);
  });
});

describe('aggregates', () => {
  it('COUNT(*) counts rows, COUNT(col) non-null values; undo and merge', () => {
    const all = reg.resolveAggregate('COUNT', [], {});
    assert.deepEqual(all.returnType, T.BIGINT);
    assert.equal(all.columnArgs, 0);
    let acc = all.init();
    acc = all.add(acc, []);
    acc = all.add(acc, []);
    assert.equal(all.result(acc), 2n);

    const col = reg.resolveAggregate('count', args(T.STRING), {});
    assert.equal(col.columnArgs, 1);
    let a = col.init();
    for (const v of ['x', null, 'y']) a = col.add(a, [v]);
    assert.equal(col.result(a), 2n);
    a = col.undo!(a, ['x']);
    a = col.undo!(a, [null]);
    assert.equal(col.result(a), 1n);
    assert.equal(col.merge!(2n, 3n), 5n);
  });

  it('literal parameters are checked and handed to create', () => {
    const r = new Registry();
    let seen: unknown[] = [];
    r.registerAggregate({
      name: 'first_n',
      category: 'TEST',
      description: 'keeps the first n values',
      overloads: [
        {
          sig: 'T, INTEGER -> ARRAY<T>',
          literals: 1,
          create: (ctx) => {
            seen = ctx.literals;
            const n = ctx.literals[0] as number;
            return {
              init: () => [],
              add: (acc, [v]) => ((acc as unknown[]).length < n ? [...(acc as unknown[]), v] : acc),
              result: (acc) => acc,
            };
          },
        },
      ],
    });
    const agg = r.resolveAggregate('FIRST_N', [{ type: T.STRING }, { type: T.INT, literal: { value: 2 } }], {});
    assert.deepEqual(seen, [2]);
    assert.deepEqual(agg.argTypes, [T.STRING]);
    assert.deepEqual(agg.returnType, T.arr(T.STRING));
    let acc = agg.init();
    for (const v of ['a', 'b', 'c']) acc = agg.add(acc, [v]);
    assert.deepEqual(agg.result(acc), ['a', 'b']);
    assert.equal(agg.undo, undefined);
    assert.throws(() => r.resolveAggregate('first_n', [{ type: T.STRING }, { type: T.INT }], {}), /Parameter 2 passed to function FIRST_N must be a literal constant/);
  });
});
