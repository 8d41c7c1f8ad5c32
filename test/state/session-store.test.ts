import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySessionStore } from '../../src/runtime/state/memory-stores.js';
import type { Session } from '../../src/runtime/state/types.js';

const span = (s: Session<unknown>) => [s.key[0], s.start, s.end];

function filled(): MemorySessionStore<string> {
  const s = new MemorySessionStore<string>('s', 10_000);
  s.put({ key: ['u1'], start: 0, end: 10, value: 'a' });
  s.put({ key: ['u1'], start: 100, end: 150, value: 'b' });
  s.put({ key: ['u1'], start: 300, end: 300, value: 'c' });
  s.put({ key: ['u2'], start: 120, end: 130, value: 'd' });
  return s;
}

test('findSessions: same key, end >= earliestEnd and start <= latestStart', () => {
  const s = filled();
  // a record at t=140 with a 30ms gap touches sessions ending >= 110 and starting <= 170
  assert.deepEqual(s.findSessions(['u1'], 110, 170).map(span), [['u1', 100, 150]]);
  // bounds are inclusive on both sides
  assert.deepEqual(s.findSessions(['u1'], 10, 100).map(span), [['u1', 0, 10], ['u1', 100, 150]]);
  assert.deepEqual(s.findSessions(['u1'], 11, 99).map(span), []);
  assert.deepEqual(s.findSessions(['u1'], -Infinity, Infinity).map(span), [['u1', 0, 10], ['u1', 100, 150], ['u1', 300, 300]]);
  assert.deepEqual(s.findSessions(['u3'], -Infinity, Infinity), []);
  assert.deepEqual(s.findSessions(['u2'], 0, 1000).map((x) => x.value), ['d']);
});

test('merging a session: remove the old ones, put the merged one', () => {
  const s = filled();
  const found = s.findSessions(['u1'], 140, 310);
  assert.equal(found.length, 2);
  found[0]!.end = 999; // results are copies: this must not corrupt the store
  for (const f of found) s.remove(f.key, f.start, f === found[0] ? 150 : f.end);
  s.put({ key: ['u1'], start: 100, end: 300, value: 'bc' });
  assert.deepEqual([...s.all()].map(span), [['u1', 0, 10], ['u1', 100, 300], ['u2', 120, 130]]);
  assert.equal(s.size(), 3);
});

test('all() is by key then start', () => {
  const s = new MemorySessionStore<number>('s', 1000);
  // overlapping on purpose: end order differs from start order
  s.put({ key: ['k'], start: 50, end: 60, value: 1 });
  s.put({ key: ['k'], start: 10, end: 100, value: 2 });
  s.put({ key: ['j'], start: 70, end: 70, value: 3 });
  assert.deepEqual([...s.all()].map(span), [['j', 70, 70], ['k', 10, 100], ['k', 50, 60]]);
});

test('expireBefore drops sessions that ended earlier and records tombstones', () => {
  const s = filled();
  s.drainChanges();
  s.expireBefore(150);
  assert.deepEqual([...s.all()].map(span), [['u1', 100, 150], ['u1', 300, 300]]);
  const changes = s.drainChanges();
  assert.equal(changes.length, 2);
  assert.ok(changes.every((c) => c.value === null));
});

test('restore gives the same sessions; bad sessions are refused', () => {
  const a = filled();
  a.remove(['u1'], 0, 10);
  const b = new MemorySessionStore<string>('s', 10_000);
  for (const c of a.drainChanges()) b.restore(c);
  assert.deepEqual([...b.all()], [...a.all()]);
  b.expireBefore(200);
  assert.deepEqual([...b.all()].map(span), [['u1', 300, 300]]);
  assert.throws(() => b.put({ key: ['x'], start: 10, end: 5, value: '' }), /before its start/);
});
