/** fast-check arbitraries for runtime values, and an equality that knows their representation. */
import fc from 'fast-check';
import { Decimal, isDecimal } from '../../src/common/decimal.js';

export const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

export const decimalArb: fc.Arbitrary<Decimal> = fc.oneof(
  fc.tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: -30, max: 30 })).map(([m, s]) => new Decimal(`${m}e${-s}`)),
  fc.constantFrom(new Decimal(0), new Decimal(NaN), new Decimal(Infinity), new Decimal(-Infinity), new Decimal('1e-50'), new Decimal('-9.99e60')),
);

/** any code point except lone surrogates (those cannot survive UTF-8 anywhere) */
export const stringArb = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('', '\0', 'a\0b', '\0\0', '\u00ff', '\uffff'));

export const bytesArb = fc.uint8Array({ maxLength: 12 }).map((u) => Buffer.from(u));

export const numberArb = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE));

export const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  numberArb,
  int64,
  decimalArb,
  stringArb,
  bytesArb,
);

/** nested runtime values: arrays, maps, structs (plain objects) of leaves */
export const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(fc.tuple(leafArb, tie('v')), { maxLength: 3 }).map((es) => new Map(es)),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 3 }),
  ),
})).v;

export const keyArb: fc.Arbitrary<unknown[]> = fc.array(valueArb, { maxLength: 4 });

/**
 * Structural equality: -0 differs from 0, NaN equals NaN, Decimals by value, Buffers by bytes,
 * Maps by entries in order (or as a multiset when `mapOrder` is false), objects by own keys in order.
 */
export function same(a: unknown, b: unknown, mapOrder = true): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object' || a === null || b === null) return Object.is(a, b);
  if (isDecimal(a)) return isDecimal(b) && ((a.isNaN() && b.isNaN()) || a.equals(b));
  if (Buffer.isBuffer(a)) return Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i], mapOrder));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    const ea = [...a];
    const eb = [...b];
    if (mapOrder) return ea.every(([k, v], i) => same(k, eb[i]![0], mapOrder) && same(v, eb[i]![1], mapOrder));
    const used = new Set<number>();
    return ea.every(([k, v]) => {
      const j = eb.findIndex(([k2, v2], i) => !used.has(i) && same(k, k2, false) && same(v, v2, false));
      if (j < 0) return false;
      used.add(j);
      return true;
    });
  }
  if (b instanceof Map || Array.isArray(b) || Buffer.isBuffer(b) || isDecimal(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], mapOrder));
}
