/** In-memory key-value store: tables, aggregates without windows, join state. */
import { decodeKey, encodeKeyString } from './key-codec.js';
import { MemoryStoreBase } from './memory-store-base.js';
import { decodeValue } from './value-codec.js';
import type { KeyValueStore, StoreKey } from './types.js';

interface KvEntry<V> {
  key: StoreKey;
  value: V;
}

/**
 * The key array passed to put() is kept (not copied) and handed back by all()/range(): callers
 * build a fresh array per record and must not mutate it afterwards.
 */
export class MemoryKeyValueStore<V = unknown> extends MemoryStoreBase<KvEntry<V>> implements KeyValueStore<V> {
  get(key: StoreKey): V | undefined {
    return this.entries.get(encodeKeyString(key))?.value;
  }

  put(key: StoreKey, value: V): void {
    this.upsert(encodeKeyString(key), value, () => ({ key, value }));
  }

  delete(key: StoreKey): void {
    this.deleteKey(encodeKeyString(key));
  }

  /** A snapshot array: safe to put/delete while walking it. */
  all(): Iterable<[StoreKey, V]> {
    const out: [StoreKey, V][] = [];
    this.tree.forEach((e) => {
      out.push([e.key, e.value]);
    });
    return out;
  }

  /** A snapshot array of from <= key <= to (missing bound = unbounded), in key order. */
  range(from: StoreKey | undefined, to: StoreKey | undefined): Iterable<[StoreKey, V]> {
    const out: [StoreKey, V][] = [];
    const lo = from === undefined ? '' : encodeKeyString(from);
    if (to === undefined) {
      for (const [, e] of this.tree.entries(lo)) out.push([e.key, e.value]);
    } else {
      const hi = encodeKeyString(to);
      if (lo <= hi) this.tree.forRange(lo, hi, true, (_k, e) => void out.push([e.key, e.value]));
    }
    return out;
  }

  protected entryFromChange(key: Buffer, value: Buffer): KvEntry<V> {
    return { key: decodeKey(key), value: decodeValue(value) as V };
  }
}
