import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileJavaRegex, parseJavaReplacement, replaceAllJava } from '../../src/runtime/functions/lib/java-regex.js';
import { fn } from './helpers.js';

describe('Java regex translation', () => {
  it('handles inline flags, anchors, quoting and POSIX classes', () => {
    assert.ok(compileJavaRegex('(?i)abc').test('ABC'));
    assert.ok(compileJavaRegex('\\Aab\\z').test('ab'));
    assert.ok(!compileJavaRegex('\\Aab\\z').test('xab'));
    assert.ok(compileJavaRegex('ab\\Z').test('ab\n'));
    assert.ok(compileJavaRegex('\\Q1+1\\E=2').test('1+1=2'));
    assert.ok(!compileJavaRegex('\\Q1+1\\E=2').test('11=2'));
    assert.deepEqual('a1 B2'.match(compileJavaRegex('\\p{Alpha}\\p{Digit}', 'g')), ['a1', 'B2']);
    assert.deepEqual('a1 B2'.match(compileJavaRegex('[\\p{Upper}\\d]+', 'g')), ['1', 'B2']);
    assert.ok(compileJavaRegex('\\p{Lu}').test('É'));
    assert.equal(compileJavaRegex('a++').exec('aaa')?.[0], 'aaa');
    assert.ok(compileJavaRegex('(?>ab)c').test('abc'));
    assert.ok(compileJavaRegex('[]a]').test(']'));
    assert.deepEqual('a1-'.match(compileJavaRegex('[a-z[0-9]]', 'g')), ['a', '1']);
    assert.throws(() => compileJavaRegex('(unclosed'), /Invalid regular expression pattern: \(unclosed/);
    assert.throws(() => compileJavaRegex('[a-z&&[^b]]'), /intersection/);
  });

  it('applies Java replacement syntax', () => {
    const re = compileJavaRegex('(?<word>[a-z]+)(\\d)', 'g');
    assert.equal(replaceAllJava('ab1 cd2', re, parseJavaReplacement('$2${word}\\$')), '1ab$ 2cd$');
    assert.throws(() => parseJavaReplacement('cost $'), /Illegal group reference/);
    assert.throws(() => replaceAllJava('ab1', re, parseJavaReplacement('$7')), /No group 7/);
  });

  it('is what the REGEXP functions use', () => {
    assert.equal(fn('regexp_replace', 'Hello World', '(?i)o', '0'), 'Hell0 W0rld');
    assert.equal(fn('regexp_replace', 'john smith', '(\\w+) (\\w+)', '$2, $1'), 'smith, john');
    assert.equal(fn('regexp_extract', '(?i)WORLD', 'hello world'), 'world');
    assert.equal(fn('regexp_extract', '(a)', 'a', 2), null);
    assert.equal(fn('regexp_extract_all', '(a)', 'aa', 3), null);
    assert.deepEqual(fn('regexp_split_to_array', 'aXbxc', '(?i)x'), ['a', 'b', 'c']);
  });
});
