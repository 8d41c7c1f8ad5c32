/**
 * Names the planner generates, following ksqlDB: select-item aliases (KSQL_COL_n), synthetic
 * columns for table functions and aggregates, query ids, internal topic and store names.
 */
import type { Expr } from '../parser/ast.js';

/** Generates KSQL_COL_<n>, skipping names already taken. */
export class AliasGenerator {
  private next = 0;
  constructor(private readonly taken: Set<string>) {}

  take(name: string): void {
    this.taken.add(name);
  }

  fresh(prefix = 'KSQL_COL_'): string {
    for (;;) {
      const n = `${prefix}${this.next++}`;
      if (!this.taken.has(n)) {
        this.taken.add(n);
        return n;
      }
    }
  }
}

/** The name ksqlDB gives a select item with no alias: a column's name, a struct field's name, else none. */
export function naturalName(e: Expr): string | undefined {
  if (e.type === 'ColumnRef') return e.name;
  if (e.type === 'Dereference') return e.field;
  return undefined;
}

export function queryIdFor(kind: 'CSAS' | 'CTAS' | 'INSERTQUERY', sink: string, counter: number): string {
  return kind === 'INSERTQUERY' ? `INSERTQUERY_${counter}` : `${kind}_${sink}_${counter}`;
}

/** Internal topics: `<serviceIdPrefix><queryId>-<storeOrStep>-changelog|repartition`, as Kafka Streams names them. */
export function internalTopicName(applicationId: string, name: string, kind: 'changelog' | 'repartition'): string {
  return `${applicationId}-${name}-${kind}`;
}
