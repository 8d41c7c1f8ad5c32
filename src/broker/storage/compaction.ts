/**
 * Log compaction for cleanup.policy=compact topics: in closed segments, keep only the latest record per key.
 * Batches keep their base offset, producer fields and lastOffsetDelta (so offsets and sequences stay valid);
 * control batches are kept; records of aborted transactions are dropped; batches of still-open transactions
 * and those younger than min.compaction.lag.ms are left untouched. Tombstones older than
 * delete.retention.ms are removed.
 */
import { ATTR_CONTROL, ATTR_TRANSACTIONAL, buildBatch, decodeRecords, type BatchHeader } from '../records/batch.js';
import type { PartitionLog } from './partition-log.js';

export interface CompactionSettings {
  minCompactionLagMs: number;
  deleteRetentionMs: number;
}

function isAborted(log: PartitionLog, h: BatchHeader): boolean {
  if (!(h.attributes & ATTR_TRANSACTIONAL) || h.attributes & ATTR_CONTROL) return false;
  const base = Number(h.baseOffset);
  return log.aborted.some((a) => a.producerId === h.producerId && a.firstOffset <= base && base <= a.lastOffset);
}

function isOpenTxn(log: PartitionLog, h: BatchHeader): boolean {
  if (!(h.attributes & ATTR_TRANSACTIONAL)) return false;
  const first = log.openTxns.get(h.producerId.toString());
  return first !== undefined && Number(h.baseOffset) >= first;
}

/** Compacts the closed segments of `log`; returns the number of records removed. */
export function compactLog(log: PartitionLog, s: CompactionSettings, now = Date.now()): number {
  if (log.segments.length < 2 || log.active.baseOffset <= log.cleanedUpTo) return 0;
  log.cleanedUpTo = log.active.baseOffset;
  // Pass 1: latest offset of every key across the whole log.
  const latest = new Map<string, number>();
  for (const seg of log.segments) {
    for (const { pos, header } of seg.headers()) {
      if (header.attributes & ATTR_CONTROL || isAborted(log, header) || isOpenTxn(log, header)) continue;
      for (const rec of decodeRecords(seg.read(pos, header.batchLength + 12))) {
        if (rec.key) latest.set(rec.key.toString('base64'), Number(header.baseOffset) + rec.offsetDelta);
      }
    }
  }
  // Pass 2: rewrite closed segments.
  let removed = 0;
  for (let i = 0; i < log.segments.length - 1; i++) {
    const seg = log.segments[i]!;
    const out: Buffer[] = [];
    let changed = false;
    for (const { pos, header } of seg.headers()) {
      const batch = seg.read(pos, header.batchLength + 12);
      const tooYoung = Number(header.maxTimestamp) > now - s.minCompactionLagMs;
      if (header.attributes & ATTR_CONTROL || isOpenTxn(log, header) || tooYoung) {
        out.push(batch);
        continue;
      }
      if (isAborted(log, header)) {
        removed += header.recordCount;
        changed = true;
        continue;
      }
      const recs = decodeRecords(batch);
      const expiredTombstone = now - Number(header.maxTimestamp) > s.deleteRetentionMs;
      const keep = recs.filter((r) => {
        if (!r.key) return true;
        if (latest.get(r.key.toString('base64')) !== Number(header.baseOffset) + r.offsetDelta) return false;
        return !(r.value === null && expiredTombstone);
      });
      if (keep.length === recs.length) {
        out.push(batch);
        continue;
      }
      changed = true;
      removed += recs.length - keep.length;
      if (keep.length === 0) continue;
      out.push(buildBatch({
        baseOffset: header.baseOffset,
        baseTimestamp: header.baseTimestamp,
        maxTimestamp: header.maxTimestamp,
        attributes: header.attributes,
        producerId: header.producerId,
        producerEpoch: header.producerEpoch,
        baseSequence: header.baseSequence,
        lastOffsetDelta: header.lastOffsetDelta,
        records: keep,
      }));
    }
    if (changed) log.segments[i] = seg.replaceWith(out);
  }
  return removed;
}
