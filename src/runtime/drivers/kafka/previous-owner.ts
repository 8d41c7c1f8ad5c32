/**
 * exactly_once_v2: a newly assigned task must not start before the previous owner's last
 * transaction is complete. Until then the input offsets it staged (TxnOffsetCommit) are pending
 * and the changelog records it wrote are past the last stable offset, and an OffsetFetch without
 * KIP-447's require_stable — the only kind kafkajs sends, right at assignment — answers the older
 * offset. If that transaction then commits (Apache Kafka answers EndTxn before it writes the
 * markers; a server may also die in between), the new owner would process committed input again
 * on top of state that already includes it: duplicate outputs, doubly counted aggregates.
 *
 * So before restoring, the task waits until (1) OffsetFetch v7 with require_stable answers every
 * topic it reads at partition p without UNSTABLE_OFFSET_COMMIT, and (2) no transaction is open on
 * its changelog partitions (last stable offset = high watermark). A dead owner's open transaction
 * is aborted by the broker after transaction.timeout.ms, so this waits at most about that long.
 * The returned offsets are where the task must start (the caller seeks the consumer there).
 */
import type { OffsetQueries, StableOffset } from './wire-offsets.js';

export interface PreviousOwnerRequest {
  wire: OffsetQueries;
  groupId: string;
  partition: number;
  /** every topic the group reads (inputs and repartition topics) */
  topics: string[];
  changelogs: string[];
  /** keeps the query's group membership alive while waiting */
  heartbeat: () => Promise<void>;
  timeoutMs: number;
}

/** topic -> the group's stable committed offset at the task's partition (topics without one are left out) */
export async function awaitPreviousOwner(req: PreviousOwnerRequest): Promise<Map<string, number>> {
  const deadline = Date.now() + req.timeoutMs;
  const p = req.partition;
  for (;;) {
    const committed = await req.wire.stableCommitted(req.groupId, req.topics.map((topic) => ({ topic, partitions: [p] })));
    const waitingFor: string[] = [];
    for (const [tp, o] of committed) if (o === 'unstable') waitingFor.push(`offsets of ${tp}`);
    for (const topic of req.changelogs) {
      const e = (await req.wire.ends(topic)).get(p);
      if (e && e.stable < e.high) waitingFor.push(`${topic}/${p} (transaction open from ${e.stable})`);
    }
    if (waitingFor.length === 0) {
      const out = new Map<string, number>();
      for (const topic of req.topics) {
        const o: StableOffset | undefined = committed.get(`${topic}:${p}`);
        if (typeof o === 'number' && o >= 0) out.set(topic, o);
      }
      return out;
    }
    if (Date.now() > deadline) throw new Error(`the previous owner's transaction on task ${p} did not complete within ${req.timeoutMs} ms (${waitingFor.join(', ')})`);
    await req.heartbeat();
    await new Promise((r) => setTimeout(r, 100));
  }
}
