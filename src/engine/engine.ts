/**
 * The engine: executes statements against the metastore and a driver. DDL changes the
 * metastore; CREATE ... AS SELECT and INSERT INTO plan a query and start it on the driver;
 * INSERT VALUES produces a record; SHOW / DESCRIBE / EXPLAIN read. Every rejection is a
 * KsqlError with ksqlDB's wording.
 */
import { KsqlError } from '../common/errors.js';
import { formatType, type SqlType } from '../common/types.js';
import type { ParsedStatement, Statement } from '../parser/ast.js';
import { ParseError, parseStatements, splitStatements } from '../parser/index.js';
import type { DataSource, PersistentQuery } from '../planner/metastore.js';
import { MetaStore } from '../planner/metastore.js';
import { internalTopicsOf, queryIdFor } from '../planner/naming.js';
import type { FormatInfo, QueryPlan, SinkStep } from '../planner/plan.js';
import { WithProperties } from '../planner/properties.js';
import { QueryPlanner, type PlannedQuery } from '../planner/query-planner.js';
import { formatSchema, type LogicalSchema } from '../planner/schema.js';
import { resolveTypeAst, type CompileContext } from '../runtime/expr/compile.js';
import { createDefaultRegistry } from '../runtime/functions/default-registry.js';
import type { FunctionRegistry } from '../runtime/functions/types.js';
import { checkKeyType, createSourceFromDdl, validateFormat } from './ddl.js';
import type { EngineDriver } from './driver.js';
import { insertValues } from './insert-values.js';
import { registerSourceSchemas } from './schema-registration.js';
import { InMemorySchemaRegistry, type SchemaRegistryClient } from '../schema-registry/index.js';

export type StatementResult =
  | { kind: 'SourceCreated'; source: DataSource; message: string }
  | { kind: 'QueryStarted'; queryId: string; source?: DataSource; message: string }
  | { kind: 'Message'; message: string }
  | { kind: 'Sources'; sources: DataSource[]; sourceType: 'STREAM' | 'TABLE' }
  | { kind: 'Describe'; source: DataSource; queries: { read: string[]; write: string[] } }
  | { kind: 'Queries'; queries: PersistentQuery[] }
  | { kind: 'Properties'; properties: Record<string, unknown> }
  | { kind: 'Types'; types: Map<string, SqlType> }
  | { kind: 'Variables'; variables: Record<string, string> }
  | { kind: 'Explain'; plan: QueryPlan }
  | { kind: 'Topics'; topics: { name: string; partitions: number; replicas: number }[] }
  | { kind: 'Functions'; registry: FunctionRegistry }
  | { kind: 'DescribeFunction'; name: string; registry: FunctionRegistry }
  | { kind: 'TransientQuery'; planned: PlannedQuery; statement: Statement };

export interface EngineOptions {
  config?: Record<string, unknown>;
  registry?: FunctionRegistry;
  /** the schema registry for AVRO/PROTOBUF/JSON_SR (default: a fresh in-memory one) */
  schemaRegistry?: SchemaRegistryClient;
  /** start from this metastore (default: an empty one) */
  metastore?: MetaStore;
}

export class Engine {
  readonly metastore: MetaStore;
  readonly config: Record<string, unknown>;
  readonly variables: Record<string, string> = {};
  readonly registry: FunctionRegistry;
  readonly schemaRegistry: SchemaRegistryClient;
  private queryCounter = 0;

  constructor(
    readonly driver: EngineDriver,
    opts: EngineOptions = {},
  ) {
    this.config = { ...(opts.config ?? {}) };
    this.registry = opts.registry ?? createDefaultRegistry();
    this.schemaRegistry = opts.schemaRegistry ?? new InMemorySchemaRegistry();
    this.metastore = opts.metastore ?? new MetaStore();
  }

  /**
   * An engine that starts from this one's metastore, config, variables and query counter but
   * runs on `driver`: statements executed on it change nothing here. A server validates a
   * statement on a sandbox over a driver that only pretends, before it distributes it.
   */
  sandbox(driver: EngineDriver): Engine {
    const e = new Engine(driver, { config: this.config, registry: this.registry, schemaRegistry: this.schemaRegistry, metastore: this.metastore.copy() });
    Object.assign(e.variables, this.variables);
    e.queryCounter = this.queryCounter;
    return e;
  }

  compileContext(): CompileContext {
    return { registry: this.registry, config: this.config, customTypes: this.metastore.types, schemaRegistry: this.schemaRegistry };
  }

  /** Parse and execute every statement of a script, in order; stops at the first error. */
  executeScript(text: string): StatementResult[] {
    const out: StatementResult[] = [];
    let parsed: ParsedStatement[];
    try {
      parsed = parseStatements(text, { variables: this.variables });
    } catch (err) {
      throw err instanceof ParseError ? withStatement(err, text) : err;
    }
    for (const ps of parsed) out.push(this.execute(ps));
    return out;
  }

  execute(ps: ParsedStatement): StatementResult {
    try {
      return this.executeStatement(ps);
    } catch (err) {
      // ksqlDB names the statement position of an error when it knows it
      if (err instanceof KsqlError && err.loc && !err.message.startsWith('Line: ')) {
        throw new KsqlError(`Line: ${err.loc.line}, Col: ${err.loc.column}: ${err.message}`, err.loc);
      }
      throw err;
    }
  }

  private executeStatement(ps: ParsedStatement): StatementResult {
    const s = ps.statement;
    switch (s.type) {
      case 'CreateSource':
        return this.createSource(s, ps.text);
      case 'CreateAsSelect':
        return this.createAsSelect(s, ps.text);
      case 'InsertInto':
        return this.insertInto(s, ps.text);
      case 'InsertValues':
        insertValues(this, s);
        return { kind: 'Message', message: 'Inserted' };
      case 'DropSource':
        return this.dropSource(s);
      case 'CreateType': {
        if (this.metastore.types.has(s.name)) {
          if (s.ifNotExists) return { kind: 'Message', message: `Type ${s.name} already exists` };
          throw new KsqlError(`Cannot register custom type '${s.name}' since it is already registered with type: ${formatType(this.metastore.types.get(s.name)!)}`, s.loc);
        }
        this.metastore.types.set(s.name, resolveTypeAst(s.typeDef, this.metastore.types));
        return { kind: 'Message', message: `Registered custom type with name '${s.name}' and SQL type ${formatType(this.metastore.types.get(s.name)!)}` };
      }
      case 'DropType':
        if (!this.metastore.types.delete(s.name) && !s.ifExists) throw new KsqlError(`Type ${s.name} does not exist.`, s.loc);
        return { kind: 'Message', message: `Dropped type '${s.name}'` };
      case 'Terminate':
        return this.terminate(s.all ? undefined : s.queryId);
      case 'SetProperty':
        this.config[s.name] = s.value;
        return { kind: 'Message', message: `Successfully changed local property '${s.name}' to '${s.value}'.` };
      case 'AlterSystem':
        this.config[s.name] = s.value;
        return { kind: 'Message', message: `Successfully changed system property '${s.name}' to '${s.value}'.` };
      case 'UnsetProperty':
        delete this.config[s.name];
        return { kind: 'Message', message: `Successfully unset local property '${s.name}'.` };
      case 'DefineVariable':
        this.variables[s.name] = s.value;
        return { kind: 'Message', message: `Defined variable ${s.name}` };
      case 'UndefineVariable':
        delete this.variables[s.name];
        return { kind: 'Message', message: `Undefined variable ${s.name}` };
      case 'Show':
        return this.show(s);
      case 'Describe': {
        const src = this.metastore.getSource(s.name);
        if (!src) throw new KsqlError(`Could not find STREAM/TABLE '${s.name}' in the Metastore`, s.loc);
        return { kind: 'Describe', source: src, queries: { read: this.metastore.readersOf(s.name).map((q) => q.id), write: this.metastore.writersOf(s.name).map((q) => q.id) } };
      }
      case 'DescribeStreams':
        return { kind: 'Sources', sources: [...this.metastore.sources.values()].filter((x) => x.sourceType === 'STREAM'), sourceType: 'STREAM' };
      case 'DescribeFunction':
        if (!this.registry.describe(s.name.toUpperCase())) throw new KsqlError(`Can't find any functions with the name '${s.name}'`, s.loc);
        return { kind: 'DescribeFunction', name: s.name.toUpperCase(), registry: this.registry };
      case 'Explain': {
        if (s.queryId !== undefined) {
          const q = this.metastore.queries.get(s.queryId) ?? [...this.metastore.queries.values()].find((x) => x.id.toUpperCase() === s.queryId!.toUpperCase());
          if (!q) throw new KsqlError(`Query with id:${s.queryId} does not exist, use SHOW QUERIES to view the full set of running queries.`, s.loc);
          return { kind: 'Explain', plan: q.plan };
        }
        const inner = s.statement!;
        if (inner.type === 'CreateAsSelect' || inner.type === 'InsertInto') {
          return { kind: 'Explain', plan: this.planPersistent(inner, '', true).plan };
        }
        if (inner.type === 'Query') {
          const planned = this.planner().plan(inner.query, { persistent: false });
          return { kind: 'Explain', plan: { queryId: 'transient', sql: '', sources: planned.sourceNames, inputTopics: [], internalTopics: [], root: planned.root } };
        }
        throw new KsqlError('EXPLAIN only supports queries and query ids', s.loc);
      }
      case 'Query': {
        const planned = this.planner().plan(s.query, { persistent: false });
        return { kind: 'TransientQuery', planned, statement: s };
      }
      case 'AlterSource':
        return this.alterSource(s);
      default:
        throw new KsqlError(`Statement type ${s.type} is not supported by this engine`, s.loc);
    }
  }

  /** The plan of a transient (push) query, to run with EngineDriver.startTransientQuery. */
  transientPlan(planned: PlannedQuery, sql: string): QueryPlan {
    const queryId = `transient_${planned.sourceNames.join('_')}_${Date.now()}`;
    return {
      queryId,
      sql,
      sources: planned.sourceNames,
      inputTopics: [...new Set(planned.sourceNames.map((n) => this.metastore.requireSource(n).topic))],
      internalTopics: [],
      root: planned.root,
    };
  }

  private planner(): QueryPlanner {
    return new QueryPlanner(this.metastore, this.compileContext(), (t) => this.driver.describeTopic(t)?.partitions);
  }

  private createSource(s: Extract<Statement, { type: 'CreateSource' }>, text: string): StatementResult {
    const existing = this.metastore.getSource(s.name);
    const kind = s.sourceType === 'STREAM' ? 'stream' : 'table';
    if (existing) {
      if (s.ifNotExists) return { kind: 'Message', message: `Cannot add ${kind} ${s.name}: A ${existing.sourceType.toLowerCase()} with the same name already exists.` };
      if (!s.orReplace) {
        throw new KsqlError(`Cannot add ${kind} '${s.name}': A ${existing.sourceType.toLowerCase()} with the same name already exists`, s.loc);
      }
      if (existing.isSource || s.isSource) throw new KsqlError(`Cannot add ${kind} '${s.name}': CREATE OR REPLACE is not supported on source ${kind}s.`, s.loc);
      if (existing.sourceType !== s.sourceType) throw new KsqlError(`Cannot add ${kind} '${s.name}': A ${existing.sourceType.toLowerCase()} with the same name already exists`, s.loc);
    }
    const { source, createTopic } = createSourceFromDdl(s, text, {
      config: this.config,
      customTypes: this.metastore.types,
      topicPartitions: (t) => this.driver.describeTopic(t)?.partitions,
      schemaRegistry: this.schemaRegistry,
    });
    if (existing && s.orReplace) checkReplaceCompatible(existing, source);
    if (s.elements.length > 0) registerSourceSchemas(this.schemaRegistry, source, 'source');
    if (createTopic) this.driver.createTopic(source.topic, createTopic.partitions, createTopic.replicas);
    this.metastore.putSource(source);
    return { kind: 'SourceCreated', source, message: `${s.sourceType === 'STREAM' ? 'Stream' : 'Table'} created` };
  }

  private nextQueryId(kind: 'CSAS' | 'CTAS' | 'INSERTQUERY', sink: string): string {
    return queryIdFor(kind, sink, this.queryCounter++);
  }

  /** Plan CSAS/CTAS/INSERT INTO: the query, its sink and the sink's DataSource. */
  private planPersistent(
    s: Extract<Statement, { type: 'CreateAsSelect' | 'InsertInto' }>,
    text: string,
    dryRun = false,
  ): { plan: QueryPlan; sink: DataSource; createTopic?: { partitions: number; replicas: number } } {
    const sinkName = s.type === 'CreateAsSelect' ? s.name : s.target;
    const statement = s.type === 'CreateAsSelect' ? `CREATE ${s.sourceType} AS SELECT` : 'INSERT INTO';
    const planned = this.planner().plan(s.query, { persistent: true, sinkName, statement });
    if (s.type === 'CreateAsSelect' && planned.sourceType !== s.sourceType) {
      if (s.sourceType === 'TABLE') throw new KsqlError(`Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement instead.`, s.loc);
      throw new KsqlError(`Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.`, s.loc);
    }
    if (s.query.emit === 'FINAL' && !planned.window) throw new KsqlError('EMIT FINAL is only supported for windowed aggregations.', s.loc);
    const src = planned.primarySource;
    let sink: DataSource;
    let createTopic: { partitions: number; replicas: number } | undefined;
    if (s.type === 'CreateAsSelect') {
      const props = new WithProperties(s.properties);
      const prefix = String(this.config['ksql.output.topic.name.prefix'] ?? '');
      const topic = props.string('KAFKA_TOPIC') ?? prefix + s.name;
      const formats = props.formats();
      // a keyless source (NONE) gaining a key takes its value format when that can hold keys
      const keyCapable = ['JSON', 'DELIMITED', 'KAFKA', 'AVRO', 'PROTOBUF', 'PROTOBUF_NOSR', 'JSON_SR'];
      // (a join takes the first side that has a key format)
      const keyed = planned.sources.find((x) => x.keyFormat.format !== 'NONE');
      const inheritedKey =
        src.keyFormat.format !== 'NONE' || planned.key.length === 0
          ? src.keyFormat.format
          : keyed
            ? keyed.keyFormat.format
            : keyCapable.includes(src.valueFormat.format)
              ? src.valueFormat.format
              : 'KAFKA';
      const keyFormatName = formats.key ?? inheritedKey;
      if (planned.key.length === 0 && props.has('KEY_FORMAT') && s.sourceType === 'STREAM') {
        throw new KsqlError('Key format specified for stream without key columns.', s.loc);
      }
      const keyFormat: FormatInfo = {
        format: planned.key.length === 0 && formats.key === undefined ? 'NONE' : keyFormatName,
        properties: formats.key !== undefined ? props.formatProperties('KEY') : { ...src.keyFormat.properties, ...props.formatProperties('KEY') },
      };
      const valueFormat: FormatInfo = {
        format: formats.value ?? src.valueFormat.format,
        properties: formats.value !== undefined ? props.formatProperties('VALUE') : { ...stripSchemaIds(src.valueFormat.properties), ...props.formatProperties('VALUE') },
      };
      const wrap = props.bool('WRAP_SINGLE_VALUE');
      if (wrap !== undefined && planned.value.length !== 1) throw new KsqlError(`'WRAP_SINGLE_VALUE' is only valid for single-field value schemas`, s.loc);
      const defaultWrap = this.config['ksql.persistence.wrap.single.values'];
      // the config default only applies to a single value column, where wrapping means something
      const wrapSingleValue = wrap ?? (defaultWrap === undefined || defaultWrap === null || planned.value.length !== 1 ? undefined : String(defaultWrap) === 'true');
      for (const k of planned.key) checkKeyType(k.name, k.type);
      if (planned.key.length > 0 || keyFormat.format !== 'NONE') validateFormat(keyFormat, planned.key, true);
      validateFormat(valueFormat, planned.value, false, wrapSingleValue);
      const schema: LogicalSchema = {
        key: planned.key.map((k) => ({ ...k, namespace: 'KEY' as const })),
        value: planned.value.map((v) => ({ ...v, namespace: 'VALUE' as const })),
        headers: [],
      };
      const tsCol = props.string('TIMESTAMP');
      let timestamp;
      if (tsCol !== undefined) {
        const col = [...schema.key, ...schema.value].find((c) => c.name === tsCol.toUpperCase() || c.name === tsCol);
        if (!col) throw new KsqlError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${tsCol.toUpperCase()}'`, s.loc);
        const fmt = props.string('TIMESTAMP_FORMAT');
        timestamp = { column: col.name, ...(fmt !== undefined ? { format: fmt } : {}) };
      }
      const existingTopic = this.driver.describeTopic(topic);
      const partitions = props.int('PARTITIONS') ?? existingTopic?.partitions ?? this.driver.describeTopic(src.topic)?.partitions ?? 1;
      if (!existingTopic) createTopic = { partitions, replicas: props.int('REPLICAS') ?? 1 };
      sink = {
        name: s.name,
        sourceType: s.sourceType,
        schema,
        topic,
        keyFormat,
        valueFormat,
        ...(wrapSingleValue !== undefined ? { wrapSingleValue } : {}),
        ...(timestamp ? { timestamp } : {}),
        ...(planned.window ? { window: planned.window } : {}),
        isSource: false,
        sql: text,
      };
    } else {
      const target = this.metastore.getSource(s.target);
      if (!target) throw new KsqlError(`${s.target} does not exist.`, s.loc);
      if (target.sourceType === 'TABLE') throw new KsqlError(`INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`, s.loc);
      if (target.isSource) throw new KsqlError(`Cannot insert into read-only ${target.sourceType.toLowerCase()}: ${target.name}`, s.loc);
      if (planned.sourceType !== 'STREAM') throw new KsqlError(`Incompatible data sink and query result. Data sink (${target.name}) type is KSTREAM but select query result is KTABLE.`, s.loc);
      const resultSchema = formatSchema({ key: planned.key.map((k) => ({ ...k, namespace: 'KEY' })), value: planned.value.map((v) => ({ ...v, namespace: 'VALUE' })), headers: [] });
      const sinkSchema = formatSchema({ ...target.schema, headers: [] });
      if (resultSchema !== sinkSchema) {
        throw new KsqlError(`Incompatible schema between results and sink.${'\n'}Result schema is ${resultSchema}${'\n'}Sink schema is ${sinkSchema}`, s.loc);
      }
      sink = target;
    }
    const kind = s.type === 'InsertInto' ? 'INSERTQUERY' : s.sourceType === 'STREAM' ? 'CSAS' : 'CTAS';
    const queryId = dryRun ? `${kind}_${sinkName}_EXPLAIN` : this.nextQueryId(kind, sinkName);
    const sinkStep: SinkStep = {
      id: 'Sink',
      type: 'Sink',
      source: planned.root,
      sinkName: sink.name,
      topic: sink.topic,
      keyFormat: sink.keyFormat,
      valueFormat: sink.valueFormat,
      ...(sink.wrapSingleValue !== undefined ? { wrapSingleValue: sink.wrapSingleValue } : {}),
      ...(sink.timestamp ? { timestamp: sink.timestamp } : {}),
      table: sink.sourceType === 'TABLE',
      schema: planned.root.schema,
    };
    const plan: QueryPlan = {
      queryId,
      sql: text,
      sources: planned.sourceNames,
      sink: sink.name,
      inputTopics: [...new Set(planned.sourceNames.map((n) => this.metastore.requireSource(n).topic))],
      internalTopics: internalTopicsOf(queryId, sinkStep, this.driver.describeTopic(src.topic)?.partitions ?? 1, (t) => this.driver.describeTopic(t)?.partitions),
      root: sinkStep,
    };
    return createTopic ? { plan, sink, createTopic } : { plan, sink };
  }

  private createAsSelect(s: Extract<Statement, { type: 'CreateAsSelect' }>, text: string): StatementResult {
    const existing = this.metastore.getSource(s.name);
    const kind = s.sourceType === 'STREAM' ? 'stream' : 'table';
    if (existing) {
      if (s.ifNotExists) return { kind: 'Message', message: `Cannot add ${kind} ${s.name}: already exists.` };
      if (!s.orReplace) throw new KsqlError(`Cannot add ${kind} '${s.name}': A ${existing.sourceType.toLowerCase()} with the same name already exists`, s.loc);
    }
    if (s.query.limit !== undefined) throw new KsqlError(`CREATE ${s.sourceType} AS SELECT statements don't support LIMIT clause.`, s.loc);
    const { plan, sink, createTopic } = this.planPersistent(s, text);
    registerSourceSchemas(this.schemaRegistry, sink, 'sink');
    if (existing && s.orReplace) {
      checkReplaceCompatible(existing, sink);
      for (const q of this.metastore.writersOf(s.name)) if (q.sql !== '' && q.id.startsWith('C')) this.stopAndForget(q.id);
    }
    if (createTopic) this.driver.createTopic(sink.topic, createTopic.partitions, createTopic.replicas);
    sink.writeQueryId = plan.queryId;
    this.startQuery(plan, text);
    this.metastore.putSource(sink);
    return { kind: 'QueryStarted', queryId: plan.queryId, source: sink, message: `Created query with ID ${plan.queryId}` };
  }

  private insertInto(s: Extract<Statement, { type: 'InsertInto' }>, text: string): StatementResult {
    const { plan } = this.planPersistent(s, text);
    this.startQuery(plan, text);
    return { kind: 'QueryStarted', queryId: plan.queryId, message: `Created query with ID ${plan.queryId}` };
  }

  private startQuery(plan: QueryPlan, text: string): void {
    try {
      this.driver.startQuery(plan, this.compileContext());
    } catch (err) {
      // building the topology failed (e.g. a format that cannot serialise the schema): reject the statement
      if (err instanceof KsqlError) throw err;
      throw new KsqlError(`Could not start query ${plan.queryId}: ${(err as Error).message}`);
    }
    this.metastore.queries.set(plan.queryId, { id: plan.queryId, sql: text, plan, sources: plan.sources, ...(plan.sink ? { sink: plan.sink } : {}), state: 'RUNNING' });
  }

  /** a query that ends for good (TERMINATE, DROP, CREATE OR REPLACE): its state goes too */
  private stopAndForget(id: string): void {
    this.driver.stopQuery(id, { permanent: true });
    this.metastore.queries.delete(id);
  }

  private terminate(queryId: string | undefined): StatementResult {
    if (queryId === undefined) {
      for (const id of [...this.metastore.queries.keys()]) this.stopAndForget(id);
      return { kind: 'Message', message: 'All queries terminated.' };
    }
    const q = this.metastore.queries.get(queryId) ?? [...this.metastore.queries.values()].find((x) => x.id.toUpperCase() === queryId.toUpperCase());
    if (!q) throw new KsqlError(`Unknown queryId: ${queryId}`);
    this.stopAndForget(q.id);
    return { kind: 'Message', message: `Query terminated.` };
  }

  private dropSource(s: Extract<Statement, { type: 'DropSource' }>): StatementResult {
    const src = this.metastore.getSource(s.name);
    const kind = s.sourceType === 'STREAM' ? 'stream' : 'table';
    if (!src) {
      if (s.ifExists) return { kind: 'Message', message: `Source \`${s.name}\` does not exist.` };
      throw new KsqlError(`Source ${s.name} does not exist.`, s.loc);
    }
    if (src.sourceType !== s.sourceType) {
      throw new KsqlError(`Incompatible data source type is ${src.sourceType}, but statement was DROP ${s.sourceType}`, s.loc);
    }
    if (s.deleteTopic && src.isSource) throw new KsqlError(`Cannot delete topic for read-only source: ${s.name}`, s.loc);
    const readers = this.metastore.readersOf(s.name).map((q) => q.id);
    const writers = this.metastore.writersOf(s.name).filter((q) => q.id !== src.writeQueryId).map((q) => q.id);
    if (readers.length > 0 || writers.length > 0) {
      throw new KsqlError(
        `Cannot drop ${s.name}.${'\n'}The following queries read from this source: [${readers.join(', ')}].${'\n'}The following queries write into this source: [${writers.join(', ')}].${'\n'}You need to terminate them before dropping ${s.name}.`,
        s.loc,
      );
    }
    if (src.writeQueryId && this.metastore.queries.has(src.writeQueryId)) this.stopAndForget(src.writeQueryId);
    this.metastore.deleteSource(s.name);
    if (s.deleteTopic) this.driver.deleteTopic(src.topic);
    return { kind: 'Message', message: `Source \`${s.name}\` (topic: ${src.topic}) was dropped.${kind ? '' : ''}` };
  }

  private alterSource(s: Extract<Statement, { type: 'AlterSource' }>): StatementResult {
    const src = this.metastore.getSource(s.name);
    if (!src) throw new KsqlError(`Source ${s.name} does not exist.`, s.loc);
    if (src.sourceType !== s.sourceType) throw new KsqlError(`Incompatible data source type is ${src.sourceType}, but statement was ALTER ${s.sourceType}`, s.loc);
    if (src.isSource) {
      const kind = src.sourceType.toLowerCase();
      throw new KsqlError(`Cannot alter ${kind} '${s.name}': ALTER operations are not supported on source ${kind}s.`, s.loc);
    }
    if (src.writeQueryId) throw new KsqlError(`ALTER command is not supported for CREATE ... AS statements.`, s.loc);
    const value = [...src.schema.value];
    for (const c of s.addColumns) {
      if ([...src.schema.key, ...value].some((x) => x.name === c.name)) throw new KsqlError(`Cannot add column \`${c.name}\` to schema. A column with the same name already exists.`, s.loc);
      value.push({ name: c.name, type: resolveTypeAst(c.type, this.metastore.types), namespace: 'VALUE' });
    }
    this.metastore.putSource({ ...src, schema: { ...src.schema, value } });
    return { kind: 'Message', message: `${s.sourceType === 'STREAM' ? 'Stream' : 'Table'} ${s.name} altered.` };
  }

  private show(s: Extract<Statement, { type: 'Show' }>): StatementResult {
    switch (s.what) {
      case 'STREAMS':
      case 'TABLES': {
        const t = s.what === 'STREAMS' ? 'STREAM' : 'TABLE';
        return { kind: 'Sources', sources: [...this.metastore.sources.values()].filter((x) => x.sourceType === t), sourceType: t };
      }
      case 'QUERIES':
        return { kind: 'Queries', queries: [...this.metastore.queries.values()] };
      case 'PROPERTIES':
        return { kind: 'Properties', properties: { ...this.config } };
      case 'TYPES':
        return { kind: 'Types', types: this.metastore.types };
      case 'VARIABLES':
        return { kind: 'Variables', variables: { ...this.variables } };
      case 'FUNCTIONS':
        return { kind: 'Functions', registry: this.registry };
      case 'TOPICS':
        return { kind: 'Topics', topics: this.driver.listTopics().filter((t) => s.all || !t.name.startsWith('_')).map((t) => ({ name: t.name, partitions: t.partitions, replicas: t.replicas })) };
      default:
        throw new KsqlError(`SHOW ${s.what} is not supported: this server has no Kafka Connect cluster configured.`, s.loc);
    }
  }
}

/**
 * A syntax error as ksqlDB reports it — position, what was expected, the statement — plus the
 * token that was found, so the message alone says what went wrong where.
 */
function withStatement(err: ParseError, script: string): ParseError {
  if (err.message.includes('\nStatement: ')) return err;
  let statement: string | undefined;
  try {
    statement = splitStatements(script).filter((s) => s.loc.line < err.line || (s.loc.line === err.line && s.loc.column <= err.column)).pop()?.text;
  } catch {
    statement = undefined;
  }
  const found = err.found === '<EOF>' ? 'the end of the statement' : `'${err.found}'`;
  const message = `${err.message}${statement ? `\nStatement: ${statement}` : ''}\nFound ${found} at line ${err.line}, column ${err.column}.`;
  return new ParseError(message, err.line, err.column, err.found, err.expected);
}

function stripSchemaIds(p: Record<string, string>): Record<string, string> {
  const { schemaId: _unused, ...rest } = p;
  return rest;
}

/** CREATE OR REPLACE may only add value columns at the end, never change keys or existing columns. */
function checkReplaceCompatible(existing: DataSource, next: DataSource): void {
  const a = formatSchema(existing.schema);
  const b = formatSchema(next.schema);
  if (a === b) return;
  const keysSame = formatSchema({ key: existing.schema.key, value: [], headers: [] }) === formatSchema({ key: next.schema.key, value: [], headers: [] });
  const prefix = existing.schema.value.every((c, i) => next.schema.value[i] && next.schema.value[i]!.name === c.name && formatType(next.schema.value[i]!.type) === formatType(c.type));
  if (!keysSame || !prefix) {
    throw new KsqlError(
      `Cannot upgrade data source: ${existing.sourceType} ${existing.name}: ${'\n'}The following changes are not supported: schema mismatch.${'\n'}Old schema: ${a}${'\n'}New schema: ${b}`,
    );
  }
}
