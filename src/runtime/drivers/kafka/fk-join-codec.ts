/**
 * How a foreign-key join's messages (../../operators/fk-join-messages.ts) cross Kafka. The record
 * key is the key the topic is partitioned by, in the state key codec (the foreign key on the
 * registration topic, the left primary key on the response topic) — readable, though routing
 * uses the partition chosen by the producer; the value is the rest of the message in the state
 * value codec, which keeps every runtime value (bigint, Decimal, Map, Buffer, struct) exact.
 */
import { decodeKey, encodeKey } from '../../state/key-codec.js';
import { decodeValue, encodeValue } from '../../state/value-codec.js';
import type { FkInstruction, FkProvenance, FkResponse, FkSubscription } from '../../operators/fk-join-messages.js';

const SUBSCRIPTION_V1 = 1;
const RESPONSE_V1 = 1;
const INSTRUCTIONS: FkInstruction[] = ['unsubscribe', 'subscribe', 'subscribe-null'];

export interface EncodedMessage {
  key: Buffer;
  value: Buffer;
  timestamp: string;
}

const provenance = (p: FkProvenance): unknown[] => [p.partition, p.offset, p.window ? [p.window.start, p.window.end] : null];

function readProvenance(v: unknown): FkProvenance {
  if (!Array.isArray(v) || v.length !== 3 || typeof v[0] !== 'number' || typeof v[1] !== 'number') throw new Error('unreadable record provenance');
  const w = v[2] as [number, number] | null;
  return { partition: v[0], offset: v[1], window: w ? { start: w[0], end: w[1] } : null };
}

export function encodeSubscription(msg: FkSubscription): EncodedMessage {
  return {
    key: encodeKey([msg.fk ?? null]),
    value: encodeValue([SUBSCRIPTION_V1, msg.pk.map((v) => v ?? null), INSTRUCTIONS.indexOf(msg.instruction), msg.hash, msg.ts, provenance(msg.source), msg.replyTo]),
    timestamp: String(msg.ts),
  };
}

export function decodeSubscription(key: Buffer | null, value: Buffer | null): FkSubscription {
  if (key === null || value === null) throw new Error('subscription record without key or value');
  const v = decodeValue(value);
  if (!Array.isArray(v) || v[0] !== SUBSCRIPTION_V1 || v.length !== 7) throw new Error('unreadable subscription record');
  const [, pk, instruction, hash, ts, source, replyTo] = v as [number, unknown[], number, Buffer | null, number, unknown, number];
  const fk = decodeKey(key)[0] ?? null;
  const ins = INSTRUCTIONS[instruction];
  if (ins === undefined || !Array.isArray(pk) || (ins !== 'unsubscribe' && !Buffer.isBuffer(hash))) throw new Error('unreadable subscription record');
  return { fk, pk, instruction: ins, hash, ts, source: readProvenance(source), replyTo };
}

export function encodeResponse(msg: FkResponse): EncodedMessage {
  return {
    key: encodeKey(msg.pk.map((v) => v ?? null)),
    value: encodeValue([RESPONSE_V1, msg.hash, msg.right ? [msg.right.cols.map((v) => v ?? null), msg.right.ts] : null, msg.ts, provenance(msg.source), msg.replyTo]),
    timestamp: String(msg.ts),
  };
}

export function decodeResponse(key: Buffer | null, value: Buffer | null): FkResponse {
  if (key === null || value === null) throw new Error('subscription response record without key or value');
  const v = decodeValue(value);
  if (!Array.isArray(v) || v[0] !== RESPONSE_V1 || v.length !== 6 || !Buffer.isBuffer(v[1])) throw new Error('unreadable subscription response record');
  const [, hash, right, ts, source, replyTo] = v as [number, Buffer, [unknown[], number] | null, number, unknown, number];
  return { pk: decodeKey(key), hash, right: right ? { cols: right[0], ts: right[1] } : null, ts, source: readProvenance(source), replyTo };
}
