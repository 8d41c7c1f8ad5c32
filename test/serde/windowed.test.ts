import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendWindow, splitWindow, windowedKeySerde, SerdeError } from '../../src/runtime/serde/index.js';
import { BIG, INT, serde, STR } from './helpers.js';

test('TIME windows: key bytes then the 8-byte big-endian start', () => {
  const w = windowedKeySerde(serde('KAFKA', { K: INT }, { isKey: true }), 'TIME', 30_000);
  const bytes = w.serialize({ key: [10], window: { start: 1000 } })!;
  assert.deepEqual(bytes, Buffer.from([0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0x03, 0xe8]));
  assert.deepEqual(w.deserialize(bytes), { key: [10], window: { start: 1000, end: 31_000 } });
  // without a size the end is unknown
  const noSize = windowedKeySerde(serde('KAFKA', { K: INT }, { isKey: true }), 'TIME');
  assert.deepEqual(noSize.deserialize(bytes), { key: [10], window: { start: 1000 } });
});

test('SESSION windows: key bytes, 8-byte end, then 8-byte start', () => {
  const w = windowedKeySerde(serde('KAFKA', { K: STR }, { isKey: true }), 'SESSION');
  const bytes = w.serialize({ key: ['a'], window: { start: 1, end: 2 } })!;
  assert.deepEqual(bytes, Buffer.from([0x61, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1]));
  assert.deepEqual(w.deserialize(bytes), { key: ['a'], window: { start: 1, end: 2 } });
  assert.throws(() => w.serialize({ key: ['a'], window: { start: 1 } }), SerdeError);
});

test('windowed JSON keys and malformed windowed keys', () => {
  const w = windowedKeySerde(serde('JSON', { K: BIG, K2: STR }, { isKey: true }), 'TIME', 10);
  const v = { key: [5n, 'x'], window: { start: 1_700_000_000_000, end: 1_700_000_000_010 } };
  assert.deepEqual(w.deserialize(w.serialize(v)), v);
  assert.equal(w.deserialize(null), null);
  assert.equal(w.deserialize(Buffer.alloc(0)), null);
  assert.throws(() => w.deserialize(Buffer.alloc(5)), /too short/);
  assert.throws(() => windowedKeySerde(serde('JSON', { K: STR }, { isKey: true }), 'TIME').serialize({ key: [null], window: { start: 0 } }), SerdeError);
});

test('appendWindow/splitWindow compose with raw key bytes', () => {
  const raw = Buffer.from('"k"');
  const joined = appendWindow(raw, 'SESSION', { start: 5, end: 9 });
  assert.deepEqual(splitWindow(joined, 'SESSION'), { keyBytes: raw, window: { start: 5, end: 9 } });
  const t = appendWindow(raw, 'TIME', { start: -1 });
  assert.deepEqual(splitWindow(t, 'TIME', 1), { keyBytes: raw, window: { start: -1, end: 0 } });
});
