import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { b64, call, fn, T } from './helpers.js';

describe('string functions', () => {
  it('SUBSTRING on strings and bytes, with nulls and out-of-range positions', () => {
    assert.equal(fn('substring', 'some_string', 6), 'string');
    assert.equal(fn('substring', 'short', 6), '');
    assert.equal(fn('substring', 'long enough', 2, 5), 'ong e');
    assert.equal(fn('substring', 's', 2, 5), '');
    assert.equal(fn('substring', 'hello', -3), 'llo');
    assert.equal(fn('substring', 'hello', -10, 2), 'he');
    assert.equal(call('substring', [T.STRING, T.INT], null, 1), null);
    assert.equal(call('substring', [T.STRING, T.INT], 'x', null), null);
    assert.equal((fn('substring', b64('c29tZV9zdHJpbmc='), 6, 3) as Buffer).toString('base64'), 'c3Ry');
  });

  it('CONCAT and CONCAT_WS skip nulls; a null separator gives null', () => {
    assert.equal(call('concat', [T.STRING, null, T.STRING], 'a', null, 'b'), 'ab');
    assert.equal(call('concat_ws', [T.STRING, T.STRING, T.STRING, null, T.STRING], 'SEP', 'foo', null, null, 'literal'), 'fooSEPliteral');
    assert.equal(call('concat_ws', [T.STRING, T.STRING], null, 'x'), null);
    assert.throws(() => call('concat_ws', [T.STRING], ','), /at least two/);
    const bytes = call('concat_ws', [T.BYTES, T.BYTES, T.BYTES, null, T.BYTES], b64('YQ=='), b64('Yg=='), b64('eWVz'), null, b64('bm8=')) as Buffer;
    assert.equal(bytes.toString('base64'), 'YmF5ZXNhbm8=');
  });

  it('case, trim, initcap, len', () => {
    assert.equal(fn('ucase', 'MiXeD'), 'MIXED');
    assert.equal(fn('lcase', 'MiXeD'), 'mixed');
    assert.equal(fn('trim', ' \t with white space \t'), 'with white space');
    assert.equal(fn('initcap', 'the   Quick br0wn fOx'), 'The   Quick Br0wn Fox');
    assert.equal(fn('initcap', 'some_string'), 'Some_string');
    assert.equal(fn('len', 'ABC'), 3);
    assert.equal(fn('len', b64('YWJj')), 3);
    assert.equal(call('len', [T.STRING], null), null);
  });

  it('LPAD / RPAD for strings and bytes', () => {
    assert.equal(fn('rpad', 'foo', 7, 'Bar'), 'fooBarB');
    assert.equal(fn('rpad', 'foo', 2, 'Bar'), 'fo');
    assert.equal(fn('lpad', 'foo', 7, 'Bar'), 'BarBfoo');
    assert.equal(fn('rpad', 'foo', -1, 'Bar'), null);
    assert.equal(fn('rpad', 'foo', 7, ''), null);
    assert.equal(call('rpad', [T.STRING, T.INT, T.STRING], 'foo', 5, null), null);
    assert.equal((fn('rpad', b64('eWVz'), 8, b64('bm8=')) as Buffer).toString('base64'), 'eWVzbm9ub24=');
    assert.equal((fn('lpad', b64('eWVz'), 2, b64('bm8=')) as Buffer).toString('base64'), 'eWU=');
    assert.equal(fn('lpad', b64('eWVz'), 3, Buffer.alloc(0)), null);
  });

  it('INSTR forwards, backwards and by occurrence', () => {
    assert.equal(fn('instr', 'corporate floor', 'or'), 2);
    assert.equal(fn('instr', 'corporate floor', 'or', 4), 5);
    assert.equal(fn('instr', 'corporate floor', 'or', -4), 5);
    assert.equal(fn('instr', 'corporate floor', 'or', 3, 2), 14);
    assert.equal(fn('instr', 'corporate floor', 'or', -3, 2), 2);
    assert.equal(fn('instr', 'short', 'or', 4), 0);
    assert.equal(fn('instr', 'short', 'or', 9), 0);
    assert.equal(call('instr', [T.STRING, T.STRING], null, 'x'), 0);
    assert.throws(() => call('instr', [T.STRING, T.STRING, T.INT], 'abc', 'b', null), /primitive/);
  });

  it('REPLACE, SPLIT, SPLIT_TO_MAP', () => {
    assert.equal(fn('replace', 'anaconda', 'a', 'o'), 'onocondo');
    assert.equal(call('replace', [T.STRING, null, T.STRING], 'x', null, 'o'), null);
    assert.deepEqual(fn('split', '..a..', '.'), ['', '', 'a', '', '']);
    assert.deepEqual(fn('split', 'a$$b.c', '$$'), ['a', 'b.c']);
    assert.deepEqual(fn('split', 'abc', ''), ['a', 'b', 'c']);
    assert.deepEqual(fn('split', '', ''), ['']);
    assert.deepEqual((fn('split', b64('Li5hLi4='), Buffer.from('.')) as Buffer[]).map((b) => b.toString('base64')), ['', '', 'YQ==', '', '']);
    assert.deepEqual([...(fn('split_to_map', 'apple:green//banana:yellow/', '/', ':') as Map<string, string>)], [
      ['apple', 'green'],
      ['banana', 'yellow'],
    ]);
    assert.deepEqual([...(fn('split_to_map', 'a:b/c:d', '&&', ':') as Map<string, string>)], [['a', 'b/c']]);
    assert.equal(fn('split_to_map', 'a:b', '', ':'), null);
  });

  it('REGEXP functions', () => {
    assert.equal(fn('regexp_extract', 'test.', 'some_test_string'), 'test_');
    assert.equal(fn('regexp_extract', 'test.', 'nothing'), null);
    assert.equal(fn('regexp_extract', '(.*) (.*)', 'steven zhang', 2), 'zhang');
    assert.deepEqual(fn('regexp_extract_all', 'test.', 'some_test_string_testabab'), ['test_', 'testa']);
    assert.deepEqual(fn('regexp_extract_all', 'test.', 'nothing'), []);
    assert.equal(fn('regexp_replace', 'baabbabaa', '(ab)+', 'cat'), 'bacatbcataa');
    assert.deepEqual(fn('regexp_split_to_array', 'a1b22c', '\\d+'), ['a', 'b', 'c']);
    assert.deepEqual(fn('regexp_split_to_array', '1a(1)b1', '(\\d)'), ['', 'a(', ')b', '']);
    assert.deepEqual(fn('regexp_split_to_array', 'abc', ''), ['a', 'b', 'c']);
    // as java.util.regex.Pattern.split: an empty match right after a non-empty one yields an empty piece
    assert.deepEqual(fn('regexp_split_to_array', 'aXbX', 'X*'), ['a', '', 'b']);
    assert.throws(() => fn('regexp_extract', '(', 'x'), /Invalid regular expression/);
  });

  it('CHR, ELT, FIELD, MD5, UUID', () => {
    assert.equal(fn('chr', 75), 'K');
    assert.equal(fn('chr', '\\u004b'), 'K');
    assert.equal(fn('chr', '\\ud820\\udeb8'), '\ud820\udeb8');
    assert.equal(fn('chr', '75'), null);
    assert.equal(fn('chr', 'bogus'), null);
    assert.equal(fn('chr', '\\u004bxyz'), 'Kxyz');
    assert.equal(fn('chr', 0x1f600), '\u{1f600}');
    assert.equal(fn('chr', -1), null);
    assert.equal(call('elt', [T.INT, T.STRING, T.STRING], 2, 'ignored', 'something'), 'something');
    assert.equal(call('elt', [T.INT, T.STRING], 3, 'a'), null);
    assert.equal(call('field', [T.STRING, T.STRING, T.STRING], 'hello', 'world', 'hello'), 2);
    assert.equal(call('field', [T.STRING, T.STRING, T.STRING], null, 'world', null), 0);
    assert.equal(fn('md5', 'abc'), '900150983cd24fb0d6963f7d28e17f72');
    assert.match(fn('uuid') as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('MASK family with default and custom replacements', () => {
    assert.equal(fn('mask', 'AbCd#$123xy Z'), 'XxXx--nnnxx-X');
    assert.equal(call('mask', [T.STRING, T.STRING, T.STRING, T.STRING, T.STRING], 'Ab1-', '*', null, '#', null), '*b#-');
    assert.equal(fn('mask_left', 'AbCd#$123xy Z', 5), 'XxXx-$123xy Z');
    assert.equal(fn('mask_right', 'AbCd#$123xy Z', 5), 'AbCd#$12nxx-X');
    assert.equal(fn('mask_keep_left', 'AbCd#$123xy Z', 5), 'AbCd#-nnnxx-X');
    assert.equal(fn('mask_keep_right', 'AbCd#$123xy Z', 5), 'XxXx--nn3xy Z');
    assert.equal(fn('mask_left', 'ab', 5), 'xx');
    assert.equal(fn('mask', 'Éé٣'), 'Xxn');
    assert.throws(() => call('mask', [T.STRING, T.STRING, T.STRING, T.STRING, T.STRING], 'a', 'XY', null, null, null), /single character/);
    assert.throws(() => fn('mask_left', 'ab', -1), /non-negative/);
  });
});
