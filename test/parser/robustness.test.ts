/** Bad input never crashes: any text either parses or raises a ParseError with a position. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseExpression, parseStatements, parseType, ParseError } from '../../src/parser/index.js';

const FRAGMENTS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'CREATE', 'STREAM', 'TABLE', 'AS', 'WITH', '(', ')', ',', ';', '*',
  '->', '=>', '[', ']', '.', "'s'", '"Q"', '`b`', '1', '-2', '1.5', '1E3', 'a', 'b', 'KEY', 'MAP', 'ARRAY',
  'STRUCT', '<', '>', '=', 'AND', 'OR', 'NOT', 'CASE', 'WHEN', 'THEN', 'END', 'CAST', 'INT', 'EMIT', 'CHANGES',
  'JOIN', 'WITHIN', 'SECONDS', 'WINDOW', 'TUMBLING', 'SIZE', '${v}', '--c\n', '/*x*/', "'", '#', 'IN', 'IS', 'NULL',
];

function check(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ParseError, `unexpected ${String(e)}`);
    assert.ok(e.line >= 1 && e.column >= 1);
    assert.equal(typeof e.found, 'string');
  }
}

test('random token soups give a result or a ParseError', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }), (parts) => {
      const text = parts.join(' ');
      check(() => parseStatements(text));
      check(() => parseStatements(text, { variables: { v: 'x' }, testStatements: true }));
      check(() => parseExpression(text));
      check(() => parseType(text));
    }),
    { numRuns: 300 },
  );
});

test('random characters give a result or a ParseError', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (text) => {
      check(() => parseStatements(text));
    }),
    { numRuns: 300 },
  );
});
