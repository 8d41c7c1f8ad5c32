/**
 * The physical plan: a serialisable tree of steps (JSON), the unit both runtime drivers execute
 * unchanged. Expressions are stored as SQL text and each step records the schema of the rows it
 * produces, so the runtime can compile every expression against its input without the planner.
 * EXPLAIN prints this structure.
 */
import type { SqlType } from '../common/types.js';

/** A format as the plan stores it: name plus format properties (delimiter, schema id, ...). */
export interface FormatInfo {
  format: string;
  properties: Record<string, string>;
}

export type WindowType = 'TUMBLING' | 'HOPPING' | 'SESSION';

export interface WindowInfo {
  type: WindowType;
  sizeMs?: number;
}

/** One column of the rows flowing between steps. */
export interface RowColumn {
  name: string;
  type: SqlType;
  /** key: a key column copied into the row; value; header; pseudo (ROWTIME...); window (WINDOWSTART/END); synthetic (internal) */
  role: 'key' | 'value' | 'header' | 'pseudo' | 'window' | 'synthetic';
  /** source name or alias the column belongs to (joins and qualified references) */
  qualifier?: string;
  /** the column's name inside its source, when `name` is prefixed for a join */
  baseName?: string;
  /** HEADER('k') columns */
  headerKey?: string;
}

export interface RowSchema {
  /** the columns of the record key, in order */
  key: { name: string; type: SqlType }[];
  /** the values visible to expressions (row.cols) */
  columns: RowColumn[];
  /** set when rows carry a window (windowed source or windowed aggregation) */
  window?: WindowInfo;
}

export interface TimestampInfo {
  column: string;
  format?: string;
}

interface StepBase {
  /** the step's id within the plan, used to name state stores and internal topics */
  id: string;
  schema: RowSchema;
}

export interface SourceStep extends StepBase {
  type: 'StreamSource' | 'TableSource';
  sourceName: string;
  alias: string;
  topic: string;
  keyFormat: FormatInfo;
  valueFormat: FormatInfo;
  /** the physical columns, in the topic's serialised order */
  keyColumns: { name: string; type: SqlType }[];
  valueColumns: { name: string; type: SqlType }[];
  headerColumns: { name: string; type: SqlType; headerKey?: string }[];
  wrapSingleValue?: boolean;
  timestamp?: TimestampInfo;
  window?: WindowInfo;
  /** table sources: remember each key's last row and send it along (aggregations subtract it) */
  sendOldValues?: boolean;
}

export interface FilterStep extends StepBase {
  type: 'Filter';
  source: Step;
  predicate: string;
  /** the source is a table: rows that fail the predicate are forwarded as deletes */
  table: boolean;
}

export interface FlatMapStep extends StepBase {
  type: 'FlatMap';
  source: Step;
  /** table function calls; their outputs are appended as columns named in `outputNames` */
  functions: string[];
  outputNames: string[];
}

export interface SelectKeyStep extends StepBase {
  type: 'SelectKey';
  source: Step;
  /** PARTITION BY expressions; empty for PARTITION BY NULL */
  keyExpressions: string[];
}

export interface ProjectStep extends StepBase {
  type: 'Project';
  source: Step;
  /** expressions for each output column, in schema.columns order */
  expressions: string[];
  /** output key: expression text per key column (usually a column of the input) */
  keyExpressions: string[];
  table: boolean;
}

export interface SinkStep extends StepBase {
  type: 'Sink';
  source: Step;
  sinkName: string;
  topic: string;
  keyFormat: FormatInfo;
  valueFormat: FormatInfo;
  wrapSingleValue?: boolean;
  timestamp?: TimestampInfo;
  table: boolean;
}

/** Steps added by the stateful part of the planner (aggregations, windows, joins, suppression). */
export interface GroupByStep extends StepBase {
  type: 'GroupBy';
  source: Step;
  keyExpressions: string[];
  table: boolean;
}

export interface AggregateStep extends StepBase {
  type: 'Aggregate';
  source: Step;
  /** non-aggregate columns carried through (the grouping columns), by input column name */
  nonAggregateColumns: string[];
  /** aggregate calls (SQL text); outputs named KSQL_AGG_VARIABLE_<i> */
  aggregations: string[];
  window?: { type: WindowType; sizeMs?: number; advanceMs?: number; gapMs?: number; graceMs?: number; retentionMs?: number };
  table: boolean;
  emitFinal: boolean;
}

export interface JoinStep extends StepBase {
  type: 'Join';
  joinKind: 'STREAM_STREAM' | 'STREAM_TABLE' | 'TABLE_TABLE' | 'FK_TABLE_TABLE';
  joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
  left: Step;
  right: Step;
  /** expression over the left input computing the join key (FK joins: the foreign key) */
  leftKey: string;
  rightKey: string;
  within?: { beforeMs: number; afterMs: number; graceMs?: number };
}

export type Step = SourceStep | FilterStep | FlatMapStep | SelectKeyStep | ProjectStep | SinkStep | GroupByStep | AggregateStep | JoinStep;

export interface QueryPlan {
  queryId: string;
  /** the statement text */
  sql: string;
  /** the source names it reads and the sink it writes (absent for transient queries) */
  sources: string[];
  sink?: string;
  /** topics the query consumes (for the driver's subscription) */
  inputTopics: string[];
  /** internal topics (repartition / changelog / a foreign-key join's two) it needs, named from the query id */
  internalTopics: { name: string; kind: 'repartition' | 'changelog' | 'subscription-registration' | 'subscription-response'; partitions: number }[];
  root: Step;
}

export function walkSteps(step: Step, visit: (s: Step) => void): void {
  visit(step);
  if ('source' in step) walkSteps(step.source, visit);
  if (step.type === 'Join') {
    walkSteps(step.left, visit);
    walkSteps(step.right, visit);
  }
}
