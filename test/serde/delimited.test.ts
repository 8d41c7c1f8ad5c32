import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../src/common/decimal.js';
import { parseDelimiter, SerdeError } from '../../src/runtime/serde/index.js';
import { parseFirstRecord, printRecord } from '../../src/runtime/serde/csv.js';
import { BIG, BOOL, BYTES, DATE, DBL, dec, INT, serde, STR, str, text, TIME, TS } from './helpers.js';

test('CSV reading: quotes, doubled quotes, empty fields, first record only', () => {
  assert.deepEqual(parseFirstRecord('a,"b""c",,d\n1,2', ','), ['a', 'b"c', '', 'd']);
  assert.deepEqual(parseFirstRecord('"foo","bar"', ','), ['foo', 'bar']);
  assert.deepEqual(parseFirstRecord('a,', ','), ['a', '']);
  assert.deepEqual(parseFirstRecord(',', ','), ['', '']);
  assert.deepEqual(parseFirstRecord('"a,b"', ','), ['a,b']);
  assert.deepEqual(parseFirstRecord('"multi\nline",x', ','), ['multi\nline', 'x']);
  // leading empty lines are skipped; whitespace after a closing quote is ignored
  assert.deepEqual(parseFirstRecord('\r\n\n"x"  ,y', ','), ['x', 'y']);
  // quotes inside an unquoted field and surrounding spaces are kept verbatim
  assert.deepEqual(parseFirstRecord(' a"b , c', ','), [' a"b ', ' c']);
  assert.deepEqual(parseFirstRecord('a\r\nb', ','), ['a']);
  assert.equal(parseFirstRecord('', ','), undefined);
  assert.equal(parseFirstRecord('\n\n', ','), undefined);
  assert.throws(() => parseFirstRecord('"abc', ','), /EOF reached while reading encapsulated token/);
  assert.throws(() => parseFirstRecord('"abc"x,1', ','), /invalid char between encapsulated token and delimiter/);
});

test('CSV writing quotes exactly where Commons CSV MINIMAL does', () => {
  assert.equal(printRecord(['-0.50'], ','), '"-0.50"'); // a first field not starting alphanumeric
  assert.equal(printRecord(['0.50'], ','), '0.50');
  assert.equal(printRecord(['a', '-1'], ','), 'a,-1'); // only the first field gets that rule
  assert.equal(printRecord(['a', '!x'], ','), 'a,"!x"'); // chars up to '#' start a quoted field
  assert.equal(printRecord(['a', 'x,y', 'q"q'], ','), 'a,"x,y","q""q"');
  assert.equal(printRecord(['a', 'x\ny'], ','), 'a,"x\ny"');
  assert.equal(printRecord(['a', 'trailing '], ','), 'a,"trailing "');
  assert.equal(printRecord([''], ','), '""'); // an empty first field would vanish
  assert.equal(printRecord(['a', ''], ','), 'a,');
  assert.equal(printRecord([null, null], ','), ',');
  assert.equal(printRecord(['a|b', 'c,d'], '|'), '"a|b"|c,d');
});

test('delimiters: single characters, TAB and SPACE by name, clear errors', () => {
  assert.equal(parseDelimiter('|'), '|');
  assert.equal(parseDelimiter('TAB'), '\t');
  assert.equal(parseDelimiter('SPACE'), ' ');
  assert.throws(() => parseDelimiter('<~>'), {
    message: "Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'",
  });
  for (const blank of ['', ' ', '\t']) {
    assert.throws(() => parseDelimiter(blank), /^SerdeError: Delimiter cannot be empty, if you meant to have a tab or space/);
  }
});

test('rows with custom delimiters (qtt: pipe and TAB separated values)', () => {
  const pipe = serde('DELIMITED', { ID: BIG, NAME: STR, VALUE: INT }, { properties: { delimiter: '|' } });
  assert.deepEqual(pipe.deserialize(text('0|zero|0')), [0n, 'zero', 0]);
  assert.equal(str(pipe.serialize([100n, '100', 500])), '100|100|500');
  const tab = serde('DELIMITED', { ID: BIG, NAME: STR, VALUE: INT }, { properties: { delimiter: 'TAB' } });
  assert.deepEqual(tab.deserialize(text('0\tzero\t0')), [0n, 'zero', 0]);
  assert.equal(str(tab.serialize([0n, 'zero', 0])), '0\tzero\t0');
  const keys = serde('DELIMITED', { K1: STR, K2: STR }, { isKey: true, properties: { delimiter: ';' } });
  assert.deepEqual(keys.deserialize(text('foo,bar;baz')), ['foo,bar', 'baz']);
});

test('keys: quoted and unquoted fields read the same', () => {
  const b = serde('DELIMITED', { K: BOOL }, { isKey: true });
  assert.deepEqual(b.deserialize(text('true')), [true]);
  assert.deepEqual(b.deserialize(text('"true"')), [true]);
  assert.deepEqual(b.deserialize(text('yes')), [false]); // Boolean.parseBoolean
  assert.equal(b.deserialize(null), null);
  const i = serde('DELIMITED', { K: INT }, { isKey: true });
  assert.deepEqual(i.deserialize(text('"22"')), [22]);
  const two = serde('DELIMITED', { K1: STR, K2: STR }, { isKey: true });
  assert.deepEqual(two.deserialize(text('"foo","bar"')), ['foo', 'bar']);
});

test('empty fields are null for every type, STRING included', () => {
  const s = serde('DELIMITED', { A: INT, B: STR, C: DBL, D: dec(4, 2) });
  assert.deepEqual(s.deserialize(text(',,,')), [null, null, null, null]);
  assert.deepEqual(s.deserialize(text('1,"",2.5,1.5')), [1, null, 2.5, new Decimal('1.5')]);
  assert.equal(str(s.serialize([null, null, null, null])), ',,,');
});

test('column count must match', () => {
  const s = serde('DELIMITED', { A: INT, B: INT });
  assert.throws(() => s.deserialize(text('1,2,3')), /Column count mismatch on deserialization. expected: 2, got: 3/);
  assert.throws(() => s.deserialize(text('1')), /expected: 2, got: 1/);
  assert.throws(() => s.deserialize(text('')), /No fields in record/);
  assert.throws(() => s.serialize([1]), SerdeError);
});

test('values are written as Java prints them', () => {
  const s = serde('DELIMITED', { A: BIG, B: BIG, C: STR, D: DBL, T: TIME, DT: DATE, TS: TS, BY: BYTES, I: INT });
  const row = [1511897796092n, 1n, 'item_1', 10, 100, 10, 100, Buffer.from([123]), 10];
  assert.equal(str(s.serialize(row)), '1511897796092,1,item_1,10.0,100,10,100,ew==,10');
  assert.deepEqual(s.deserialize(s.serialize(row)), row);
  const d = (scale: number, v: string): string | null => str(serde('DELIMITED', { D: dec(20, scale) }).serialize([new Decimal(v)]));
  assert.equal(d(2, '11.12'), '11.12');
  assert.equal(d(2, '1.12'), '1.12');
  assert.equal(d(2, '0'), '0.00');
  assert.equal(d(2, '0.5'), '0.50');
  assert.equal(d(2, '-0.5'), '"-0.50"');
  assert.equal(d(3, '-1.12'), '"-1.120"');
  assert.equal(d(2, '1234567890'), '1234567890.00');
  assert.equal(d(3, '10000000000'), '10000000000.000');
});

test('bad fields are SerdeErrors', () => {
  const bad: [Parameters<typeof serde>[1][string], string, RegExp][] = [
    [INT, 'x', /For input string/],
    [INT, '1.5', /For input string/],
    [BIG, '99999999999999999999', /For input string/],
    [DBL, 'abc', /For input string/],
    [BYTES, 'a*b', /not a valid Base64/],
    [dec(4, 1), '1.12', /Cannot fit decimal/],
    [dec(4, 1), 'x', /Invalid decimal/],
    [TIME, '86400001', /Time values must use/],
    [DATE, '1.0', /For input string/],
  ];
  for (const [type, field, message] of bad) {
    assert.throws(() => serde('DELIMITED', { V: type }).deserialize(text(field)), (e: unknown) => e instanceof SerdeError && message.test((e as Error).message), field);
  }
  // lenient where Java is: Double.parseDouble trims, and base64 padding is optional
  assert.deepEqual(serde('DELIMITED', { V: DBL }).deserialize(text('" 2.5 "')), [2.5]);
  assert.deepEqual(serde('DELIMITED', { V: BYTES }).deserialize(text('ew')), [Buffer.from([123])]);
});

test('a quote or a line break cannot be the delimiter', () => {
  assert.throws(() => serde('DELIMITED', { A: INT }, { properties: { delimiter: '"' } }), /quoteChar character and the delimiter cannot be the same/);
  assert.throws(() => serde('DELIMITED', { A: INT }, { properties: { delimiter: '\n' } }), /Delimiter cannot be empty/);
});
