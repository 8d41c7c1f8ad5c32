import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isComplete, splitStatements, stripComments } from '../../cli/interactive/statement-splitter.js';

test('statements split at semicolons outside quotes, back-quotes and comments', () => {
  const text = "CREATE STREAM s (a VARCHAR) WITH (kafka_topic='t;1', value_format='json');\n" +
    "-- a comment; with a semicolon\nINSERT INTO s (a) VALUES ('it''s; fine');\n/* block; */ SELECT `x;y` FROM s EMIT CHANGES;";
  assert.deepEqual(splitStatements(text), [
    "CREATE STREAM s (a VARCHAR) WITH (kafka_topic='t;1', value_format='json');",
    "-- a comment; with a semicolon\nINSERT INTO s (a) VALUES ('it''s; fine');",
    '/* block; */ SELECT `x;y` FROM s EMIT CHANGES;',
  ]);
});

test('a last statement without a semicolon is kept; empty and comment-only pieces are dropped', () => {
  assert.deepEqual(splitStatements('SHOW STREAMS;;  ;\n-- only a comment\n'), ['SHOW STREAMS;']);
  assert.deepEqual(splitStatements('SHOW STREAMS; SHOW TABLES'), ['SHOW STREAMS;', 'SHOW TABLES']);
  assert.deepEqual(splitStatements('   '), []);
});

test('input is complete only when it ends in a semicolon outside quotes, or is a bare CLI command', () => {
  assert.equal(isComplete('SELECT *'), false);
  assert.equal(isComplete('SELECT *\nFROM s;'), true);
  assert.equal(isComplete("SELECT 'a;"), false, 'unclosed quote keeps reading');
  assert.equal(isComplete("SELECT 'a;\nb';"), true);
  assert.equal(isComplete('SELECT 1; -- trailing comment'), true);
  assert.equal(isComplete('SELECT 1; SELECT'), false);
  assert.equal(isComplete('/* open comment;'), false);
  assert.equal(isComplete('exit'), true);
  assert.equal(isComplete('EXIT'), true);
  assert.equal(isComplete("run script '/tmp/a.sql'"), true);
  assert.equal(isComplete('output json'), true);
  assert.equal(isComplete('exits'), false);
});

test('comments are stripped outside quotes only', () => {
  assert.equal(stripComments("SELECT '--not' -- yes\nFROM s"), "SELECT '--not' \nFROM s");
  assert.equal(stripComments('a /* b */ c'), 'a   c');
});
