/**
 * What a topology needs from the driver running it: the function registry and settings to
 * compile expressions, the processing log, and a way to produce records. Both drivers (the
 * synchronous test driver and the Kafka consumer-group driver) provide one.
 */
import type { CompileContext } from './expr/compile.js';
import type { ProcessingLog } from './processing-log.js';
import type { ProducedRecord } from './row.js';
import type { StoreProvider } from './state/types.js';

export interface TopologyContext {
  queryId: string;
  compile: CompileContext;
  log: ProcessingLog;
  emit(rec: ProducedRecord): void;
  /** state stores of the task running this topology */
  stores?: StoreProvider;
}
