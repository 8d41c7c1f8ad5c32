import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../src/common/decimal.js';
import { MemoryKeyValueStore } from '../../src/runtime/state/memory-stores.js';
import { decodeKey, decodeValue, encodeKey } from '../../src/runtime/state/codec.js';

function filled(): MemoryKeyValueStore<string> {
  const s = new MemoryKeyValueStore<string>('kv');
  for (const n of [5, 1, 3, -2, 4]) s.put([n], `v${n}`);
  return s;
}

test('get/put/delete/size', () => {
  const s = filled();
  assert.equal(s.size(), 5);
  assert.equal(s.get([3]), 'v3');
  assert.equal(s.get([7]), undefined);
  s.put([3], 'again');
  assert.equal(s.get([3]), 'again');
  assert.equal(s.size(), 5);
  s.delete([3]);
  s.delete([42]); // absent: no-op
  assert.equal(s.get([3]), undefined);
  assert.equal(s.size(), 4);
});

test('keys are compared by value, not identity (fresh arrays, Decimal, bigint, Buffer)', () => {
  const s = new MemoryKeyValueStore<number>('kv');
  s.put(['a', 1n, new Decimal('2.50'), Buffer.from([1, 2])], 1);
  assert.equal(s.get(['a', 1n, new Decimal('2.5'), Buffer.from([1, 2])]), 1);
  assert.equal(s.get(['a', 1, new Decimal('2.5'), Buffer.from([1, 2])]), undefined, 'INTEGER 1 and BIGINT 1 are different keys');
});

test('all() and range() are in key order with inclusive bounds', () => {
  const s = filled();
  assert.deepEqual([...s.all()].map(([k]) => k[0]), [-2, 1, 3, 4, 5]);
  assert.deepEqual([...s.range([1], [4])].map(([k, v]) => [k[0], v]), [[1, 'v1'], [3, 'v3'], [4, 'v4']]);
  assert.deepEqual([...s.range([2], [3.5])].map(([k]) => k[0]), [3]);
  assert.deepEqual([...s.range(undefined, [1])].map(([k]) => k[0]), [-2, 1]);
  assert.deepEqual([...s.range([4], undefined)].map(([k]) => k[0]), [4, 5]);
  assert.deepEqual([...s.range(undefined, undefined)].length, 5);
  assert.deepEqual([...s.range([4], [1])], [], 'from > to is empty');
});

test('range results are a snapshot: deleting while walking is safe', () => {
  const s = filled();
  for (const [k] of s.range(undefined, undefined)) s.delete(k);
  assert.equal(s.size(), 0);
});

test('changes: one per touched key (latest wins), deletes as null, drained once', () => {
  const s = new MemoryKeyValueStore<unknown>('counts');
  s.put(['a'], 1);
  s.put(['b'], 2);
  s.put(['a'], 3);
  s.delete(['b']);
  s.delete(['never-there']);
  const changes = s.drainChanges();
  assert.equal(changes.length, 2);
  assert.deepEqual(changes.map((c) => c.store), ['counts', 'counts']);
  assert.deepEqual(decodeKey(changes[0]!.key), ['a']);
  assert.equal(decodeValue(changes[0]!.value!), 3);
  assert.ok(changes[1]!.key.equals(encodeKey(['b'])));
  assert.equal(changes[1]!.value, null);
  assert.deepEqual(s.drainChanges(), []);
});

test('restore: replaying the changes into a fresh store gives the same content, records nothing', () => {
  const a = new MemoryKeyValueStore<unknown>('t');
  a.put(['x', 1], { n: 1n, m: new Map([['k', [new Decimal('0.1')]]]) });
  a.put(['y', 2], null);
  a.put(['z', 3], 'gone');
  const first = a.drainChanges();
  a.delete(['z', 3]);
  a.put(['x', 1], { n: 2n, m: new Map() });
  const second = a.drainChanges();

  const b = new MemoryKeyValueStore<unknown>('t');
  for (const c of [...first, ...second]) b.restore(c);
  assert.deepEqual([...b.all()], [...a.all()]);
  assert.equal(b.get(['y', 2]), null, 'a null value is a value, not a delete');
  assert.equal(b.drainChanges().length, 0);
  assert.throws(() => b.restore({ store: 'other', key: first[0]!.key, value: null }), /store 'other'/);
});
