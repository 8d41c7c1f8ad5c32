import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../src/common/decimal.js';
import { SerdeError } from '../../src/runtime/serde/index.js';
import { arr, BIG, BOOL, BYTES, DATE, DBL, dec, INT, map, serde, STR, str, struct, text, TIME, TS } from './helpers.js';

const one = (type: Parameters<typeof serde>[1][string], json: string): unknown =>
  serde('JSON', { V: type }, { wrapSingleValue: false }).deserialize(text(json))![0];

test('unwrapped single values read the JSON value itself (WRAP_SINGLE_VALUE=false)', () => {
  const s = serde('JSON', { V: BOOL }, { wrapSingleValue: false });
  assert.deepEqual(s.deserialize(text('true')), [true]);
  assert.deepEqual(s.deserialize(text('false')), [false]);
  assert.equal(s.deserialize(null), null);
  // a JSON null is a row holding null, not a tombstone
  assert.deepEqual(s.deserialize(text('null')), [null]);
  assert.deepEqual(one(arr(DBL), '[10.1]'), [10.1]);
  assert.deepEqual(one(map(STR, DBL), '{"a": 45.67}'), new Map([['a', 45.67]]));
  assert.deepEqual(one(struct({ A: DBL }), '{"a": 45.67}'), { A: 45.67 });
  assert.deepEqual(one(arr(STR), '[1, 2, 3]'), ['1', '2', '3']);
});

test('unwrapped single values are written bare, and an unwrapped null is a null record', () => {
  assert.equal(str(serde('JSON', { V: BOOL }, { wrapSingleValue: false }).serialize([true])), 'true');
  assert.equal(str(serde('JSON', { V: INT }, { wrapSingleValue: false }).serialize([123])), '123');
  assert.equal(str(serde('JSON', { V: DBL }, { wrapSingleValue: false }).serialize([9876.54321])), '9876.54321');
  assert.equal(str(serde('JSON', { V: arr(BIG) }, { wrapSingleValue: false }).serialize([[12n, 34n, null]])), '[12,34,null]');
  assert.equal(
    str(serde('JSON', { V: map(STR, DBL) }, { wrapSingleValue: false }).serialize([new Map([['a', 1.1], ['c', null]])])),
    '{"a":1.1,"c":null}',
  );
  assert.equal(str(serde('JSON', { V: struct({ F0: INT }) }, { wrapSingleValue: false }).serialize([{ F0: 1 }])), '{"F0":1}');
  assert.equal(serde('JSON', { V: BOOL }, { wrapSingleValue: false }).serialize([null]), null);
  assert.equal(serde('JSON', { V: BOOL }, { wrapSingleValue: false }).serialize(null), null);
});

test('wrapped rows: fields matched case-insensitively, written with column names in order', () => {
  const s = serde('JSON', { FOO: INT, BAR: STR });
  assert.deepEqual(s.deserialize(text('{"foo": 10, "Bar": "x", "extra": 1}')), [10, 'x']);
  assert.deepEqual(s.deserialize(text('{"FOO": 10}')), [10, null]);
  assert.equal(s.deserialize(text('null')), null);
  assert.equal(str(s.serialize([10, null])), '{"FOO":10,"BAR":null}');
  // single wrapped column (the default for values)
  const w = serde('JSON', { FOO: BOOL });
  assert.deepEqual(w.deserialize(text('{"FOO": true}')), [true]);
  assert.equal(str(w.serialize([null])), '{"FOO":null}');
});

test('quoted (mixed-case) names match exactly, not through upper-casing', () => {
  const s = serde('JSON', { caseField: BIG, ORDERTIME: BIG });
  assert.deepEqual(s.deserialize(text('{"CASEFIELD": 1, "ordertime": 2}')), [null, 2n]);
  assert.deepEqual(s.deserialize(text('{"caseField": 1}')), [1n, null]);
});

test('keys: a single key column is unwrapped, several are an object', () => {
  const k = serde('JSON', { K: STR }, { isKey: true });
  assert.deepEqual(k.deserialize(text('"Hey"')), ['Hey']);
  assert.equal(str(k.serialize(['Hey'])), '"Hey"');
  const d = serde('JSON', { K: dec(6, 4) }, { isKey: true });
  assert.equal(str(d.serialize(d.deserialize(text('12.365')))), '12.3650');
  const multi = serde('JSON', { K: INT, K2: INT }, { isKey: true });
  assert.deepEqual(multi.deserialize(text('{"K": null, "K2": 2}')), [null, 2]);
  assert.equal(str(multi.serialize([1, 2])), '{"K":1,"K2":2}');
  assert.equal(multi.deserialize(null), null);
});

test('INTEGER and BIGINT: numbers are truncated, integer strings parsed, booleans rejected', () => {
  for (const v of ['41', '41.456', '"41"']) assert.equal(one(INT, v), 41);
  for (const v of ['42', '42.456', '"42"']) assert.equal(one(BIG, v), 42n);
  // Java narrowing of out-of-range numbers
  assert.equal(one(INT, '4294967297'), 1);
  assert.equal(one(BIG, '-9223372036854775809'), 9223372036854775807n);
  assert.deepEqual(one(arr(BIG), '[42, 42.000, "42"]'), [42n, 42n, 42n]);
  assert.throws(() => one(INT, 'true'), /Can't convert type. sourceType: BooleanNode, requiredType: INTEGER/);
  assert.throws(() => one(INT, '"4.5"'), /Can't coerce string to type. targetType: INTEGER/);
  assert.throws(() => one(BIG, 'true'), /sourceType: BooleanNode, requiredType: BIGINT/);
});

test('BIGINT keeps all 64 bits, beyond what JSON.parse can hold', () => {
  assert.equal(one(BIG, '9223372036854775807'), 9223372036854775807n);
  assert.equal(one(BIG, '-9223372036854775808'), -9223372036854775808n);
  const s = serde('JSON', { A: BIG, B: STR });
  assert.deepEqual(s.deserialize(text('{"A": 9007199254740993, "B": "x"}')), [9007199254740993n, 'x']);
  assert.equal(str(s.serialize([9007199254740993n, 'x'])), '{"A":9007199254740993,"B":"x"}');
});

test('DOUBLE from numbers and strings; written in Java form; NaN and infinities as strings', () => {
  for (const v of ['42', '42.000', '"42"', '"42.000"']) assert.equal(one(DBL, v), 42);
  assert.throws(() => one(DBL, 'true'), /requiredType: DOUBLE/);
  assert.throws(() => one(DBL, '"x"'), /Can't coerce string to type. targetType: DOUBLE/);
  const s = serde('JSON', { D: DBL });
  assert.equal(str(s.serialize([10])), '{"D":10.0}');
  assert.equal(str(s.serialize([1e10])), '{"D":1.0E10}');
  assert.equal(str(s.serialize([NaN])), '{"D":"NaN"}');
  assert.ok(Number.isNaN(s.deserialize(s.serialize([NaN]))![0]));
  assert.equal(s.deserialize(s.serialize([-Infinity]))![0], -Infinity);
});

test('STRING takes the text of any JSON value', () => {
  const cases: [string, string][] = [
    ['true', 'true'],
    ['42', '42'],
    ['42.000', '42.000'],
    ['42.001', '42.001'],
    ['1E+1', '1E+1'],
    ['"just a string"', 'just a string'],
    ['{"json": "object"}', '{"json":"object"}'],
    ['["json", "array"]', '[json, array]'],
    ['[1, null, [2]]', '[1, null, [2]]'],
  ];
  for (const [json, expected] of cases) assert.equal(one(STR, json), expected, json);
  assert.equal(
    one(STR, '{"CATEGORY": {"ID":2, "NAME":"Food"}, "ITEMID":6, "NAME":"Item_6"}'),
    '{"CATEGORY":{"ID":2,"NAME":"Food"},"ITEMID":6,"NAME":"Item_6"}',
  );
});

test('DECIMAL from numbers or strings, exact, padded to scale, never rounded', () => {
  const d = (type: ReturnType<typeof dec>, json: string): string => (one(type, json) as Decimal).toFixed((type as { scale: number }).scale);
  assert.equal(d(dec(20, 19), '1.1234512345123451234'), '1.1234512345123451234');
  assert.equal(d(dec(20, 19), '"1.1234512345123451234"'), '1.1234512345123451234');
  assert.equal(d(dec(3, 1), '10.0'), '10.0');
  assert.equal(d(dec(4, 3), '1.1'), '1.100');
  assert.equal(d(dec(3, 1), '1E+1'), '10.0');
  assert.throws(() => one(dec(4, 1), '1.12'), /Cannot fit decimal '1.12' into DECIMAL\(4, 1\) without rounding/);
  assert.throws(() => one(dec(4, 2), '100'), /Numeric field overflow: A field with precision 4 and scale 2 must round to an absolute value less than 10\^2. Got 100/);
  assert.throws(() => one(dec(20, 19), 'true'), /sourceType: BooleanNode, requiredType: DECIMAL\(20, 19\)/);
  // written as a number with the type's full scale
  const s = serde('JSON', { DEC: dec(6, 4) });
  assert.equal(str(s.serialize([new Decimal('10')])), '{"DEC":10.0000}');
  assert.equal(str(s.serialize([new Decimal('0.0001')])), '{"DEC":0.0001}');
  assert.equal(str(serde('JSON', { DEC: dec(10, 8) }).serialize([new Decimal('0.00000001')])), '{"DEC":1E-8}');
});

test('TIME, DATE, TIMESTAMP and BYTES', () => {
  assert.equal(one(TIME, '100'), 100);
  assert.equal(one(TIME, '"100"'), 100);
  assert.throws(() => one(TIME, '-1'), /Time values must use number of milliseconds greater than 0 and less than 86400000/);
  assert.throws(() => one(TIME, 'true'), /requiredType: TIME/);
  assert.equal(one(DATE, '10'), 10);
  assert.throws(() => one(DATE, 'true'), /requiredType: DATE/);
  assert.equal(one(TS, '1000'), 1000);
  assert.equal(one(TS, '"1000"'), 1000);
  assert.throws(() => one(TS, 'true'), /requiredType: TIMESTAMP/);
  assert.deepEqual(one(BYTES, '"ew=="'), Buffer.from([123]));
  assert.throws(() => one(BYTES, '"abc"'), /Value is not a valid Base64 encoded string: abc/);
  assert.throws(() => one(BYTES, '12'), /requiredType: BYTES/);
  const s = serde('JSON', { T: TIME, D: DATE, TS: TS, B: BYTES });
  const row = [1000, 10, 1234567890123, Buffer.from([1, 2, 3])];
  assert.equal(str(s.serialize(row)), '{"T":1000,"D":10,"TS":1234567890123,"B":"AQID"}');
  assert.deepEqual(s.deserialize(s.serialize(row)), row);
});

test('containers: element errors carry their path', () => {
  assert.throws(() => one(arr(STR), 'true'), /sourceType: BooleanNode, requiredType: ARRAY<VARCHAR>/);
  assert.throws(() => one(arr(INT), '["not", "numbers"]'), /Can't coerce string to type. targetType: INTEGER, path: \$\[0\]/);
  assert.throws(() => one(map(STR, INT), 'true'), /requiredType: MAP<VARCHAR, INT>/);
  assert.throws(() => one(map(STR, INT), '{"a": 1, "b": true}'), /sourceType: BooleanNode, requiredType: INTEGER, path: \$\.b\.value/);
  assert.deepEqual(one(map(STR, BIG), '{"a": 42, "b": 42.0, "c": "42"}'), new Map([['a', 42n], ['b', 42n], ['c', 42n]]));
  const s = serde('JSON', { ORDERTIME: BIG, S: struct({ X: arr(INT) }) });
  assert.throws(() => s.deserialize(text('{"ORDERTIME": true}')), /requiredType: BIGINT, path: \$\.ORDERTIME/);
  assert.throws(() => s.deserialize(text('{"s": {"x": [1, "a"]}}')), /path: \$\.S\.X\[1\]/);
  assert.throws(() => s.deserialize(text('true')), /sourceType: BooleanNode, requiredType: STRUCT<ORDERTIME BIGINT, S STRUCT<X ARRAY<INT>>>/);
});

test('bad JSON is a SerdeError that does not echo the data', () => {
  const s = serde('JSON', { V: BIG });
  for (const bad of ['{bad json containing personal info', '', '{"V": 1', 'personal info']) {
    assert.throws(
      () => s.deserialize(text(bad)),
      (e: unknown) => e instanceof SerdeError && !(e as Error).message.includes('personal'),
    );
  }
  assert.throws(
    () => serde('JSON', { V: BIG }, { wrapSingleValue: false }).deserialize(text('"personal info: do not log me"')),
    (e: unknown) => e instanceof SerdeError && !(e as Error).message.includes('personal'),
  );
});

test('nested containers round trip', () => {
  const t = struct({ A: arr(map(STR, struct({ D: dec(5, 2), B: BOOL }))), N: STR });
  const s = serde('JSON', { V: t, K: BIG });
  const row = [{ A: [new Map([['x', { D: new Decimal('1.50'), B: true }], ['y', null]])], N: 'n' }, 5n];
  const bytes = s.serialize(row);
  assert.equal(str(bytes), '{"V":{"A":[{"x":{"D":1.50,"B":true},"y":null}],"N":"n"},"K":5}');
  assert.deepEqual(s.deserialize(bytes), row);
});

test('integer literals read alike on the fast and the lossless parse paths', () => {
  // the second text holds a fraction, which sends the whole record down the lossless path
  const s = serde('JSON', { I: INT, B: BIG, D: DBL, T: TS, S: STR });
  const fast = s.deserialize(text('{"I": 4294967297, "B": -0, "D": -0, "T": -0, "S": 123}'));
  const lossless = s.deserialize(text('{"I": 4294967297, "B": -0, "D": -0, "T": -0, "S": 123, "X": 1.5}'));
  assert.deepStrictEqual(fast, [1, 0n, 0, 0, '123']);
  assert.deepStrictEqual(lossless, fast);
});

test('JSON text must be valid UTF-8; a byte order mark is skipped', () => {
  const s = serde('JSON', { V: STR }, { wrapSingleValue: false });
  assert.throws(() => s.deserialize(Buffer.from([0x22, 0xff, 0x22])), SerdeError);
  assert.deepEqual(s.deserialize(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text('"x"')])), ['x']);
});

test('JSON_SR: JSON behind the magic byte and a 4-byte schema id', () => {
  const s = serde('JSON_SR', { FOO: INT, BAR: STR }, { properties: { schemaId: '7' } });
  const bytes = s.serialize([1, 'x'])!;
  assert.deepEqual(bytes.subarray(0, 5), Buffer.from([0, 0, 0, 0, 7]));
  assert.equal(bytes.subarray(5).toString(), '{"FOO":1,"BAR":"x"}');
  assert.deepEqual(s.deserialize(bytes), [1, 'x']);
  assert.throws(() => s.deserialize(text('{"FOO":1}')), /did not start with the magic byte/);
  const unwrapped = serde('JSON_SR', { FOO: STR }, { wrapSingleValue: false });
  assert.deepEqual(unwrapped.deserialize(Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), text('10')])), ['10']);
});
