import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStoreProvider } from '../../src/runtime/state/memory-provider.js';

test('stores are created on first use and returned again by name', () => {
  const p = new MemoryStoreProvider();
  const kv = p.keyValue<number>('agg');
  assert.equal(p.keyValue('agg'), kv);
  const w = p.window('win', { retentionMs: 10, sizeMs: 5 });
  const s = p.session('sess', { retentionMs: 10 });
  assert.equal(p.window('win', { retentionMs: 10, sizeMs: 5 }), w);
  assert.equal(p.session('sess', { retentionMs: 10 }), s);
  assert.deepEqual(p.storeNames(), ['agg', 'win', 'sess']);
  assert.equal(p.get('agg'), kv);
  assert.equal(p.get('nope'), undefined);
});

test('one name cannot be two kinds of store', () => {
  const p = new MemoryStoreProvider();
  p.keyValue('x');
  assert.throws(() => p.window('x', { retentionMs: 1, sizeMs: 1 }), /'x' is a key-value store, not a window store/);
  assert.throws(() => p.keyValue(''), /non-empty name/);
});

test('takeChanges drains every store; restore into a fresh provider reproduces them', () => {
  const p = new MemoryStoreProvider();
  p.keyValue('kv').put(['a'], 1);
  p.window('w', { retentionMs: 100, sizeMs: 10 }).put(['a'], 10, 'x');
  p.session('s', { retentionMs: 100 }).put({ key: ['a'], start: 1, end: 2, value: true });
  const changes = p.takeChanges();
  assert.deepEqual(changes.map((c) => c.store), ['kv', 'w', 's']);
  assert.deepEqual(p.takeChanges(), []);

  // restore before the stores exist: parked, applied when the operator asks for the store
  const q = new MemoryStoreProvider();
  q.restore(changes);
  assert.deepEqual(q.parkedStoreNames().sort(), ['kv', 's', 'w']);
  assert.equal(q.keyValue('kv').get(['a']), 1);
  assert.equal(q.window('w', { retentionMs: 100, sizeMs: 10 }).get(['a'], 10), 'x');
  assert.deepEqual([...q.session('s', { retentionMs: 100 }).all()], [{ key: ['a'], start: 1, end: 2, value: true }]);
  assert.deepEqual(q.parkedStoreNames(), []);
  assert.deepEqual(q.takeChanges(), [], 'restored content is not a new change');

  // restore into stores that exist
  p.keyValue('kv').delete(['a']);
  q.restore(p.takeChanges());
  assert.equal(q.keyValue('kv').size(), 0);
});
