/**
 * RecordBatch v2 (magic 2): header parsing, validation, record (de)coding and building batches.
 * Layout offsets are fixed (61-byte header); the CRC-32C covers attributes..end, so the broker may rewrite
 * baseOffset (@0) and partitionLeaderEpoch (@12) without recomputing it.
 */
import { Reader } from '../protocol/reader.js';
import { Writer } from '../protocol/writer.js';
import { crc32c } from './crc32c.js';
import { compress, decompress } from './compression.js';

export const BATCH_HEADER_SIZE = 61;
export const ATTR_CODEC_MASK = 0x07;
export const ATTR_LOG_APPEND_TIME = 0x08;
export const ATTR_TRANSACTIONAL = 0x10;
export const ATTR_CONTROL = 0x20;

export interface BatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface KafkaRecord {
  offsetDelta: number;
  timestampDelta: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export class InvalidRecordError extends Error {
  constructor(message: string, readonly errorCode: number) {
    super(message);
  }
}

/** Reads the fixed header at `pos`; caller guarantees at least 61 bytes. */
export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  return {
    baseOffset: buf.readBigInt64BE(pos),
    batchLength: buf.readInt32BE(pos + 8),
    partitionLeaderEpoch: buf.readInt32BE(pos + 12),
    magic: buf.readInt8(pos + 16),
    crc: buf.readUInt32BE(pos + 17),
    attributes: buf.readInt16BE(pos + 21),
    lastOffsetDelta: buf.readInt32BE(pos + 23),
    baseTimestamp: buf.readBigInt64BE(pos + 27),
    maxTimestamp: buf.readBigInt64BE(pos + 35),
    producerId: buf.readBigInt64BE(pos + 43),
    producerEpoch: buf.readInt16BE(pos + 51),
    baseSequence: buf.readInt32BE(pos + 53),
    recordCount: buf.readInt32BE(pos + 57),
  };
}

/**
 * Splits a produce request's `records` bytes into whole batches, validating magic, sizes and CRC.
 * Throws InvalidRecordError with CORRUPT_MESSAGE (2) / INVALID_RECORD (87) codes.
 */
export function splitAndValidate(records: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < BATCH_HEADER_SIZE) throw new InvalidRecordError('truncated record batch header', 2);
    const len = records.readInt32BE(pos + 8);
    const total = len + 12;
    if (len < BATCH_HEADER_SIZE - 12 || pos + total > records.length) throw new InvalidRecordError('record batch length out of range', 2);
    const magic = records.readInt8(pos + 16);
    if (magic !== 2) throw new InvalidRecordError(`unsupported record batch magic ${magic} (only v2 is accepted)`, 87);
    const batch = records.subarray(pos, pos + total);
    const crc = batch.readUInt32BE(17);
    if (crc32c(batch.subarray(21)) !== crc) throw new InvalidRecordError('record batch CRC mismatch', 2);
    const count = batch.readInt32BE(57);
    if (count < 0) throw new InvalidRecordError('negative record count', 87);
    out.push(batch);
    pos += total;
  }
  return out;
}

/** Batches stored in a fetch region, stopping at a trailing partial batch. */
export function* iterateBatches(buf: Buffer): Generator<{ pos: number; header: BatchHeader; size: number }> {
  let pos = 0;
  while (buf.length - pos >= BATCH_HEADER_SIZE) {
    const len = buf.readInt32BE(pos + 8);
    const size = len + 12;
    if (len < BATCH_HEADER_SIZE - 12 || pos + size > buf.length) return;
    yield { pos, header: readBatchHeader(buf, pos), size };
    pos += size;
  }
}

export function decodeRecords(batch: Buffer): KafkaRecord[] {
  const header = readBatchHeader(batch);
  const body = decompress(header.attributes & ATTR_CODEC_MASK, batch.subarray(BATCH_HEADER_SIZE));
  const r = new Reader(body);
  const out: KafkaRecord[] = [];
  for (let i = 0; i < header.recordCount; i++) {
    const len = r.varint();
    const end = r.pos + len;
    r.i8(); // record attributes, unused
    const timestampDelta = r.varlong();
    const offsetDelta = r.varint();
    const keyLen = r.varint();
    const key = keyLen < 0 ? null : Buffer.from(r.bytesRaw(keyLen));
    const valueLen = r.varint();
    const value = valueLen < 0 ? null : Buffer.from(r.bytesRaw(valueLen));
    const headerCount = r.varint();
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const hk = r.bytesRaw(r.varint()).toString('utf8');
      const hvLen = r.varint();
      headers.push({ key: hk, value: hvLen < 0 ? null : Buffer.from(r.bytesRaw(hvLen)) });
    }
    r.pos = end;
    out.push({ offsetDelta, timestampDelta, key, value, headers });
  }
  return out;
}

export interface BuildBatchOptions {
  baseOffset: bigint;
  baseTimestamp: bigint;
  maxTimestamp?: bigint;
  attributes?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  lastOffsetDelta?: number;
  partitionLeaderEpoch?: number;
  records: KafkaRecord[];
}

function encodeRecord(w: Writer, rec: KafkaRecord): void {
  const body = new Writer(64);
  body.i8(0).varlong(rec.timestampDelta).varint(rec.offsetDelta);
  if (rec.key === null) body.varint(-1);
  else body.varint(rec.key.length).raw(rec.key);
  if (rec.value === null) body.varint(-1);
  else body.varint(rec.value.length).raw(rec.value);
  body.varint(rec.headers.length);
  for (const h of rec.headers) {
    const hk = Buffer.from(h.key, 'utf8');
    body.varint(hk.length).raw(hk);
    if (h.value === null) body.varint(-1);
    else body.varint(h.value.length).raw(h.value);
  }
  const b = body.result();
  w.varint(b.length).raw(b);
}

/** Builds a complete, CRC-stamped v2 batch. Compression follows attributes bits 0-2. */
export function buildBatch(o: BuildBatchOptions): Buffer {
  const attributes = o.attributes ?? 0;
  const recs = new Writer(256);
  for (const rec of o.records) encodeRecord(recs, rec);
  const payload = compress(attributes & ATTR_CODEC_MASK, recs.result());
  const lastOffsetDelta = o.lastOffsetDelta ?? (o.records.length ? Math.max(...o.records.map((r) => r.offsetDelta)) : 0);
  const maxTs = o.maxTimestamp ?? o.records.reduce((m, r) => (o.baseTimestamp + r.timestampDelta > m ? o.baseTimestamp + r.timestampDelta : m), o.baseTimestamp);
  const w = new Writer(BATCH_HEADER_SIZE + payload.length);
  w.i64(o.baseOffset).i32(BATCH_HEADER_SIZE - 12 + payload.length).i32(o.partitionLeaderEpoch ?? 0).i8(2).u32(0);
  w.i16(attributes).i32(lastOffsetDelta).i64(o.baseTimestamp).i64(maxTs);
  w.i64(o.producerId ?? -1n).i16(o.producerEpoch ?? -1).i32(o.baseSequence ?? -1).i32(o.records.length);
  w.raw(payload);
  const out = Buffer.from(w.result());
  out.writeUInt32BE(crc32c(out.subarray(21)), 17);
  return out;
}

/** A transaction marker: isControl|isTransactional, one record, key = (version 0, type), value = (version 0, coordinatorEpoch). */
export function buildControlBatch(baseOffset: bigint, producerId: bigint, producerEpoch: number, commit: boolean, timestamp: bigint): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(commit ? 1 : 0, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(0, 2);
  return buildBatch({
    baseOffset,
    baseTimestamp: timestamp,
    attributes: ATTR_CONTROL | ATTR_TRANSACTIONAL,
    producerId,
    producerEpoch,
    baseSequence: -1,
    records: [{ offsetDelta: 0, timestampDelta: 0n, key, value, headers: [] }],
  });
}

/** Control record type (0 ABORT, 1 COMMIT) of a control batch, or -1. */
export function controlType(batch: Buffer): number {
  const recs = decodeRecords(batch);
  const key = recs[0]?.key;
  return key && key.length >= 4 ? key.readInt16BE(2) : -1;
}
