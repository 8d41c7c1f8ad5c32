/**
 * In-memory window store for fixed windows (tumbling, hopping): (key, window start) -> value.
 * Primary order is key then start (one key's windows are one range); a second sorted index by
 * start then key makes expiry and all-keys time queries cost what they return, not the store size.
 */
import { clampTime, timeString, windowKeyString } from './key-codec.js';
import { decodeWindowKey } from './codec.js';
import { MemoryStoreBase, newTree } from './memory-store-base.js';
import { decodeValue } from './value-codec.js';
import type { StoreKey, WindowStore } from './types.js';

interface WindowEntry<V> {
  key: StoreKey;
  start: number;
  value: V;
}

const TIME_BYTES = 8;

/** index key: start ‖ key bytes (primary key is key bytes ‖ start) */
function byTime(primary: string): string {
  return primary.slice(-TIME_BYTES) + primary.slice(0, -TIME_BYTES);
}

export class MemoryWindowStore<V = unknown> extends MemoryStoreBase<WindowEntry<V>> implements WindowStore<V> {
  private readonly timeIndex = newTree<string>();

  constructor(
    name: string,
    readonly retentionMs: number,
    readonly sizeMs: number,
  ) {
    super(name);
  }

  get(key: StoreKey, windowStart: number): V | undefined {
    return this.entries.get(windowKeyString(key, windowStart))?.value;
  }

  put(key: StoreKey, windowStart: number, value: V): void {
    this.upsert(windowKeyString(key, windowStart), value, () => ({ key, start: windowStart, value }));
  }

  delete(key: StoreKey, windowStart: number): void {
    this.deleteKey(windowKeyString(key, windowStart));
  }

  fetch(key: StoreKey, from: number, to: number): Iterable<[number, V]> {
    const lo = windowKeyString(key, clampTime(from, true));
    const hi = windowKeyString(key, clampTime(to, false));
    const out: [number, V][] = [];
    if (lo <= hi) this.tree.forRange(lo, hi, true, (_k, e) => void out.push([e.start, e.value]));
    return out;
  }

  fetchAll(from: number, to: number): Iterable<[StoreKey, number, V]> {
    const lo = timeString(clampTime(from, true));
    // every index key with start == to is below `to ‖ 0xFF` (key bytes never start with 0xFF)
    const hi = timeString(clampTime(to, false)) + '\xff';
    const primaries: string[] = [];
    if (lo < hi) this.timeIndex.forRange(lo, hi, false, (_k, primary) => void primaries.push(primary));
    primaries.sort();
    return primaries.map((p) => {
      const e = this.entries.get(p)!;
      return [e.key, e.start, e.value] as [StoreKey, number, V];
    });
  }

  /** Deletes (and records as changes) every window with start < `start`. */
  expireBefore(start: number): void {
    const bound = timeString(clampTime(start, true));
    const expired: string[] = [];
    this.timeIndex.forRange('', bound, false, (_k, primary) => void expired.push(primary));
    if (expired.length === 0) return;
    this.timeIndex.deleteRange('', bound, false);
    this.dropExpired(expired);
  }

  protected entryFromChange(key: Buffer, value: Buffer): WindowEntry<V> {
    const { key: k, start } = decodeWindowKey(key);
    return { key: k, start, value: decodeValue(value) as V };
  }

  protected override onInsert(k: string): void {
    this.timeIndex.set(byTime(k), k);
  }

  protected override onRemove(k: string): void {
    this.timeIndex.delete(byTime(k));
  }
}
