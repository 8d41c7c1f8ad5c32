/**
 * Confluent's schema-registry wire format: magic byte 0, the schema id as a 4-byte big-endian
 * int, then (Protobuf only) the message indexes, then the payload. Message indexes are a
 * zig-zag varint count followed by zig-zag varint indexes; the common path [0] is the single
 * byte 0.
 */
import { SerdeError } from './errors.js';

function writeVarint(out: number[], n: number): void {
  let z = ((n << 1) ^ (n >> 31)) >>> 0; // zig-zag
  while (z > 0x7f) {
    out.push((z & 0x7f) | 0x80);
    z >>>= 7;
  }
  out.push(z);
}

function readVarint(buf: Buffer, pos: { at: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos.at >= buf.length) throw new SerdeError('Invalid message indexes: data ends inside a varint');
    const b = buf[pos.at++]!;
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new SerdeError('Invalid message indexes: varint too long');
  }
  return (result >>> 1) ^ -(result & 1);
}

export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const out: number[] = [];
  writeVarint(out, indexes.length);
  for (const i of indexes) writeVarint(out, i);
  return Buffer.from(out);
}

export function frame(schemaId: number, payload: Buffer, indexes?: readonly number[]): Buffer {
  const head = Buffer.alloc(5);
  head.writeInt32BE(schemaId | 0, 1);
  return Buffer.concat(indexes ? [head, encodeMessageIndexes(indexes), payload] : [head, payload]);
}

export interface Unframed {
  schemaId: number;
  indexes: number[];
  payload: Buffer;
}

/** Splits framed bytes; `what` names the data in the error when the magic byte is missing. */
export function unframe(data: Buffer, withIndexes: boolean, what: string): Unframed {
  if (data.length < 5 || data[0] !== 0) throw new SerdeError(`Failed to deserialize ${what}: Unknown magic byte!`);
  const schemaId = data.readInt32BE(1);
  if (!withIndexes) return { schemaId, indexes: [], payload: data.subarray(5) };
  const pos = { at: 5 };
  const count = readVarint(data, pos);
  if (count < 0 || count > 64) throw new SerdeError(`Failed to deserialize ${what}: invalid message index count ${count}`);
  const indexes = count === 0 ? [0] : Array.from({ length: count }, () => readVarint(data, pos));
  return { schemaId, indexes, payload: data.subarray(pos.at) };
}
