/**
 * A StoreProvider of in-memory stores: what the synchronous test driver uses directly, and what
 * the LevelDB-backed task state (./leveldb-persistence.ts) builds on.
 *
 * Stores are created on first use. Changes restored for a store that does not exist yet (a
 * changelog or LevelDB read before the topology asked for its stores) are parked by name and
 * applied when the store is created, so restore order and store creation order do not matter.
 */
import { MemoryKeyValueStore } from './memory-kv-store.js';
import { MemorySessionStore } from './memory-session-store.js';
import { MemoryWindowStore } from './memory-window-store.js';
import type { KeyValueStore, SessionStore, StateStore, StoreChange, StoreProvider, WindowStore } from './types.js';

type Kind = 'key-value' | 'window' | 'session';

export class MemoryStoreProvider implements StoreProvider {
  private readonly stores = new Map<string, { kind: Kind; store: StateStore }>();
  private readonly parked = new Map<string, StoreChange[]>();

  keyValue<V = unknown>(name: string): KeyValueStore<V> {
    return this.getOrCreate(name, 'key-value', () => new MemoryKeyValueStore<V>(name)) as KeyValueStore<V>;
  }

  window<V = unknown>(name: string, opts: { retentionMs: number; sizeMs: number }): WindowStore<V> {
    return this.getOrCreate(name, 'window', () => new MemoryWindowStore<V>(name, opts.retentionMs, opts.sizeMs)) as WindowStore<V>;
  }

  session<V = unknown>(name: string, opts: { retentionMs: number }): SessionStore<V> {
    return this.getOrCreate(name, 'session', () => new MemorySessionStore<V>(name, opts.retentionMs)) as SessionStore<V>;
  }

  /** An existing store by name (pull queries, tests), or undefined. */
  get(name: string): StateStore | undefined {
    return this.stores.get(name)?.store;
  }

  storeNames(): string[] {
    return [...this.stores.keys()];
  }

  /** Drain the changes of every store (in store creation order, each store's in its order). */
  takeChanges(): StoreChange[] {
    const out: StoreChange[] = [];
    for (const { store } of this.stores.values()) {
      const changes = store.drainChanges();
      for (let i = 0; i < changes.length; i++) out.push(changes[i]!);
    }
    return out;
  }

  /** Apply changes (from a changelog or LevelDB) without recording them as new changes. */
  restore(changes: Iterable<StoreChange>): void {
    for (const c of changes) {
      const s = this.stores.get(c.store);
      if (s) {
        s.store.restore(c);
      } else {
        let list = this.parked.get(c.store);
        if (!list) this.parked.set(c.store, (list = []));
        list.push(c);
      }
    }
  }

  /** Names of stores with restored changes that no operator has asked for yet. */
  parkedStoreNames(): string[] {
    return [...this.parked.keys()];
  }

  private getOrCreate(name: string, kind: Kind, create: () => StateStore): StateStore {
    const existing = this.stores.get(name);
    if (existing) {
      if (existing.kind !== kind) throw new Error(`state store '${name}' is a ${existing.kind} store, not a ${kind} store`);
      return existing.store;
    }
    if (typeof name !== 'string' || name.length === 0) throw new Error('a state store needs a non-empty name');
    const store = create();
    this.stores.set(name, { kind, store });
    const parked = this.parked.get(name);
    if (parked) {
      this.parked.delete(name);
      for (const c of parked) store.restore(c);
    }
    return store;
  }
}
