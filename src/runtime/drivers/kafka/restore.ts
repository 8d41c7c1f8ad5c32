/**
 * Restoring a task's stores from their changelog partitions: each store's changelog is read
 * from the offset after the task state's checkpoint to the partition's end, its high watermark
 * (read_committed, so aborted transactions of exactly_once_v2 are skipped, and a transaction
 * still open holds the restore until it is resolved; under exactly_once_v2 the task waited for
 * the previous owner's transaction before, see ./previous-owner.ts) and applied with TaskState.restore; the
 * restored tail is then persisted with one flush. Returns how many records were applied, for the
 * restore-rate log line; `onProgress` hears how far it is while it runs (for /metrics).
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { TaskState } from '../../state/leveldb-persistence.js';
import { fixedAssigner } from './assigners.js';
import type { OffsetQueries } from './wire-offsets.js';

export interface RestoreRequest {
  kafka: Kafka;
  admin: Admin;
  /** the query's application id; the restore consumer's group is derived from it */
  appId: string;
  state: TaskState;
  partition: number;
  /** store name -> changelog topic */
  changelogs: Map<string, string>;
  /** partition ends (high watermark, not kafkajs's read_committed fetchTopicOffsets: see ./wire-offsets.ts) */
  wire: OffsetQueries;
  /** keep the query's own group membership alive while restoring */
  heartbeat?: () => Promise<void>;
  /** told when the restore starts (restored 0), after each batch, and when it ends (remaining 0) */
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreProgress {
  /** changelog records applied so far */
  restored: number;
  /** changelog offsets still to read (records, plus any transaction markers among them) */
  remaining: number;
  /** since the restore started */
  ms: number;
}

export interface RestoreResult {
  records: number;
  ms: number;
}

export async function restoreTask(req: RestoreRequest): Promise<RestoreResult> {
  const started = Date.now();
  const { state, partition } = req;
  const checkpoint = state.checkpoint();
  const todo = new Map<string, { store: string; from: number; end: number }>();
  for (const [store, topic] of req.changelogs) {
    const p = (await req.wire.ends(topic)).get(partition);
    if (!p) continue;
    const end = p.high;
    const from = Math.max((checkpoint[store] ?? -1) + 1, p.low);
    if (end > from) todo.set(topic, { store, from, end });
  }
  if (todo.size === 0) return { records: 0, ms: Date.now() - started };
  const progress = () => {
    let remaining = 0;
    for (const [t, v] of todo) remaining += Math.max(0, v.end - (positions.get(t) ?? v.from));
    req.onProgress?.({ restored: records, remaining, ms: Date.now() - started });
  };

  const groupId = `${req.appId}-restore-${partition}-${randomUUID()}`;
  const assignment = Object.fromEntries([...todo.keys()].map((t) => [t, [partition]]));
  const consumer = req.kafka.consumer({ groupId, partitionAssigners: [fixedAssigner(assignment)], readUncommitted: false, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 200 });
  let records = 0;
  const positions = new Map<string, number>([...todo].map(([t, v]) => [t, v.from]));
  progress();
  let finish!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((res, rej) => {
    finish = res;
    fail = rej;
  });
  const check = () => {
    for (const [t, v] of todo) if (positions.get(t)! < v.end) return;
    finish();
  };
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...todo.keys()], fromBeginning: true });
    // END_BATCH_PROCESS also reports batches holding only transaction markers, which never
    // reach eachBatch: it is what moves the position past a trailing commit marker
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      const { topic, lastOffset } = e.payload as { topic: string; lastOffset: string };
      positions.set(topic, Math.max(positions.get(topic) ?? 0, Number(lastOffset) + 1));
      progress();
      check();
    });
    consumer.on(consumer.events.CRASH, (e) => fail(e.payload.error));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const store = todo.get(batch.topic)!.store;
        const changes = batch.messages.filter((m) => m.key).map((m) => ({ store, key: m.key!, value: m.value }));
        state.restore(changes, { [store]: Number(batch.lastOffset()) });
        records += changes.length;
        if (req.heartbeat) await req.heartbeat();
      },
    });
    for (const [topic, v] of todo) consumer.seek({ topic, partition, offset: String(v.from) });
    await done;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await req.admin.deleteGroups([groupId]).catch(() => undefined);
  }
  await state.flush();
  progress();
  return { records, ms: Date.now() - started };
}
