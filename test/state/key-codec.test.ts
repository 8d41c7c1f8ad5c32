import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal.js';
import {
  decodeKey,
  decodeSessionKey,
  decodeWindowKey,
  encodeKey,
  encodeSessionKey,
  encodeWindowKey,
  StateCodecError,
} from '../../src/runtime/state/codec.js';
import { bytesArb, decimalArb, int64, keyArb, leafArb, numberArb, same, stringArb } from './arbitraries.js';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const cmpBytes = (a: unknown[], b: unknown[]) => sign(Buffer.compare(encodeKey(a), encodeKey(b)));

test('keys round-trip (maps come back sorted by key bytes, otherwise identical)', () => {
  fc.assert(
    fc.property(keyArb, (k) => {
      const bytes = encodeKey(k);
      const back = decodeKey(bytes);
      assert.ok(same(k, back, false));
      assert.ok(encodeKey(back).equals(bytes));
    }),
    { numRuns: 300 },
  );
});

test('-0, NaN and infinities survive as themselves', () => {
  const back = decodeKey(encodeKey([-0, 0, NaN, Infinity, -Infinity]));
  assert.ok(Object.is(back[0], -0));
  assert.ok(Object.is(back[1], 0));
  assert.ok(Number.isNaN(back[2]));
  assert.equal(back[3], Infinity);
  assert.equal(back[4], -Infinity);
});

function totalNumberOrder(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  if (a === 0 && b === 0) return Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1;
  return sign(a - b);
}

test('numbers order numerically (-0 just below 0, NaN last)', () => {
  fc.assert(fc.property(numberArb, numberArb, (a, b) => assert.equal(cmpBytes([a], [b]), totalNumberOrder(a, b))), { numRuns: 500 });
});

test('bigints order numerically over the whole 64-bit range', () => {
  fc.assert(fc.property(int64, int64, (a, b) => assert.equal(cmpBytes([a], [b]), a < b ? -1 : a > b ? 1 : 0)), { numRuns: 300 });
  assert.equal(cmpBytes([-(2n ** 63n)], [2n ** 63n - 1n]), -1);
  assert.equal(cmpBytes([-1n], [0n]), -1);
});

function decimalOrder(a: Decimal, b: Decimal): number {
  if (a.isNaN() || b.isNaN()) return a.isNaN() ? (b.isNaN() ? 0 : 1) : -1;
  return a.comparedTo(b);
}

test('decimals order numerically (NaN last) whatever their scale', () => {
  fc.assert(fc.property(decimalArb, decimalArb, (a, b) => assert.equal(cmpBytes([a], [b]), decimalOrder(a, b))), { numRuns: 500 });
  assert.equal(cmpBytes([new Decimal('1.50')], [new Decimal('1.5')]), 0);
  assert.equal(cmpBytes([new Decimal('0.12')], [new Decimal('0.123')]), -1);
  assert.equal(cmpBytes([new Decimal('-0.12')], [new Decimal('-0.123')]), 1);
  assert.equal(cmpBytes([new Decimal('-1e-20')], [new Decimal('1e-20')]), -1);
});

test('strings order by UTF-8 bytes, bytes by byte, NUL included', () => {
  fc.assert(
    fc.property(stringArb, stringArb, (a, b) => assert.equal(cmpBytes([a], [b]), sign(Buffer.compare(Buffer.from(a), Buffer.from(b))))),
    { numRuns: 500 },
  );
  fc.assert(fc.property(bytesArb, bytesArb, (a, b) => assert.equal(cmpBytes([a], [b]), sign(Buffer.compare(a, b)))), { numRuns: 300 });
  assert.equal(cmpBytes(['ab'], ['ab\0']), -1);
  assert.equal(cmpBytes(['ab\0'], ['ab\x01']), -1);
});

test('arrays order element-wise with a prefix first, kinds in a fixed order', () => {
  const kinds: unknown[][] = [[], [null], [false], [true], [-5], [1n], [new Decimal(-3)], [''], [Buffer.alloc(0)], [[]], [new Map()], [{}]];
  for (let i = 0; i + 1 < kinds.length; i++) assert.equal(cmpBytes(kinds[i]!, kinds[i + 1]!), -1, `${i}`);
  assert.equal(cmpBytes(['a'], ['a', null]), -1);
  assert.equal(cmpBytes([['a'], 'z'], [['a', 'b']]), -1);
  fc.assert(
    fc.property(fc.array(fc.oneof(numberArb, stringArb), { maxLength: 3 }), fc.array(fc.oneof(numberArb, stringArb), { maxLength: 3 }), (a, b) => {
      let expected = 0;
      for (let i = 0; expected === 0; i++) {
        if (i === a.length || i === b.length) {
          expected = sign(a.length - b.length);
          break;
        }
        expected = cmpBytes([a[i]], [b[i]]);
      }
      assert.equal(cmpBytes(a, b), expected);
    }),
    { numRuns: 300 },
  );
});

test('maps with the same entries encode the same whatever the insertion order', () => {
  const a = new Map<unknown, unknown>([['x', 1], ['y', [2n]]]);
  const b = new Map<unknown, unknown>([['y', [2n]], ['x', 1]]);
  assert.ok(encodeKey([a]).equals(encodeKey([b])));
});

test('window keys: grouped by key, then by start (negative starts first)', () => {
  const t = fc.integer({ min: -1e13, max: 1e13 });
  fc.assert(
    fc.property(fc.array(leafArb, { maxLength: 2 }), t, fc.array(leafArb, { maxLength: 2 }), t, (k1, t1, k2, t2) => {
      const expected = cmpBytes(k1, k2) || sign(t1 - t2);
      assert.equal(sign(Buffer.compare(encodeWindowKey(k1, t1), encodeWindowKey(k2, t2))), expected);
      const back = decodeWindowKey(encodeWindowKey(k1, t1));
      assert.ok(same(back.key, k1));
      assert.equal(back.start, t1);
    }),
    { numRuns: 300 },
  );
  const back = decodeSessionKey(encodeSessionKey(['k'], -5, Number.MAX_SAFE_INTEGER));
  assert.deepEqual(back, { key: ['k'], start: -5, end: Number.MAX_SAFE_INTEGER });
  assert.equal(Buffer.compare(encodeSessionKey(['k'], 100, 200), encodeSessionKey(['k'], 0, 300)), -1, 'sessions order by end first');
});

test('unsupported key values are rejected with a clear error', () => {
  assert.throws(() => encodeKey([undefined]), StateCodecError);
  assert.throws(() => encodeKey([new Date(0)]), /class Date/);
  assert.throws(() => encodeKey([2n ** 64n]), /64-bit/);
  assert.throws(() => encodeKey('k' as unknown as unknown[]), /array/);
  assert.throws(() => encodeWindowKey(['k'], 1.5), /integral/);
});

test('garbage bytes either decode to a value that re-encodes stably or fail with StateCodecError', () => {
  const tagged = fc.tuple(fc.constantFrom(0x10, 0x11, 0x12, 0x13, 0x14, 0x20, 0x21, 0x22), fc.uint8Array({ maxLength: 20 }));
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 24 }), tagged.map(([t, u]) => Uint8Array.from([t, ...u]))), (u) => {
      let k: unknown[];
      try {
        k = decodeKey(Buffer.from(u));
      } catch (e) {
        assert.ok(e instanceof StateCodecError, `unexpected ${(e as Error).name}: ${(e as Error).message}`);
        return;
      }
      const again = encodeKey(k);
      assert.ok(encodeKey(decodeKey(again)).equals(again));
    }),
    { numRuns: 2000 },
  );
  // a DECIMAL whose exponent is not an integer
  const bad = Buffer.from([0x12, 0x04, ...encodeKey([1.5]).subarray(1, 9), 0x02, 0x00, 0x00]);
  assert.throws(() => decodeKey(bad), StateCodecError);
});
