import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryWindowStore } from '../../src/runtime/state/memory-stores.js';
import { decodeWindowKey } from '../../src/runtime/state/codec.js';

function filled(): MemoryWindowStore<number> {
  const s = new MemoryWindowStore<number>('w', 1000, 100);
  for (const key of ['b', 'a']) for (const start of [300, 0, 100, -100, 200]) s.put([key], start, start + (key === 'a' ? 1 : 2));
  return s;
}

test('get/put/delete by (key, start)', () => {
  const s = filled();
  assert.equal(s.size(), 10);
  assert.equal(s.get(['a'], 100), 101);
  assert.equal(s.get(['a'], 150), undefined);
  s.put(['a'], 100, 7);
  assert.equal(s.get(['a'], 100), 7);
  s.delete(['a'], 100);
  assert.equal(s.get(['a'], 100), undefined);
  assert.equal(s.size(), 9);
  assert.equal(s.retentionMs, 1000);
  assert.equal(s.sizeMs, 100);
});

test('fetch: one key, start in [from, to] inclusive, by start', () => {
  const s = filled();
  assert.deepEqual([...s.fetch(['a'], 0, 200)], [[0, 1], [100, 101], [200, 201]]);
  assert.deepEqual([...s.fetch(['a'], -Infinity, 0)], [[-100, -99], [0, 1]]);
  assert.deepEqual([...s.fetch(['a'], 50, 99)], []);
  assert.deepEqual([...s.fetch(['c'], -Infinity, Infinity)], []);
  assert.deepEqual([...s.fetch(['a'], 200, 100)], []);
});

test('fetchAll: any key, start in [from, to], by key then start', () => {
  const s = filled();
  assert.deepEqual([...s.fetchAll(100, 200)].map(([k, t, v]) => [k[0], t, v]), [
    ['a', 100, 101],
    ['a', 200, 201],
    ['b', 100, 102],
    ['b', 200, 202],
  ]);
  assert.equal([...s.fetchAll(-Infinity, Infinity)].length, 10);
});

test('expireBefore drops windows that started earlier, records tombstones', () => {
  const s = filled();
  s.drainChanges();
  s.expireBefore(100);
  assert.deepEqual([...s.fetch(['a'], -Infinity, Infinity)].map(([t]) => t), [100, 200, 300]);
  assert.equal(s.size(), 6);
  const changes = s.drainChanges();
  assert.equal(changes.length, 4);
  assert.ok(changes.every((c) => c.value === null));
  assert.deepEqual(changes.map((c) => decodeWindowKey(c.key).start).sort((x, y) => x - y), [-100, -100, 0, 0]);
  assert.equal([...s.fetchAll(-Infinity, 99)].length, 0, 'the time index was cleaned too');
  s.expireBefore(100); // nothing more
  assert.equal(s.drainChanges().length, 0);
});

test('restore rebuilds both the windows and the time index', () => {
  const a = filled();
  const b = new MemoryWindowStore<number>('w', 1000, 100);
  for (const c of a.drainChanges()) b.restore(c);
  assert.deepEqual([...b.fetchAll(-Infinity, Infinity)], [...a.fetchAll(-Infinity, Infinity)]);
  b.expireBefore(300);
  assert.deepEqual([...b.fetchAll(-Infinity, Infinity)].map(([k, t]) => [k[0], t]), [['a', 300], ['b', 300]]);
  // a delete restored for a window that is there
  a.delete(['a'], 300);
  for (const c of a.drainChanges()) b.restore(c);
  assert.deepEqual([...b.fetchAll(-Infinity, Infinity)].map(([k, t]) => [k[0], t]), [['b', 300]]);
});

test('non-integral window starts are refused', () => {
  const s = new MemoryWindowStore<number>('w', 1000, 100);
  assert.throws(() => s.put(['a'], 1.5, 1), /integral/);
  assert.throws(() => s.fetch(['a'], NaN, 1), /NaN/);
});
