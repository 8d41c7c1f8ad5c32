/**
 * Per-task persistent state: the task's in-memory stores (./memory-provider.ts) backed by one
 * LevelDB directory (classic-level), plus the changelog offsets that directory is known to
 * contain, so that a restart restores only the changelog tail.
 *
 * Commit protocol for the driver (stores never wait on disk on the hot path):
 *   const changes = state.takeChanges();           // drain every store, encoded
 *   const offsets = await produceToChangelog(changes);  // e.g. { storeName: lastOffset }
 *   await state.flush(offsets);                    // ONE LevelDB batch: taken changes + offsets
 * flush() also writes changes never taken (a driver without a changelog just calls flush()),
 * and changes applied through restore() (they came from the changelog, LevelDB lacks them).
 *
 * Start of a task:
 *   const state = await openTaskState(dir);       // stores start with LevelDB's content
 *   for each store: consume its changelog partition from state.checkpoint()[store] + 1
 *     state.restore(records, { [store]: lastOffsetRead });
 *   await state.flush();                           // optional: persist the restored tail now
 *
 * LevelDB layout: 0x00 ‖ name -> metadata (only 'checkpoint', JSON {store: offset});
 * 0x01 ‖ u16 name length ‖ UTF-8 store name ‖ store key -> store value bytes.
 * (Not sublevels: those restrict names to a character range; store names are arbitrary.)
 *
 * Writes are not fsync'ed: a process crash loses nothing LevelDB accepted, a machine crash may
 * lose the last flushes, which the changelog restore then replays.
 */
import { mkdir, rm } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import { MemoryStoreProvider } from './memory-provider.js';
import type { KeyValueStore, SessionStore, StateStore, StoreChange, StoreProvider, WindowStore } from './types.js';

/** Per store name: offset of the last changelog record whose effect the state includes. */
export type ChangelogOffsets = Record<string, number>;

export interface TaskState extends StoreProvider {
  readonly dir: string;
  /** Drain the changes of every store; the next flush() writes them. */
  takeChanges(): StoreChange[];
  /**
   * Write taken + untaken + restored changes and the merged offsets in one LevelDB batch.
   * If a write fails, this and every later flush reject: close and reopen the state.
   */
  flush(offsets?: ChangelogOffsets): Promise<void>;
  /** Apply changelog records to the stores (not recorded as changes); persisted at next flush. */
  restore(changes: Iterable<StoreChange>, offsets?: ChangelogOffsets): void;
  /** Offsets the state includes: persisted ones merged with those given since (restore/flush). */
  checkpoint(): ChangelogOffsets;
  storeNames(): string[];
  /** An existing store by name (pull queries), or undefined. */
  store(name: string): StateStore | undefined;
  /** Close LevelDB. Does not flush: unflushed changes are dropped (the changelog has what was committed). */
  close(): Promise<void>;
  /** Close and delete the directory (the task moved to another server). */
  destroy(): Promise<void>;
}

const META = 0x00;
const STORE = 0x01;
const CHECKPOINT_KEY = Buffer.from([META, ...Buffer.from('checkpoint', 'utf8')]);

type Db = ClassicLevel<Buffer, Buffer>;
type Op = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };

export async function openTaskState(dir: string): Promise<TaskState> {
  await mkdir(dir, { recursive: true });
  const db: Db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  try {
    await db.open();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new Error(`task state directory ${dir} is already open (locked by another task or process)`, { cause: err });
    throw new Error(`cannot open task state in ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const provider = new MemoryStoreProvider();
  let offsets: ChangelogOffsets = {};
  try {
    const loaded: StoreChange[] = [];
    const it = db.iterator();
    try {
      // nextv: one native round trip per 1000 entries instead of one promise per entry
      for (let batch = await it.nextv(1000); batch.length > 0; batch = await it.nextv(1000)) {
        for (const [key, value] of batch) {
          if (key[0] === META) {
            if (key.equals(CHECKPOINT_KEY)) offsets = parseOffsets(value, dir);
            continue;
          }
          const { store, storeKey } = splitKey(key, dir);
          loaded.push({ store, key: storeKey, value });
        }
      }
    } finally {
      await it.close();
    }
    provider.restore(loaded);
  } catch (err) {
    await db.close();
    throw err;
  }
  return new LevelTaskState(dir, db, provider, offsets);
}

/** Delete a task's state directory that is not open (e.g. found stale at server start); no-op if absent. */
export async function deleteTaskState(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

class LevelTaskState implements TaskState {
  private taken: StoreChange[] = [];
  private restored: StoreChange[] = [];
  private offsets: ChangelogOffsets;
  private offsetsDirty = false;
  private readonly prefixes = new Map<string, Buffer>();
  private lastWrite: Promise<void> = Promise.resolve();
  private closed = false;
  private failed: Error | undefined;

  constructor(
    readonly dir: string,
    private readonly db: Db,
    private readonly provider: MemoryStoreProvider,
    offsets: ChangelogOffsets,
  ) {
    this.offsets = { ...offsets };
  }

  keyValue<V = unknown>(name: string): KeyValueStore<V> {
    this.checkOpen();
    return this.provider.keyValue<V>(name);
  }

  window<V = unknown>(name: string, opts: { retentionMs: number; sizeMs: number }): WindowStore<V> {
    this.checkOpen();
    return this.provider.window<V>(name, opts);
  }

  session<V = unknown>(name: string, opts: { retentionMs: number }): SessionStore<V> {
    this.checkOpen();
    return this.provider.session<V>(name, opts);
  }

  storeNames(): string[] {
    return this.provider.storeNames();
  }

  store(name: string): StateStore | undefined {
    return this.provider.get(name);
  }

  takeChanges(): StoreChange[] {
    this.checkOpen();
    const changes = this.provider.takeChanges();
    for (let i = 0; i < changes.length; i++) this.taken.push(changes[i]!);
    return changes;
  }

  restore(changes: Iterable<StoreChange>, offsets?: ChangelogOffsets): void {
    this.checkOpen();
    const list = Array.isArray(changes) ? (changes as StoreChange[]) : [...changes];
    this.provider.restore(list);
    for (let i = 0; i < list.length; i++) this.restored.push(list[i]!);
    if (offsets) this.mergeOffsets(offsets);
  }

  checkpoint(): ChangelogOffsets {
    return { ...this.offsets };
  }

  flush(offsets?: ChangelogOffsets): Promise<void> {
    let ops: Op[];
    try {
      if (this.failed) throw this.failed;
      ops = this.collect(offsets);
    } catch (err) {
      return Promise.reject(err);
    }
    // Batches are chained so two flushes land in call order. After a failed write, later
    // batches must not land either (LevelDB would then hold newer changes without older ones):
    // the task should close this state and reopen it, restoring from the changelog.
    const write = this.lastWrite.then(async () => {
      if (this.failed) throw this.failed;
      if (ops.length === 0) return;
      try {
        await this.db.batch(ops);
      } catch (err) {
        this.failed = new Error(`writing task state to ${this.dir} failed: ${(err as Error).message}`, { cause: err });
        throw this.failed;
      }
    });
    this.lastWrite = write.catch(() => undefined);
    return write;
  }

  /** Everything the next batch must hold, collected synchronously: a flush writes the state at its call. */
  private collect(offsets: ChangelogOffsets | undefined): Op[] {
    this.checkOpen();
    if (offsets) this.mergeOffsets(offsets);
    const restored = this.restored;
    const taken = this.taken;
    const untaken = this.provider.takeChanges();
    this.restored = [];
    this.taken = [];
    const writeOffsets = this.offsetsDirty;
    this.offsetsDirty = false;
    const ops: Op[] = [];
    // Restored records are older than anything the stores changed since: write them first so a
    // later change to the same key wins inside the batch.
    for (const list of [restored, taken, untaken]) {
      for (let i = 0; i < list.length; i++) {
        const c = list[i]!;
        const key = Buffer.concat([this.prefix(c.store), c.key]);
        ops.push(c.value === null ? { type: 'del', key } : { type: 'put', key, value: c.value });
      }
    }
    if (writeOffsets) ops.push({ type: 'put', key: CHECKPOINT_KEY, value: Buffer.from(JSON.stringify(this.offsets), 'utf8') });
    return ops;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lastWrite;
    await this.db.close();
  }

  async destroy(): Promise<void> {
    await this.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  private mergeOffsets(offsets: ChangelogOffsets): void {
    for (const [store, offset] of Object.entries(offsets)) {
      if (!Number.isSafeInteger(offset) || offset < -1) throw new RangeError(`bad changelog offset ${offset} for store '${store}'`);
      if (this.offsets[store] === offset) continue;
      this.offsets[store] = offset;
      this.offsetsDirty = true;
    }
  }

  private prefix(store: string): Buffer {
    let p = this.prefixes.get(store);
    if (!p) {
      const name = Buffer.from(store, 'utf8');
      if (name.length > 0xffff) throw new Error(`state store name too long (${name.length} bytes)`);
      p = Buffer.allocUnsafe(3 + name.length);
      p[0] = STORE;
      p.writeUInt16BE(name.length, 1);
      name.copy(p, 3);
      this.prefixes.set(store, p);
    }
    return p;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`task state ${this.dir} is closed`);
  }
}

function splitKey(key: Buffer, dir: string): { store: string; storeKey: Buffer } {
  if (key[0] !== STORE || key.length < 3) throw new Error(`corrupt task state in ${dir}: unknown key kind ${key[0]}`);
  const len = key.readUInt16BE(1);
  if (key.length < 3 + len) throw new Error(`corrupt task state in ${dir}: truncated store name`);
  return { store: key.toString('utf8', 3, 3 + len), storeKey: key.subarray(3 + len) };
}

function parseOffsets(value: Buffer, dir: string): ChangelogOffsets {
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const out: ChangelogOffsets = {};
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number') out[k] = v;
      return out;
    }
  } catch {
    // fall through
  }
  throw new Error(`corrupt task state in ${dir}: unreadable changelog checkpoint`);
}
