import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as T from '../../src/parser/lexer.js';

const types = (text: string) => T.tokenize(text).map((t) => T.displayNames.get(t.tokenType));

test('keywords are case-insensitive; other words are identifiers', () => {
  assert.deepEqual(types('select SeLeCt foo _x x@y'), ["'SELECT'", "'SELECT'", 'IDENTIFIER', 'IDENTIFIER', 'IDENTIFIER']);
});

test('numbers follow ANTLR longest match', () => {
  assert.deepEqual(types('1 1.5 .5 1. 1E3 1.5e-2 12abc 1E3X'), [
    'INTEGER_VALUE',
    'DECIMAL_VALUE',
    'DECIMAL_VALUE',
    'DECIMAL_VALUE',
    'FLOATING_POINT_VALUE',
    'FLOATING_POINT_VALUE',
    'DIGIT_IDENTIFIER',
    'DIGIT_IDENTIFIER',
  ]);
});

test('operators', () => {
  assert.deepEqual(types('= <> != < <= > >= + - * / % || := -> =>'), [
    "'='", 'NEQ', 'NEQ', "'<'", "'<='", "'>'", "'>='", "'+'", "'-'", "'*'", "'/'", "'%'", "'||'", "':='", "'->'", "'=>'",
  ]);
});

test('strings, quoted identifiers and variables keep their exact text', () => {
  const toks = T.tokenize(`'a''b' "x""y" \`p\`\`q\` \${v_1}`);
  assert.deepEqual(
    toks.map((t) => [T.displayNames.get(t.tokenType), t.image]),
    [
      ['STRING', "'a''b'"],
      ['QUOTED_IDENTIFIER', '"x""y"'],
      ['BACKQUOTED_IDENTIFIER', '`p``q`'],
      ['VARIABLE', '${v_1}'],
    ],
  );
});

test('comments and whitespace vanish; positions are 1-based across lines', () => {
  const toks = T.tokenize('a -- c1\n /* c2\n */ b\r\n\tc');
  assert.deepEqual(
    toks.map((t) => [t.image, t.startLine, t.startColumn, t.startOffset]),
    [
      ['a', 1, 1, 0],
      ['b', 3, 5, 19],
      ['c', 4, 2, 23],
    ],
  );
});

test('unknown characters become UNRECOGNIZED tokens; unterminated strings throw', () => {
  assert.deepEqual(types('a # b'), ['IDENTIFIER', 'UNRECOGNIZED', 'IDENTIFIER']);
  assert.throws(() => T.tokenize("x = 'abc"), T.LexError);
});
