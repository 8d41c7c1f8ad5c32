/**
 * The log of one topic-partition: a directory of segments, the offsets clients see (log start, high
 * watermark, last stable offset), and the producer/transaction state rebuilt from batch headers on open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ATTR_CONTROL, ATTR_TRANSACTIONAL, readBatchHeader, controlType, decodeRecords, type BatchHeader } from '../records/batch.js';
import { Segment } from './segment.js';
import { writeFileAtomic } from './atomic-file.js';

export interface LogConfig {
  segmentBytes: number;
  segmentMs: number;
  retentionMs: number;
  retentionBytes: number;
  cleanupPolicy: string;
  flushMessages: number;
}

/** Per-producer idempotence state within one partition. */
export interface ProducerEntry {
  epoch: number;
  lastSeq: number;
  /** Recent batches for duplicate detection: (firstSeq, lastSeq, baseOffset). */
  recent: { firstSeq: number; lastSeq: number; baseOffset: number }[];
}

export interface AbortedTxn {
  producerId: bigint;
  firstOffset: number;
  lastOffset: number;
}

interface Snapshot {
  upTo: number;
  producers: [string, ProducerEntry][];
  openTxns: [string, number][];
  aborted: { producerId: string; firstOffset: number; lastOffset: number }[];
}

export class PartitionLog {
  segments: Segment[] = [];
  logStartOffset = 0;
  producers = new Map<string, ProducerEntry>();
  /** producerId -> first offset of its open transaction on this partition. */
  openTxns = new Map<string, number>();
  aborted: AbortedTxn[] = [];
  /** Base offset of the active segment when compaction last ran: only newly closed segments make it dirty. */
  cleanedUpTo = -1;

  constructor(readonly dir: string, public config: LogConfig) {
    fs.mkdirSync(dir, { recursive: true });
    const files = fs.readdirSync(dir).filter((n) => /^\d{20}\.log$/.test(n)).sort();
    for (const n of fs.readdirSync(dir)) if (n.endsWith('.cleaned') || n.endsWith('.tmp')) fs.rmSync(path.join(dir, n), { force: true });
    const startFile = path.join(dir, 'log-start-offset');
    if (fs.existsSync(startFile)) this.logStartOffset = Number(fs.readFileSync(startFile, 'utf8').trim()) || 0;
    const segs = files.map((n) => new Segment(dir, Number(n.slice(0, 20))));
    // Fast path: closed segments with a valid .index plus a state snapshot taken when the last one closed;
    // only the active segment is scanned. Otherwise every segment is scanned to rebuild the state.
    const snapshot = this.readSnapshot();
    const last = segs[segs.length - 1];
    const fast = snapshot !== null && last !== undefined && snapshot.upTo === last.baseOffset && segs.slice(0, -1).every((s) => s.loadIndex());
    if (fast) this.applySnapshot(snapshot);
    for (let i = 0; i < segs.length; i++) {
      const isLast = i === segs.length - 1;
      // Only the last segment can hold a torn write; CRC-check it fully, older ones by header only.
      if (!fast || isLast) segs[i]!.recover((h, load) => this.track(h, load), isLast);
    }
    this.segments = segs;
    if (this.segments.length === 0) this.segments.push(new Segment(dir, this.logStartOffset));
    if (this.logStartOffset < this.segments[0]!.baseOffset) this.logStartOffset = this.segments[0]!.baseOffset;
  }

  private get snapshotFile(): string {
    return path.join(this.dir, 'state.snapshot');
  }

  private readSnapshot(): Snapshot | null {
    try {
      return JSON.parse(fs.readFileSync(this.snapshotFile, 'utf8')) as Snapshot;
    } catch {
      return null;
    }
  }

  private applySnapshot(s: Snapshot): void {
    this.producers = new Map(s.producers);
    this.openTxns = new Map(s.openTxns);
    this.aborted = s.aborted
      .map((a) => ({ producerId: BigInt(a.producerId), firstOffset: a.firstOffset, lastOffset: a.lastOffset }))
      .filter((a) => a.lastOffset >= this.logStartOffset);
  }

  /** Producer/transaction state as of `upTo` (the new active segment's base), written when a segment closes. */
  private writeSnapshot(upTo: number): void {
    const s: Snapshot = {
      upTo,
      producers: [...this.producers],
      openTxns: [...this.openTxns],
      aborted: this.aborted.map((a) => ({ producerId: a.producerId.toString(), firstOffset: a.firstOffset, lastOffset: a.lastOffset })),
    };
    writeFileAtomic(this.snapshotFile, JSON.stringify(s));
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  /** Log end offset = high watermark on a single node. */
  get highWatermark(): number {
    return this.active.nextOffset;
  }

  get lastStableOffset(): number {
    let lso = this.highWatermark;
    for (const first of this.openTxns.values()) if (first < lso) lso = first;
    return lso;
  }

  get sizeBytes(): number {
    return this.segments.reduce((s, seg) => s + seg.size, 0);
  }

  /** Updates producer and transaction state for one batch (on append and on recovery). */
  private track(h: BatchHeader, load: () => Buffer): void {
    const base = Number(h.baseOffset);
    const pid = h.producerId;
    if (pid < 0n) return;
    const key = pid.toString();
    if (h.attributes & ATTR_CONTROL) {
      const first = this.openTxns.get(key);
      if (first !== undefined) {
        if (controlType(load()) === 0) this.aborted.push({ producerId: pid, firstOffset: first, lastOffset: base });
        this.openTxns.delete(key);
      }
      return;
    }
    if (h.attributes & ATTR_TRANSACTIONAL && !this.openTxns.has(key)) this.openTxns.set(key, base);
    if (h.baseSequence >= 0) {
      const lastSeq = h.baseSequence + h.lastOffsetDelta;
      const entry = this.producers.get(key);
      if (!entry || entry.epoch !== h.producerEpoch) {
        this.producers.set(key, { epoch: h.producerEpoch, lastSeq, recent: [{ firstSeq: h.baseSequence, lastSeq, baseOffset: base }] });
      } else {
        entry.lastSeq = lastSeq;
        entry.recent.push({ firstSeq: h.baseSequence, lastSeq, baseOffset: base });
        if (entry.recent.length > 5) entry.recent.shift();
      }
    }
  }

  /** Appends one validated batch, assigning offsets; returns its base offset. */
  append(batch: Buffer, now = Date.now()): number {
    const base = this.highWatermark;
    this.maybeRoll(batch.length, now);
    batch.writeBigInt64BE(BigInt(base), 0);
    batch.writeInt32BE(0, 12); // partitionLeaderEpoch: single node, epoch 0 (outside the CRC)
    this.active.append(batch);
    this.track(readBatchHeader(batch), () => batch);
    if (this.config.flushMessages > 0 && this.active.unflushedMessages >= this.config.flushMessages) this.active.flush();
    return base;
  }

  private maybeRoll(incoming: number, now: number): void {
    const seg = this.active;
    if (seg.size === 0) return;
    if (seg.size + incoming > this.config.segmentBytes || now - seg.createdAt > this.config.segmentMs) {
      seg.flush();
      seg.writeIndex();
      const next = this.highWatermark;
      this.writeSnapshot(next);
      this.segments.push(new Segment(this.dir, next));
    }
  }

  flush(): void {
    for (const s of this.segments) s.flush();
  }

  private segmentFor(offset: number): Segment | undefined {
    let found: Segment | undefined;
    for (const s of this.segments) {
      if (s.baseOffset <= offset) found = s;
      else break;
    }
    return found;
  }

  /**
   * Whole batches starting with the one that contains `offset`, up to `maxBytes` (the first batch is always
   * returned whole so clients progress, KIP-74) and never past `upTo` (HW or LSO).
   */
  read(offset: number, maxBytes: number, upTo: number): Buffer {
    if (offset >= upTo) return Buffer.alloc(0);
    for (let seg = this.segmentFor(offset); seg; ) {
      const pos = seg.positionOf(offset);
      if (pos >= 0) {
        const parts: Buffer[] = [];
        let total = 0;
        for (const { pos: p, header } of seg.headers(pos)) {
          const size = header.batchLength + 12;
          if (Number(header.baseOffset) >= upTo) break;
          if (total > 0 && total + size > maxBytes) break;
          parts.push(seg.read(p, size));
          total += size;
          if (total >= maxBytes) break;
        }
        return Buffer.concat(parts);
      }
      // offset lies past this segment (e.g. compacted away): continue with the next one.
      const idx = this.segments.indexOf(seg);
      seg = this.segments[idx + 1];
    }
    return Buffer.alloc(0);
  }

  /** Aborted transactions overlapping [from, to) for read_committed fetches. */
  abortedIn(from: number, to: number): AbortedTxn[] {
    return this.aborted.filter((a) => a.lastOffset >= from && a.firstOffset < to);
  }

  /** First offset whose timestamp is >= ts, or -1. */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } {
    for (const seg of this.segments) {
      if (seg.maxTimestamp < ts) continue;
      for (const { pos, header } of seg.headers()) {
        if (Number(header.maxTimestamp) < ts || header.attributes & ATTR_CONTROL) continue;
        const batch = seg.read(pos, header.batchLength + 12);
        for (const rec of decodeRecords(batch)) {
          const t = Number(header.baseTimestamp + rec.timestampDelta);
          const off = Number(header.baseOffset) + rec.offsetDelta;
          if (t >= ts && off >= this.logStartOffset) return { offset: off, timestamp: t };
        }
      }
    }
    return { offset: -1, timestamp: -1 };
  }

  /** DeleteRecords: moves the log start forward and drops whole segments below it. */
  deleteRecordsBefore(offset: number): number {
    const target = Math.min(Math.max(offset, this.logStartOffset), this.highWatermark);
    this.logStartOffset = target;
    fs.writeFileSync(path.join(this.dir, 'log-start-offset'), String(target));
    this.dropSegmentsBelowStart();
    return target;
  }

  private dropSegmentsBelowStart(): void {
    while (this.segments.length > 1 && this.segments[1]!.baseOffset <= this.logStartOffset) {
      this.segments.shift()!.delete();
    }
    if (this.segments.length === 1 && this.active.nextOffset <= this.logStartOffset && this.active.size > 0) {
      // Everything is deleted: start an empty segment at the new log start.
      const old = this.segments.shift()!;
      old.delete();
      this.segments.push(new Segment(this.dir, this.logStartOffset));
    }
    this.aborted = this.aborted.filter((a) => a.lastOffset >= this.logStartOffset);
  }

  /** Time and size retention (cleanup.policy contains delete): removes whole closed segments. */
  applyRetention(now = Date.now()): void {
    if (!this.config.cleanupPolicy.includes('delete')) return;
    let changed = false;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const expired = this.config.retentionMs >= 0 && oldest.maxTimestamp >= 0 && now - oldest.maxTimestamp > this.config.retentionMs;
      const tooBig = this.config.retentionBytes >= 0 && this.sizeBytes - oldest.size >= this.config.retentionBytes;
      if (!expired && !tooBig) break;
      this.segments.shift();
      oldest.delete();
      this.logStartOffset = Math.max(this.logStartOffset, this.segments[0]!.baseOffset);
      changed = true;
    }
    if (changed) {
      fs.writeFileSync(path.join(this.dir, 'log-start-offset'), String(this.logStartOffset));
      this.aborted = this.aborted.filter((a) => a.lastOffset >= this.logStartOffset);
    }
  }

  close(): void {
    for (const s of this.segments) {
      s.flush();
      s.close();
    }
  }

  deleteAll(): void {
    for (const s of this.segments) s.delete();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
