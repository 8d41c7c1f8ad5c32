/**
 * One persistent query on Kafka: a consumer group `<serviceId>query_<queryId>` reading the
 * query's input topics and its repartition topics, with one task per partition number (see
 * ./assigners.ts). A task owns a LevelDB-backed store provider under
 * `<dataDir>/<queryId>/<partition>` and its own instance of the query's topology (operators hold
 * their stores and stream time, so each task gets its own; building one is cheap).
 *
 * Per fetched batch (one topic-partition), synchronously through the task's topology, then:
 * - at_least_once: outputs, repartition records and the task's store changes (to the stores'
 *   compacted changelog topics, partition = task) go out in ONE producer sendBatch; once
 *   acknowledged, the task state is flushed to LevelDB with the changelog offsets, then the input
 *   offsets are committed (every batch, or at most every commit.interval.ms).
 * - exactly_once_v2: the same records and the input offsets go in one kafkajs transaction.
 * A newly assigned task first restores its stores from the changelogs (./restore.ts); tasks that
 * were assigned away are closed.
 */
import { join } from 'node:path';
import type { Admin, Consumer, EachBatchPayload, Kafka, Producer, RecordMetadata } from 'kafkajs';
import type { QueryPlan } from '../../../planner/plan.js';
import { internalTopicName } from '../../../planner/naming.js';
import type { CompileContext } from '../../expr/compile.js';
import type { ProcessingLog } from '../../processing-log.js';
import type { ProducedRecord, Row } from '../../row.js';
import { partitionFor } from '../../partitioner.js';
import { MemoryStoreProvider } from '../../state/memory-provider.js';
import { openTaskState, type ChangelogOffsets, type TaskState } from '../../state/leveldb-persistence.js';
import { buildTopology, type Topology } from '../../topology.js';
import { coPartitionedAssignerFor } from './assigners.js';
import type { RuntimeSettings } from './config.js';
import { consumedRecord, kafkaMessage, Outbox } from './records.js';
import { restoreTask, type RestoreProgress } from './restore.js';
import { awaitPreviousOwner } from './previous-owner.js';
import { sendOffsetsRetrying } from './txn-offsets.js';
import type { OffsetQueries } from './wire-offsets.js';
import { partitionKeyFor, type PartitionKey } from './repartition-keys.js';
import { repartitionPartitions } from './repartition-partitions.js';
import { RepartitionPurger } from './repartition-purge.js';
import { decodeRow, encodeRowKey, encodeRowValue } from './row-codec.js';
import { TaskRoutingTable } from './task-routing.js';
import { FkJoinTopics } from './fk-join-topics.js';

/** what one produce request may carry (below the broker's default message.max.bytes of 1 MiB) */
const MAX_REQUEST_BYTES = 512 * 1024;

export interface QueryEnv {
  kafka: Kafka;
  admin: Admin;
  /** the driver's shared idempotent producer (at_least_once) */
  producer: Producer;
  serviceId: string;
  dataDir: string;
  log: ProcessingLog;
  settings: RuntimeSettings;
  /** high watermarks, last stable offsets and stable committed offsets (./wire-offsets.ts) */
  wire: OffsetQueries;
  /** partition count of a topic, from the driver's metadata */
  partitionsOf(topic: string): number | undefined;
  ensureTopic(name: string, partitions: number, config: Record<string, string>): Promise<void>;
  info(msg: string): void;
  onRestore?(r: { queryId: string; partition: number; records: number; ms: number }): void;
  /** this server's REST endpoint, advertised to the group for pull-query routing */
  advertisedListener?(): string | undefined;
  /** how far a task's restore is, while it runs (see RestoreProgress) */
  onRestoreProgress?(r: { queryId: string; partition: number } & RestoreProgress): void;
}

interface Task {
  partition: number;
  state: TaskState;
  topology: Topology;
}

export class PersistentQuery {
  readonly appId: string;
  private readonly tasks = new Map<number, Task>();
  private readonly opening = new Map<number, Promise<Task>>();
  private readonly closing = new Map<number, Promise<void>>();
  /** store name -> changelog topic */
  private changelogs = new Map<string, string>();
  private changelogStores = new Map<string, string>();
  /** repartition topic -> step id */
  private repartitionTopics = new Map<string, string>();
  /** step id -> repartition topic and how its rows' partition is chosen */
  private repartitionOut = new Map<string, { topic: string; partitionKey: PartitionKey; partitions: number }>();
  /** foreign-key joins' subscription-registration and -response topics (./fk-join-topics.ts) */
  private fkJoin: FkJoinTopics | undefined;
  private taskCount = 1;
  private consumer: Consumer | undefined;
  private txProducer: Producer | undefined;
  private outbox = new Outbox();
  private rr = 0;
  private pendingCommits = new Map<string, { topic: string; partition: number; offset: string }>();
  private lastCommit = Date.now();
  /** the tail of the exactly_once_v2 transactions, one after the other */
  private txTurn: Promise<unknown> = Promise.resolve();
  /** topic:partition -> the offset this instance committed last or sought the task to */
  private readonly positions = new Map<string, number>();
  /** the consumer's heartbeat (from the last batch), for waits that block the batch loop */
  private beat: () => Promise<void> = async () => undefined;
  private stopped = false;
  /** deletes consumed records of the repartition topics (they have no time retention) */
  private readonly purger: RepartitionPurger;
  private assigned = new Set<number>();
  /** set when the consumer crashed for good: the query no longer runs */
  error: Error | undefined;
  /** which server runs which task (pull-query routing, /clusterStatus) */
  readonly routing: TaskRoutingTable;

  constructor(
    readonly plan: QueryPlan,
    private readonly compile: CompileContext,
    private readonly env: QueryEnv,
  ) {
    this.appId = `${env.serviceId}query_${plan.queryId}`;
    this.purger = new RepartitionPurger((t) => this.repartitionTopics.has(t), env.admin, (m) => env.info(`query ${plan.queryId}: ${m}`), env.settings.purgeIntervalMs);
    this.routing = new TaskRoutingTable(env.admin, this.appId);
  }

  get queryId(): string {
    return this.plan.queryId;
  }

  isExactlyOnce(): boolean {
    return this.env.settings.guarantee === 'exactly_once_v2';
  }

  /** whether the inputs are read from their beginning when the group has no committed offset */
  startsFromBeginning(): boolean {
    return this.env.settings.offsetReset === 'earliest';
  }

  /** partitions (task numbers) this instance runs now */
  assignedTasks(): number[] {
    return [...this.tasks.keys()].sort((a, b) => a - b);
  }

  /** the state of task `p` when it is open here (pull queries restricted to partitions) */
  taskState(p: number): TaskState | undefined {
    return this.tasks.get(p)?.state;
  }

  /** the task states, for pull queries */
  taskStates(): TaskState[] {
    return [...this.tasks.values()].map((t) => t.state);
  }

  /** every topic the group reads, and whether it is internal */
  subscribedTopics(): { topic: string; internal: boolean }[] {
    const internal = [...this.repartitionTopics.keys(), ...(this.fkJoin?.topics().map((t) => t.name) ?? [])];
    return [...this.plan.inputTopics.map((topic) => ({ topic, internal: false })), ...internal.map((topic) => ({ topic, internal: true }))];
  }

  /** the changelog and repartition topics the query created (known once started) */
  internalTopics(): string[] {
    return [...this.changelogs.values(), ...this.repartitionTopics.keys(), ...(this.fkJoin?.topics().map((t) => t.name) ?? [])];
  }

  async start(): Promise<void> {
    const { plan, env } = this;
    // a probe topology tells which stores and which repartitioned steps the plan has
    const probeStores = new MemoryStoreProvider();
    const probe = buildTopology(plan, { queryId: plan.queryId, compile: this.compile, log: env.log, emit: () => undefined, stores: probeStores }, undefined, { repartition: () => undefined, fkJoin: { task: 0, subscribe: () => undefined, respond: () => undefined } });
    const prefix = `${plan.queryId}-`;
    for (const store of probeStores.storeNames()) {
      const short = store.startsWith(prefix) ? store.slice(prefix.length) : store;
      const topic = internalTopicName(this.appId, short, 'changelog');
      this.changelogs.set(store, topic);
      this.changelogStores.set(topic, store);
    }
    for (const stepId of probe.repartitionSteps) {
      const topic = internalTopicName(this.appId, stepId, 'repartition');
      this.repartitionTopics.set(topic, stepId);
      this.repartitionOut.set(stepId, { topic, partitionKey: partitionKeyFor(plan, stepId), partitions: 1 });
    }
    const counts = plan.inputTopics.map((t) => {
      const n = env.partitionsOf(t);
      if (n === undefined) throw new Error(`Query ${plan.queryId}: input topic ${t} does not exist`);
      return n;
    });
    this.taskCount = Math.max(1, ...counts);
    // a foreign-key join's left row and the right row it refers to may be in different tasks:
    // they meet through subscription topics
    if (probe.fkJoinSteps.length > 0) this.fkJoin = new FkJoinTopics(plan, this.appId, probe.fkJoinSteps, this.taskCount, (t) => env.partitionsOf(t));
    for (const t of this.changelogs.values()) await env.ensureTopic(t, this.taskCount, { 'cleanup.policy': 'compact' });
    // repartition records keep their source's timestamps: with time retention the broker could
    // delete old-stamped ones before they are read (Kafka Streams also sets -1, and purges)
    for (const [stepId, out] of this.repartitionOut) {
      out.partitions = repartitionPartitions(plan, stepId, this.taskCount, (t) => env.partitionsOf(t));
      await env.ensureTopic(out.topic, out.partitions, { 'cleanup.policy': 'delete', 'retention.ms': '-1' });
    }
    for (const t of this.fkJoin?.topics() ?? []) await env.ensureTopic(t.name, t.partitions, { 'cleanup.policy': 'delete' });

    if (env.settings.guarantee === 'exactly_once_v2') {
      // one transactional id per query and data dir: a restarted server fences its own zombie;
      // a dead server's open transaction (which holds back read_committed readers of its
      // outputs and repartition records) is aborted by the broker after transaction.timeout.ms
      this.txProducer = env.kafka.producer({ transactionalId: `${this.appId}-${hashText(env.dataDir)}`, idempotent: true, maxInFlightRequests: 1, transactionTimeout: env.settings.transactionTimeoutMs });
      await this.txProducer.connect();
    }
    const consumer = env.kafka.consumer({ groupId: this.appId, partitionAssigners: [coPartitionedAssignerFor(() => env.advertisedListener?.())], readUncommitted: false, sessionTimeout: env.settings.sessionTimeoutMs, heartbeatInterval: Math.max(100, Math.min(3000, Math.floor(env.settings.sessionTimeoutMs / 3))), maxWaitTimeInMs: 500 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: plan.inputTopics, fromBeginning: env.settings.offsetReset === 'earliest' });
    // internal topics are always read from their beginning (as Kafka Streams does)
    if (this.repartitionTopics.size > 0) await consumer.subscribe({ topics: [...this.repartitionTopics.keys()], fromBeginning: true });
    if (this.fkJoin) await consumer.subscribe({ topics: this.fkJoin.topics().map((t) => t.name), fromBeginning: true });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.onAssignment(e.payload.memberAssignment);
      void this.routing.refresh();
    });
    // a fetched batch holding only transaction markers or aborted records never reaches
    // eachBatch: commit past it, so the committed offset reaches the partition's end
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      if (e.payload.batchSize === 0) this.commitPast(e.payload.topic, e.payload.partition, e.payload.lastOffset);
    });
    consumer.on(consumer.events.CRASH, (e) => {
      env.info(`query ${plan.queryId}: consumer crashed (${e.payload.error.message})${e.payload.restart ? '; restarting' : '; the query stopped'}`);
      if (!e.payload.restart) this.error = e.payload.error;
    });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (b) => this.onBatch(b) });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.routing.close();
    if (this.consumer) {
      await this.consumer.stop().catch(() => undefined);
      await this.commitPending(true).catch(() => undefined);
      await this.consumer.disconnect().catch(() => undefined);
    }
    await this.txTurn;
    await this.purger.close();
    await this.txProducer?.disconnect().catch(() => undefined);
    await Promise.all([...this.closing.values()]);
    await Promise.all([...this.opening.values()].map((p) => p.then(() => undefined, () => undefined)));
    await Promise.all([...this.tasks.values()].map((t) => t.state.close().catch(() => undefined)));
    this.tasks.clear();
  }

  /**
   * Input positions processed but not committed yet (at_least_once with commit.interval.ms): with
   * the group's committed offsets they give the consumer lag (./lag.ts).
   */
  uncommittedPositions(): { topic: string; partition: number; offset: number }[] {
    return [...this.pendingCommits.values()].map((c) => ({ topic: c.topic, partition: c.partition, offset: Number(c.offset) }));
  }

  /** Stop fetching (ksqlDB's PAUSE): the group membership and the tasks stay, records wait. */
  pause(): void {
    this.consumer?.pause(this.subscribedTopics().map(({ topic }) => ({ topic })));
  }

  resume(): void {
    this.consumer?.resume(this.subscribedTopics().map(({ topic }) => ({ topic })));
  }

  /** task numbers the group assigned to this instance at its last join */
  assignedPartitions(): number[] {
    return [...this.assigned].sort((a, b) => a - b);
  }

  private onAssignment(assignment: Record<string, number[]>): void {
    const keep = new Set<number>();
    for (const parts of Object.values(assignment)) for (const p of parts) keep.add(p);
    this.assigned = keep;
    for (const [p, task] of this.tasks) {
      if (keep.has(p)) continue;
      // assigned away: release the task's state (everything was flushed at its last batch)
      this.tasks.delete(p);
      this.closing.set(
        p,
        task.state.close().finally(() => this.closing.delete(p)),
      );
      this.env.info(`query ${this.queryId}: task ${p} revoked, state released`);
    }
    // open (and restore) the new tasks now, not at their first record, so their state is
    // current for pull queries; a batch arriving meanwhile waits for the same opening
    for (const p of keep) {
      if (this.tasks.has(p) || this.opening.has(p)) continue;
      this.task(p, async () => undefined).catch((err: Error) => this.env.info(`query ${this.queryId}: opening task ${p} failed (${err.message}); retried at its next batch`));
    }
  }

  private async task(p: number, heartbeat: () => Promise<void>): Promise<Task> {
    const existing = this.tasks.get(p);
    if (existing) return existing;
    let opening = this.opening.get(p);
    if (!opening) {
      opening = this.openTask(p, heartbeat).finally(() => this.opening.delete(p));
      this.opening.set(p, opening);
    }
    return opening;
  }

  private async openTask(p: number, heartbeat: () => Promise<void>): Promise<Task> {
    await this.closing.get(p);
    const { plan, env } = this;
    const state = await openTaskState(join(env.dataDir, plan.queryId, String(p)));
    try {
      const topology = buildTopology(
        plan,
        { queryId: plan.queryId, compile: this.compile, log: env.log, emit: (rec) => this.emit(rec), stores: state },
        undefined,
        { repartition: (stepId, row) => this.repartition(stepId, row), ...(this.fkJoin ? { fkJoin: this.fkJoin.hook(p, (t, m) => this.outbox.add(t, m)) } : {}) },
      );
      // exactly_once_v2: start from where the previous owner's last transaction left the task
      const startAt = this.txProducer ? await this.awaitPreviousOwner(p) : undefined;
      const onProgress = (pr: RestoreProgress) => env.onRestoreProgress?.({ queryId: plan.queryId, partition: p, ...pr });
      const r = await restoreTask({ kafka: env.kafka, admin: env.admin, wire: env.wire, appId: this.appId, state, partition: p, changelogs: this.changelogs, heartbeat, onProgress });
      if (r.records > 0) {
        env.info(`query ${plan.queryId}: task ${p} restored ${r.records} changelog records in ${r.ms} ms (${Math.round((r.records * 1000) / Math.max(1, r.ms))} records/s)`);
      }
      env.onRestore?.({ queryId: plan.queryId, partition: p, ...r });
      // a batch fetched from the offsets kafkajs resolved at assignment is then stale (isStale)
      for (const t of this.subscribedTopics()) this.positions.delete(`${t.topic}:${p}`);
      for (const [topic, offset] of startAt ?? []) {
        this.consumer?.seek({ topic, partition: p, offset: String(offset) });
        this.positions.set(`${topic}:${p}`, offset);
      }
      const task = { partition: p, state, topology };
      this.tasks.set(p, task);
      return task;
    } catch (err) {
      await state.close().catch(() => undefined);
      throw err;
    }
  }

  private emit(rec: ProducedRecord): void {
    const n = this.env.partitionsOf(rec.topic) ?? 1;
    const partition = rec.partition !== undefined && rec.partition < n ? rec.partition : partitionFor(rec.key, n, () => this.rr++);
    this.outbox.add(rec.topic, kafkaMessage(rec, partition));
  }

  private repartition(stepId: string, row: Row): void {
    const out = this.repartitionOut.get(stepId)!;
    const partition = partitionFor(out.partitionKey(row.key), out.partitions, () => 0);
    this.outbox.add(out.topic, { key: encodeRowKey(row), value: encodeRowValue(row), timestamp: String(row.ts), partition });
  }

  private async onBatch({ batch, heartbeat, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> {
    this.beat = heartbeat;
    if (batch.messages.length === 0) return;
    const p = batch.partition;
    const task = await this.task(p, heartbeat);
    const stepId = this.repartitionTopics.get(batch.topic);
    const fkReader = this.fkJoin?.reader(batch.topic);
    const outbox = (this.outbox = new Outbox());
    let last = -1;
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) break;
      const rec = consumedRecord(batch.topic, p, m);
      try {
        if (fkReader) fkReader(task.topology, rec);
        else if (stepId !== undefined) task.topology.processRepartitioned(stepId, decodeRow(rec.key, rec.value, rec.timestamp));
        else task.topology.process(rec);
      } catch (err) {
        this.env.log.log({ queryId: this.queryId, type: 'RECORD_PROCESSING_ERROR', message: `Error processing record: ${(err as Error).message}`, topic: rec.topic, partition: p, offset: rec.offset });
      }
      last = rec.offset;
    }
    if (last < 0) return;
    // the task's store changes, to its changelog partitions
    for (const c of task.state.takeChanges()) {
      const topic = this.changelogs.get(c.store);
      if (topic) outbox.add(topic, { key: c.key, value: c.value, partition: p });
    }
    // a batch processed to its end commits past what follows its last record in the fetch
    // (transaction markers, aborted records): kafkajs's resolveOffset moves its position there too
    const whole = last === Number(batch.messages[batch.messages.length - 1]!.offset);
    const next = String((whole ? Math.max(last, Number(batch.lastOffset())) : last) + 1);
    const offsets: ChangelogOffsets = {};
    if (this.txProducer) {
      const producer = this.txProducer;
      await this.inTurn(async () => {
        const tx = await producer.transaction();
        try {
          for (const chunk of outbox.chunks(MAX_REQUEST_BYTES)) this.noteChangelogOffsets(await tx.sendBatch({ topicMessages: chunk, acks: -1 }), chunk, p, offsets);
          await sendOffsetsRetrying(tx, { consumerGroupId: this.appId, topics: [{ topic: batch.topic, partitions: [{ partition: p, offset: next }] }] });
          await tx.commit();
        } catch (err) {
          await tx.abort().catch(() => undefined);
          await this.dropTask(p);
          throw err;
        }
      });
      this.purger.committedOffset(batch.topic, p, Number(next));
      this.purger.maybePurge();
      this.positions.set(`${batch.topic}:${p}`, Number(next));
      await task.state.flush(offsets);
    } else {
      try {
        for (const chunk of outbox.chunks(MAX_REQUEST_BYTES)) this.noteChangelogOffsets(await this.env.producer.sendBatch({ topicMessages: chunk, acks: -1 }), chunk, p, offsets);
      } catch (err) {
        // the stores hold this batch's effects but not all was acknowledged: start the task over
        await this.dropTask(p);
        throw err;
      }
      await task.state.flush(offsets);
      this.positions.set(`${batch.topic}:${p}`, Number(next));
      this.pendingCommits.set(`${batch.topic}:${p}`, { topic: batch.topic, partition: p, offset: next });
      await this.commitPending(false);
    }
    resolveOffset(String(last));
    await heartbeat();
  }

  private awaitPreviousOwner(p: number): Promise<Map<string, number>> {
    return awaitPreviousOwner({
      wire: this.env.wire,
      groupId: this.appId,
      partition: p,
      topics: this.subscribedTopics().map((t) => t.topic),
      changelogs: [...this.changelogs.values()],
      heartbeat: () => this.beat(),
      // a dead owner's transaction is aborted after its timeout (Apache Kafka looks every 10 s)
      timeoutMs: 2 * this.env.settings.transactionTimeoutMs + 30000,
    });
  }

  /** run `fn` after every transaction begun before it (kafkajs allows one open transaction per producer) */
  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.txTurn.then(fn, fn);
    this.txTurn = run.catch(() => undefined);
    return run;
  }

  /**
   * Commit the offset after a fetched batch that held only transaction markers or aborted
   * records (kafkajs moved its position past it, but eachBatch never saw it). Otherwise the
   * group's committed offset would stay behind every partition that ends with a marker — every
   * partition written transactionally — and waitForQuery could not tell done from stuck.
   * Under exactly_once_v2 in a transaction of its own (offsets only), in turn with the batches'.
   */
  private commitPast(topic: string, partition: number, lastOffset: string): void {
    if (this.stopped || !this.tasks.has(partition)) return;
    const offset = String(Number(lastOffset) + 1);
    // never behind what a batch committed or where the task was sought to: a batch fetched
    // before that seek (from the offset kafkajs resolved at assignment) is stale
    const key = `${topic}:${partition}`;
    const before = this.positions.get(key);
    if (Number(offset) <= (before ?? -1)) return;
    this.positions.set(key, Number(offset));
    const producer = this.txProducer;
    if (producer) {
      void this.inTurn(async () => {
        if (this.stopped) return;
        const tx = await producer.transaction();
        try {
          await sendOffsetsRetrying(tx, { consumerGroupId: this.appId, topics: [{ topic, partitions: [{ partition, offset }] }] });
          await tx.commit();
        } catch (err) {
          await tx.abort().catch(() => undefined);
          throw err;
        }
      }).catch((err: Error) => {
        if (this.positions.get(key) === Number(offset)) {
          if (before === undefined) this.positions.delete(key);
          else this.positions.set(key, before);
        }
        this.env.info(`query ${this.queryId}: committing past the markers of ${topic}/${partition} failed (${err.message})`);
      });
    } else {
      if (Number(this.pendingCommits.get(key)?.offset ?? -1) >= Number(offset)) return;
      this.pendingCommits.set(key, { topic, partition, offset });
      this.commitPending(false).catch((err: Error) => this.env.info(`query ${this.queryId}: committing offsets failed (${err.message})`));
    }
  }

  /** the offset of the last changelog record each store got in one acknowledged request */
  private noteChangelogOffsets(meta: RecordMetadata[], chunk: { topic: string; messages: unknown[] }[], p: number, out: ChangelogOffsets): void {
    for (const { topic, messages } of chunk) {
      const store = this.changelogStores.get(topic);
      if (store === undefined) continue;
      const m = meta.find((x) => x.topicName === topic && x.partition === p);
      if (m?.baseOffset !== undefined) out[store] = Math.max(out[store] ?? -1, Number(m.baseOffset) + messages.length - 1);
    }
  }

  private async commitPending(force: boolean): Promise<void> {
    if (this.pendingCommits.size === 0 || !this.consumer) return;
    if (!force && Date.now() - this.lastCommit < this.env.settings.commitIntervalMs) return;
    const offsets = [...this.pendingCommits.values()];
    this.pendingCommits.clear();
    this.lastCommit = Date.now();
    await this.consumer.commitOffsets(offsets);
    for (const o of offsets) this.purger.committedOffset(o.topic, o.partition, Number(o.offset));
    this.purger.maybePurge();
  }

  /** forget a task whose in-memory state ran ahead of what was acknowledged; it reopens and restores */
  private async dropTask(p: number): Promise<void> {
    const task = this.tasks.get(p);
    if (!task) return;
    this.tasks.delete(p);
    await task.state.close().catch(() => undefined);
  }
}

function hashText(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}
