import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatJavaDouble,
  javaDecimalToPlainString,
  javaDecimalToString,
  parseJavaDecimal,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
} from '../../src/runtime/serde/java-text.js';

test('Double.toString forms', () => {
  const cases: [number, string][] = [
    [1, '1.0'],
    [10, '10.0'],
    [-0, '-0.0'],
    [0, '0.0'],
    [100.5, '100.5'],
    [9999999, '9999999.0'],
    [1e7, '1.0E7'],
    [12345678, '1.2345678E7'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [-2.5e-10, '-2.5E-10'],
    [1e21, '1.0E21'],
    [0.1 + 0.2, '0.30000000000000004'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [Number.MIN_VALUE, '4.9E-324'],
  ];
  for (const [d, expected] of cases) assert.equal(formatJavaDouble(d), expected, String(d));
});

test('Integer.parseInt and Long.parseLong are strict', () => {
  assert.equal(parseJavaInt('42'), 42);
  assert.equal(parseJavaInt('+42'), 42);
  assert.equal(parseJavaInt('-2147483648'), -2147483648);
  assert.equal(parseJavaInt('2147483648'), undefined);
  assert.equal(parseJavaInt(' 42'), undefined);
  assert.equal(parseJavaInt('4.2'), undefined);
  assert.equal(parseJavaInt(''), undefined);
  assert.equal(parseJavaLong('9223372036854775807'), 9223372036854775807n);
  assert.equal(parseJavaLong('9223372036854775808'), undefined);
  assert.equal(parseJavaLong('-9223372036854775808'), -9223372036854775808n);
  assert.equal(parseJavaLong('1e3'), undefined);
});

test('Double.parseDouble accepts what Java does', () => {
  assert.equal(parseJavaDouble(' 42.5 '), 42.5);
  assert.equal(parseJavaDouble('1e3'), 1000);
  assert.equal(parseJavaDouble('.5'), 0.5);
  assert.equal(parseJavaDouble('5.'), 5);
  assert.equal(parseJavaDouble('2.5d'), 2.5);
  assert.equal(parseJavaDouble('-Infinity'), -Infinity);
  assert.ok(Number.isNaN(parseJavaDouble('NaN')));
  assert.equal(parseJavaDouble('abc'), undefined);
  assert.equal(parseJavaDouble('1,5'), undefined);
  assert.equal(parseJavaDouble(''), undefined);
});

test('BigDecimal parse and toString/toPlainString', () => {
  const s = (t: string): string => javaDecimalToString(parseJavaDecimal(t)!);
  assert.equal(s('42.000'), '42.000');
  assert.equal(s('1E+1'), '1E+1');
  assert.equal(s('1.1E3'), '1.1E+3');
  assert.equal(s('0.0000001'), '1E-7');
  assert.equal(s('0.000001'), '0.000001');
  assert.equal(s('-0.50'), '-0.50');
  assert.equal(s('123e-2'), '1.23');
  assert.equal(s('+7'), '7');
  assert.equal(javaDecimalToPlainString(parseJavaDecimal('1E+3')!), '1000');
  assert.equal(javaDecimalToPlainString(parseJavaDecimal('1E-7')!), '0.0000001');
  assert.equal(parseJavaDecimal('abc'), undefined);
  assert.equal(parseJavaDecimal('.'), undefined);
  assert.equal(parseJavaDecimal('1.2.3'), undefined);
});
