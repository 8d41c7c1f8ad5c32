/**
 * The state codecs in one place: order-preserving store keys (./key-codec.ts), window and
 * session keys built from them, and store values (./value-codec.ts).
 *
 * Window key  = key bytes ‖ start (8 bytes)          -> one key's windows are contiguous, by start
 * Session key = key bytes ‖ end (8 bytes) ‖ start (8) -> one key's sessions are contiguous, by end,
 *               so "sessions ending at or after t" is one range scan (what merging needs)
 * Key bytes are self-delimiting, so no other key's entries can fall inside these ranges.
 */
import { ByteReader, ByteWriter, StateCodecError } from './bytes.js';
import { readKey, readTime, writeKey, writeTime } from './key-codec.js';
import type { StoreKey } from './types.js';

export { encodeKey, decodeKey, encodeKeyString, timeString } from './key-codec.js';
export { encodeValue, decodeValue } from './value-codec.js';
export { StateCodecError } from './bytes.js';

const writer = new ByteWriter();

export function encodeWindowKey(key: StoreKey, start: number): Buffer {
  writer.reset();
  writeKey(writer, key);
  writeTime(writer, start);
  return writer.toBuffer();
}

export function decodeWindowKey(buf: Buffer): { key: StoreKey; start: number } {
  const r = new ByteReader(buf);
  const key = readKey(r);
  const start = readTime(r);
  if (!r.done) throw new StateCodecError(`${buf.length - r.pos} trailing bytes after window key`);
  return { key, start };
}

export function encodeSessionKey(key: StoreKey, start: number, end: number): Buffer {
  writer.reset();
  writeKey(writer, key);
  writeTime(writer, end);
  writeTime(writer, start);
  return writer.toBuffer();
}

export function decodeSessionKey(buf: Buffer): { key: StoreKey; start: number; end: number } {
  const r = new ByteReader(buf);
  const key = readKey(r);
  const end = readTime(r);
  const start = readTime(r);
  if (!r.done) throw new StateCodecError(`${buf.length - r.pos} trailing bytes after session key`);
  return { key, start, end };
}
