/**
 * Random operation sequences against simple models (a plain list, filtered and sorted the slow
 * way): the stores' scans must agree with the model, and replaying the drained changes into a
 * fresh store must give the same content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeKey } from '../../src/runtime/state/codec.js';
import { MemoryKeyValueStore, MemorySessionStore, MemoryWindowStore } from '../../src/runtime/state/memory-stores.js';
import type { StoreChange } from '../../src/runtime/state/types.js';

const keyArb = fc.tuple(fc.constantFrom('a', 'b', 'é', ''), fc.integer({ min: -3, max: 3 }));
const cmpKey = (a: unknown[], b: unknown[]) => Buffer.compare(encodeKey(a), encodeKey(b));
const hex = (k: unknown[]) => encodeKey(k).toString('hex');

test('key-value store agrees with a model; changes replay to the same content', () => {
  const op = fc.oneof(
    fc.tuple(fc.constant('put' as const), keyArb, fc.integer()),
    fc.tuple(fc.constant('del' as const), keyArb, fc.constant(0)),
    fc.tuple(fc.constant('drain' as const), keyArb, fc.constant(0)),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), keyArb, keyArb, (ops, from, to) => {
      const s = new MemoryKeyValueStore<number>('kv');
      const model = new Map<string, [unknown[], number]>();
      const log: StoreChange[] = [];
      for (const [kind, k, v] of ops) {
        if (kind === 'put') {
          s.put(k, v);
          model.set(hex(k), [k, v]);
        } else if (kind === 'del') {
          s.delete(k);
          model.delete(hex(k));
        } else {
          log.push(...s.drainChanges());
        }
      }
      log.push(...s.drainChanges());
      const expected = [...model.values()].sort((x, y) => cmpKey(x[0], y[0]));
      assert.deepEqual([...s.all()], expected);
      assert.deepEqual([...s.range(from, to)], expected.filter(([k]) => cmpKey(k, from) >= 0 && cmpKey(k, to) <= 0));
      const replay = new MemoryKeyValueStore<number>('kv');
      for (const c of log) replay.restore(c);
      assert.deepEqual([...replay.all()], expected);
    }),
    { numRuns: 150 },
  );
});

test('window store agrees with a model across put/delete/expire; changes replay', () => {
  const t = fc.integer({ min: -2, max: 6 }).map((x) => x * 10);
  const op = fc.oneof(
    fc.tuple(fc.constant('put' as const), keyArb, t, fc.integer()),
    fc.tuple(fc.constant('del' as const), keyArb, t, fc.constant(0)),
    fc.tuple(fc.constant('expire' as const), keyArb, t, fc.constant(0)),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), keyArb, t, t, (ops, probe, from, to) => {
      const s = new MemoryWindowStore<number>('w', 100, 10);
      let model: [unknown[], number, number][] = [];
      for (const [kind, k, start, v] of ops) {
        if (kind === 'put') {
          s.put(k, start, v);
          model = model.filter(([mk, ms]) => !(hex(mk) === hex(k) && ms === start)).concat([[k, start, v]]);
        } else if (kind === 'del') {
          s.delete(k, start);
          model = model.filter(([mk, ms]) => !(hex(mk) === hex(k) && ms === start));
        } else {
          s.expireBefore(start);
          model = model.filter(([, ms]) => ms >= start);
        }
      }
      const sorted = model.sort((x, y) => cmpKey(x[0], y[0]) || x[1] - y[1]);
      assert.deepEqual([...s.fetchAll(from, to)], sorted.filter(([, ms]) => ms >= from && ms <= to));
      assert.deepEqual(
        [...s.fetch(probe, from, to)],
        sorted.filter(([mk, ms]) => hex(mk) === hex(probe) && ms >= from && ms <= to).map(([, ms, v]) => [ms, v]),
      );
      const replay = new MemoryWindowStore<number>('w', 100, 10);
      for (const c of s.drainChanges()) replay.restore(c);
      assert.deepEqual([...replay.fetchAll(-Infinity, Infinity)], sorted);
    }),
    { numRuns: 150 },
  );
});

test('session store findSessions agrees with the definition; changes replay', () => {
  const session = fc.tuple(keyArb, fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 20 }));
  fc.assert(
    fc.property(fc.array(session, { maxLength: 20 }), keyArb, fc.integer({ min: -5, max: 80 }), fc.integer({ min: -5, max: 80 }), fc.integer({ min: 0, max: 60 }), (puts, probe, earliestEnd, latestStart, expire) => {
      const s = new MemorySessionStore<number>('s', 1000);
      puts.forEach(([k, start, len], i) => s.put({ key: k, start, end: start + len, value: i }));
      s.expireBefore(expire);
      const all = [...s.all()];
      // the model: the last put per (key, start, end) survives if its end >= expire
      const model = new Map<string, { key: unknown[]; start: number; end: number; value: number }>();
      puts.forEach(([k, start, len], i) => model.set(`${hex(k)}/${start}/${start + len}`, { key: k, start, end: start + len, value: i }));
      const alive = [...model.values()].filter((x) => x.end >= expire);
      assert.deepEqual(all, alive.sort((x, y) => cmpKey(x.key, y.key) || x.start - y.start || x.end - y.end));
      const found = s.findSessions(probe, earliestEnd, latestStart);
      const expected = alive.filter((x) => hex(x.key) === hex(probe) && x.end >= earliestEnd && x.start <= latestStart);
      assert.deepEqual(found, expected.sort((x, y) => x.end - y.end || x.start - y.start));
      const replay = new MemorySessionStore<number>('s', 1000);
      for (const c of s.drainChanges()) replay.restore(c);
      assert.deepEqual([...replay.all()], all);
    }),
    { numRuns: 150 },
  );
});
