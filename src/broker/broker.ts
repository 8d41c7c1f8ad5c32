/**
 * Broker state shared by all API handlers: identity and advertised address, the topic logs, the group and
 * transaction coordinators, the produce path (validation, idempotence, transactions) and the long-poll signal.
 */
import { ErrorCode } from './protocol/errors.js';
import { LogManager, type Topic } from './storage/log-manager.js';
import { ATTR_CODEC_MASK, ATTR_CONTROL, ATTR_LOG_APPEND_TIME, ATTR_TRANSACTIONAL, InvalidRecordError, readBatchHeader, splitAndValidate } from './records/batch.js';
import { crc32c } from './records/crc32c.js';
import type { Api } from './apis/api.js';
import type { Msg } from './protocol/schema.js';
import type { PartitionLog } from './storage/partition-log.js';
import { loadClusterId } from './storage/cluster-id.js';
import { GroupCoordinator } from './group/coordinator.js';
import { compactLog } from './storage/compaction.js';
import { TxnCoordinator } from './txn/coordinator.js';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export interface BrokerOptions {
  dataDir: string;
  nodeId: number;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  /** Broker-wide topic config defaults (e.g. { 'segment.bytes': '...' }). */
  topicDefaults: Record<string, string>;
  /** fsync the active segments at this interval (ms); 0 = leave flushing to the OS (Kafka's default). */
  flushIntervalMs: number;
  /** How often retention and compaction run (ms). */
  logCleanupIntervalMs: number;
  /** Largest accepted request frame (Kafka: socket.request.max.bytes = 100 MiB). */
  maxRequestBytes: number;
  groupInitialRebalanceDelayMs: number;
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  /** Transactions not finished within their timeout are aborted by the coordinator. */
  transactionAbortCheckIntervalMs: number;
  logger: Logger;
}

export interface AppendResult {
  errorCode: number;
  baseOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}

/** Hooks the transaction coordinator provides to the produce path. */
export interface ProduceGuard {
  /** Error code if a transactional batch may not be written to this partition now, else 0. */
  checkTransactional(transactionalId: string | null, producerId: bigint, epoch: number, topic: string, partition: number): number;
}

export class Broker {
  readonly nodeId: number;
  readonly clusterId: string;
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
  readonly txns: TxnCoordinator;
  advertisedHost = '127.0.0.1';
  advertisedPort = 9092;
  closing = false;
  produceGuard: ProduceGuard | null = null;
  private apis = new Map<number, Api>();
  private appendWaiters = new Set<() => void>();
  private timers: NodeJS.Timeout[] = [];
  private closeHooks: (() => void)[] = [];

  constructor(readonly options: BrokerOptions) {
    this.nodeId = options.nodeId;
    this.clusterId = loadClusterId(options.dataDir);
    this.logs = new LogManager(options.dataDir, options.topicDefaults);
    this.groups = new GroupCoordinator(options.dataDir, options);
    this.txns = new TxnCoordinator(this);
    if (options.flushIntervalMs > 0) this.every(options.flushIntervalMs, () => this.logs.flushAll());
    if (options.logCleanupIntervalMs > 0) this.every(options.logCleanupIntervalMs, () => this.runLogCleaner());
  }

  register(api: Api): void {
    this.apis.set(api.key, api);
  }

  api(key: number): Api | undefined {
    return this.apis.get(key);
  }

  advertisedApis(): Msg[] {
    return [...this.apis.values()].sort((a, b) => a.key - b.key).map((a) => ({ api_key: a.key, min_version: a.minVersion, max_version: a.maxVersion }));
  }

  /** Runs `fn` periodically until close; errors are logged, never thrown. */
  every(ms: number, fn: () => void): void {
    const t = setInterval(() => {
      try {
        fn();
      } catch (err) {
        this.options.logger.error(`background task failed: ${(err as Error).stack ?? err}`);
      }
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  onClose(fn: () => void): void {
    this.closeHooks.push(fn);
  }

  createTopic(name: string, partitions: number, configs: Record<string, string>): Topic {
    const topic = this.logs.create(name, partitions > 0 ? partitions : this.options.defaultPartitions, configs);
    this.options.logger.info(`created topic ${name} with ${topic.partitions} partition(s)`);
    return topic;
  }

  /** Resolves on the next append anywhere, after `ms`, or when `closed` settles. */
  waitForAppend(ms: number, closed: Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.appendWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.appendWaiters.add(done);
      void closed.then(done);
    });
  }

  /** True while a transaction holds uncommitted offsets for this group partition (set by the txn coordinator). */
  pendingTxnOffset: (groupId: string, topic: string, partition: number) => boolean = () => false;

  notifyAppend(): void {
    const waiters = [...this.appendWaiters];
    this.appendWaiters.clear();
    for (const w of waiters) w();
  }

  /** Retention (delete policy) and compaction (compact policy) over every partition. */
  runLogCleaner(now = Date.now()): void {
    for (const topic of this.logs.topics.values()) {
      const cfg = this.logs.configOf(topic);
      for (const log of topic.logs) {
        log.applyRetention(now);
        if (cfg['cleanup.policy']!.includes('compact')) {
          const removed = compactLog(log, { minCompactionLagMs: Number(cfg['min.compaction.lag.ms']), deleteRetentionMs: Number(cfg['delete.retention.ms']) }, now);
          if (removed > 0) this.options.logger.info(`compacted ${topic.name}: removed ${removed} record(s)`);
        }
      }
    }
  }

  /** The produce path for one partition's records. */
  appendRecords(topicName: string, partition: number, records: Buffer | null, transactionalId: string | null, version: number): AppendResult {
    const log = this.logs.log(topicName, partition);
    const fail = (errorCode: number): AppendResult => ({ errorCode, baseOffset: -1, logAppendTime: -1, logStartOffset: log ? log.logStartOffset : -1 });
    if (!log) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    if (!records || records.length === 0) return fail(ErrorCode.INVALID_RECORD);
    let batches: Buffer[];
    try {
      batches = splitAndValidate(records);
    } catch (err) {
      if (err instanceof InvalidRecordError) return fail(err.errorCode);
      throw err;
    }
    if (batches.length !== 1) return fail(ErrorCode.INVALID_RECORD);
    const topic = this.logs.topics.get(topicName)!;
    const cfg = this.logs.configOf(topic);
    const batch = Buffer.from(batches[0]!);
    if (batch.length > Number(cfg['max.message.bytes'])) return fail(ErrorCode.MESSAGE_TOO_LARGE);
    const h = readBatchHeader(batch);
    const codec = h.attributes & ATTR_CODEC_MASK;
    if (codec > 4) return fail(ErrorCode.CORRUPT_MESSAGE);
    if (codec === 4 && version < 7) return fail(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    if (h.attributes & ATTR_CONTROL) return fail(ErrorCode.INVALID_RECORD);
    if (h.recordCount !== h.lastOffsetDelta + 1 && h.recordCount > 0 && h.producerId < 0n) {
      // Fresh producer batches have consecutive deltas; anything else is malformed.
      return fail(ErrorCode.INVALID_RECORD);
    }
    const transactional = (h.attributes & ATTR_TRANSACTIONAL) !== 0;
    if (transactional) {
      if (h.producerId < 0n) return fail(ErrorCode.INVALID_RECORD);
      const code = this.produceGuard ? this.produceGuard.checkTransactional(transactionalId, h.producerId, h.producerEpoch, topicName, partition) : ErrorCode.INVALID_TXN_STATE;
      if (code !== 0) return fail(code);
    }
    if (h.producerId >= 0n && h.baseSequence >= 0) {
      const dup = checkSequence(log, h.producerId, h.producerEpoch, h.baseSequence, h.lastOffsetDelta);
      if (dup.errorCode !== 0) return fail(dup.errorCode);
      if (dup.duplicateOf >= 0) return { errorCode: 0, baseOffset: dup.duplicateOf, logAppendTime: -1, logStartOffset: log.logStartOffset };
    }
    let logAppendTime = -1;
    if (cfg['message.timestamp.type'] === 'LogAppendTime') {
      logAppendTime = Date.now();
      batch.writeInt16BE(h.attributes | ATTR_LOG_APPEND_TIME, 21);
      batch.writeBigInt64BE(BigInt(logAppendTime), 35);
      batch.writeUInt32BE(crc32c(batch.subarray(21)), 17);
    }
    const baseOffset = log.append(batch);
    this.notifyAppend();
    return { errorCode: 0, baseOffset, logAppendTime, logStartOffset: log.logStartOffset };
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.notifyAppend();
    for (const hook of this.closeHooks) {
      try {
        hook();
      } catch (err) {
        this.options.logger.error(`close hook failed: ${(err as Error).message}`);
      }
    }
    this.groups.close();
    this.logs.close();
  }
}

/** Idempotence: sequence numbers per (producer, partition). */
function checkSequence(log: PartitionLog, pid: bigint, epoch: number, baseSeq: number, lastDelta: number): { errorCode: number; duplicateOf: number } {
  const entry = log.producers.get(pid.toString());
  const ok = { errorCode: 0, duplicateOf: -1 };
  if (!entry) return ok; // first batch seen (or state retained nowhere): accept, like a fresh producer
  if (epoch < entry.epoch) return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, duplicateOf: -1 };
  if (epoch > entry.epoch) return baseSeq === 0 ? ok : { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, duplicateOf: -1 };
  const lastSeq = baseSeq + lastDelta;
  const dup = entry.recent.find((r) => r.firstSeq === baseSeq && r.lastSeq === lastSeq);
  if (dup) return { errorCode: 0, duplicateOf: dup.baseOffset };
  const expected = entry.lastSeq === 0x7fffffff ? 0 : entry.lastSeq + 1;
  if (baseSeq !== expected) {
    return { errorCode: baseSeq <= entry.lastSeq && baseSeq >= (entry.recent[0]?.firstSeq ?? 0) ? ErrorCode.DUPLICATE_SEQUENCE_NUMBER : ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, duplicateOf: -1 };
  }
  return ok;
}
