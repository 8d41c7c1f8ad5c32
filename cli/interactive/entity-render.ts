/**
 * Turns /ksql response entities into lines of text for the TABULAR output format, in the ksql
 * CLI's layout (a table per entity); entity kinds without a dedicated layout fall back to
 * pretty JSON so nothing the server says is lost.
 */
import type { Entity } from './rest-client.js';
import { cellText, renderTable } from './table-render.js';

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string => (v === undefined ? '' : cellText(v));

/** A column type as the ksql CLI shows it in DESCRIBE: `STRUCT<A INTEGER>`, `DECIMAL(4, 2)`. */
export function schemaText(schema: unknown): string {
  const s = (schema ?? {}) as { type?: string; fields?: Obj[] | null; memberSchema?: unknown; parameters?: Obj | null };
  switch (s.type) {
    case 'ARRAY':
      return `ARRAY<${schemaText(s.memberSchema)}>`;
    case 'MAP':
      return `MAP<STRING, ${schemaText(s.memberSchema)}>`;
    case 'STRUCT':
      return `STRUCT<${arr(s.fields)
        .map((f) => `${str(f.name)} ${schemaText(f.schema)}`)
        .join(', ')}>`;
    case 'DECIMAL':
      return s.parameters ? `DECIMAL(${str(s.parameters.precision)}, ${str(s.parameters.scale)})` : 'DECIMAL';
    default:
      return s.type ?? '';
  }
}

function fieldRows(fields: Obj[]): string[][] {
  return fields.map((f) => {
    const kind = f.type === 'KEY' ? ' (key)' : f.type === 'HEADER' ? ` (header${f.headerKey ? `('${str(f.headerKey)}')` : ''})` : '';
    return [str(f.name), schemaText(f.schema) + kind];
  });
}

function describeSource(sd: Obj, width: number): string[] {
  const lines = [''];
  lines.push(`Name                 : ${str(sd.name)}`);
  if (sd.extended) {
    lines.push(`Type                 : ${str(sd.type)}`);
    if (sd.timestamp) lines.push(`Timestamp field      : ${str(sd.timestamp)}`);
    lines.push(`Key format           : ${str(sd.keyFormat)}`);
    lines.push(`Value format         : ${str(sd.valueFormat)}`);
    lines.push(`Kafka topic          : ${str(sd.topic)} (partitions: ${str(sd.partitions)}, replication: ${str(sd.replication)})`);
    if (sd.statement) lines.push(`Statement            : ${str(sd.statement)}`);
  }
  lines.push(...renderTable(['Field', 'Type'], fieldRows(arr(sd.fields)), width));
  const queries = [...arr(sd.readQueries), ...arr(sd.writeQueries)];
  if (sd.extended && queries.length) {
    lines.push('', 'Queries that read from / write to this source:');
    lines.push(...renderTable(['Query ID', 'Query Type', 'State', 'Query String'], queries.map((q) => [str(q.id), str(q.queryType), str(q.state), str(q.queryString)]), width));
  }
  if (!sd.extended) lines.push('For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;');
  return lines;
}

function warnings(e: Entity): string[] {
  return arr(e.warnings).map((w) => `WARNING: ${str(w.message)}`);
}

/** The lines showing one entity in TABULAR format, fitted to `width` columns. */
export function renderEntity(e: Entity, width: number): string[] {
  const t = (headers: string[], rows: string[][]) => renderTable(headers, rows, width);
  let lines: string[];
  switch (e['@type']) {
    case 'currentStatus': {
      const cs = (e.commandStatus ?? {}) as Obj;
      lines = t(['Message'], [[str(cs.message)]]);
      break;
    }
    case 'warning_entity':
      lines = [str(e.message)];
      break;
    case 'streams':
      lines = t(['Stream Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'], arr(e.streams).map((s) => [str(s.name), str(s.topic), str(s.keyFormat), str(s.valueFormat ?? s.format), str(s.isWindowed)]));
      break;
    case 'tables':
      lines = t(['Table Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'], arr(e.tables).map((s) => [str(s.name), str(s.topic), str(s.keyFormat), str(s.valueFormat ?? s.format), str(s.isWindowed)]));
      break;
    case 'sourceDescription':
      lines = describeSource((e.sourceDescription ?? {}) as Obj, width);
      break;
    case 'source_descriptions':
      lines = arr(e.sourceDescriptions).flatMap((sd) => describeSource(sd, width));
      break;
    case 'queries':
      lines = [
        ...t(
          ['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'],
          arr(e.queries).map((q) => [str(q.id), str(q.queryType), str(q.state), arr(q.sinks).map(str).join(','), arr(q.sinkKafkaTopics).map(str).join(','), str(q.queryString)]),
        ),
        'For detailed information on a Query run: EXPLAIN <Query ID>;',
      ];
      break;
    case 'kafka_topics':
    case 'kafka_topics_extended':
      lines = t(['Kafka Topic', 'Partitions', 'Partition Replicas'], arr(e.topics).map((x) => [str(x.name), str(arr(x.replicaInfo).length), arr(x.replicaInfo).map(str).join(' ')]));
      break;
    case 'properties':
      lines = t(['Property', 'Scope', 'Level', 'Effective Value'], arr(e.properties).map((p) => [str(p.name), str(p.scope), str(p.level), str(p.value)]));
      break;
    case 'function_names':
      lines = t(['Function Name', 'Category'], arr(e.functions).map((f) => [str(f.name), str(f.category)]));
      break;
    case 'variables':
      lines = t(['Variable Name', 'Value'], arr(e.variables).map((v) => [str(v.name), str(v.value)]));
      break;
    case 'type_list':
      lines = t(['Type Name', 'Schema'], Object.entries((e.types ?? {}) as Obj).map(([k, v]) => [k, schemaText(v)]));
      break;
    case 'terminate_query':
      lines = t(['Message'], [[e.wasTerminated ? `Query ${str(e.queryId)} terminated.` : `Query ${str(e.queryId)} was not running.`]]);
      break;
    default: {
      const { '@type': _type, statementText: _text, warnings: _w, ...rest } = e;
      lines = JSON.stringify(rest, null, 2).split('\n');
    }
  }
  return [...lines, ...warnings(e)];
}
