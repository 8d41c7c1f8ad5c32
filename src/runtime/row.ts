/**
 * What flows between operators: one row per record, with its key values, the values visible to
 * expressions (`cols`, laid out by the producing step's RowSchema), event time, and the record's
 * provenance. `nullValue` marks a record whose value is null (a tombstone for tables).
 */
export interface Header {
  key: string;
  value: Buffer | null;
}

export interface Window {
  start: number;
  end: number;
}

export interface Row {
  key: unknown[];
  cols: unknown[];
  nullValue: boolean;
  ts: number;
  partition: number;
  offset: number;
  headers: Header[];
  window: Window | null;
  /** the record's key was null (not merely its columns): it is written back as a null key */
  nullKey?: boolean;
  /**
   * For table rows whose source is materialised: the previous row for the same key (its key and
   * columns), so aggregations can subtract it. Null when there was none.
   */
  prior?: { key: unknown[]; cols: unknown[] } | null;
}

/** A record as a driver hands it to a topology. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  headers: Header[];
}

/** A record a topology asks its driver to produce. */
export interface ProducedRecord {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  headers: Header[];
  /** set when the partition is implied by the input (e.g. a sink keyed like its source) */
  partition?: number;
}

export interface Operator {
  process(row: Row): void;
}
