import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionLog, type LogConfig } from '../../src/broker/storage/partition-log.js';
import { compactLog } from '../../src/broker/storage/compaction.js';
import fs from 'node:fs';
import path from 'node:path';
import { buildBatch, buildControlBatch, decodeRecords, iterateBatches, ATTR_TRANSACTIONAL } from '../../src/broker/records/batch.js';
import { initCompression } from '../../src/broker/records/compression.js';
import { tempDir } from './helpers.js';

const config = (over: Partial<LogConfig> = {}): LogConfig => ({
  segmentBytes: 300,
  segmentMs: 1e12,
  retentionMs: -1,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  flushMessages: 0,
  ...over,
});

function batchOf(key: string, value: string | null, ts: number, attributes = 0): Buffer {
  return buildBatch({
    baseOffset: 0n,
    baseTimestamp: BigInt(ts),
    attributes,
    records: [{ offsetDelta: 0, timestampDelta: 0n, key: Buffer.from(key), value: value === null ? null : Buffer.from(value), headers: [] }],
  });
}

function readAll(log: PartitionLog): { offset: number; key: string; value: string | null }[] {
  const out: { offset: number; key: string; value: string | null }[] = [];
  let offset = log.logStartOffset;
  while (offset < log.highWatermark) {
    const data = log.read(offset, 1 << 20, log.highWatermark);
    if (data.length === 0) break;
    for (const { pos, size, header } of iterateBatches(data)) {
      for (const r of decodeRecords(data.subarray(pos, pos + size))) {
        const off = Number(header.baseOffset) + r.offsetDelta;
        if (off >= offset) out.push({ offset: off, key: String(r.key), value: r.value === null ? null : String(r.value) });
      }
      offset = Number(header.baseOffset) + header.lastOffsetDelta + 1;
    }
  }
  return out;
}

test('segments roll, reads span segments, and state is rebuilt on reopen', () => {
  const dir = tempDir();
  const log = new PartitionLog(dir, config());
  for (let i = 0; i < 20; i++) assert.equal(log.append(batchOf(`k${i}`, `v${i}`, 1000 + i)), i);
  assert.ok(log.segments.length > 3);
  assert.equal(readAll(log).length, 20);
  assert.equal(log.offsetForTimestamp(1005).offset, 5);
  assert.equal(log.offsetForTimestamp(5000).offset, -1);
  log.close();
  const again = new PartitionLog(dir, config());
  assert.equal(again.highWatermark, 20);
  assert.deepEqual(readAll(again).map((r) => r.value), Array.from({ length: 20 }, (_, i) => `v${i}`));
  again.close();
});

test('size retention drops whole old segments and moves the log start', () => {
  const log = new PartitionLog(tempDir(), config({ retentionBytes: 400 }));
  for (let i = 0; i < 20; i++) log.append(batchOf(`k${i}`, `v${i}`, Date.now()));
  log.applyRetention();
  assert.ok(log.logStartOffset > 0);
  assert.ok(log.sizeBytes <= 400 + 300);
  const rest = readAll(log);
  assert.equal(rest[0]!.offset, log.logStartOffset);
  assert.equal(rest[rest.length - 1]!.offset, 19);
  log.close();
});

test('time retention removes segments whose newest record is older than retention.ms', () => {
  const log = new PartitionLog(tempDir(), config({ retentionMs: 60_000 }));
  const now = Date.now();
  for (let i = 0; i < 10; i++) log.append(batchOf(`k${i}`, `v${i}`, now - 3_600_000));
  for (let i = 10; i < 20; i++) log.append(batchOf(`k${i}`, `v${i}`, now));
  log.applyRetention(now);
  // Whole segments only: the segment holding offsets 9 and 10 straddles the boundary and stays.
  assert.ok(log.logStartOffset > 0 && log.logStartOffset <= 10, `log start ${log.logStartOffset}`);
  assert.equal(readAll(log).filter((r) => r.offset >= 10).length, 10);
  log.close();
});

test('compaction keeps the latest value per key with original offsets, in compressed batches too', async () => {
  await initCompression();
  const dir = tempDir();
  const log = new PartitionLog(dir, config({ cleanupPolicy: 'compact' }));
  const old = Date.now() - 10_000;
  for (let i = 0; i < 30; i++) log.append(batchOf(`k${i % 3}`, `v${i}`, old, i % 5)); // codecs 0..4
  log.append(batchOf('gone', 'x', old));
  log.append(batchOf('gone', null, old)); // tombstone
  const removed = compactLog(log, { minCompactionLagMs: 0, deleteRetentionMs: 1_000_000 });
  assert.ok(removed > 0);
  const rows = readAll(log);
  // Only the active segment may still hold superseded records; closed segments hold latest values only.
  const latest = new Map<string, number>();
  for (const r of rows) latest.set(r.key, r.offset);
  assert.equal(rows.find((r) => r.key === 'k0' && r.offset === latest.get('k0'))!.value, 'v27');
  assert.equal(rows.find((r) => r.key === 'gone' && r.offset === latest.get('gone'))!.value, null);
  assert.ok(!rows.some((r) => r.value === 'v0'));
  assert.equal(log.highWatermark, 32);
  log.close();
  const again = new PartitionLog(dir, config({ cleanupPolicy: 'compact' }));
  assert.deepEqual(readAll(again), rows);
  again.close();
});

test('closed segments get .index files and a state snapshot; a stale index falls back to scanning', () => {
  const dir = tempDir();
  const log = new PartitionLog(dir, config());
  const txn = buildBatch({
    baseOffset: 0n, baseTimestamp: 1n, attributes: ATTR_TRANSACTIONAL, producerId: 7n, producerEpoch: 0, baseSequence: 0,
    records: [{ offsetDelta: 0, timestampDelta: 0n, key: Buffer.from('t'), value: Buffer.from('open'), headers: [] }],
  });
  log.append(batchOf('a', 'first', 1));
  const txnOffset = log.append(txn);
  for (let i = 0; i < 12; i++) log.append(batchOf(`k${i}`, `v${i}`, 10 + i));
  assert.equal(log.lastStableOffset, txnOffset);
  log.close();
  const indexes = fs.readdirSync(dir).filter((n) => n.endsWith('.index'));
  assert.equal(indexes.length, log.segments.length - 1);
  assert.ok(fs.existsSync(path.join(dir, 'state.snapshot')));

  const reopened = new PartitionLog(dir, config());
  assert.equal(reopened.lastStableOffset, txnOffset, 'open transaction restored from the snapshot');
  assert.equal(reopened.highWatermark, 14);
  assert.equal(readAll(reopened).length, 14);
  reopened.append(buildControlBatch(0n, 7n, 0, false, 100n));
  assert.equal(reopened.lastStableOffset, reopened.highWatermark);
  assert.equal(reopened.aborted.length, 1);
  reopened.close();

  // Corrupt the first index: the log must be scanned instead and give the same answers.
  fs.writeFileSync(path.join(dir, indexes[0]!), Buffer.from('garbage'));
  const scanned = new PartitionLog(dir, config());
  assert.equal(scanned.highWatermark, 15);
  assert.equal(scanned.aborted.length, 1);
  assert.equal(scanned.lastStableOffset, 15);
  assert.equal(readAll(scanned).length, 15); // 14 data records + the abort marker
  scanned.close();
});
