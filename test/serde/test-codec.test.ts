import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSerde, decodeTestValue, encodeTestValue, type FormatName } from '../../src/runtime/serde/index.js';
import { BIG, BYTES, cols, DBL, dec, INT, STR } from './helpers.js';
import type { SqlType } from '../../src/common/types.js';

const spec = (format: FormatName) => ({ format, properties: {} });
const enc = (format: FormatName, c: Record<string, SqlType>, v: unknown, isKey = false) => encodeTestValue(spec(format), cols(c), { isKey }, v);
const dec_ = (format: FormatName, c: Record<string, SqlType>, b: Buffer | null, isKey = false) => decodeTestValue(spec(format), cols(c), { isKey }, b);

test('JSON test values are JSON text, read back with JSON.parse semantics', () => {
  assert.equal(enc('JSON', { V: INT }, { V: 0, S: 'x', A: [1.5, null] })!.toString(), '{"V":0,"S":"x","A":[1.5,null]}');
  assert.equal(enc('JSON', { V: BIG }, 9223372036854775807n)!.toString(), '9223372036854775807');
  assert.equal(enc('JSON', { V: INT }, null), null);
  assert.deepEqual(dec_('JSON', { V: INT }, Buffer.from('{"FOO":10.0000}')), { FOO: 10 });
  assert.throws(() => dec_('JSON', { V: INT }, Buffer.from('{')), /not valid JSON/);
});

test('the engine reads what the codec writes (qtt input to engine to qtt output)', () => {
  const c = cols({ ID: BIG, NAME: STR, D: dec(6, 4) });
  const s = createSerde(spec('JSON'), c, { isKey: false });
  const input = { id: 1, name: 'a', d: 12.365 };
  const row = s.deserialize(encodeTestValue(spec('JSON'), c, { isKey: false }, input));
  assert.deepEqual(decodeTestValue(spec('JSON'), c, { isKey: false }, s.serialize(row)), { ID: 1, NAME: 'a', D: 12.365 });
});

test('DELIMITED test values are the strings themselves', () => {
  assert.equal(enc('DELIMITED', { A: INT }, '0|zero|0')!.toString(), '0|zero|0');
  assert.equal(enc('DELIMITED', { A: INT }, 10)!.toString(), '10');
  assert.equal(dec_('DELIMITED', { A: INT }, Buffer.from('"-0.50"')), '"-0.50"');
});

test('KAFKA test values use the primitive serializers; BYTES are UTF-8 of the string', () => {
  assert.deepEqual(enc('KAFKA', { K: INT }, 9, true), Buffer.from([0, 0, 0, 9]));
  assert.deepEqual(enc('KAFKA', { K: BIG }, 1, true), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]));
  assert.equal(dec_('KAFKA', { K: BIG }, Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), true), 1);
  assert.equal(dec_('KAFKA', { K: DBL }, enc('KAFKA', { K: DBL }, 1.1, true), true), 1.1);
  assert.equal(dec_('KAFKA', { K: STR }, enc('KAFKA', { K: STR }, 'foo', true), true), 'foo');
  assert.deepEqual(enc('KAFKA', { V: BYTES }, 'abc'), Buffer.from('abc'));
  assert.equal(dec_('KAFKA', { V: BYTES }, Buffer.from('abc')), 'abc');
  // a keyless KAFKA key still carries whatever string the case gives, to be ignored
  assert.equal(enc('KAFKA', {}, 'ignored', true)!.toString(), 'ignored');
  assert.throws(() => enc('KAFKA', { K: INT }, 'x', true), /Can't serialize/);
});

test('NONE writes and reads nothing', () => {
  assert.equal(enc('NONE', {}, 'data that should be ignored', true), null);
  assert.equal(dec_('NONE', {}, Buffer.from('x'), true), null);
});

test('windowed test keys: the qtt window maps to Kafka Streams windowed bytes and back', async () => {
  const { encodeTestWindowedKey, decodeTestWindowedKey, windowedKeySerde } = await import('../../src/runtime/serde/index.js');
  const s = spec('KAFKA');
  const c = cols({ K: INT });
  const session = encodeTestWindowedKey(s, c, { isKey: true }, 1, { start: 10000, end: 40000, type: 'session' });
  assert.deepEqual(windowedKeySerde(createSerde(s, c, { isKey: true }), 'SESSION').deserialize(session), { key: [1], window: { start: 10000, end: 40000 } });
  assert.deepEqual(decodeTestWindowedKey(s, c, { isKey: true }, session, 'session'), { key: 1, window: { start: 10000, end: 40000, type: 'session' } });
  const time = encodeTestWindowedKey(s, c, { isKey: true }, 0, { start: 30000, end: 60000, type: 'time' });
  assert.equal(time.length, 12);
  assert.deepEqual(decodeTestWindowedKey(s, c, { isKey: true }, time, 'time', 30000), { key: 0, window: { start: 30000, end: 60000, type: 'time' } });
});
