/**
 * The Kafka driver: runs the engine's plans on a Kafka cluster (the embedded broker or Apache
 * Kafka) through kafkajs, the way ksqlDB runs them on Kafka Streams. Each persistent query is a
 * consumer group with one task per input partition and durable, movable state
 * (./kafka/persistent-query.ts); transient queries are private consumers
 * (./kafka/transient-query.ts); the processing log also goes to `<serviceId>ksql_processing_log`.
 *
 * The driver contract is synchronous (the engine executes statements without awaiting), so
 * topic metadata is cached (loaded by `KafkaDriver.connect`, updated by createTopic) and the
 * Kafka side of createTopic / deleteTopic / startQuery / stopQuery / produce runs in order on a
 * work queue; `settle()` waits for it and reports the first failure.
 */
import type { Admin, Kafka, Producer } from 'kafkajs';
import { Kafka as KafkaClient, logLevel, Partitioners } from 'kafkajs';
import type { ClusterHost, RoutingDriver, TaskLocations } from '../../engine/routing.js';
import type { EngineDriver, StopQueryOptions, MaterializedRow, ReadTopicOptions, TopicDescription, TransientQueryHandle, TransientQueryOptions, TransientRow } from '../../engine/driver.js';
import type { ConsumedRecord } from '../row.js';
import type { QueryPlan } from '../../planner/plan.js';
import type { CompileContext } from '../expr/compile.js';
import { materializedStoreName } from '../operators/sink.js';
import { partitionFor } from '../partitioner.js';
import type { ProducedRecord } from '../row.js';
import type { KeyValueStore } from '../state/types.js';
import { runtimeSettings } from './kafka/config.js';
import { kafkaClientSecurity, type KafkaClientSecurity } from './kafka/client-security.js';
import { PersistentQuery } from './kafka/persistent-query.js';
import { TopicProcessingLog } from './kafka/processing-log-topic.js';
import { kafkaMessage } from './kafka/records.js';
import { startTransient } from './kafka/transient-query.js';
import { readTopic } from './kafka/read-topic.js';
import { removeClusterResources, removeLocalState } from './kafka/query-cleanup.js';
import { keyTaskFor } from './kafka/key-task.js';
import { createTopicRetrying } from './kafka/create-topic.js';
import { probeTls } from './kafka/tls-probe.js';
import { endOffsetsReader, queryLag, type PartitionLag } from './kafka/lag.js';
import { AdminOffsets, WireOffsets, type OffsetQueries } from './kafka/wire-offsets.js';

export interface KafkaDriverOptions {
  brokers: string[];
  /** ksqlDB's ksql.service.id: prefixes group ids and internal topic names (default `default_`) */
  serviceId?: string;
  /** where task state (LevelDB) lives */
  dataDir: string;
  /**
   * ksqlDB properties (ksql.streams.processing.guarantee, commit.interval.ms, auto.offset.reset,
   * ...; security.protocol, sasl.*, ssl.* for the connection: ./kafka/client-security.ts)
   */
  config?: Record<string, unknown>;
  clientId?: string;
  /** progress messages (restores, revocations, failures); default: none */
  info?: (msg: string) => void;
  /**
   * this server's REST endpoint (ksqlDB's ksql.advertised.listener), advertised in every query's
   * consumer group so the servers sharing the service id can route pull queries to each other
   */
  advertisedListener?: string;
}

export interface RestoreStat {
  queryId: string;
  partition: number;
  records: number;
  ms: number;
}

/** The latest (or running) restore of one task, for /metrics. */
export interface TaskRestoreProgress {
  queryId: string;
  partition: number;
  /** changelog records applied so far */
  restored: number;
  /** changelog offsets still to read; 0 once done */
  remaining: number;
  /** since the restore started */
  ms: number;
  done: boolean;
}

export class KafkaDriver implements EngineDriver, RoutingDriver {
  readonly processingLog: TopicProcessingLog;
  readonly serviceId: string;
  /** every task restore (for logs, tests and the benchmark) */
  readonly restores: RestoreStat[] = [];
  /** per `<queryId>/<task>`: the task's latest restore, updated while it runs */
  readonly restoreProgress = new Map<string, TaskRestoreProgress>();
  private readonly topics = new Map<string, TopicDescription>();
  private readonly queries = new Map<string, PersistentQuery>();
  private readonly transients = new Set<Promise<void>>();
  private work: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private transientCounter = 0;
  /** internal-topic removals of terminated queries, waiting for their group to empty */
  private readonly cleanups = new Set<Promise<void>>();
  private closed = false;
  private rr = 0;
  private advertised: string | undefined;
  /** high watermarks and last stable offsets (kafkajs only gives the latter) */
  private readonly wire: OffsetQueries;

  private constructor(
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly producer: Producer,
    private readonly opts: KafkaDriverOptions,
  ) {
    this.serviceId = opts.serviceId ?? 'default_';
    this.advertised = opts.advertisedListener;
    // its own connections speak plaintext or TLS but do not authenticate: with SASL, kafkajs's admin
    const security = kafkaClientSecurity(opts.config ?? {});
    const ssl = security.client.ssl;
    this.wire = security.protocol === 'PLAINTEXT' ? new WireOffsets(opts.brokers) : security.protocol === 'SSL' ? new WireOffsets(opts.brokers, typeof ssl === 'object' ? ssl : {}) : new AdminOffsets(admin);
    this.processingLog = new TopicProcessingLog(`${this.serviceId}ksql_processing_log`, () => this.producer, (m) => this.info(m));
  }

  static async connect(opts: KafkaDriverOptions): Promise<KafkaDriver> {
    runtimeSettings(opts.config ?? {}); // reject bad settings early
    const security = kafkaClientSecurity(opts.config ?? {});
    if (security.client.ssl && opts.brokers[0]) {
      // a certificate that cannot be verified fails now, not after a minute of kafkajs retries
      await probeTls(opts.brokers[0], security.client.ssl === true ? {} : security.client.ssl).catch((err: Error) => {
        throw connectError(err, opts.brokers, security);
      });
    }
    // every client of the driver (admin, producers, query and restore consumers) comes from this one
    const kafka = new KafkaClient({ clientId: opts.clientId ?? 'sluice', brokers: opts.brokers, ...security.client, logLevel: logLevel.NOTHING, retry: { retries: 8 } });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    try {
      await admin.connect();
      await producer.connect();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      throw connectError(err as Error, opts.brokers, security);
    }
    const driver = new KafkaDriver(kafka, admin, producer, opts);
    await driver.refreshTopics();
    driver.createTopic(driver.processingLog.topic, 1, 1);
    await driver.settle();
    return driver;
  }

  /** Reload the topic metadata cache from the cluster. */
  async refreshTopics(): Promise<void> {
    const names = (await this.admin.listTopics()).filter((t) => !t.startsWith('__'));
    const md = names.length > 0 ? await this.admin.fetchTopicMetadata({ topics: names }) : { topics: [] };
    for (const t of md.topics) {
      const old = this.topics.get(t.name);
      this.topics.set(t.name, { name: t.name, partitions: t.partitions.length, replicas: t.partitions[0]?.replicas.length ?? 1, config: old?.config ?? {} });
    }
  }

  /** Wait until every queued Kafka operation finished; rejects with the first failure. */
  async settle(): Promise<void> {
    await this.work;
    if (this.failure) {
      const f = this.failure;
      this.failure = undefined;
      throw f;
    }
  }

  describeTopic(name: string): TopicDescription | undefined {
    return this.topics.get(name);
  }

  listTopics(): TopicDescription[] {
    return [...this.topics.values()];
  }

  createTopic(name: string, partitions: number, replicas: number, config: Record<string, string> = {}): void {
    if (this.topics.has(name)) return;
    this.topics.set(name, { name, partitions, replicas, config });
    this.enqueue(`create topic ${name}`, () => this.ensureTopic(name, partitions, config, replicas));
  }

  deleteTopic(name: string): void {
    this.topics.delete(name);
    this.enqueue(`delete topic ${name}`, () => this.admin.deleteTopics({ topics: [name] }));
  }

  startQuery(plan: QueryPlan, compile: CompileContext): void {
    if (this.queries.has(plan.queryId)) throw new Error(`query ${plan.queryId} is already running`);
    const settings = runtimeSettings(compile.config, this.opts.config ?? {});
    const query = new PersistentQuery(plan, compile, {
      kafka: this.kafka,
      admin: this.admin,
      producer: this.producer,
      serviceId: this.serviceId,
      dataDir: this.opts.dataDir,
      log: this.processingLog,
      settings,
      wire: this.wire,
      partitionsOf: (t) => this.topics.get(t)?.partitions,
      ensureTopic: (name, partitions, config) => {
        if (!this.topics.has(name)) this.topics.set(name, { name, partitions, replicas: 1, config });
        return this.ensureTopic(name, partitions, config, 1);
      },
      info: (m) => this.info(m),
      onRestore: (r) => {
        this.restores.push(r);
        const key = `${r.queryId}/${r.partition}`;
        const p = this.restoreProgress.get(key);
        if (p) this.restoreProgress.set(key, { ...p, remaining: 0, done: true });
      },
      onRestoreProgress: (p) => this.restoreProgress.set(`${p.queryId}/${p.partition}`, { ...p, done: false }),
      advertisedListener: () => this.advertised,
    });
    this.queries.set(plan.queryId, query);
    this.enqueue(`start query ${plan.queryId}`, () => query.start());
  }

  stopQuery(queryId: string, opts: StopQueryOptions = {}): void {
    const q = this.queries.get(queryId);
    this.queries.delete(queryId);
    for (const key of [...this.restoreProgress.keys()]) if (key.startsWith(`${queryId}/`)) this.restoreProgress.delete(key);
    if (q) this.enqueue(`stop query ${queryId}`, () => q.stop());
    if (!opts.permanent) return;
    // for good: the local state goes once stopped; the topics and group when no server runs it
    this.enqueue(`remove the state of query ${queryId}`, () => removeLocalState({ dataDir: this.opts.dataDir }, queryId));
    if (opts.localOnly || !q) return;
    const internal = q.internalTopics();
    for (const t of internal) this.topics.delete(t);
    const env = { admin: this.admin, dataDir: this.opts.dataDir, info: (m: string) => this.info(m), cancelled: () => this.closed };
    const cleanup = this.work
      .then(() => removeClusterResources(env, { queryId, appId: q.appId, internalTopics: internal }))
      .then(
        () => undefined,
        (err: Error) => this.info(`query ${queryId}: removing its internal topics failed (${err.message})`),
      );
    this.cleanups.add(cleanup);
    void cleanup.then(() => this.cleanups.delete(cleanup));
  }

  /** The running persistent query (tests, metrics). */
  query(queryId: string): PersistentQuery | undefined {
    return this.queries.get(queryId);
  }

  /**
   * Consumer lag of every running persistent query, per partition of the tasks this server runs
   * (./kafka/lag.ts). Asks the cluster: for a metrics scrape, not the processing path.
   */
  async consumerLag(): Promise<PartitionLag[]> {
    const ends = endOffsetsReader(this.admin);
    const all = await Promise.all([...this.queries.values()].map((q) => queryLag(this.admin, q, ends)));
    return all.flat();
  }

  startTransientQuery(
    plan: QueryPlan,
    compile: CompileContext,
    opts: TransientQueryOptions,
    sink: { onRow(row: TransientRow): void; onEnd(err?: Error): void },
  ): TransientQueryHandle {
    const queryId = `transient_${plan.queryId}_${this.transientCounter++}`;
    const h = startTransient({ kafka: this.kafka, admin: this.admin, serviceId: this.serviceId, log: this.processingLog }, queryId, plan, compile, opts, sink);
    this.transients.add(h.closed);
    void h.closed.then(() => this.transients.delete(h.closed));
    return { queryId: h.queryId, close: h.close };
  }

  readTopic(topic: string, opts: ReadTopicOptions, onRecord: (rec: ConsumedRecord) => void, onEnd: (err?: Error) => void): { close(): void } {
    const h = readTopic({ kafka: this.kafka, admin: this.admin, serviceId: this.serviceId }, topic, opts, onRecord, onEnd);
    this.transients.add(h.closed);
    void h.closed.then(() => this.transients.delete(h.closed));
    return { close: h.close };
  }

  materializedRows(queryId: string): Iterable<MaterializedRow> | undefined {
    const q = this.queries.get(queryId);
    if (!q) return undefined;
    const out: MaterializedRow[] = [];
    for (const state of q.taskStates()) {
      const store = state.store(materializedStoreName(queryId)) as KeyValueStore<MaterializedRow> | undefined;
      if (store) for (const [, v] of store.all()) out.push(v);
    }
    return out;
  }

  advertisedListener(): string | undefined {
    return this.advertised;
  }

  setAdvertisedListener(url: string): void {
    this.advertised = url;
  }

  taskLocations(queryId: string): TaskLocations | undefined {
    const q = this.queries.get(queryId);
    if (!q) return undefined;
    const tasks = Math.max(1, ...q.plan.inputTopics.map((t) => this.topics.get(t)?.partitions ?? 1));
    const { owners } = q.routing.current();
    const keyTask = keyTaskFor(q.plan);
    return {
      tasks,
      ownerOf: (t) => owners.get(t),
      local: new Set(q.assignedTasks()),
      taskOfKey: (key) => keyTask?.(key, tasks),
    };
  }

  async refreshTaskLocations(queryId: string): Promise<void> {
    await this.queries.get(queryId)?.routing.refresh();
  }

  materializedRowsOfTasks(queryId: string, tasks: number[]): MaterializedRow[] | undefined {
    const q = this.queries.get(queryId);
    if (!q) return undefined;
    const out: MaterializedRow[] = [];
    for (const t of tasks) {
      const store = q.taskState(t)?.store(materializedStoreName(queryId)) as KeyValueStore<MaterializedRow> | undefined;
      if (store) for (const [, v] of store.all()) out.push(v);
    }
    return out;
  }

  clusterHosts(): ClusterHost[] {
    const hosts = new Map<string, ClusterHost>();
    const host = (endpoint: string) => {
      let h = hosts.get(endpoint);
      if (!h) hosts.set(endpoint, (h = { endpoint, activePartitions: new Map() }));
      return h;
    };
    if (this.advertised) host(this.advertised);
    for (const q of this.queries.values()) {
      for (const m of q.routing.current().members) {
        if (!m.endpoint) continue;
        const list = host(m.endpoint).activePartitions;
        list.set(q.queryId, [...(list.get(q.queryId) ?? []), ...m.topicPartitions]);
      }
    }
    return [...hosts.values()];
  }

  produce(rec: ProducedRecord): void {
    const n = this.topics.get(rec.topic)?.partitions ?? 1;
    const partition = rec.partition !== undefined && rec.partition < n ? rec.partition : partitionFor(rec.key, n, () => this.rr++);
    this.enqueue(`produce to ${rec.topic}`, () => this.producer.send({ topic: rec.topic, messages: [kafkaMessage(rec, partition)], acks: -1 }));
  }

  /**
   * Resolves once the query's consumer group has committed, for every partition of every topic it
   * reads, the partition's end (twice in a row, so records a task produced to a repartition topic
   * meanwhile are counted). The end is the high watermark, and a partition with an open
   * transaction (its last stable offset below the high watermark — e.g. a crashed server's, until
   * transaction.timeout.ms aborts it) is not at its end: records and a marker are still to come.
   * The group commits past trailing transaction markers and aborted records (see
   * PersistentQuery), so the committed offset does reach the high watermark. Across servers: it
   * reads the group's offsets.
   */
  async waitForQuery(queryId: string, timeoutMs = 30000): Promise<void> {
    const q = this.queries.get(queryId);
    if (!q) throw new Error(`query ${queryId} does not run here`);
    await this.settle();
    const deadline = Date.now() + timeoutMs;
    let streak = 0;
    let lastSig = '';
    let behind: string[] = [];
    while (Date.now() < deadline) {
      if (q.error) throw new Error(`query ${queryId} failed: ${q.error.message}`, { cause: q.error });
      const topics = q.subscribedTopics();
      let done = true;
      let sig = '';
      behind = [];
      const committed = await this.admin.fetchOffsets({ groupId: q.appId, topics: topics.map((t) => t.topic) });
      for (const { topic } of topics) {
        const ends = await this.wire.ends(topic);
        const c = committed.find((x) => x.topic === topic);
        for (const [partition, e] of ends) {
          const at = Number(c?.partitions.find((x) => x.partition === partition)?.offset ?? -1);
          sig += `${topic}:${partition}:${e.high};`;
          if (e.stable < e.high || (e.high > e.low && at < e.high)) {
            done = false;
            behind.push(`${topic}/${partition}: committed ${at}, end ${e.high}${e.stable < e.high ? ` (transaction open from ${e.stable})` : ''}`);
          }
        }
      }
      if (done && sig === lastSig) streak++;
      else streak = done ? 1 : 0;
      lastSig = sig;
      if (streak >= 2) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`query ${queryId} did not catch up within ${timeoutMs} ms (${behind.join('; ') || 'ends kept moving'})`);
  }

  /** Stop every query and transient query and disconnect. Task state stays on disk. */
  async close(): Promise<void> {
    this.closed = true;
    await this.work.catch(() => undefined);
    await Promise.all([...this.cleanups]);
    await Promise.all([...this.queries.values()].map((q) => q.stop()));
    this.queries.clear();
    await Promise.all([...this.transients]);
    await this.processingLog.flush();
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  private async ensureTopic(name: string, partitions: number, config: Record<string, string>, replicas: number): Promise<void> {
    await createTopicRetrying(this.admin, { topic: name, partitions, replicas, config });
  }

  private enqueue(what: string, fn: () => Promise<unknown>): void {
    this.work = this.work.then(async () => {
      try {
        await fn();
      } catch (err) {
        const e = new Error(`${what} failed: ${(err as Error).message}`, { cause: err });
        this.info(e.message);
        this.failure ??= e;
      }
    });
  }

  private info(msg: string): void {
    this.opts.info?.(msg);
  }
}

/** A connection failure that says where, with which security settings, and what to check. */
function connectError(err: Error, brokers: string[], security: KafkaClientSecurity): Error {
  let hint = '';
  if (err.name === 'KafkaJSSASLAuthenticationError') hint = ': check the username and password in sasl.jaas.config (and sasl.mechanism)';
  else if (/alert (bad|unknown|certificate required)|alert number (42|46|116)/i.test(err.message)) hint = ': the broker refused the client certificate: check ssl.keystore.location (or ssl.certificate.location and ssl.key.location)';
  else if (/certificate|self.signed|SSL|TLS|EPROTO/i.test(err.message)) hint = ': check ssl.truststore.location (the CA that signed the broker certificate) and ssl.endpoint.identification.algorithm';
  return new Error(`Cannot connect to Kafka at ${brokers.join(',')} (security.protocol ${security.description}): ${err.message.replace(/\s+/g, ' ').trim()}${hint}`, { cause: err });
}
