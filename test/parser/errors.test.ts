import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpression, parseStatements, parseType, ParseError } from '../../src/parser/index.js';

function failure(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ParseError, `expected ParseError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a ParseError');
}

const parse = (text: string) => failure(() => parseStatements(text));

test('misspelt keyword after a list: ksqlDB wording, found and expected', () => {
  const e = parse('SELECT * FORM x;');
  assert.equal(e.message, "line 1:10: Syntax Error\nExpecting {',', 'FROM'}");
  assert.equal(e.line, 1);
  assert.equal(e.column, 10);
  assert.equal(e.found, 'FORM');
  assert.deepEqual(e.expected, ["','", "'FROM'"]);
});

test('unknown statement suggests the closest command', () => {
  const e = parse('SELEC * FROM x;');
  assert.equal(e.message, "line 1:1: Syntax Error\nUnknown statement 'SELEC'\nDid you mean 'SELECT'?");
  assert.equal(e.found, 'SELEC');
  assert.ok(e.expected.includes("'CREATE'"));
  assert.match(parse('dscribe s;').message, /Did you mean 'DESCRIBE'\?/);
});

test('missing closing parenthesis is reported as ANTLR does', () => {
  const e = parse('CREATE STREAM s (a INT) WITH (kafka_topic=\'t\');\nSELECT * FROM s GROUP BY f3, (f2, f1);');
  assert.equal(e.message, "line 2:33: Syntax Error\nmissing ')' at ','");
  assert.deepEqual([e.line, e.column, e.found], [2, 33, ',']);
});

test('short expected sets are listed (ksqlDB key-schemas cases)', () => {
  assert.equal(
    parse("CREATE STREAM INPUT (K STRING (KEY)) WITH (kafka_topic='input');").message,
    "line 1:32: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}",
  );
  assert.equal(
    parse("CREATE STREAM INPUT (K VARCHAR(STRING) (KEY)) WITH (kafka_topic='input');").message,
    "line 1:40: Syntax Error\nExpecting {',', ')'}",
  );
});

test('long expected sets: at-or-near wording plus the list', () => {
  const e = parse('SELECT * FROM s WHERE a IN ( );');
  assert.match(e.message, /^line 1:30: Syntax Error\nSyntax error at or near '\)' at line 1:30\nExpecting one of: /);
  assert.ok(e.expected.includes('IDENTIFIER'));
  assert.ok(e.expected.includes("'NOT'"));
  const limit = parse('SELECT * FROM s LIMIT heh;');
  assert.match(limit.message, /^line 1:23: Syntax Error\nSyntax error at or near 'heh'/);
  assert.deepEqual(limit.expected, ["'-'", 'INTEGER_VALUE', 'DECIMAL_VALUE', 'FLOATING_POINT_VALUE']);
});

test('multi-line statements report the line of the offending token', () => {
  const e = parse('SELECT a,\n       b\n  FROM s\n  WHERE a = = 1;');
  assert.deepEqual([e.line, e.column, e.found], [4, 13, '=']);
  assert.match(e.message, /^line 4:13: Syntax Error/);
});

test('premature end of a statement', () => {
  const e = parse('SELECT * FROM;');
  assert.deepEqual([e.line, e.column, e.found], [1, 14, ';']);
  assert.ok(e.expected.includes('IDENTIFIER'));
  const eof = failure(() => parseExpression('a +'));
  assert.equal(eof.found, '<EOF>');
  assert.deepEqual([eof.line, eof.column], [1, 4]);
});

test('reserved words cannot be identifiers, quoted they can', () => {
  const e = parse('SELECT from FROM s;');
  assert.equal(e.found, 'from');
  assert.equal(parseStatements('SELECT `FROM` FROM s;').length, 1);
});

test('redundant input after a complete statement', () => {
  const e = failure(() => parseExpression('a b c'));
  assert.equal(e.found, 'b');
  const s = parse('SHOW STREAMS please;');
  assert.deepEqual([s.column, s.found], [14, 'please']);
  assert.match(s.message, /Expecting \{'EXTENDED', ';'\}|Expecting/);
});

test('lexer errors: unterminated string, identifier and comment; illegal characters', () => {
  const s = parse("SELECT * FROM s WHERE a = 'abc;");
  assert.deepEqual([s.line, s.column], [1, 27]);
  assert.match(s.message, /^line 1:27: Syntax Error\nUnterminated string literal/);
  assert.deepEqual(s.expected, ["'"]);
  assert.match(parse('SELECT `abc FROM s;').message, /Unterminated back-quoted identifier/);
  assert.match(parse('SELECT "abc FROM s;').message, /Unterminated quoted identifier/);
  assert.match(parse('SELECT a /* FROM s;').message, /Unterminated comment/);
  const illegal = parse('SELECT # FROM s;');
  assert.deepEqual([illegal.line, illegal.column, illegal.found], [1, 8, '#']);
  assert.match(illegal.message, /Syntax error at or near '#' at line 1:8/);
});

test('semantic checks done while building the AST', () => {
  assert.match(parse("SELECT * FROM s WHERE a LIKE 'x' ESCAPE 'ab';").message, /Expected single character escape but got: ab/);
  assert.match(parse('SELECT 1E400 FROM s;').message, /Number overflows DOUBLE: 1E400/);
  assert.match(parse('CREATE STREAM s (d DECIMAL(2.5, 1));').message, /Value must be integer for command: DECIMAL\(PRECISION\)/);
});

test('types: errors name what was expected', () => {
  const e = failure(() => parseType('MAP<STRING, NULL>'));
  assert.equal(e.found, 'NULL');
  assert.ok(e.expected.includes('IDENTIFIER'));
});

test('deeply nested input fails cleanly', () => {
  const deep = '('.repeat(20000) + '1' + ')'.repeat(20000);
  const e = failure(() => parseExpression(deep));
  assert.match(e.message, /Statement is too large to parse/);
  // the shared parser is still usable afterwards
  assert.equal(parseExpression('(((1)))').type, 'Literal');
  assert.equal(parseExpression('('.repeat(100) + 'a' + ')'.repeat(100)).type, 'ColumnRef');
});

test('switched-off test-runner statements are not offered as expected tokens', () => {
  const e = parse('ASSERT VALUES s VALUES (1);');
  assert.deepEqual(e.expected, ["'NOT'", "'TOPIC'", "'SCHEMA'"]);
  assert.ok(!parse('FOO;').expected.includes("'RUN'"));
  assert.ok(failure(() => parseStatements('FOO;', { testStatements: true })).expected.includes("'RUN'"));
});

test('a reserved word used as a name gets ksqlDB\'s dedicated message', () => {
  const e = parse("CREATE STREAM ORDERS (c1 VARCHAR, size INTEGER)\n  WITH (kafka_topic='ords', value_format='json');");
  assert.equal(
    e.message,
    'line 1:35: Syntax Error\n"size" is a reserved keyword and it can\'t be used as an identifier. ' +
      "You can use it as an identifier by escaping it as 'size' ",
  );
  assert.match(parse('CREATE STREAM ORDERS (Load VARCHAR, size INTEGER);').message, /^line 1:23: Syntax Error\n"Load" is a reserved keyword/);
  // non-reserved keywords are fine as names
  assert.equal(parseStatements('CREATE STREAM ORDERS (place VARCHAR, Sink INTEGER);').length, 1);
});

test('unbalanced brackets in a select item are reported, not looped on', () => {
  for (const text of ['SELECT (a FROM s;', 'SELECT f(a, [b FROM s', 'SELECT (']) {
    const e = parse(text);
    assert.match(e.message, /^line 1:\d+: Syntax Error/);
  }
});
