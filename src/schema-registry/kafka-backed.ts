/**
 * A durable schema registry: the registry's state lives in a single-partition compacted Kafka
 * topic (`_schemas`, laid out as Confluent's, see kafka-log.ts) and in memory. `open` replays the
 * topic into memory; reads are then served from memory and every change (registered version,
 * compatibility level, deletion) is applied in memory at once and appended to the topic in the
 * background, in order. So the SchemaRegistryClient API stays synchronous for the engine and
 * the serdes, and `flush()` is the point where changes are known to be durable.
 *
 * One writer per topic: two Sluice registries sharing a topic would not see each other's
 * changes after opening (Confluent elects a leader for that; Sluice runs one registry).
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type KafkaConfig, type Producer } from 'kafkajs';
import { fixedAssigner } from '../runtime/drivers/kafka/assigners.js';
import { createTopicRetrying } from '../runtime/drivers/kafka/create-topic.js';
import { InMemorySchemaRegistry } from './in-memory.js';
import { decodeEntry, encodeEntry, type LogEntry, type LogRecord } from './kafka-log.js';
import type { CompatibilityLevel, RegisteredSchema, SchemaInput, SchemaReference, SchemaRegistryClient, SubjectVersion } from './types.js';

export interface KafkaBackedSchemaRegistryOptions {
  brokers: string[];
  /** TLS and SASL of the connection (kafkaClientSecurity(config).client), as the driver's clients use */
  security?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** default `_schemas`, Confluent's */
  topic?: string;
  clientId?: string;
  /** the global level while the topic holds none (default BACKWARD) */
  compatibility?: CompatibilityLevel;
  /** how long opening may take to create and replay the topic (default 60 s) */
  timeoutMs?: number;
  /** kafkajs retries of each request (default 8; each retry waits longer) */
  retries?: number;
  /** told about topic records that cannot be applied (they are skipped) */
  warn?: (message: string) => void;
}

export class KafkaBackedSchemaRegistry implements SchemaRegistryClient {
  private pending: LogRecord[] = [];
  private sending: Promise<void> | undefined;
  private failure: Error | undefined;
  /** records of the topic that could not be applied when replaying */
  skippedRecords = 0;

  private constructor(
    private readonly memory: InMemorySchemaRegistry,
    private readonly admin: Admin,
    private readonly producer: Producer,
    readonly topic: string,
    private readonly defaultLevel: CompatibilityLevel,
  ) {}

  /** Creates the topic when missing (1 partition, cleanup.policy=compact) and replays it. */
  static async open(opts: KafkaBackedSchemaRegistryOptions): Promise<KafkaBackedSchemaRegistry> {
    const topic = opts.topic ?? '_schemas';
    const defaultLevel = opts.compatibility ?? 'BACKWARD';
    const kafka = new Kafka({ clientId: opts.clientId ?? 'sluice-schema-registry', brokers: opts.brokers, ...(opts.security ?? {}), logLevel: logLevel.NOTHING, retry: { retries: opts.retries ?? 8 } });
    const admin = kafka.admin();
    const producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false });
    const timeoutMs = opts.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Opening the schema registry topic '${topic}' took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    // raced twice (here and in replay): the rejection is always handled
    timeout.catch(() => undefined);
    try {
      const registry = await Promise.race([
        (async () => {
          await admin.connect();
          await createTopicRetrying(admin, { topic, partitions: 1, replicas: -1, config: { 'cleanup.policy': 'compact' } });
          const offsets = await admin.fetchTopicOffsets(topic);
          if (offsets.length !== 1) throw new Error(`The schema registry topic '${topic}' must have exactly one partition (it has ${offsets.length})`);
          const memory = new InMemorySchemaRegistry({ compatibility: defaultLevel });
          const r = new KafkaBackedSchemaRegistry(memory, admin, producer, topic, defaultLevel);
          const { low, high } = offsets[0]!;
          if (Number(high) > Number(low)) await r.replay(kafka, Number(high), opts.warn, timeout);
          await producer.connect();
          return r;
        })(),
        timeout,
      ]);
      return registry;
    } catch (e) {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      throw new Error(`Could not open the schema registry topic '${topic}' on ${opts.brokers.join(',')}: ${(e as Error).message}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads the topic from its start to `end` (its high watermark at opening) into memory. */
  private async replay(kafka: Kafka, end: number, warn: ((m: string) => void) | undefined, timeout: Promise<never>): Promise<void> {
    const groupId = `sluice-schema-registry-replay-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, partitionAssigners: [fixedAssigner({ [this.topic]: [0] })], maxWaitTimeInMs: 200 });
    let position = 0;
    let finish!: () => void;
    let fail!: (e: Error) => void;
    const done = new Promise<void>((res, rej) => {
      finish = res;
      fail = rej;
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
      // compaction leaves gaps: the batch's last offset, not a record count, says how far we are
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
        position = Math.max(position, Number((e.payload as { lastOffset: string }).lastOffset) + 1);
        if (position >= end) finish();
      });
      consumer.on(consumer.events.CRASH, (e) => fail(e.payload.error));
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          if (Number(message.offset) >= end || !message.key) return;
          const key = message.key.toString('utf8');
          try {
            const entry = decodeEntry(key, message.value ? message.value.toString('utf8') : null);
            if (entry) this.apply(entry);
          } catch (err) {
            this.skippedRecords++;
            warn?.(`Schema registry topic '${this.topic}' offset ${message.offset} (key ${key}) skipped: ${(err as Error).message}`);
          }
        },
      });
      // on timeout too, so that the consumer is disconnected rather than left running
      await Promise.race([done, timeout]);
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
  }

  /** Applies one replayed record to memory, as it was when written (no compatibility checks). */
  private apply(e: LogEntry): void {
    const m = this.memory;
    const drop = (subject: string, version: number) => {
      if (m.listSubjects().includes(subject) && m.listVersions(subject).includes(version)) m.deleteVersion(subject, version);
    };
    switch (e.kind) {
      case 'schema':
        if (e.deleted) {
          m.restoreSchema(e.version);
          m.reserveVersion(e.version.subject, e.version.version);
          drop(e.version.subject, e.version.version);
        } else {
          m.restoreVersion(e.version);
        }
        return;
      case 'schema-erased':
        drop(e.subject, e.version);
        return;
      case 'config':
        if (e.subject === undefined) m.setCompatibility(e.level ?? this.defaultLevel);
        else if (e.level === undefined) m.deleteCompatibility(e.subject);
        else m.setCompatibility(e.level, e.subject);
        return;
      case 'delete-subject':
        if (m.listSubjects().includes(e.subject)) for (const v of m.listVersions(e.subject)) if (v <= e.version) m.deleteVersion(e.subject, v);
        return;
    }
  }

  /** Queues a change for the topic; writes go out in order, one batch at a time. */
  private write(entries: LogEntry[]): void {
    this.pending.push(...entries.map(encodeEntry));
    this.sending ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          await this.producer.send({ topic: this.topic, acks: -1, messages: batch.map((r) => ({ key: r.key, value: r.value, partition: 0 })) });
        } catch (err) {
          // keep the batch, in order, for the next flush(); memory already holds the change
          this.pending = [...batch, ...this.pending];
          this.failure = new Error(`Could not write to the schema registry topic '${this.topic}': ${(err as Error).message}`, { cause: err });
          return;
        }
      }
    } finally {
      this.sending = undefined;
    }
  }

  /** Resolves once every change so far is in the topic; rejects (after one retry) when it cannot be written. */
  async flush(): Promise<void> {
    if (this.sending) await this.sending;
    if (this.pending.length > 0) {
      this.failure = undefined;
      this.sending ??= this.drain();
      await this.sending;
    }
    if (this.failure) {
      const f = this.failure;
      if (this.pending.length === 0) this.failure = undefined;
      throw f;
    }
  }

  /** Flushes, then disconnects; rejects if changes could not be written. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.producer.disconnect().catch(() => undefined);
      await this.admin.disconnect().catch(() => undefined);
    }
  }

  register(subject: string, schema: SchemaInput): number {
    const before = this.memory.getLatest(subject)?.version;
    const id = this.memory.register(subject, schema);
    const after = this.memory.getLatest(subject);
    if (after && after.version !== before) this.write([{ kind: 'schema', version: after, deleted: false }]);
    return id;
  }

  deleteSubject(subject: string): number[] {
    const versions = this.memory.listVersions(subject).map((v) => this.memory.getVersion(subject, v));
    const removed = this.memory.deleteSubject(subject);
    this.write([
      ...versions.map((version): LogEntry => ({ kind: 'schema', version, deleted: true })),
      { kind: 'delete-subject', subject, version: Math.max(...removed) },
    ]);
    return removed;
  }

  deleteVersion(subject: string, version: number): number {
    const v = this.memory.getVersion(subject, version);
    const removed = this.memory.deleteVersion(subject, version);
    this.write([{ kind: 'schema', version: v, deleted: true }]);
    return removed;
  }

  setCompatibility(level: CompatibilityLevel, subject?: string): void {
    this.memory.setCompatibility(level, subject);
    this.write([{ kind: 'config', subject, level }]);
  }

  deleteCompatibility(subject: string): CompatibilityLevel | undefined {
    const had = this.memory.deleteCompatibility(subject);
    if (had !== undefined) this.write([{ kind: 'config', subject, level: undefined }]);
    return had;
  }

  // reads: from memory
  getById(id: number): RegisteredSchema {
    return this.memory.getById(id);
  }
  getLatest(subject: string): SubjectVersion | undefined {
    return this.memory.getLatest(subject);
  }
  getVersion(subject: string, version: number): SubjectVersion {
    return this.memory.getVersion(subject, version);
  }
  listSubjects(): string[] {
    return this.memory.listSubjects();
  }
  listVersions(subject: string): number[] {
    return this.memory.listVersions(subject);
  }
  getCompatibility(subject?: string): CompatibilityLevel {
    return this.memory.getCompatibility(subject);
  }
  getSubjectCompatibility(subject: string): CompatibilityLevel | undefined {
    return this.memory.getSubjectCompatibility(subject);
  }
  testCompatibility(subject: string, schema: SchemaInput, version?: number | 'latest'): { compatible: boolean; messages: string[] } {
    return this.memory.testCompatibility(subject, schema, version);
  }
  resolveReferences(references: readonly SchemaReference[]): Map<string, string> {
    return this.memory.resolveReferences(references);
  }
}
