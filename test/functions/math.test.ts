import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '../../src/common/decimal.js';
import { call, fn, T } from './helpers.js';

const dec = (s: string): Decimal => new Decimal(s);

describe('math functions', () => {
  it('ABS / CEIL / FLOOR keep the argument type', () => {
    assert.equal(fn('abs', -3), 3);
    assert.equal(fn('abs', -3n), 3n);
    assert.equal(fn('abs', -2.5), 2.5);
    assert.equal((call('abs', [T.dec(4, 2)], dec('-1.25')) as Decimal).toString(), '1.25');
    assert.equal(fn('ceil', 1.2), 2);
    assert.equal(fn('floor', -1.2), -2);
    assert.equal((call('ceil', [T.dec(4, 2)], dec('-1.25')) as Decimal).toString(), '-1');
    assert.equal((call('floor', [T.dec(4, 2)], dec('-1.25')) as Decimal).toString(), '-2');
    assert.equal(call('abs', [T.INT], null), null);
  });

  it('ROUND follows Math.round for halves and supports negative scales', () => {
    assert.equal(fn('round', 1.5), 2n);
    assert.equal(fn('round', -1.5), -1n);
    assert.equal(fn('round', 7), 7n);
    assert.equal(fn('round', 1.2345, 2), 1.23);
    assert.equal(fn('round', 1.235, 2), 1.24);
    assert.equal(fn('round', -1.235, 2), -1.23);
    assert.equal(fn('round', 1234.5, -2), 1200);
    assert.equal((call('round', [T.dec(5, 2)], dec('12.50')) as Decimal).toString(), '13');
    assert.equal((call('round', [T.dec(5, 2), T.INT], dec('-12.55'), 1) as Decimal).toString(), '-12.5');
    assert.equal(call('round', [T.DOUBLE, T.INT], 1.5, null), null);
    assert.equal(fn('round', NaN), 0n);
    assert.equal(call('round', [T.DOUBLE], 1e300), 9223372036854775807n);
    assert.throws(() => fn('round', NaN, 2), /Cannot convert NaN/);
    assert.equal(fn('abs', -9223372036854775808n), -9223372036854775808n);
  });

  it('TRUNC and SIGN', () => {
    assert.equal(fn('trunc', -1.9), -1n);
    assert.equal(fn('trunc', 1.999, 2), 1.99);
    assert.equal((call('trunc', [T.dec(5, 3), T.INT], dec('-1.999'), 1) as Decimal).toString(), '-1.9');
    assert.equal(fn('sign', -5), -1);
    assert.equal(fn('sign', 0n), 0);
    assert.equal(fn('sign', 2.5), 1);
  });

  it('transcendental functions widen integers to DOUBLE', () => {
    assert.equal(fn('sqrt', 16), 4);
    assert.equal(fn('cbrt', 27n), 3);
    assert.equal(fn('exp', 0), 1);
    assert.equal(fn('ln', 1), 0);
    assert.equal(fn('log', 100), Math.log(100));
    assert.equal(fn('log', 10, 100), 2);
    assert.ok(Number.isNaN(fn('log', -1, 5) as number));
    assert.equal(fn('log', 15, 0), -Infinity);
    assert.ok(Number.isNaN(fn('log', 15, -13) as number));
    assert.equal(fn('power', 2, 10), 1024);
    assert.equal(fn('atan2', 1, 1), Math.PI / 4);
    assert.equal(fn('degrees', Math.PI), 180);
    assert.equal(fn('radians', 180), Math.PI);
    assert.equal(fn('pi'), Math.PI);
    const r = fn('random') as number;
    assert.ok(r >= 0 && r < 1);
    // a DECIMAL argument can only widen to DOUBLE
    assert.equal(call('sqrt', [T.dec(4, 2)], 6.25), 2.5);
  });

  it('GREATEST / LEAST ignore nulls', () => {
    assert.equal(call('greatest', [T.INT, T.INT, T.INT], 1, null, 3), 3);
    assert.equal(call('least', [T.INT, T.INT], null, null), null);
    assert.equal(fn('least', 'b', 'a', 'c'), 'a');
    // bytes compare as Java's ByteBuffer does: signed
    assert.deepEqual(fn('least', Buffer.from([0x80]), Buffer.from([0x01])), Buffer.from([0x80]));
    assert.deepEqual(fn('greatest', Buffer.from([0x01]), Buffer.from([0x01, 0x00])), Buffer.from([0x01, 0x00]));
    assert.equal(call('greatest', [T.INT, T.DOUBLE], 1, 2.5), 2.5);
    assert.equal((call('greatest', [T.dec(4, 2), T.dec(4, 1)], dec('1.25'), dec('1.3')) as Decimal).toString(), '1.3');
  });

  it('GEO_DISTANCE in km and miles, validating coordinates and units', () => {
    // ksqlDB's results; the JVM's libm may differ from V8's in the last bit
    const close = (a: unknown, b: number): void => assert.ok(Math.abs((a as number) - b) <= Math.abs(b) * 1e-14, `${a} vs ${b}`);
    close(fn('geo_distance', 37.4439, -122.1663, 51.5257, -0.1122), 8634.659796579544);
    close(fn('geo_distance', 51.5257, -0.1122, -33.9323, 18.4197), 9673.40421197142);
    close(fn('geo_distance', 39.18660374, -76.73262144, 39.18660374, -76.73222145), 0.03447366811448324);
    const mi = fn('geo_distance', 37.4439, -122.1663, 51.5257, -0.1122, 'MI') as number;
    assert.ok(Math.abs(mi - (8634.659796579544 * 3959) / 6371) < 1e-6, String(mi));
    assert.throws(() => fn('geo_distance', 91.0, 0.0, 0.0, 0.0), /latitude/);
    assert.throws(() => fn('geo_distance', 1.0, 0.0, 0.0, 0.0, 'parsecs'), /must be one of/);
  });
});
