/** Property checks over random inputs (fast-check), kept small: they run with the unit tests. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { call, T } from './helpers.js';

const ZONES = ['UTC', 'America/Los_Angeles', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', '+05:45', 'GMT-03:00'];
// 1900..2100, whole milliseconds
const instant = fc.integer({ min: -2208988800000, max: 4102444800000 });

describe('properties', () => {
  it('FORMAT_TIMESTAMP then PARSE_TIMESTAMP with an offset in the text is the identity', () => {
    const pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const text = call('format_timestamp', [T.TIMESTAMP, T.STRING, T.STRING], t, pattern, zone) as string;
        assert.equal(call('parse_timestamp', [T.STRING, T.STRING], text, pattern), t, text);
      }),
      { numRuns: 200 },
    );
  });

  it('FORMAT_DATE then PARSE_DATE is the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25000, max: 50000 }), fc.constantFrom('yyyy-MM-dd', 'dd/MMM/yyyy', 'yyyyMMdd', 'EEE, d MMMM yyyy'), (d, p) => {
        const text = call('format_date', [T.DATE, T.STRING], d, p) as string;
        assert.equal(call('parse_date', [T.STRING, T.STRING], text, p), d, text);
      }),
      { numRuns: 200 },
    );
  });

  it('SPLIT then CONCAT_WS with the same delimiter gives the input back', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 3 }), (s, d) => {
        const parts = call('split', [T.STRING, T.STRING], s, d) as string[];
        assert.equal(call('concat_ws', [T.STRING, T.STRING, T.STRING], d, ...parts), s);
      }),
      { numRuns: 200 },
    );
  });

  it('LPAD / RPAD always give the target length', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 50 }), fc.string({ minLength: 1, maxLength: 4 }), (s, n, pad) => {
        assert.equal((call('lpad', [T.STRING, T.INT, T.STRING], s, n, pad) as string).length, n);
        assert.equal((call('rpad', [T.STRING, T.INT, T.STRING], s, n, pad) as string).length, n);
      }),
      { numRuns: 200 },
    );
  });

  it('ARRAY_SORT output is ordered with nulls last, and ARRAY_DISTINCT has no duplicates', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -20, max: 20 }), { nil: null })), (xs) => {
        const sorted = call('array_sort', [T.arr(T.INT)], xs) as (number | null)[];
        assert.equal(sorted.length, xs.length);
        const firstNull = sorted.indexOf(null);
        const nonNull = firstNull < 0 ? sorted : sorted.slice(0, firstNull);
        assert.ok(sorted.slice(nonNull.length).every((x) => x === null));
        for (let i = 1; i < nonNull.length; i++) assert.ok(nonNull[i - 1]! <= nonNull[i]!);
        const distinct = call('array_distinct', [T.arr(T.INT)], xs) as unknown[];
        assert.equal(new Set(distinct).size, distinct.length);
        assert.deepEqual(new Set(distinct), new Set(xs));
      }),
      { numRuns: 200 },
    );
  });
});
