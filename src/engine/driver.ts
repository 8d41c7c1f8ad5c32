/**
 * The driver contract: what the engine needs from whatever runs its queries. The synchronous
 * test driver (src/runtime/drivers/test-driver.ts) and the Kafka consumer-group driver both
 * implement it; a plan runs unchanged under either.
 */
import type { QueryPlan } from '../planner/plan.js';
import type { CompileContext } from '../runtime/expr/compile.js';
import type { ProcessingLog } from '../runtime/processing-log.js';
import type { ConsumedRecord, ProducedRecord } from '../runtime/row.js';

export interface TopicDescription {
  name: string;
  partitions: number;
  replicas: number;
  config: Record<string, string>;
}

/** One row a transient (push) query produced. */
export interface TransientRow {
  key: unknown[];
  /** the projection's value columns; null for a table delete */
  values: unknown[] | null;
  timestamp: number;
  window?: { start: number; end: number };
}

export interface TransientQueryOptions {
  /** read the inputs from the beginning (auto.offset.reset=earliest) or only new records */
  fromBeginning: boolean;
  /** stop after this many rows */
  limit?: number;
  /**
   * a stream pull query: read only up to the inputs' end offsets seen at start, then end
   * (onEnd) on its own
   */
  untilEnd?: boolean;
}

export interface TransientQueryHandle {
  readonly queryId: string;
  /** stop the query and release its consumer and state */
  close(): void;
}

/** A materialised table's current rows (pull queries). Windowed tables carry their window. */
export interface MaterializedRow {
  key: unknown[];
  values: unknown[];
  window?: { start: number; end: number };
  /** the row's event time (ROWTIME), when the store keeps it */
  timestamp?: number;
}

export interface EngineDriver {
  describeTopic(name: string): TopicDescription | undefined;
  /** reload cached topic metadata (topics other clients created); drivers without a cache omit it */
  refreshTopics?(): Promise<void>;
  listTopics(): TopicDescription[];
  createTopic(name: string, partitions: number, replicas: number, config?: Record<string, string>): void;
  deleteTopic(name: string): void;
  /** start running a persistent query */
  startQuery(plan: QueryPlan, compile: CompileContext): void;
  /**
   * Stop a persistent query. `permanent` (TERMINATE, DROP): the query will not run again, so
   * its state goes: local stores, and unless `localOnly` (another server of the cluster cleans
   * up) its internal topics and consumer group. Without it (shutdown) state stays for a restart.
   */
  stopQuery(queryId: string, opts?: StopQueryOptions): void;
  /**
   * Run a transient query (a plan whose root is the final projection, no sink): rows go to
   * `onRow` as they are produced (never a stream record with a null value, nor a table record
   * with a null key: ksqlDB drops those before a client sees them); `onEnd` is called once when it stops (LIMIT reached, closed,
   * or failed).
   */
  startTransientQuery(
    plan: QueryPlan,
    compile: CompileContext,
    opts: TransientQueryOptions,
    sink: { onRow(row: TransientRow): void; onEnd(err?: Error): void },
  ): TransientQueryHandle;
  /**
   * The current rows of the table a persistent query materialises (its sink, for CTAS), for
   * pull queries; undefined when the query does not run here.
   */
  materializedRows(queryId: string): Iterable<MaterializedRow> | undefined;
  /** produce one record (INSERT INTO ... VALUES) */
  produce(rec: ProducedRecord): void;
  readonly processingLog: ProcessingLog;
  /**
   * Read a topic's raw records (PRINT): from the beginning or only new ones, until `limit`
   * records were delivered or close(); `onEnd` is called once when it stops. Optional: the REST
   * server answers PRINT with an error on a driver without it.
   */
  readTopic?(topic: string, opts: ReadTopicOptions, onRecord: (rec: ConsumedRecord) => void, onEnd: (err?: Error) => void): { close(): void };
}

export interface StopQueryOptions {
  permanent?: boolean;
  localOnly?: boolean;
}

export interface ReadTopicOptions {
  fromBeginning: boolean;
  limit?: number;
}
