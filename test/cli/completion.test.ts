import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete } from '../../cli/interactive/completion.js';
import { emptyEditor, historyStep, insertText, tabComplete, backspace, fullText } from '../../cli/interactive/line-editor.js';
import { parseSchema } from '../../cli/interactive/rest-client.js';

const names = { sources: ['PAGEVIEWS', 'PAGES', 'USERS'], columns: ['USERID', 'PAGEID', 'VIEWTIME'] };

test('a unique keyword prefix completes, keeping lower case when typed in lower case', () => {
  assert.equal(complete('SEL', names)?.replacement, 'SELECT');
  assert.equal(complete('sel', names)?.replacement, 'select');
});

test('after FROM only stream and table names are offered; ambiguity gives the common prefix and the list', () => {
  const c = complete('SELECT * FROM PAG', names)!;
  assert.equal(c.start, 14);
  assert.deepEqual(c.candidates, ['PAGES', 'PAGEVIEWS']);
  assert.equal(c.replacement, 'PAGE');
  assert.deepEqual(complete('SELECT * FROM ', names)?.candidates, ['PAGES', 'PAGEVIEWS', 'USERS']);
  assert.equal(complete('DESCRIBE u', names)?.replacement, 'USERS');
});

test('column names complete elsewhere; nothing matching gives no completion', () => {
  assert.equal(complete('SELECT VIEW', names)?.replacement, 'VIEWTIME');
  assert.equal(complete('SELECT qqq', names), undefined);
  assert.equal(complete('SELECT ', names), undefined);
});

test('the line editor applies tab completion at the cursor', () => {
  let s = insertText(emptyEditor(0), 'select * from us');
  s = tabComplete(s, names);
  assert.equal(s.line, 'select * from USERS');
  assert.equal(s.cursor, s.line.length);
});

test('history browsing with up and down restores the draft', () => {
  const history = ['SHOW STREAMS;', 'SHOW TABLES;'];
  let s = insertText(emptyEditor(history.length), 'draft');
  s = historyStep(s, history, -1);
  assert.equal(s.line, 'SHOW TABLES;');
  s = historyStep(s, history, -1);
  assert.equal(s.line, 'SHOW STREAMS;');
  s = historyStep(s, history, -1);
  assert.equal(s.line, 'SHOW STREAMS;', 'stays at the oldest entry');
  s = historyStep(historyStep(s, history, 1), history, 1);
  assert.equal(s.line, 'draft');
  assert.equal(fullText(backspace(s)), 'draf');
});

test('header schemas split into names and types, nested types and quoted names included', () => {
  assert.deepEqual(parseSchema('`ID` BIGINT KEY, `S` STRUCT<`A` INTEGER, `B` MAP<STRING, DECIMAL(4, 2)>>, `x,y` STRING'), [
    { name: 'ID', type: 'BIGINT KEY' },
    { name: 'S', type: 'STRUCT<`A` INTEGER, `B` MAP<STRING, DECIMAL(4, 2)>>' },
    { name: 'x,y', type: 'STRING' },
  ]);
});
