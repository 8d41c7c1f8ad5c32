/**
 * Micro-benchmark of the state layer: in-memory store operations per second and LevelDB flush
 * throughput. Run: npm run bench:state (tsc, then node dist/bench/state.js). Figures depend on
 * the machine and on what else runs on it; this is for spotting regressions, not for tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from '../src/common/decimal.js';
import { encodeKey, encodeValue } from '../src/runtime/state/codec.js';
import { openTaskState } from '../src/runtime/state/leveldb-persistence.js';
import { MemoryKeyValueStore, MemorySessionStore, MemoryWindowStore } from '../src/runtime/state/memory-stores.js';

const N = Number(process.env.BENCH_N ?? 200_000);
const KEYS = 10_000;

function rate(label: string, ops: number, fn: () => void): void {
  const t0 = process.hrtime.bigint();
  fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${label.padEnd(48)} ${Math.round((ops / ms) * 1000).toLocaleString('en-US').padStart(12)} ops/s  (${ops} in ${ms.toFixed(0)} ms)`);
}

const keys = Array.from({ length: KEYS }, (_, i) => [`user_${i % 997}`, BigInt(i)]);
// values are built up front so the figures measure the stores, not Decimal arithmetic
const VALUES = Array.from({ length: 1000 }, (_, i) => ({ COUNT: BigInt(i), TOTAL: new Decimal(i).div(100), LAST: 'page_' + (i % 50) }));
const value = (i: number) => VALUES[i % VALUES.length]!;

console.log(`N=${N}, distinct keys=${KEYS}`);
rate('codec: encodeKey([string, bigint])', N, () => {
  for (let i = 0; i < N; i++) encodeKey(keys[i % KEYS]!);
});
rate('codec: encodeValue({bigint, Decimal, string})', N, () => {
  for (let i = 0; i < N; i++) encodeValue(value(i));
});

const kv = new MemoryKeyValueStore<ReturnType<typeof value>>('kv');
rate('kv: put (10k keys, mostly updates)', N, () => {
  for (let i = 0; i < N; i++) kv.put(keys[i % KEYS]!, value(i));
});
rate('kv: get (hit)', N, () => {
  for (let i = 0; i < N; i++) kv.get(keys[i % KEYS]!);
});
rate('kv: get + put (aggregate update)', N, () => {
  for (let i = 0; i < N; i++) {
    const k = keys[i % KEYS]!;
    const old = kv.get(k)!;
    kv.put(k, { COUNT: old.COUNT + 1n, TOTAL: old.TOTAL, LAST: old.LAST });
  }
});
let drained = 0;
rate('kv: drainChanges (encode pending, per change)', KEYS, () => {
  drained = kv.drainChanges().length;
});
console.log(`  (${drained} changes after ${3 * N} mutations: one per touched key)`);
rate('kv: range scan (entries visited)', KEYS * 10, () => {
  for (let r = 0; r < 10; r++) for (const _e of kv.range(undefined, undefined)) void _e;
});

const win = new MemoryWindowStore<number>('w', 86_400_000, 60_000);
rate('window: put (10k keys x rolling 1-minute windows)', N, () => {
  for (let i = 0; i < N; i++) win.put(keys[i % KEYS]!, Math.floor(i / 1000) * 60_000, i);
});
rate('window: fetch one key, 10 windows', N / 10, () => {
  for (let i = 0; i < N / 10; i++) for (const _w of win.fetch(keys[i % KEYS]!, 0, 600_000)) void _w;
});
rate('window: expireBefore (per window dropped)', win.size(), () => {
  win.expireBefore(Number.MAX_SAFE_INTEGER);
});
win.drainChanges();

const sess = new MemorySessionStore<number>('s', 86_400_000);
rate('session: findSessions + remove + put (merge)', N, () => {
  for (let i = 0; i < N; i++) {
    const k = keys[i % KEYS]!;
    const t = Math.floor(i / 100) * 10;
    const found = sess.findSessions(k, t - 1000, t + 1000);
    let start = t;
    let end = t;
    for (const f of found) {
      sess.remove(f.key, f.start, f.end);
      start = Math.min(start, f.start);
      end = Math.max(end, f.end);
    }
    sess.put({ key: k, start, end, value: i });
  }
});
sess.drainChanges();

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
try {
  const st = await openTaskState(join(dir, 'task'));
  const store = st.keyValue<ReturnType<typeof value>>('agg');
  for (const batch of [1_000, 10_000, 100_000]) {
    for (let i = 0; i < batch; i++) store.put([`k${i}`, BigInt(i)], value(i));
    const t0 = process.hrtime.bigint();
    const changes = st.takeChanges();
    await st.flush({ agg: batch });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`${`leveldb: take + flush ${batch} changes (one batch)`.padEnd(48)} ${Math.round((changes.length / ms) * 1000).toLocaleString('en-US').padStart(12)} changes/s (${ms.toFixed(1)} ms)`);
  }
  await st.close();
  const t0 = process.hrtime.bigint();
  const again = await openTaskState(join(dir, 'task'));
  const n = again.keyValue('agg').size();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${'leveldb: open + load into memory'.padEnd(48)} ${Math.round((n / ms) * 1000).toLocaleString('en-US').padStart(12)} entries/s (${n} in ${ms.toFixed(0)} ms)`);
  await again.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
