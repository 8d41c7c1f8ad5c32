/**
 * Producer ids and the transaction coordinator. Producer ids come from blocks reserved in
 * `<dataDir>/producer-ids` (so ids never repeat across restarts); transactional state (id -> producer id,
 * epoch, partitions, pending offsets) is journaled in `<dataDir>/transactions.journal`. EndTxn writes the
 * COMMIT/ABORT control batch to every partition of the transaction before answering, so the "prepare"
 * states of Kafka's coordinator are never observable here. Transactions that outlive their timeout are
 * aborted and their epoch bumped (fencing the zombie producer).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../protocol/errors.js';
import { buildControlBatch } from '../records/batch.js';
import { writeFileAtomic } from '../storage/atomic-file.js';
import type { Broker, ProduceGuard } from '../broker.js';

const PID_BLOCK = 1000;
const MAX_TXN_TIMEOUT_MS = 900_000; // transaction.max.timeout.ms
const MAX_EPOCH = 32767;

export type TxnStateName = 'Empty' | 'Ongoing' | 'CompleteCommit' | 'CompleteAbort';

interface TxnState {
  transactionalId: string;
  producerId: string; // bigint as decimal string (JSON-friendly)
  epoch: number;
  timeoutMs: number;
  state: TxnStateName;
  startedAt: number;
  partitions: string[]; // "topic:partition"
  groups: string[];
  /** group -> "topic:partition" -> offset/metadata, applied on commit. */
  pendingOffsets: Record<string, Record<string, { offset: number; metadata: string | null }>>;
}

function splitTp(tp: string): [string, number] {
  const i = tp.lastIndexOf(':');
  return [tp.slice(0, i), Number(tp.slice(i + 1))];
}

export class TxnCoordinator implements ProduceGuard {
  private readonly states = new Map<string, TxnState>();
  private nextPid: bigint;
  private pidBlockEnd: bigint;
  private readonly pidFile: string;
  private readonly journal: string;
  private fd: number;
  private appended = 0;

  constructor(private readonly broker: Broker) {
    const dir = broker.options.dataDir;
    this.pidFile = path.join(dir, 'producer-ids');
    this.journal = path.join(dir, 'transactions.journal');
    const reserved = fs.existsSync(this.pidFile) ? BigInt(fs.readFileSync(this.pidFile, 'utf8').trim() || '0') : 0n;
    this.nextPid = reserved;
    this.pidBlockEnd = reserved;
    if (fs.existsSync(this.journal)) {
      for (const line of fs.readFileSync(this.journal, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const s = JSON.parse(line) as TxnState;
          this.states.set(s.transactionalId, s);
        } catch {
          break; // torn last line
        }
      }
    }
    this.fd = this.rewrite();
    broker.produceGuard = this;
    broker.pendingTxnOffset = (g, t, p) => this.hasPendingOffset(g, t, p);
    broker.every(broker.options.transactionAbortCheckIntervalMs, () => this.abortExpired());
    broker.onClose(() => this.close());
  }

  private allocatePid(): bigint {
    if (this.nextPid >= this.pidBlockEnd) {
      this.pidBlockEnd = this.nextPid + BigInt(PID_BLOCK);
      writeFileAtomic(this.pidFile, String(this.pidBlockEnd));
    }
    return this.nextPid++;
  }

  private save(s: TxnState): void {
    this.states.set(s.transactionalId, s);
    fs.writeSync(this.fd, JSON.stringify(s) + '\n');
    // EOS apps complete a transaction every commit interval: keep the journal proportional to live state.
    if (++this.appended > 10_000 && this.appended > 4 * this.states.size) {
      fs.closeSync(this.fd);
      this.fd = this.rewrite();
    }
  }

  private rewrite(): number {
    writeFileAtomic(this.journal, [...this.states.values()].map((s) => JSON.stringify(s) + '\n').join(''));
    this.appended = 0;
    return fs.openSync(this.journal, 'a');
  }

  // ---------------------------------------------------------------- InitProducerId

  initProducerId(transactionalId: string | null, timeoutMs: number, producerId: bigint, producerEpoch: number): { errorCode: number; producerId: bigint; epoch: number } {
    if (transactionalId === null || transactionalId === '') {
      // Idempotent producer; KIP-360 lets it bump its own epoch by presenting its current id/epoch.
      if (producerId >= 0n && producerEpoch >= 0 && producerEpoch < MAX_EPOCH) return { errorCode: 0, producerId, epoch: producerEpoch + 1 };
      return { errorCode: 0, producerId: this.allocatePid(), epoch: 0 };
    }
    if (timeoutMs <= 0 || timeoutMs > MAX_TXN_TIMEOUT_MS) return { errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT, producerId: -1n, epoch: -1 };
    const existing = this.states.get(transactionalId);
    if (!existing) {
      const s: TxnState = { transactionalId, producerId: this.allocatePid().toString(), epoch: 0, timeoutMs, state: 'Empty', startedAt: 0, partitions: [], groups: [], pendingOffsets: {} };
      this.save(s);
      return { errorCode: 0, producerId: BigInt(s.producerId), epoch: 0 };
    }
    if (producerId >= 0n && (BigInt(existing.producerId) !== producerId || existing.epoch !== producerEpoch)) {
      return { errorCode: ErrorCode.PRODUCER_FENCED, producerId: -1n, epoch: -1 };
    }
    if (existing.state === 'Ongoing') this.complete(existing, false);
    let pid = BigInt(existing.producerId);
    let epoch = existing.epoch + 1;
    if (epoch > MAX_EPOCH) {
      pid = this.allocatePid();
      epoch = 0;
    }
    this.save({ ...existing, producerId: pid.toString(), epoch, timeoutMs, state: 'Empty', partitions: [], groups: [], pendingOffsets: {} });
    return { errorCode: 0, producerId: pid, epoch };
  }

  /** Common validation of (transactional id, producer id, epoch). */
  private check(transactionalId: string, producerId: bigint, epoch: number): { errorCode: number; s?: TxnState } {
    const s = this.states.get(transactionalId);
    if (!s || BigInt(s.producerId) !== producerId) return { errorCode: ErrorCode.INVALID_PRODUCER_ID_MAPPING };
    if (epoch !== s.epoch) return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    return { errorCode: 0, s };
  }

  private begin(s: TxnState): void {
    if (s.state !== 'Ongoing') {
      s.state = 'Ongoing';
      s.startedAt = Date.now();
      s.partitions = [];
      s.groups = [];
      s.pendingOffsets = {};
    }
  }

  // ---------------------------------------------------------------- AddPartitionsToTxn / AddOffsetsToTxn

  addPartitions(transactionalId: string, producerId: bigint, epoch: number, tps: { topic: string; partition: number }[]): Map<string, number> {
    const out = new Map<string, number>();
    const { errorCode, s } = this.check(transactionalId, producerId, epoch);
    const unknown = tps.filter((tp) => !this.broker.logs.log(tp.topic, tp.partition));
    for (const tp of tps) {
      const key = `${tp.topic}:${tp.partition}`;
      if (errorCode) out.set(key, errorCode);
      else if (unknown.length) out.set(key, unknown.includes(tp) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : 55 /* OPERATION_NOT_ATTEMPTED */);
      else out.set(key, 0);
    }
    if (!errorCode && unknown.length === 0 && s) {
      this.begin(s);
      for (const tp of tps) {
        const key = `${tp.topic}:${tp.partition}`;
        if (!s.partitions.includes(key)) s.partitions.push(key);
      }
      this.save(s);
    }
    return out;
  }

  addOffsets(transactionalId: string, producerId: bigint, epoch: number, groupId: string): number {
    const { errorCode, s } = this.check(transactionalId, producerId, epoch);
    if (errorCode) return errorCode;
    if (!groupId) return ErrorCode.INVALID_GROUP_ID;
    this.begin(s!);
    if (!s!.groups.includes(groupId)) s!.groups.push(groupId);
    this.save(s!);
    return 0;
  }

  txnOffsetCommit(
    transactionalId: string, groupId: string, producerId: bigint, epoch: number,
    member: { generation: number; memberId: string; instanceId: string | null },
    offsets: { topic: string; partition: number; offset: number; metadata: string | null }[],
  ): Map<string, number> {
    const out = new Map<string, number>();
    let { errorCode, s } = this.check(transactionalId, producerId, epoch);
    if (!errorCode && (s!.state !== 'Ongoing' || !s!.groups.includes(groupId))) errorCode = ErrorCode.INVALID_TXN_STATE;
    if (!errorCode && member.generation >= 0) {
      // TxnOffsetCommit v3 (KIP-447) carries group metadata so zombie members are fenced.
      errorCode = this.broker.groups.checkCommit(groupId, member.memberId, member.generation, member.instanceId);
      if (errorCode === ErrorCode.REBALANCE_IN_PROGRESS) errorCode = 0;
    }
    for (const o of offsets) {
      const key = `${o.topic}:${o.partition}`;
      let code = errorCode;
      if (!code && !this.broker.logs.log(o.topic, o.partition)) code = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      if (!code) (s!.pendingOffsets[groupId] ??= {})[key] = { offset: o.offset, metadata: o.metadata };
      out.set(key, code);
    }
    if (!errorCode) this.save(s!);
    return out;
  }

  // ---------------------------------------------------------------- EndTxn

  endTxn(transactionalId: string, producerId: bigint, epoch: number, commit: boolean): number {
    const { errorCode, s } = this.check(transactionalId, producerId, epoch);
    if (errorCode) return errorCode;
    if (s!.state === 'Ongoing') {
      this.complete(s!, commit);
      return 0;
    }
    // A retried EndTxn for an already completed transaction with the same outcome succeeds.
    if ((s!.state === 'CompleteCommit' && commit) || (s!.state === 'CompleteAbort' && !commit)) return 0;
    if (s!.state === 'Empty' && !commit) return 0;
    return ErrorCode.INVALID_TXN_STATE;
  }

  /** Writes the markers, applies or drops pending offsets, and records the outcome. */
  private complete(s: TxnState, commit: boolean): void {
    const pid = BigInt(s.producerId);
    const now = BigInt(Date.now());
    for (const tp of s.partitions) {
      const [topic, partition] = splitTp(tp);
      const log = this.broker.logs.log(topic, partition);
      if (log) log.append(buildControlBatch(0n, pid, s.epoch, commit, now));
    }
    if (commit) {
      for (const [group, offs] of Object.entries(s.pendingOffsets)) {
        for (const [tp, o] of Object.entries(offs)) {
          const [topic, partition] = splitTp(tp);
          this.broker.groups.commit(group, topic, partition, { offset: o.offset, metadata: o.metadata, commitTimestamp: Date.now(), leaderEpoch: -1 });
        }
      }
    }
    this.save({ ...s, state: commit ? 'CompleteCommit' : 'CompleteAbort', partitions: [], groups: [], pendingOffsets: {} });
    this.broker.notifyAppend();
  }

  private abortExpired(now = Date.now()): void {
    for (const s of [...this.states.values()]) {
      if (s.state === 'Ongoing' && now - s.startedAt > s.timeoutMs) {
        this.broker.options.logger.warn(`aborting transaction ${s.transactionalId}: timed out after ${s.timeoutMs} ms`);
        this.complete(s, false);
        const cur = this.states.get(s.transactionalId)!;
        this.save({ ...cur, epoch: Math.min(cur.epoch + 1, MAX_EPOCH) });
      }
    }
  }

  // ---------------------------------------------------------------- produce path and OffsetFetch hooks

  checkTransactional(transactionalId: string | null, producerId: bigint, epoch: number, topic: string, partition: number): number {
    if (!transactionalId) return ErrorCode.INVALID_TXN_STATE;
    const { errorCode, s } = this.check(transactionalId, producerId, epoch);
    if (errorCode) return errorCode;
    if (s!.state !== 'Ongoing' || !s!.partitions.includes(`${topic}:${partition}`)) return ErrorCode.INVALID_TXN_STATE;
    return 0;
  }

  hasPendingOffset(groupId: string, topic: string, partition: number): boolean {
    for (const s of this.states.values()) {
      if (s.state === 'Ongoing' && s.pendingOffsets[groupId]?.[`${topic}:${partition}`]) return true;
    }
    return false;
  }

  private close(): void {
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}
