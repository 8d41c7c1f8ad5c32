/**
 * The metastore: every stream, table, custom type and persistent query the engine knows,
 * with what DESCRIBE and SHOW print. It is plain data so a server can rebuild it by replaying
 * the command topic.
 */
import { KsqlError } from '../common/errors.js';
import type { SqlType } from '../common/types.js';
import type { FormatInfo, QueryPlan, TimestampInfo, WindowInfo } from './plan.js';
import type { LogicalSchema } from './schema.js';

export interface DataSource {
  name: string;
  sourceType: 'STREAM' | 'TABLE';
  schema: LogicalSchema;
  topic: string;
  keyFormat: FormatInfo;
  valueFormat: FormatInfo;
  wrapSingleValue?: boolean;
  timestamp?: TimestampInfo;
  window?: WindowInfo;
  /** CREATE SOURCE STREAM|TABLE: read-only */
  isSource: boolean;
  /** the statement that created it */
  sql: string;
  /** the persistent query writing it (CSAS/CTAS) */
  writeQueryId?: string;
}

export interface PersistentQuery {
  id: string;
  sql: string;
  plan: QueryPlan;
  sink?: string;
  sources: string[];
  state: 'RUNNING' | 'PAUSED' | 'ERROR';
}

export class MetaStore {
  readonly sources = new Map<string, DataSource>();
  readonly types = new Map<string, SqlType>();
  readonly queries = new Map<string, PersistentQuery>();

  /**
   * A copy whose maps can change without touching this one (entries are replaced, never
   * mutated in place, so they are shared).
   */
  copy(): MetaStore {
    const c = new MetaStore();
    for (const [k, v] of this.sources) c.sources.set(k, v);
    for (const [k, v] of this.types) c.types.set(k, v);
    for (const [k, v] of this.queries) c.queries.set(k, v);
    return c;
  }

  getSource(name: string): DataSource | undefined {
    return this.sources.get(name);
  }

  requireSource(name: string): DataSource {
    const s = this.sources.get(name);
    if (!s) throw new KsqlError(`${name} does not exist.`);
    return s;
  }

  putSource(s: DataSource): void {
    this.sources.set(s.name, s);
  }

  deleteSource(name: string): void {
    this.sources.delete(name);
  }

  /** queries that read the source */
  readersOf(name: string): PersistentQuery[] {
    return [...this.queries.values()].filter((q) => q.sources.includes(name));
  }

  /** queries that write the source (CSAS/CTAS and INSERT INTO) */
  writersOf(name: string): PersistentQuery[] {
    return [...this.queries.values()].filter((q) => q.sink === name);
  }
}
