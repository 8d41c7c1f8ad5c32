/**
 * The driver the engine sees on a server with a command topic. It passes everything to the real
 * driver, except that what a statement does to Kafka depends on why the statement runs:
 * - `origin`: this server issued the command: it creates and deletes topics and cleans up after
 *   terminated queries, once for the cluster.
 * - `follower`: another server issued it: queries start and stop here too (each server runs its
 *   share), topics are created if missing (idempotent) but never deleted — the origin did, and
 *   by now a later command may have created a topic of that name again — and a terminated
 *   query's local state is removed, its topics are left to the origin.
 * - `replay`: the server is rebuilding its metastore from the command topic at start-up: nothing
 *   starts or changes on Kafka until the replay ends; then the queries still alive start and
 *   the topics still wanted are created if missing (as ksqlDB starts its queries only after
 *   recovery).
 * - `dry`: validation on a sandbox engine before a command is distributed: nothing happens at
 *   all, but topics created or deleted by earlier statements of the same request are seen.
 */
import type { EngineDriver, MaterializedRow, ReadTopicOptions, StopQueryOptions, TopicDescription, TransientQueryHandle, TransientQueryOptions, TransientRow } from '../engine/driver.js';
import type { QueryPlan } from '../planner/plan.js';
import type { CompileContext } from '../runtime/expr/compile.js';
import type { ConsumedRecord, ProducedRecord } from '../runtime/row.js';

export type ApplyMode = 'origin' | 'follower' | 'replay' | 'dry';

export class CommandDriver implements EngineDriver {
  mode: ApplyMode = 'origin';
  /** replay/dry: topics created (or, with undefined, deleted) so far */
  private readonly topicOverlay = new Map<string, TopicDescription | undefined>();
  /** replay: queries to start when the replay ends, in start order */
  private readonly pendingQueries = new Map<string, { plan: QueryPlan; compile: CompileContext }>();

  constructor(readonly inner: EngineDriver) {}

  get processingLog() {
    return this.inner.processingLog;
  }

  /** A driver for a sandbox engine: dry, over this one's view of the topics. */
  dryRun(): CommandDriver {
    const d = new CommandDriver(this);
    d.mode = 'dry';
    return d;
  }

  /** Ends a replay: creates the topics and starts the queries still wanted, in order. */
  finishReplay(): { queries: number; topics: number } {
    let topics = 0;
    for (const [name, t] of this.topicOverlay) {
      if (t && !this.inner.describeTopic(name)) {
        this.inner.createTopic(name, t.partitions, t.replicas, t.config);
        topics++;
      }
    }
    this.topicOverlay.clear();
    const queries = this.pendingQueries.size;
    for (const { plan, compile } of this.pendingQueries.values()) this.inner.startQuery(plan, compile);
    this.pendingQueries.clear();
    this.mode = 'origin';
    return { queries, topics };
  }

  async refreshTopics(): Promise<void> {
    await this.inner.refreshTopics?.();
  }

  describeTopic(name: string): TopicDescription | undefined {
    if (this.topicOverlay.has(name)) return this.topicOverlay.get(name);
    return this.inner.describeTopic(name);
  }

  listTopics(): TopicDescription[] {
    const out = new Map(this.inner.listTopics().map((t) => [t.name, t] as const));
    for (const [name, t] of this.topicOverlay) {
      if (t) out.set(name, t);
      else out.delete(name);
    }
    return [...out.values()];
  }

  createTopic(name: string, partitions: number, replicas: number, config: Record<string, string> = {}): void {
    if (this.mode === 'replay' || this.mode === 'dry') {
      if (!this.describeTopic(name)) this.topicOverlay.set(name, { name, partitions, replicas, config });
      return;
    }
    this.inner.createTopic(name, partitions, replicas, config);
  }

  deleteTopic(name: string): void {
    if (this.mode === 'replay' || this.mode === 'dry') {
      this.topicOverlay.set(name, undefined);
      return;
    }
    if (this.mode === 'origin') this.inner.deleteTopic(name);
  }

  startQuery(plan: QueryPlan, compile: CompileContext): void {
    if (this.mode === 'dry') return;
    if (this.mode === 'replay') {
      this.pendingQueries.set(plan.queryId, { plan, compile });
      return;
    }
    this.inner.startQuery(plan, compile);
  }

  stopQuery(queryId: string, opts: StopQueryOptions = {}): void {
    if (this.mode === 'dry') return;
    if (this.mode === 'replay') {
      // it never started in this run; what an earlier run left on disk goes
      this.pendingQueries.delete(queryId);
      if (opts.permanent) this.inner.stopQuery(queryId, { permanent: true, localOnly: true });
      return;
    }
    this.inner.stopQuery(queryId, this.mode === 'follower' ? { ...opts, localOnly: true } : opts);
  }

  produce(rec: ProducedRecord): void {
    if (this.mode === 'dry') return;
    this.inner.produce(rec);
  }

  startTransientQuery(plan: QueryPlan, compile: CompileContext, opts: TransientQueryOptions, sink: { onRow(row: TransientRow): void; onEnd(err?: Error): void }): TransientQueryHandle {
    return this.inner.startTransientQuery(plan, compile, opts, sink);
  }

  materializedRows(queryId: string): Iterable<MaterializedRow> | undefined {
    return this.inner.materializedRows(queryId);
  }

  get readTopic(): EngineDriver['readTopic'] {
    const inner = this.inner;
    return inner.readTopic ? (topic: string, opts: ReadTopicOptions, onRecord: (rec: ConsumedRecord) => void, onEnd: (err?: Error) => void) => inner.readTopic!(topic, opts, onRecord, onEnd) : undefined;
  }
}
