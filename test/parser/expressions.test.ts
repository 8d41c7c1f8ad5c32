import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpression, parseType } from '../../src/parser/index.js';
import { col, expr, int, noLoc, str } from './helpers.js';

test('arithmetic precedence: * binds tighter than +, left associative', () => {
  assert.deepEqual(expr('a + b * c - d'), {
    type: 'Arithmetic',
    op: '-',
    left: { type: 'Arithmetic', op: '+', left: col('A'), right: { type: 'Arithmetic', op: '*', left: col('B'), right: col('C') } },
    right: col('D'),
  });
  assert.deepEqual(expr('a % b / c'), {
    type: 'Arithmetic',
    op: '/',
    left: { type: 'Arithmetic', op: '%', left: col('A'), right: col('B') },
    right: col('C'),
  });
});

test('|| binds looser than + (as in ksqlDB)', () => {
  assert.deepEqual(expr("'a' || b + 1"), {
    type: 'Concat',
    left: str('a'),
    right: { type: 'Arithmetic', op: '+', left: col('B'), right: int('1') },
  });
});

test('boolean precedence: OR < AND < NOT < comparison', () => {
  assert.deepEqual(expr('NOT a = 1 AND b OR c'), {
    type: 'Logical',
    op: 'OR',
    left: {
      type: 'Logical',
      op: 'AND',
      left: { type: 'Not', operand: { type: 'Comparison', op: '=', left: col('A'), right: int('1') } },
      right: col('B'),
    },
    right: col('C'),
  });
});

test('comparison operators, != is <>', () => {
  for (const op of ['=', '<>', '<', '<=', '>', '>=']) {
    assert.deepEqual(expr(`a ${op} 1`), { type: 'Comparison', op, left: col('A'), right: int('1') });
  }
  assert.deepEqual(expr('a != 1'), { type: 'Comparison', op: '<>', left: col('A'), right: int('1') });
});

test('predicates: BETWEEN, IN, LIKE ESCAPE, IS [NOT] NULL, IS [NOT] DISTINCT FROM', () => {
  assert.deepEqual(expr('a NOT BETWEEN 1 AND 2 + 3'), {
    type: 'Between',
    operand: col('A'),
    low: int('1'),
    high: { type: 'Arithmetic', op: '+', left: int('2'), right: int('3') },
    negated: true,
  });
  assert.deepEqual(expr('a IN (1, b)'), { type: 'In', operand: col('A'), list: [int('1'), col('B')], negated: false });
  assert.deepEqual(expr("a NOT LIKE 'x!%' ESCAPE '!'"), {
    type: 'Like',
    operand: col('A'),
    pattern: str('x!%'),
    escape: '!',
    negated: true,
  });
  assert.deepEqual(expr('a IS NOT NULL'), { type: 'IsNull', operand: col('A'), negated: true });
  assert.deepEqual(expr('a IS NULL'), { type: 'IsNull', operand: col('A'), negated: false });
  assert.deepEqual(expr('a IS NOT DISTINCT FROM b'), {
    type: 'Comparison',
    op: 'IS NOT DISTINCT FROM',
    left: col('A'),
    right: col('B'),
  });
  assert.deepEqual(expr('a IS DISTINCT FROM b').type, 'Comparison');
});

test('BETWEEN bounds do not swallow AND', () => {
  const e = expr('a BETWEEN 1 AND 2 AND b');
  assert.equal(e.type, 'Logical');
});

test('unary minus: negative literals, negation, and precedence over *', () => {
  assert.deepEqual(expr('-1'), int('-1'));
  assert.deepEqual(expr('-a'), { type: 'Negate', operand: col('A') });
  assert.deepEqual(expr('-a * b'), {
    type: 'Arithmetic',
    op: '*',
    left: { type: 'Negate', operand: col('A') },
    right: col('B'),
  });
  assert.deepEqual(expr('a - -2'), { type: 'Arithmetic', op: '-', left: col('A'), right: int('-2') });
  assert.deepEqual(expr('+a'), col('A'));
});

test('literal types: INTEGER, BIGINT, DECIMAL, DOUBLE, STRING, BOOLEAN, NULL', () => {
  assert.deepEqual(expr('2147483647'), int('2147483647'));
  assert.deepEqual(expr('2147483648'), { type: 'Literal', literalType: 'BIGINT', value: '2147483648' });
  assert.deepEqual(expr('-2147483648'), int('-2147483648'));
  assert.deepEqual(expr('1.50'), { type: 'Literal', literalType: 'DECIMAL', value: '1.50' });
  assert.deepEqual(expr('.5'), { type: 'Literal', literalType: 'DECIMAL', value: '.5' });
  assert.deepEqual(expr('1E3'), { type: 'Literal', literalType: 'DOUBLE', value: '1E3' });
  assert.deepEqual(expr('1.5e-3'), { type: 'Literal', literalType: 'DOUBLE', value: '1.5e-3' });
  assert.deepEqual(expr("'it''s'"), str("it's"));
  assert.deepEqual(expr('TRUE'), { type: 'Literal', literalType: 'BOOLEAN', value: true });
  assert.deepEqual(expr('false'), { type: 'Literal', literalType: 'BOOLEAN', value: false });
  assert.deepEqual(expr('null'), { type: 'Literal', literalType: 'NULL', value: null });
});

test('postfix subscript and dereference chains', () => {
  assert.deepEqual(expr('a[1]->b->c[2]'), {
    type: 'Subscript',
    base: {
      type: 'Dereference',
      base: { type: 'Dereference', base: { type: 'Subscript', base: col('A'), index: int('1') }, field: 'B' },
      field: 'C',
    },
    index: int('2'),
  });
  assert.deepEqual(expr('s.a->`b`'), { type: 'Dereference', base: col('A', 'S'), field: 'b' });
});

test('AT TIME ZONE', () => {
  assert.deepEqual(expr("ts AT TIME ZONE 'UTC'"), { type: 'AtTimeZone', operand: col('TS'), zone: 'UTC' });
});

test('CASE: searched and simple', () => {
  assert.deepEqual(expr("CASE WHEN a > 1 THEN 'x' WHEN b THEN 'y' ELSE 'z' END"), {
    type: 'Case',
    whens: [
      { when: { type: 'Comparison', op: '>', left: col('A'), right: int('1') }, then: str('x') },
      { when: col('B'), then: str('y') },
    ],
    else: str('z'),
  });
  assert.deepEqual(expr('CASE a WHEN 1 THEN 2 END'), {
    type: 'Case',
    operand: col('A'),
    whens: [{ when: int('1'), then: int('2') }],
  });
});

test('CAST and constructors', () => {
  assert.deepEqual(expr('CAST(a AS DECIMAL(4, 2))'), {
    type: 'Cast',
    operand: col('A'),
    target: { kind: 'DECIMAL', precision: 4, scale: 2 },
  });
  assert.deepEqual(expr('ARRAY[1, 2]'), { type: 'ArrayCtor', items: [int('1'), int('2')] });
  assert.deepEqual(expr('ARRAY[]'), { type: 'ArrayCtor', items: [] });
  assert.deepEqual(expr("MAP('k' := 1)"), { type: 'MapCtor', entries: [{ key: str('k'), value: int('1') }] });
  assert.deepEqual(expr('STRUCT(a := 1, `b` := x)'), {
    type: 'StructCtor',
    fields: [
      { name: 'A', value: int('1') },
      { name: 'b', value: col('X') },
    ],
  });
  assert.deepEqual(expr("DATE '2021-01-01'"), { type: 'TypeConstructor', typeName: 'DATE', value: '2021-01-01' });
  // DECIMAL is reserved: only a quoted name works, as in ksqlDB
  assert.deepEqual(expr(`"DECIMAL" '1.2'`), { type: 'TypeConstructor', typeName: 'DECIMAL', value: '1.2' });
  assert.throws(() => parseExpression("DECIMAL '1.2'"), /Syntax Error/);
});

test('ARRAY, MAP and STRUCT are also plain names when not constructors', () => {
  assert.deepEqual(expr('map'), col('MAP'));
  assert.deepEqual(expr('struct->f'), { type: 'Dereference', base: col('STRUCT'), field: 'F' });
});

test('function calls: COUNT(*), no args, interval units, qualified columns', () => {
  assert.deepEqual(expr('count(*)'), { type: 'FunctionCall', name: 'COUNT', args: [], star: true });
  assert.deepEqual(expr('now()'), { type: 'FunctionCall', name: 'NOW', args: [] });
  assert.deepEqual(expr('TIMESTAMPADD(SECONDS, 5, t.ts)'), {
    type: 'FunctionCall',
    name: 'TIMESTAMPADD',
    args: [{ type: 'IntervalUnit', unit: 'SECONDS' }, int('5'), col('TS', 'T')],
  });
  assert.deepEqual(expr('dateadd(milliseconds, 1, d)').type, 'FunctionCall');
  assert.deepEqual(noLoc(parseExpression('dateadd(milliseconds, 1, d)')).type, 'FunctionCall');
  // singular units are non-reserved words: ksqlDB reads them as columns
  assert.deepEqual(expr('f(DAY)'), { type: 'FunctionCall', name: 'F', args: [col('DAY')] });
});

test('lambdas: single and multiple parameters, parameters resolve to LambdaVariable', () => {
  assert.deepEqual(expr('TRANSFORM(arr, x => x + y)'), {
    type: 'FunctionCall',
    name: 'TRANSFORM',
    args: [
      col('ARR'),
      {
        type: 'Lambda',
        params: ['X'],
        body: { type: 'Arithmetic', op: '+', left: { type: 'LambdaVariable', name: 'X' }, right: col('Y') },
      },
    ],
  });
  assert.deepEqual(expr('REDUCE(m, 0, (s, k, v) => s + v)'), {
    type: 'FunctionCall',
    name: 'REDUCE',
    args: [
      col('M'),
      int('0'),
      {
        type: 'Lambda',
        params: ['S', 'K', 'V'],
        body: {
          type: 'Arithmetic',
          op: '+',
          left: { type: 'LambdaVariable', name: 'S' },
          right: { type: 'LambdaVariable', name: 'V' },
        },
      },
    ],
  });
  // a parenthesised expression argument is not a lambda
  assert.deepEqual(expr('f((a), b)'), { type: 'FunctionCall', name: 'F', args: [col('A'), col('B')] });
});

test('identifier case rules: unquoted upper-cased, quoted kept verbatim with doubled quotes', () => {
  assert.deepEqual(expr('myCol'), col('MYCOL'));
  assert.deepEqual(expr('"myCol"'), col('myCol'));
  assert.deepEqual(expr('`my``Col`'), col('my`Col'));
  assert.deepEqual(expr('"a""b"'), col('a"b'));
  assert.deepEqual(expr('`Src`.`col`'), col('col', 'Src'));
  assert.deepEqual(expr('1abc'), col('1ABC'));
});

test('non-reserved keywords are usable as names, reserved ones are not', () => {
  assert.deepEqual(expr('key + timestamp'), { type: 'Arithmetic', op: '+', left: col('KEY'), right: col('TIMESTAMP') });
  assert.throws(() => parseExpression('select + 1'));
  assert.deepEqual(expr('`SELECT` + 1').type, 'Arithmetic');
});

test('comments and whitespace are ignored', () => {
  assert.deepEqual(expr('a /* comment */ + -- line comment\n 1'), { type: 'Arithmetic', op: '+', left: col('A'), right: int('1') });
});

test('loc is the 1-based position of the first token', () => {
  const e = parseExpression('\n  a + b');
  assert.deepEqual(e.loc, { line: 2, column: 3 });
  assert.equal(e.type, 'Arithmetic');
  if (e.type === 'Arithmetic') assert.deepEqual(e.left.loc, { line: 2, column: 3 });
});

test('types: base types and aliases, DECIMAL, ARRAY, MAP, STRUCT, custom, legacy postfix ARRAY', () => {
  const t = (s: string) => parseType(s);
  assert.deepEqual(t('VARCHAR'), { kind: 'STRING' });
  assert.deepEqual(t('string'), { kind: 'STRING' });
  assert.deepEqual(t('VARCHAR(10)'), { kind: 'STRING' });
  assert.deepEqual(t('INT'), { kind: 'INTEGER' });
  assert.deepEqual(t('integer'), { kind: 'INTEGER' });
  for (const k of ['BIGINT', 'DOUBLE', 'BOOLEAN', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'] as const) {
    assert.deepEqual(t(k.toLowerCase()), { kind: k });
  }
  assert.deepEqual(t('DECIMAL(10, 3)'), { kind: 'DECIMAL', precision: 10, scale: 3 });
  assert.deepEqual(t('ARRAY<MAP<STRING, ARRAY<INT>>>'), {
    kind: 'ARRAY',
    element: { kind: 'MAP', key: { kind: 'STRING' }, value: { kind: 'ARRAY', element: { kind: 'INTEGER' } } },
  });
  assert.deepEqual(t('STRUCT<a INT, `B b` STRUCT<c BOOLEAN>>'), {
    kind: 'STRUCT',
    fields: [
      { name: 'A', type: { kind: 'INTEGER' } },
      { name: 'B b', type: { kind: 'STRUCT', fields: [{ name: 'C', type: { kind: 'BOOLEAN' } }] } },
    ],
  });
  assert.deepEqual(t('STRUCT< >'), { kind: 'STRUCT', fields: [] });
  // `<>` is the not-equal token, as in ksqlDB's lexer
  assert.throws(() => t('STRUCT<>'), /Syntax Error/);
  assert.deepEqual(t('my_type'), { kind: 'CUSTOM', name: 'MY_TYPE' });
  assert.deepEqual(t('INT ARRAY'), { kind: 'ARRAY', element: { kind: 'INTEGER' } });
});

test('binary and predicate nodes are located at their first token', () => {
  const e = parseExpression('  x IS NULL OR y BETWEEN 1 AND 2');
  assert.deepEqual(e.loc, { line: 1, column: 3 });
  if (e.type === 'Logical') assert.deepEqual(e.right.loc, { line: 1, column: 16 });
});
