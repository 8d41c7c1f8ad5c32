import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal, isDecimal } from '../../src/common/decimal.js';
import { decodeValue, encodeValue, StateCodecError } from '../../src/runtime/state/codec.js';
import { same, valueArb } from './arbitraries.js';

test('any runtime value round-trips exactly (map and field order kept)', () => {
  fc.assert(
    fc.property(valueArb, (v) => {
      assert.ok(same(decodeValue(encodeValue(v)), v, true));
    }),
    { numRuns: 400 },
  );
});

test('Decimal comes back as a Decimal, not a plain object', () => {
  const v = decodeValue(encodeValue({ price: new Decimal('12.3400'), list: [new Decimal('-1e-30')] })) as { price: Decimal; list: Decimal[] };
  assert.ok(isDecimal(v.price));
  assert.equal(v.price.toFixed(4), '12.3400');
  assert.ok(isDecimal(v.list[0]) && v.list[0].equals(new Decimal('-1e-30')));
});

test('edge values: -0, NaN, undefined, out-of-64-bit bigint, long and non-ASCII strings', () => {
  const long = 'é'.repeat(100) + 'x'.repeat(20000) + '😀';
  const v = decodeValue(encodeValue([-0, NaN, undefined, 2n ** 100n, -(2n ** 63n), long, 2147483647, -2147483648, 2 ** 31])) as unknown[];
  assert.ok(Object.is(v[0], -0));
  assert.ok(Number.isNaN(v[1]));
  assert.equal(v[2], undefined);
  assert.equal(v[3], 2n ** 100n);
  assert.equal(v[4], -(2n ** 63n));
  assert.equal(v[5], long);
  assert.deepEqual(v.slice(6), [2147483647, -2147483648, 2 ** 31]);
  const bigs = [0n, 5n, -(2n ** 31n), 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 63n - 1n, 2n ** 63n, -(2n ** 64n)];
  assert.deepEqual(decodeValue(encodeValue(bigs)), bigs);
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => assert.equal(decodeValue(encodeValue(s)), s)), { numRuns: 200 });
});

test('a struct field named __proto__ stays an own field', () => {
  const o = JSON.parse('{"__proto__": 5, "a": 1}') as Record<string, unknown>;
  const back = decodeValue(encodeValue(o)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(back), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
});

test('unsupported values and corrupt bytes give StateCodecError', () => {
  assert.throws(() => encodeValue(new Date()), StateCodecError);
  assert.throws(() => encodeValue(() => 1), StateCodecError);
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  assert.throws(() => encodeValue(cyclic), /nested too deeply/);
  assert.throws(() => decodeValue(Buffer.from([9])), /format/);
  assert.throws(() => decodeValue(Buffer.from([1, 0x08, 3, 0x78, 0x79, 0x7a])), /bad DECIMAL text "xyz"/);
  assert.throws(() => decodeValue(Buffer.from([1, 0x07, 1, 0x2e])), /bad BIGINT/);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 20 }), (u) => {
      try {
        decodeValue(Buffer.from([1, ...u]));
      } catch (e) {
        assert.ok(e instanceof StateCodecError, `${(e as Error).name}: ${(e as Error).message}`);
      }
    }),
    { numRuns: 1000 },
  );
});
