/**
 * Statement results as ksqlDB's /ksql response entities (`@type` currentStatus, streams,
 * tables, queries, sourceDescription, queryDescription, properties, function_names,
 * describe_function, type_list, variables, kafka_topics, warning_entity). A statement that
 * produces no entity (SET, UNSET, DEFINE, UNDEFINE, INSERT VALUES) maps to undefined.
 */
import type { EngineDriver } from '../engine/driver.js';
import type { StatementResult } from '../engine/engine.js';
import type { Statement } from '../parser/ast.js';
import type { DataSource, PersistentQuery } from '../planner/metastore.js';
import type { QueryPlan, Step } from '../planner/plan.js';
import { allColumns } from '../planner/schema.js';
import { fieldInfo, schemaInfo } from './schema-json.js';
import { isSecretProperty } from '../runtime/drivers/kafka/client-security.js';

export type Entity = Record<string, unknown> & { '@type': string; statementText: string; warnings: { message: string }[] };

export interface CommandStatus {
  status: 'SUCCESS' | 'ERROR' | 'EXECUTING' | 'QUEUED' | 'RUNNING' | 'TERMINATED';
  message: string;
  queryId?: string;
}

/** What the entity builders need besides the result: the command log and the driver. */
export interface EntityContext {
  driver: EngineDriver;
  /** records a command and returns its sequence number */
  recordCommand(commandId: string, status: CommandStatus): number;
  queries: Map<string, PersistentQuery>;
  readersOf(name: string): PersistentQuery[];
  writersOf(name: string): PersistentQuery[];
}

const base = (type: string, text: string, extra: Record<string, unknown>): Entity => ({ '@type': type, statementText: text, ...extra, warnings: [] });

/** ksqlDB's command id of a statement (`stream/`S`/create`), when it is a command. */
export function commandIdFor(s: Statement): string | undefined {
  switch (s.type) {
    case 'CreateSource':
      return `${s.sourceType.toLowerCase()}/\`${s.name}\`/create`;
    case 'CreateAsSelect':
      return `${s.sourceType.toLowerCase()}/\`${s.name}\`/create`;
    case 'InsertInto':
      return `stream/\`${s.target}\`/create`;
    case 'DropSource':
      return `${s.sourceType.toLowerCase()}/${s.name}/drop`;
    case 'Terminate':
      return `terminate/${s.all ? 'ALL' : s.queryId}/execute`;
    case 'CreateType':
      return `type/${s.name}/create`;
    case 'DropType':
      return `type/${s.name}/drop`;
    case 'AlterSource':
      return `${s.sourceType.toLowerCase()}/${s.name}/alter`;
    default:
      return undefined;
  }
}

function currentStatus(ctx: EntityContext, s: Statement, text: string, message: string, queryId?: string): Entity {
  const commandId = commandIdFor(s) ?? `cluster/${s.type}/execute`;
  const commandStatus: CommandStatus = { status: 'SUCCESS', message, ...(queryId ? { queryId } : {}) };
  const seq = ctx.recordCommand(commandId, commandStatus);
  return base('currentStatus', text, { commandId, commandStatus, commandSequenceNumber: seq });
}

export function sourceInfo(s: DataSource): Record<string, unknown> {
  return {
    type: s.sourceType,
    name: s.name,
    topic: s.topic,
    keyFormat: s.keyFormat.format,
    valueFormat: s.valueFormat.format,
    isWindowed: s.window !== undefined,
  };
}

export function runningQuery(q: PersistentQuery, driver: EngineDriver): Record<string, unknown> {
  const sinkTopic = q.plan.root.type === 'Sink' ? q.plan.root.topic : undefined;
  void driver;
  return {
    queryString: q.sql,
    sinks: q.sink ? [q.sink] : [],
    sinkKafkaTopics: sinkTopic ? [sinkTopic] : [],
    id: q.id,
    statusCount: { [q.state]: 1 },
    queryType: 'PERSISTENT',
    state: q.state,
  };
}

export function sourceDescription(ctx: EntityContext, s: DataSource, extended: boolean): Record<string, unknown> {
  const topic = ctx.driver.describeTopic(s.topic);
  return {
    name: s.name,
    windowType: s.window ? s.window.type : null,
    readQueries: ctx.readersOf(s.name).map((q) => runningQuery(q, ctx.driver)),
    writeQueries: ctx.writersOf(s.name).map((q) => runningQuery(q, ctx.driver)),
    fields: allColumns(s.schema).map(fieldInfo),
    type: s.sourceType,
    timestamp: s.timestamp?.column ?? '',
    statistics: '',
    errorStats: '',
    extended,
    keyFormat: s.keyFormat.format,
    valueFormat: s.valueFormat.format,
    topic: s.topic,
    partitions: topic?.partitions ?? 0,
    replication: topic?.replicas ?? 0,
    statement: s.sql,
    queryOffsetSummaries: [],
    sourceConstraints: [],
    clusterStatistics: [],
    clusterErrorStats: [],
  };
}

function stepTopology(step: Step, depth = 0): string {
  const pad = '  '.repeat(depth);
  const children: Step[] = [];
  if ('source' in step && step.source) children.push(step.source as Step);
  if (step.type === 'Join') children.push(step.left, step.right);
  const own = step.type === 'StreamSource' || step.type === 'TableSource' ? `${step.type}(${step.topic})` : step.type;
  return [`${pad}> [ ${step.id} ] ${own} | Schema: ${step.schema.columns.map((c) => `${c.name} ${c.type.kind}`).join(', ')}`, ...children.map((c) => stepTopology(c, depth + 1))].join('\n');
}

export function queryDescription(plan: QueryPlan, query: PersistentQuery | undefined, ctx: EntityContext): Record<string, unknown> {
  const root = plan.root.type === 'Sink' ? plan.root.source : plan.root;
  const cols = root.schema.columns.filter((c) => c.role === 'key' || c.role === 'value');
  return {
    id: plan.queryId,
    statementText: plan.sql,
    windowType: root.schema.window ? root.schema.window.type : null,
    fields: cols.map((c) => ({ name: c.name, schema: schemaInfo(c.type), ...(c.role === 'key' ? { type: 'KEY' } : {}) })),
    sources: plan.sources,
    sinks: plan.sink ? [plan.sink] : [],
    topology: stepTopology(plan.root),
    executionPlan: stepTopology(plan.root),
    overriddenProperties: {},
    ksqlHostQueryStatus: query ? { [`localhost`]: query.state } : {},
    queryType: plan.sink ? 'PERSISTENT' : 'PUSH',
    queryErrors: [],
    tasksMetadata: [],
    state: query?.state ?? 'RUNNING',
    consumerGroupId: `_confluent-ksql-default_query_${plan.queryId}`,
  };
}

/** The entity for one executed statement; undefined when ksqlDB sends none. */
export function toEntity(ctx: EntityContext, s: Statement, text: string, r: StatementResult): Entity | undefined {
  switch (r.kind) {
    case 'SourceCreated':
      return currentStatus(ctx, s, text, r.message);
    case 'QueryStarted':
      return currentStatus(ctx, s, text, r.message, r.queryId);
    case 'Message':
      if (s.type === 'SetProperty' || s.type === 'UnsetProperty' || s.type === 'DefineVariable' || s.type === 'InsertValues') return undefined;
      if (s.type === 'UndefineVariable') return undefined;
      // CREATE ... IF NOT EXISTS on an existing source: a warning, which clients key on "Cannot add"
      if ((s.type === 'CreateSource' || s.type === 'CreateAsSelect') && r.message.startsWith('Cannot add')) return base('warning_entity', text, { message: r.message });
      return currentStatus(ctx, s, text, r.message);
    case 'Sources': {
      const extended = s.type === 'Show' ? (s as { extended?: boolean }).extended === true : s.type === 'DescribeStreams';
      if (extended) return base('source_descriptions', text, { sourceDescriptions: r.sources.map((x) => sourceDescription(ctx, x, true)) });
      const key = r.sourceType === 'STREAM' ? 'streams' : 'tables';
      return base(key, text, { [key]: r.sources.map(sourceInfo) });
    }
    case 'Describe':
      return base('sourceDescription', text, { sourceDescription: sourceDescription(ctx, r.source, (s as { extended?: boolean }).extended === true) });
    case 'Queries': {
      const extended = (s as { extended?: boolean }).extended === true;
      if (extended) return base('query_descriptions', text, { queryDescriptions: r.queries.map((q) => queryDescription(q.plan, q, ctx)) });
      return base('queries', text, { queries: r.queries.map((q) => runningQuery(q, ctx.driver)) });
    }
    case 'Properties':
      return base('properties', text, {
        properties: Object.entries(r.properties).map(([name, value]) => ({ name, scope: name.startsWith('ksql.streams.') ? 'STREAMS' : 'KSQL', value: value === null || value === undefined ? '' : isSecretProperty(name) ? '[hidden]' : String(value), editable: true, level: 'SERVER' })),
        overwrittenProperties: [],
        defaultProperties: [],
      });
    case 'Types':
      return base('type_list', text, { types: Object.fromEntries([...r.types.entries()].map(([n, t]) => [n, schemaInfo(t)])) });
    case 'Variables':
      return base('variables', text, { variables: Object.entries(r.variables).map(([name, value]) => ({ name, value })) });
    case 'Explain':
      return base('queryDescription', text, { queryDescription: queryDescription(r.plan, ctx.queries.get(r.plan.queryId), ctx) });
    case 'Topics':
      return base('kafka_topics', text, { topics: r.topics.map((t) => ({ name: t.name, replicaInfo: new Array(t.partitions).fill(t.replicas) })) });
    case 'Functions':
      return base('function_names', text, {
        functions: r.registry
          .list()
          .map((f) => ({ name: f.name, type: f.kind, category: f.category }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      });
    case 'DescribeFunction': {
      const f = r.registry.describe(r.name)!;
      return base('describe_function', text, {
        name: f.name,
        description: f.description,
        author: f.author ?? 'Confluent',
        version: f.version ?? '',
        path: 'internal',
        type: f.kind,
        functions: f.overloads.map((o) => ({
          arguments: o.args.map((a) => ({ name: a.name, type: a.type, description: a.description ?? '', isVariadic: /\.\.\.|\[\]$/.test(a.type) })),
          returnType: o.returns,
          description: o.description ?? f.description,
          argumentTypes: o.args.map((a) => a.type),
        })),
      });
    }
    case 'TransientQuery':
      // the caller rejects SELECT on /ksql before executing
      return undefined;
  }
}
