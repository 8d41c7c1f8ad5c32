import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { History } from '../../cli/interactive/history.js';

test('history survives a restart: multi-line statements are one entry, consecutive duplicates are dropped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-history-'));
  try {
    const path = join(dir, 'h');
    await writeFile(path, 'SHOW TOPICS;\n\n');
    const h = new History(path);
    assert.deepEqual(h.entries, ['SHOW TOPICS;']);
    h.add('SELECT *\n  FROM s;');
    h.add('SELECT * FROM s;');
    h.add('   ');
    assert.deepEqual(h.entries, ['SHOW TOPICS;', 'SELECT * FROM s;']);
    assert.equal(await readFile(path, 'utf8'), 'SHOW TOPICS;\n\nSELECT * FROM s;\n');
    assert.deepEqual(new History(path).entries, ['SHOW TOPICS;', 'SELECT * FROM s;']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a history file that cannot be written only loses history', () => {
  const h = new History('/nonexistent-dir/sluice_history');
  h.add('SHOW STREAMS;');
  assert.deepEqual(h.entries, ['SHOW STREAMS;']);
});
