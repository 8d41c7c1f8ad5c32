/**
 * In-memory session store: (key, start, end) -> value. Primary order is key, then end, then
 * start, so the sessions of a key that end at or after a time are one range scan from that
 * time — the query session merging asks ("which sessions does a record at t touch?"). A second
 * index by end makes expiry cost what it removes.
 */
import { clampTime, sessionKeyString, timeString } from './key-codec.js';
import { decodeSessionKey, encodeKeyString } from './codec.js';
import { MemoryStoreBase, newTree } from './memory-store-base.js';
import { decodeValue } from './value-codec.js';
import type { Session, SessionStore, StoreKey } from './types.js';

interface SessionEntry<V> {
  key: StoreKey;
  start: number;
  end: number;
  value: V;
}

const TIME_BYTES = 8;

/** index key: end ‖ key bytes ‖ start (primary key is key bytes ‖ end ‖ start) */
function byEnd(primary: string): string {
  const keyLen = primary.length - 2 * TIME_BYTES;
  return primary.slice(keyLen, keyLen + TIME_BYTES) + primary.slice(0, keyLen) + primary.slice(-TIME_BYTES);
}

function copy<V>(e: SessionEntry<V>): Session<V> {
  return { key: e.key, start: e.start, end: e.end, value: e.value };
}

export class MemorySessionStore<V = unknown> extends MemoryStoreBase<SessionEntry<V>> implements SessionStore<V> {
  private readonly endIndex = newTree<string>();

  constructor(
    name: string,
    readonly retentionMs: number,
  ) {
    super(name);
  }

  /**
   * Sessions of `key` with end >= earliestEnd and start <= latestStart, ordered by end then
   * start (for the non-overlapping sessions a session store holds, that is start order).
   * The results are copies: change a session by remove() + put().
   */
  findSessions(key: StoreKey, earliestEnd: number, latestStart: number): Session<V>[] {
    const prefix = encodeKeyString(key);
    const lo = prefix + timeString(clampTime(earliestEnd, true));
    const out: Session<V>[] = [];
    for (const [k, e] of this.tree.entries(lo)) {
      if (!k.startsWith(prefix)) break;
      if (e.start <= latestStart) out.push(copy(e));
    }
    return out;
  }

  put(session: Session<V>): void {
    const { key, start, end, value } = session;
    if (end < start) throw new RangeError(`session end ${end} is before its start ${start}`);
    this.upsert(sessionKeyString(key, start, end), value, () => ({ key, start, end, value }));
  }

  remove(key: StoreKey, start: number, end: number): void {
    this.deleteKey(sessionKeyString(key, start, end));
  }

  /** Every session (copies), by key then start then end. */
  all(): Iterable<Session<V>> {
    const rows: [string, SessionEntry<V>][] = [];
    this.tree.forEach((e, k) => void rows.push([k.slice(0, k.length - 2 * TIME_BYTES), e]));
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1].start - b[1].start || a[1].end - b[1].end));
    return rows.map((r) => copy(r[1]));
  }

  /** Deletes (and records as changes) every session with end < `end`. */
  expireBefore(end: number): void {
    const bound = timeString(clampTime(end, true));
    const expired: string[] = [];
    this.endIndex.forRange('', bound, false, (_k, primary) => void expired.push(primary));
    if (expired.length === 0) return;
    this.endIndex.deleteRange('', bound, false);
    this.dropExpired(expired);
  }

  protected entryFromChange(key: Buffer, value: Buffer): SessionEntry<V> {
    const { key: k, start, end } = decodeSessionKey(key);
    return { key: k, start, end, value: decodeValue(value) as V };
  }

  protected override onInsert(k: string): void {
    this.endIndex.set(byEnd(k), k);
  }

  protected override onRemove(k: string): void {
    this.endIndex.delete(byEnd(k));
  }
}
