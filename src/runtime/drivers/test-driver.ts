/**
 * The synchronous in-process driver: topics are in-memory logs, and every record produced to a
 * topic is processed to completion by every query reading it before the next one is taken —
 * the semantics of Kafka Streams' TopologyTestDriver, which ksqlDB's conformance cases assume.
 */
import { KsqlError } from '../../common/errors.js';
import type { EngineDriver, MaterializedRow, TopicDescription, TransientQueryHandle, TransientQueryOptions, TransientRow } from '../../engine/driver.js';
import { materializedStoreName } from '../operators/sink.js';
import { transientOutput } from '../transient-output.js';
import type { QueryPlan } from '../../planner/plan.js';
import type { CompileContext } from '../expr/compile.js';
import { partitionFor } from '../partitioner.js';
import { MemoryProcessingLog } from '../processing-log.js';
import type { ConsumedRecord, Header, ProducedRecord } from '../row.js';
import { buildTopology, type Topology } from '../topology.js';
import { MemoryStoreProvider } from '../state/memory-provider.js';

export interface StoredRecord extends ConsumedRecord {
  /** the query that produced it, or undefined for records piped in by the test */
  producedBy?: string;
}

interface MemTopic {
  desc: TopicDescription;
  records: StoredRecord[];
  nextOffset: number[];
}

export class TestDriver implements EngineDriver {
  private readonly topics = new Map<string, MemTopic>();
  private readonly topologies = new Map<string, Topology>();
  private readonly stores = new Map<string, MemoryStoreProvider>();
  private transientCounter = 0;
  readonly processingLog = new MemoryProcessingLog();
  private rr = 0;
  /** guards against a query that feeds its own input forever */
  private depth = 0;

  describeTopic(name: string): TopicDescription | undefined {
    return this.topics.get(name)?.desc;
  }

  listTopics(): TopicDescription[] {
    return [...this.topics.values()].map((t) => t.desc);
  }

  createTopic(name: string, partitions: number, replicas: number, config: Record<string, string> = {}): void {
    if (this.topics.has(name)) return;
    this.topics.set(name, { desc: { name, partitions, replicas, config }, records: [], nextOffset: new Array(partitions).fill(0) });
  }

  deleteTopic(name: string): void {
    this.topics.delete(name);
  }

  startQuery(plan: QueryPlan, compile: CompileContext): void {
    const stores = new MemoryStoreProvider();
    const topology = buildTopology(plan, {
      queryId: plan.queryId,
      compile,
      log: this.processingLog,
      emit: (rec) => this.append(rec, plan.queryId),
      stores,
    });
    this.topologies.set(plan.queryId, topology);
    this.stores.set(plan.queryId, stores);
  }

  stopQuery(queryId: string): void {
    this.topologies.delete(queryId);
    this.stores.delete(queryId);
  }

  startTransientQuery(
    plan: QueryPlan,
    compile: CompileContext,
    opts: TransientQueryOptions,
    sink: { onRow(row: TransientRow): void; onEnd(err?: Error): void },
  ): TransientQueryHandle {
    const queryId = `transient_${plan.queryId}_${this.transientCounter++}`;
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      this.topologies.delete(queryId);
      sink.onEnd();
    };
    const terminal = transientOutput(plan, opts.limit, (row) => open && sink.onRow(row), () => close());
    const topology = buildTopology({ ...plan, queryId }, { queryId, compile, log: this.processingLog, emit: () => undefined, stores: new MemoryStoreProvider() }, terminal);
    if (opts.fromBeginning || opts.untilEnd) {
      // replay what the inputs already hold, in the order it was appended
      const existing = plan.inputTopics.flatMap((t) => this.records(t));
      for (const rec of existing) if (open) topology.process(rec);
    }
    // a stream pull ends once it has read what was there at the start
    if (opts.untilEnd) close();
    if (open) this.topologies.set(queryId, topology);
    return { queryId, close };
  }

  materializedRows(queryId: string): Iterable<MaterializedRow> | undefined {
    const stores = this.stores.get(queryId);
    if (!stores) return undefined;
    const store = stores.get(materializedStoreName(queryId)) as { all(): Iterable<[unknown[], MaterializedRow]> } | undefined;
    if (!store) return [];
    return [...store.all()].map(([, v]) => v);
  }

  produce(rec: ProducedRecord): void {
    this.append(rec, undefined);
  }

  /** Pipe a record in from outside (a test input). */
  pipe(rec: { topic: string; key: Buffer | null; value: Buffer | null; timestamp: number; headers?: Header[]; partition?: number }): void {
    this.append({ ...rec, headers: rec.headers ?? [] }, undefined);
  }

  /** Every record on a topic, in the order they were appended. */
  records(topic: string): StoredRecord[] {
    return this.topics.get(topic)?.records ?? [];
  }

  private append(rec: ProducedRecord, producedBy: string | undefined): void {
    let t = this.topics.get(rec.topic);
    if (!t) {
      this.createTopic(rec.topic, 1, 1);
      t = this.topics.get(rec.topic)!;
    }
    const partition = rec.partition !== undefined && rec.partition < t.desc.partitions ? rec.partition : partitionFor(rec.key, t.desc.partitions, () => this.rr++);
    const offset = t.nextOffset[partition]!++;
    const stored: StoredRecord = { topic: rec.topic, partition, offset, key: rec.key, value: rec.value, timestamp: rec.timestamp, headers: rec.headers, ...(producedBy ? { producedBy } : {}) };
    t.records.push(stored);
    if (this.depth > 64) throw new KsqlError(`Query loop detected on topic ${rec.topic}`);
    this.depth++;
    try {
      for (const topo of [...this.topologies.values()]) topo.process(stored);
    } finally {
      this.depth--;
    }
  }

  /**
   * PRINT: the topic's records, then (until closed or `limit`) each new one as it is appended.
   * The reader sits among the topologies, so it sees appends in order with the queries.
   */
  readTopic(topic: string, opts: { fromBeginning: boolean; limit?: number }, onRecord: (rec: ConsumedRecord) => void, onEnd: (err?: Error) => void): { close(): void } {
    const id = `print_${topic}_${this.transientCounter++}`;
    let open = true;
    let count = 0;
    const close = () => {
      if (!open) return;
      open = false;
      this.topologies.delete(id);
      onEnd();
    };
    const deliver = (rec: ConsumedRecord) => {
      if (!open || rec.topic !== topic) return;
      onRecord(rec);
      if (opts.limit !== undefined && ++count >= opts.limit) close();
    };
    if (opts.fromBeginning) for (const rec of [...this.records(topic)]) deliver(rec);
    if (open) {
      this.topologies.set(id, { queryId: id, handlers: new Map(), process: deliver, repartitionSteps: [], processRepartitioned: () => undefined, fkJoinSteps: [], processSubscription: () => undefined, processResponse: () => undefined });
    }
    return { close };
  }
}
