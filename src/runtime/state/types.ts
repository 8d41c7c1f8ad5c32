/**
 * State stores, as operators see them: synchronous (the hot path never awaits), keyed per task
 * (one store instance per input partition so tasks can move between servers), and recording
 * every change so a driver can back it up to a compacted changelog topic and to local LevelDB.
 *
 * Keys are arrays of runtime values (a row key); values are runtime values (see
 * src/common/types.ts). Implementations encode them with an order-preserving key codec so that
 * range scans by key and by window time work.
 */

export type StoreKey = unknown[];

/** One change, as written to the changelog: key bytes + value bytes (null = delete). */
export interface StoreChange {
  store: string;
  key: Buffer;
  value: Buffer | null;
}

export interface StateStore {
  readonly name: string;
  /** changes since the last drain, in order (the driver produces them to the changelog) */
  drainChanges(): StoreChange[];
  /** apply a change read back from the changelog (restore); not recorded as a new change */
  restore(change: StoreChange): void;
  /** number of entries (for metrics and tests) */
  size(): number;
}

export interface KeyValueStore<V = unknown> extends StateStore {
  get(key: StoreKey): V | undefined;
  put(key: StoreKey, value: V): void;
  delete(key: StoreKey): void;
  /** all entries in key order */
  all(): Iterable<[StoreKey, V]>;
  /** entries with from <= key <= to in key order (either bound may be undefined) */
  range(from: StoreKey | undefined, to: StoreKey | undefined): Iterable<[StoreKey, V]>;
}

/** Values for fixed windows (tumbling / hopping), keyed by (key, window start). */
export interface WindowStore<V = unknown> extends StateStore {
  get(key: StoreKey, windowStart: number): V | undefined;
  put(key: StoreKey, windowStart: number, value: V): void;
  delete(key: StoreKey, windowStart: number): void;
  /** windows of one key with start in [from, to], by start */
  fetch(key: StoreKey, from: number, to: number): Iterable<[number, V]>;
  /** all windows with start in [from, to] (any key), by key then start */
  fetchAll(from: number, to: number): Iterable<[StoreKey, number, V]>;
  /** drop windows that started before `start` (retention) */
  expireBefore(start: number): void;
}

export interface Session<V = unknown> {
  key: StoreKey;
  start: number;
  end: number;
  value: V;
}

/** Session windows: (key, start, end) -> value. */
export interface SessionStore<V = unknown> extends StateStore {
  /** sessions of `key` that end at or after `earliestEnd` and start at or before `latestStart` */
  findSessions(key: StoreKey, earliestEnd: number, latestStart: number): Session<V>[];
  put(session: Session<V>): void;
  remove(key: StoreKey, start: number, end: number): void;
  /** every session (pull queries, tests), by key then start */
  all(): Iterable<Session<V>>;
  expireBefore(end: number): void;
}

/** What a driver gives a task's operators: stores by name, created on first use. */
export interface StoreProvider {
  keyValue<V = unknown>(name: string): KeyValueStore<V>;
  window<V = unknown>(name: string, opts: { retentionMs: number; sizeMs: number }): WindowStore<V>;
  session<V = unknown>(name: string, opts: { retentionMs: number }): SessionStore<V>;
}
