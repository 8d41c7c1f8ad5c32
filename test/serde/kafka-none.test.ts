import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSerde, SerdeError } from '../../src/runtime/serde/index.js';
import { BIG, BYTES, DBL, INT, serde, STR, text } from './helpers.js';

test('KAFKA primitives use Kafka big-endian encodings', () => {
  assert.deepEqual(serde('KAFKA', { V: INT }).serialize([1]), Buffer.from([0, 0, 0, 1]));
  assert.deepEqual(serde('KAFKA', { V: INT }).serialize([-2]), Buffer.from([0xff, 0xff, 0xff, 0xfe]));
  assert.deepEqual(serde('KAFKA', { V: BIG }).serialize([258n]), Buffer.from([0, 0, 0, 0, 0, 0, 1, 2]));
  assert.deepEqual(serde('KAFKA', { V: DBL }).serialize([1.5]), Buffer.from([0x3f, 0xf8, 0, 0, 0, 0, 0, 0]));
  assert.deepEqual(serde('KAFKA', { V: STR }).serialize(['hé']), Buffer.from('hé', 'utf8'));
  assert.deepEqual(serde('KAFKA', { V: BYTES }).serialize([Buffer.from([1, 2])]), Buffer.from([1, 2]));
});

test('KAFKA round trips, including extremes', () => {
  const cases: [Parameters<typeof serde>[1][string], unknown][] = [
    [INT, 2147483647],
    [INT, -2147483648],
    [BIG, 9223372036854775807n],
    [BIG, -9223372036854775808n],
    [DBL, -0],
    [DBL, Number.MIN_VALUE],
    [STR, ''],
    [BYTES, Buffer.alloc(0)],
  ];
  for (const [type, v] of cases) {
    const s = serde('KAFKA', { V: type }, { isKey: true });
    assert.deepEqual(s.deserialize(s.serialize([v])), [v]);
  }
  const nan = serde('KAFKA', { V: DBL });
  assert.ok(Number.isNaN(nan.deserialize(nan.serialize([NaN]))![0]));
});

test('KAFKA: wrong sizes are SerdeErrors, nulls are null', () => {
  assert.throws(() => serde('KAFKA', { V: INT }).deserialize(Buffer.from([1, 2, 3])), /Size of data received by IntegerDeserializer is not 4/);
  assert.throws(() => serde('KAFKA', { V: INT }).deserialize(Buffer.alloc(0)), SerdeError);
  assert.throws(() => serde('KAFKA', { V: BIG }).deserialize(Buffer.alloc(4)), /LongDeserializer is not 8/);
  assert.throws(() => serde('KAFKA', { V: DBL }).deserialize(Buffer.alloc(9)), /is not 8/);
  assert.equal(serde('KAFKA', { V: INT }).deserialize(null), null);
  assert.equal(serde('KAFKA', { V: INT }).serialize([null]), null);
  assert.deepEqual(serde('KAFKA', { V: STR }).deserialize(Buffer.alloc(0)), ['']);
});

test('KAFKA cannot hold other types or several columns', () => {
  assert.throws(() => serde('KAFKA', { V: { kind: 'BOOLEAN' } }), /The 'KAFKA' format does not support type 'BOOLEAN'/);
  assert.throws(() => serde('KAFKA', { A: INT, B: INT }), /The 'KAFKA' format only supports a single field/);
  assert.throws(() => serde('KAFKA', { V: STR }).serialize([1]), SerdeError);
});

test('zero columns (NONE, keyless KAFKA) ignore the bytes and write none', () => {
  for (const format of ['NONE', 'KAFKA', 'JSON', 'DELIMITED'] as const) {
    const s = createSerde({ format, properties: {} }, [], { isKey: true });
    assert.deepEqual(s.deserialize(text('data that should be ignored')), []);
    assert.equal(s.deserialize(null), null);
    assert.equal(s.serialize([]), null);
  }
  assert.throws(() => serde('NONE', { K: STR }, { isKey: true }), /The 'NONE' format can only be used when no columns are defined. Got: \[`K` STRING KEY\]/);
});
