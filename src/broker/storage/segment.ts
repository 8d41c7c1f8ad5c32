/**
 * One log segment: an append-only file `<baseOffset>.log` of whole record batches plus a sparse offset index
 * (one entry every 4 KiB, like Kafka's .index). The active segment's index lives in memory and is rebuilt by
 * scanning batch headers on open; when a segment is closed (rolled) its index is written to `<baseOffset>.index`
 * so later opens load it instead of scanning. Offsets are JS numbers (safe to 2^53).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BATCH_HEADER_SIZE, readBatchHeader, type BatchHeader } from '../records/batch.js';
import { crc32c } from '../records/crc32c.js';
import { writeFileAtomic } from './atomic-file.js';

const INDEX_INTERVAL_BYTES = 4096;

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

/** Index file layout: magic "SLIX" | version i32 | logSize i64 | nextOffset i64 | maxTimestamp i64 | count i32 | (relOffset i32, position i32)*. */
const INDEX_MAGIC = 0x534c4958;
const INDEX_HEADER = 36;

export interface ScannedBatch {
  pos: number;
  size: number;
  header: BatchHeader;
  /** Full batch bytes, only provided when the scan asked for them. */
}

export class Segment {
  readonly file: string;
  private fd: number;
  size = 0;
  /** Offset after the last record in this segment. */
  nextOffset: number;
  maxTimestamp = -1;
  /** Wall-clock time the segment was created (for segment.ms rolling). */
  readonly createdAt: number;
  private indexOffsets: number[] = [];
  private indexPositions: number[] = [];
  private bytesSinceIndex = Number.MAX_SAFE_INTEGER;
  unflushedMessages = 0;

  constructor(readonly dir: string, readonly baseOffset: number) {
    this.file = path.join(dir, segmentFileName(baseOffset));
    this.fd = fs.openSync(this.file, fs.existsSync(this.file) ? 'r+' : 'w+');
    this.nextOffset = baseOffset;
    this.createdAt = fs.fstatSync(this.fd).mtimeMs;
  }

  /**
   * Scans all batches, rebuilding the index; a torn or corrupt tail (crash mid-write) is truncated away so
   * that only complete, CRC-valid batches remain. Calls `visit` for every valid batch.
   */
  recover(visit: (header: BatchHeader, batch: () => Buffer) => void, verifyCrc: boolean): void {
    const fileSize = fs.fstatSync(this.fd).size;
    this.size = fileSize; // lets read() see the whole file while scanning
    let pos = 0;
    const head = Buffer.alloc(BATCH_HEADER_SIZE);
    while (pos + BATCH_HEADER_SIZE <= fileSize) {
      fs.readSync(this.fd, head, 0, BATCH_HEADER_SIZE, pos);
      const len = head.readInt32BE(8);
      const size = len + 12;
      if (len < BATCH_HEADER_SIZE - 12 || pos + size > fileSize || head.readInt8(16) !== 2) break;
      const header = readBatchHeader(head);
      let full: Buffer | null = null;
      const load = (): Buffer => (full ??= this.read(pos, size));
      if (verifyCrc && crc32c(load().subarray(21)) !== header.crc) break;
      this.noteBatch(pos, size, header);
      visit(header, load);
      pos += size;
    }
    if (pos < fileSize) fs.ftruncateSync(this.fd, pos);
    this.size = pos;
  }

  private noteBatch(pos: number, size: number, header: BatchHeader): void {
    if (this.bytesSinceIndex >= INDEX_INTERVAL_BYTES) {
      this.indexOffsets.push(Number(header.baseOffset));
      this.indexPositions.push(pos);
      this.bytesSinceIndex = 0;
    }
    this.bytesSinceIndex += size;
    this.nextOffset = Number(header.baseOffset) + header.lastOffsetDelta + 1;
    const ts = Number(header.maxTimestamp);
    if (ts > this.maxTimestamp) this.maxTimestamp = ts;
  }

  append(batch: Buffer): void {
    const pos = this.size;
    let written = 0;
    while (written < batch.length) written += fs.writeSync(this.fd, batch, written, batch.length - written, pos + written);
    this.size += batch.length;
    this.noteBatch(pos, batch.length, readBatchHeader(batch));
    this.unflushedMessages += batch.readInt32BE(57);
  }

  flush(): void {
    if (this.unflushedMessages === 0) return;
    fs.fsyncSync(this.fd);
    this.unflushedMessages = 0;
  }

  read(pos: number, length: number): Buffer {
    const len = Math.max(0, Math.min(length, this.size - pos));
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = fs.readSync(this.fd, buf, got, len - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  }

  readHeader(pos: number): BatchHeader | null {
    if (pos + BATCH_HEADER_SIZE > this.size) return null;
    return readBatchHeader(this.read(pos, BATCH_HEADER_SIZE));
  }

  /** Position of the first batch whose last offset is >= `offset`, or -1 if none. */
  positionOf(offset: number): number {
    let lo = 0;
    let hi = this.indexOffsets.length - 1;
    let start = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.indexOffsets[mid]! <= offset) {
        start = this.indexPositions[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let pos = start;
    for (;;) {
      const h = this.readHeader(pos);
      if (!h) return -1;
      if (Number(h.baseOffset) + h.lastOffsetDelta >= offset) return pos;
      pos += h.batchLength + 12;
    }
  }

  /** Iterates batch headers from `pos` (used by timestamp lookups, compaction and retention). */
  *headers(pos = 0): Generator<{ pos: number; header: BatchHeader }> {
    for (;;) {
      const h = this.readHeader(pos);
      if (!h) return;
      yield { pos, header: h };
      pos += h.batchLength + 12;
    }
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }

  get indexFile(): string {
    return this.file.replace(/\.log$/, '.index');
  }

  /** Persists the sparse index of a closed segment (written once, when the segment stops being active). */
  writeIndex(): void {
    const n = this.indexOffsets.length;
    const buf = Buffer.alloc(INDEX_HEADER + n * 8);
    buf.writeUInt32BE(INDEX_MAGIC, 0);
    buf.writeInt32BE(1, 4);
    buf.writeBigInt64BE(BigInt(this.size), 8);
    buf.writeBigInt64BE(BigInt(this.nextOffset), 16);
    buf.writeBigInt64BE(BigInt(this.maxTimestamp), 24);
    buf.writeInt32BE(n, 32);
    for (let i = 0; i < n; i++) {
      buf.writeInt32BE(this.indexOffsets[i]! - this.baseOffset, INDEX_HEADER + i * 8);
      buf.writeInt32BE(this.indexPositions[i]!, INDEX_HEADER + i * 8 + 4);
    }
    writeFileAtomic(this.indexFile, buf);
  }

  /** Loads `<base>.index` if it matches the log file exactly; false means the caller must scan instead. */
  loadIndex(): boolean {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.indexFile);
    } catch {
      return false;
    }
    if (buf.length < INDEX_HEADER || buf.readUInt32BE(0) !== INDEX_MAGIC || buf.readInt32BE(4) !== 1) return false;
    const logSize = Number(buf.readBigInt64BE(8));
    const n = buf.readInt32BE(32);
    if (logSize !== fs.fstatSync(this.fd).size || buf.length !== INDEX_HEADER + n * 8) return false;
    this.size = logSize;
    this.nextOffset = Number(buf.readBigInt64BE(16));
    this.maxTimestamp = Number(buf.readBigInt64BE(24));
    this.indexOffsets = [];
    this.indexPositions = [];
    for (let i = 0; i < n; i++) {
      this.indexOffsets.push(this.baseOffset + buf.readInt32BE(INDEX_HEADER + i * 8));
      this.indexPositions.push(buf.readInt32BE(INDEX_HEADER + i * 8 + 4));
    }
    return true;
  }

  delete(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
    fs.rmSync(this.indexFile, { force: true });
  }

  /** Replaces this segment's file with `replacement` (compaction output) and reopens it. */
  replaceWith(batches: Buffer[]): Segment {
    const tmp = `${this.file}.cleaned`;
    fs.writeFileSync(tmp, Buffer.concat(batches));
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    this.close();
    fs.renameSync(tmp, this.file);
    const seg = new Segment(this.dir, this.baseOffset);
    seg.recover(() => {}, false);
    seg.writeIndex();
    return seg;
  }
}
