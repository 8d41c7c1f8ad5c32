import assert from 'node:assert/strict';
import { test } from 'node:test';
import stringWidth from 'string-width';
import { cellText, fitWidths, renderTable, streamingWidths, wrapCell } from '../../cli/interactive/table-render.js';

test('a table that fits keeps natural widths and aligns every border', () => {
  const lines = renderTable(['ID', 'NAME'], [['1', 'alice'], ['22', 'bob']]);
  assert.deepEqual(lines, [
    '+----+-------+',
    '| ID | NAME  |',
    '+----+-------+',
    '| 1  | alice |',
    '| 22 | bob   |',
    '+----+-------+',
  ]);
});

test('a table wider than the terminal shrinks its widest column and wraps its cells', () => {
  const long = 'x'.repeat(100);
  const lines = renderTable(['K', 'TEXT'], [['1', long]], 40);
  for (const l of lines) assert.ok(stringWidth(l) <= 40, `line too wide: ${l}`);
  const joined = lines.filter((l) => l.startsWith('|')).slice(1).map((l) => l.split('|')[2]!.trim()).join('');
  assert.equal(joined, long, 'wrapped pieces put together give the whole cell');
  assert.ok(lines.length > 6, 'the long cell takes several lines');
});

test('wide characters are measured by display width', () => {
  const lines = renderTable(['名前'], [['日本語'], ['ab']]);
  const widths = new Set(lines.map((l) => stringWidth(l)));
  assert.equal(widths.size, 1, `all lines equally wide: ${lines.join('\n')}`);
});

test('fitWidths never goes below the minimum and keeps narrow columns', () => {
  assert.deepEqual(fitWidths([2, 50], 30), [2, 21]);
  assert.deepEqual(fitWidths([10, 10], 5), [4, 4]);
});

test('wrapCell honours newlines and hard-breaks long text', () => {
  assert.deepEqual(wrapCell('abcdef\ngh', 4), ['abcd', 'ef', 'gh']);
});

test('cells show null, strings bare and other values as JSON', () => {
  assert.equal(cellText(null), 'null');
  assert.equal(cellText('a'), 'a');
  assert.equal(cellText({ A: [1, 2] }), '{"A":[1,2]}');
  assert.equal(cellText(1.5), '1.5');
});

test('streaming widths share the terminal, and fall back to the header width for a pipe', () => {
  const w = streamingWidths(['A', 'B', 'C'], 100);
  assert.equal(w.reduce((a, b) => a + b, 0) + 3 * 3 + 1, 100);
  assert.deepEqual(streamingWidths(['A', 'A_VERY_LONG_COLUMN_NAME'], undefined), [16, 23]);
});
