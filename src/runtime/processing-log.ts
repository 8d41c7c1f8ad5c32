/**
 * The processing log: records that could not be read or computed are reported here (with the
 * reason and where they came from) and counted, and processing continues. Drivers decide where
 * the entries go (memory for tests, a Kafka topic in a server).
 */
export interface ProcessingLogEntry {
  queryId: string;
  /** e.g. DESERIALIZATION_ERROR, RECORD_PROCESSING_ERROR, SERIALIZATION_ERROR */
  type: string;
  message: string;
  topic?: string;
  partition?: number;
  offset?: number;
  timestamp: number;
}

export interface ProcessingLog {
  log(entry: Omit<ProcessingLogEntry, 'timestamp'>): void;
  /**
   * Optional per-query record accounting, called by every persistent query's topology (so
   * every driver gets it): a record read from an input topic, a record written to the sink.
   * The REST server's /metrics reads the counts.
   */
  recordConsumed?(queryId: string): void;
  recordProduced?(queryId: string): void;
}

export class MemoryProcessingLog implements ProcessingLog {
  readonly entries: ProcessingLogEntry[] = [];
  readonly counts = new Map<string, number>();
  /** records each persistent query read from its input topics */
  readonly consumed = new Map<string, number>();
  /** records each persistent query wrote to its sink topic */
  readonly produced = new Map<string, number>();
  constructor(private readonly limit = 10_000) {}

  log(entry: Omit<ProcessingLogEntry, 'timestamp'>): void {
    this.counts.set(entry.queryId, (this.counts.get(entry.queryId) ?? 0) + 1);
    if (this.entries.length < this.limit) this.entries.push({ ...entry, timestamp: Date.now() });
  }

  recordConsumed(queryId: string): void {
    this.consumed.set(queryId, (this.consumed.get(queryId) ?? 0) + 1);
  }

  recordProduced(queryId: string): void {
    this.produced.set(queryId, (this.produced.get(queryId) ?? 0) + 1);
  }
}
