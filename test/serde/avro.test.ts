import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../src/common/decimal.js';
import { avroSchemaJson, decodeTestValue, encodeTestValue, SerdeError } from '../../src/runtime/serde/index.js';
import { arr, BIG, BOOL, BYTES, cols, DATE, DBL, dec, INT, map, serde, STR, struct, TIME, TS } from './helpers.js';

test('the derived schema: KsqlDataSourceSchema record of nullable fields, nested records named by path', () => {
  const schema = JSON.parse(avroSchemaJson(cols({ FOO: INT, S: struct({ A: arr(struct({ B: STR })) }), M: map(STR, struct({ C: BOOL })) }), { isKey: false }));
  assert.equal(schema.type, 'record');
  assert.equal(schema.name, 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema');
  assert.deepEqual(schema.fields[0], { name: 'FOO', type: ['null', 'int'], default: null });
  const s = schema.fields[1].type[1];
  assert.equal(s.name, 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema_S');
  assert.equal(s.fields[0].type[1].items[1].name, 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema_S_A');
  assert.equal(schema.fields[2].type[1].values[1].name, 'io.confluent.ksql.avro_schemas.KsqlDataSourceSchema_M_MapValue');
  // unwrapped roots are not nullable
  assert.equal(avroSchemaJson(cols({ K: STR }), { isKey: true }), '"string"');
  const d = JSON.parse(avroSchemaJson(cols({ D: dec(4, 2) }), { isKey: false, wrapSingleValue: false }));
  assert.deepEqual([d.type, d.logicalType, d.precision, d.scale], ['bytes', 'decimal', 4, 2]);
});

test('plain Avro binary for known values', () => {
  // union branch 1 (zigzag 2), then int 10 (zigzag 20)
  assert.deepEqual(serde('AVRO', { FOO: INT }).serialize([10]), Buffer.from([0x02, 0x14]));
  assert.deepEqual(serde('AVRO', { FOO: INT }).serialize([null]), Buffer.from([0x00]));
  assert.deepEqual(serde('AVRO', { K: STR }, { isKey: true }).serialize(['bar']), Buffer.from([0x06, 0x62, 0x61, 0x72]));
  // decimals are two's-complement unscaled bytes: 1.28 at scale 2 is 128 = 0x00 0x80; -0.01 is -1 = 0xFF
  assert.deepEqual(serde('AVRO', { D: dec(4, 2) }, { wrapSingleValue: false }).serialize([new Decimal('1.28')]), Buffer.from([0x04, 0x00, 0x80]));
  assert.deepEqual(serde('AVRO', { D: dec(4, 2) }, { wrapSingleValue: false }).serialize([new Decimal('-0.01')]), Buffer.from([0x02, 0xff]));
});

test('AVRO rows round trip every type', () => {
  const columns = {
    B: BOOL, I: INT, L: BIG, D: DBL, S: STR, Y: BYTES, DEC: dec(10, 3), DT: DATE, T: TIME, TS: TS,
    A: arr(map(STR, struct({ X: BIG, 'with.dot': STR }))),
  };
  const s = serde('AVRO', columns);
  const row = [
    true, -5, 9223372036854775807n, 1.5, 'héllo', Buffer.from([0, 255]), new Decimal('-1234567.891'), 19000, 86_399_999, 1_700_000_000_123,
    [new Map([['k', { X: -1n, 'with.dot': 'v' }], ['n', null]]), null],
  ];
  assert.deepEqual(s.deserialize(s.serialize(row)), row);
  assert.deepEqual(s.deserialize(s.serialize(row.map(() => null))), row.map(() => null));
  assert.equal(s.deserialize(null), null);
});

test('bad Avro data and values are SerdeErrors', () => {
  const s = serde('AVRO', { FOO: INT, BAR: STR });
  assert.throws(() => s.deserialize(Buffer.from([0x04])), SerdeError);
  assert.throws(() => s.deserialize(Buffer.from([0x02, 0x14, 0x02, 0x20, 0x61])), SerdeError);
  assert.throws(() => s.serialize(['x', 'y']), SerdeError);
  assert.throws(() => serde('AVRO', { M: map(INT, STR) }), /Avro only supports MAPs with STRING keys/);
});

test('qtt AVRO test values go through ksqlDB JSON coercion, and come back JSON-like', () => {
  const spec = { format: 'AVRO' as const, properties: {} };
  const c = cols({ FOO: STR, DEC: dec(21, 19), N: BIG });
  const bytes = encodeTestValue(spec, c, { isKey: false }, { foo: 'bar', DEC: 10.123451234512345, n: 3 });
  assert.deepEqual(decodeTestValue(spec, c, { isKey: false }, bytes), { FOO: 'bar', DEC: 10.123451234512345, N: 3 });
  const single = cols({ FOO: arr(STR) });
  const b2 = encodeTestValue(spec, single, { isKey: false, wrapSingleValue: false }, [1, 2]);
  assert.deepEqual(decodeTestValue(spec, single, { isKey: false, wrapSingleValue: false }, b2), ['1', '2']);
});
