/**
 * What the three in-memory stores share: a sorted map (sorted-btree) from encoded key — as a
 * binary string, see ByteWriter.toBinaryString — to an entry, and the record of changes since
 * the last drain.
 *
 * Changes are kept as "latest value per encoded key" (a Map, in first-touch order) and encoded
 * only when drained: a key updated many times between two commits costs one encode and one
 * changelog record, which is all a compacted changelog keeps anyway. The consequence: a value
 * must not be mutated in place after put() unless it is put() again before the next drain
 * (the store holds the object, not a copy).
 */
import sortedBtree from 'sorted-btree';
import { encodeValue } from './value-codec.js';
import type { StateStore, StoreChange } from './types.js';

// sorted-btree is CommonJS with `exports.default`; under NodeNext the default import is the
// module object, whose `default` is the class.
export const BTree = sortedBtree.default;
export type BTree<K, V> = sortedBtree.default<K, V>;

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function newTree<V>(): BTree<string, V> {
  return new BTree<string, V>(undefined, compareStrings);
}

const DELETED: unique symbol = Symbol('deleted');

export abstract class MemoryStoreBase<E extends { value: unknown }> implements StateStore {
  protected readonly tree: BTree<string, E> = newTree<E>();
  private pending = new Map<string, unknown>();

  constructor(readonly name: string) {}

  size(): number {
    return this.tree.size;
  }

  drainChanges(): StoreChange[] {
    if (this.pending.size === 0) return [];
    const out: StoreChange[] = [];
    for (const [k, v] of this.pending) {
      out.push({ store: this.name, key: Buffer.from(k, 'latin1'), value: v === DELETED ? null : encodeValue(v) });
    }
    this.pending = new Map();
    return out;
  }

  /** number of keys with a change not yet drained (for metrics and tests) */
  pendingChanges(): number {
    return this.pending.size;
  }

  restore(change: StoreChange): void {
    if (change.store !== this.name) throw new Error(`change for store '${change.store}' restored into store '${this.name}'`);
    const k = change.key.toString('latin1');
    if (change.value === null) this.removeEntry(k);
    else this.insertEntry(k, this.entryFromChange(change.key, change.value));
  }

  protected recordPut(k: string, value: unknown): void {
    this.pending.set(k, value);
  }

  protected recordDelete(k: string): void {
    this.pending.set(k, DELETED);
  }

  /** Decode a changelog entry (key bytes, value bytes) into this store's entry. */
  protected abstract entryFromChange(key: Buffer, value: Buffer): E;

  /** Insert or replace an entry; stores with secondary indexes override both. */
  protected insertEntry(k: string, e: E): void {
    this.tree.set(k, e);
  }

  protected removeEntry(k: string): boolean {
    return this.tree.delete(k);
  }
}
