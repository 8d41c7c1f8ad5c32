/**
 * The driver contract: what the engine needs from whatever runs its queries. The synchronous
 * test driver (src/runtime/drivers/test-driver.ts) and the Kafka consumer-group driver both
 * implement it; a plan runs unchanged under either.
 */
import type { QueryPlan } from '../planner/plan.js';
import type { CompileContext } from '../runtime/expr/compile.js';
import type { ProcessingLog } from '../runtime/processing-log.js';
import type { ProducedRecord } from '../runtime/row.js';

export interface TopicDescription {
  name: string;
  partitions: number;
  replicas: number;
  config: Record<string, string>;
}

export interface EngineDriver {
  describeTopic(name: string): TopicDescription | undefined;
  listTopics(): TopicDescription[];
  createTopic(name: string, partitions: number, replicas: number, config?: Record<string, string>): void;
  deleteTopic(name: string): void;
  /** start running a persistent query */
  startQuery(plan: QueryPlan, compile: CompileContext): void;
  stopQuery(queryId: string): void;
  /** produce one record (INSERT INTO ... VALUES) */
  produce(rec: ProducedRecord): void;
  readonly processingLog: ProcessingLog;
}
