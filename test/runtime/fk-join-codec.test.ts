/** A foreign-key join's messages survive the trip through Kafka records exactly, and bad bytes are refused clearly. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../../src/common/decimal.js';
import { decodeResponse, decodeSubscription, encodeResponse, encodeSubscription } from '../../src/runtime/drivers/kafka/fk-join-codec.js';
import { leftRowHash, type FkResponse, type FkSubscription } from '../../src/runtime/operators/fk-join-messages.js';

const cols = [12n, 'x', new Decimal('1.50'), new Map([['k', [1, null]]]), { F: Buffer.from([0, 1]) }, null];

test('subscriptions round-trip, for every instruction', () => {
  for (const instruction of ['unsubscribe', 'subscribe', 'subscribe-null'] as const) {
    const msg: FkSubscription = { fk: 7n, pk: ['a', 3], instruction, hash: instruction === 'unsubscribe' ? null : leftRowHash(cols), ts: 1234, source: { partition: 2, offset: 99, window: null }, replyTo: 2 };
    const { key, value, timestamp } = encodeSubscription(msg);
    assert.equal(timestamp, '1234');
    assert.deepEqual(decodeSubscription(key, value), msg);
  }
});

test('responses round-trip, with and without a right row', () => {
  for (const right of [{ cols, ts: 5 }, null]) {
    const msg: FkResponse = { pk: ['a', 3], hash: leftRowHash(['v']), right, ts: 10, source: { partition: 1, offset: 4, window: { start: 0, end: 1000 } }, replyTo: 0 };
    const { key, value } = encodeResponse(msg);
    const back = decodeResponse(key, value);
    assert.deepEqual({ ...back, right: back.right && { ...back.right, cols: back.right.cols.map(String) } }, { ...msg, right: right && { ...right, cols: right.cols.map(String) } });
    assert.ok(back.right === null || (back.right.cols[2] as Decimal).equals(new Decimal('1.50')));
  }
});

test('the left-row hash tells rows apart and is stable across a value-codec round trip', () => {
  assert.ok(leftRowHash(cols).equals(leftRowHash([12n, 'x', new Decimal('1.50'), new Map([['k', [1, null]]]), { F: Buffer.from([0, 1]) }, undefined])));
  assert.ok(!leftRowHash(cols).equals(leftRowHash([13n, ...cols.slice(1)])));
  assert.ok(!leftRowHash([1]).equals(leftRowHash([1n])));
});

test('unreadable records are refused with a clear error', () => {
  const ok = encodeSubscription({ fk: 'f', pk: ['p'], instruction: 'subscribe', hash: leftRowHash([1]), ts: 0, source: { partition: 0, offset: 0, window: null }, replyTo: 0 });
  assert.throws(() => decodeSubscription(null, ok.value), /subscription record without key or value/);
  assert.throws(() => decodeSubscription(ok.key, Buffer.from([1, 2, 3])), /./);
  assert.throws(() => decodeResponse(ok.key, ok.value), /unreadable subscription response record/);
});
