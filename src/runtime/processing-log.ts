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
}

export class MemoryProcessingLog implements ProcessingLog {
  readonly entries: ProcessingLogEntry[] = [];
  readonly counts = new Map<string, number>();
  constructor(private readonly limit = 10_000) {}

  log(entry: Omit<ProcessingLogEntry, 'timestamp'>): void {
    this.counts.set(entry.queryId, (this.counts.get(entry.queryId) ?? 0) + 1);
    if (this.entries.length < this.limit) this.entries.push({ ...entry, timestamp: Date.now() });
  }
}
