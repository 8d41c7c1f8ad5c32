/**
 * Names the planner generates, following ksqlDB: select-item aliases (KSQL_COL_n), synthetic
 * columns for table functions and aggregates, query ids, internal topic and store names.
 */
import type { Expr } from '../parser/ast.js';
import { walkSteps, type QueryPlan, type Step } from './plan.js';

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

/** What an internal topic is for; the last part of its name. */
export type InternalTopicSuffix = 'changelog' | 'repartition' | 'subscription-registration-topic' | 'subscription-response-topic';

/**
 * Internal topics: `<serviceIdPrefix><queryId>-<storeOrStep>-<suffix>`, as Kafka Streams names
 * them (a foreign-key join's two topics end in `-subscription-registration-topic` and
 * `-subscription-response-topic`).
 */
export function internalTopicName(applicationId: string, name: string, kind: InternalTopicSuffix): string {
  return `${applicationId}-${name}-${kind}`;
}

/**
 * The internal topics a plan needs, named from the query id: a changelog per state store (the
 * store names operators use), a repartition topic per re-keying step, and a foreign-key join's
 * subscription-registration (partitioned like the right table) and subscription-response topics.
 * A driver prefixes them with its service's application id (`<serviceId>query_`), as ksqlDB
 * names Kafka Streams' topics. `partitionsOf` (a topic's partition count, when known) sizes the
 * registration topic like the right table; everything else gets `partitions`.
 */
export function internalTopicsOf(queryId: string, root: Step, partitions: number, partitionsOf?: (topic: string) => number | undefined): QueryPlan['internalTopics'] {
  const out: QueryPlan['internalTopics'] = [];
  const changelog = (store: string) => out.push({ name: `${store}-changelog`, kind: 'changelog', partitions });
  const repartition = (stepId: string) => out.push({ name: `${queryId}-${stepId}-repartition`, kind: 'repartition', partitions });
  const fkTopics = (step: Extract<Step, { type: 'Join' }>) => {
    let rightTopic: string | undefined;
    walkSteps(step.right, (s) => {
      if (rightTopic === undefined && (s.type === 'TableSource' || s.type === 'StreamSource')) rightTopic = s.topic;
    });
    const right = (rightTopic !== undefined ? partitionsOf?.(rightTopic) : undefined) ?? partitions;
    out.push({ name: internalTopicName(queryId, step.id, 'subscription-registration-topic'), kind: 'subscription-registration', partitions: right });
    out.push({ name: internalTopicName(queryId, step.id, 'subscription-response-topic'), kind: 'subscription-response', partitions });
  };
  walkSteps(root, (s) => {
    switch (s.type) {
      case 'TableSource':
        if (s.sendOldValues) changelog(`${queryId}-${s.id}-source`);
        break;
      case 'GroupBy':
        repartition(s.id);
        break;
      case 'Aggregate':
        changelog(`${queryId}-${s.id}`);
        break;
      case 'Join':
        if (s.left.type === 'SelectKey') repartition(s.left.id);
        if (s.right.type === 'SelectKey') repartition(s.right.id);
        if (s.joinKind === 'STREAM_TABLE') changelog(`${queryId}-${s.id}-table`);
        else {
          changelog(`${queryId}-${s.id}-left`);
          changelog(`${queryId}-${s.id}-right`);
        }
        if (s.joinKind === 'FK_TABLE_TABLE') {
          changelog(`${queryId}-${s.id}-subscriptions`);
          fkTopics(s);
        }
        break;
      case 'Sink':
        if (s.table) changelog(`${queryId}-materialized`);
        break;
      default:
        break;
    }
  });
  return out;
}
