/**
 * How the CLI prints: boxed tables that fit the terminal width (long cells wrap), entity
 * renderings in the style of ksqlDB's CLI, or JSON.
 */
export function renderTable(headers: string[], rows: unknown[][], maxWidth = 120): string {
  const cells = rows.map((r) => r.map(cellText));
  const n = headers.length;
  let widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  // shrink the widest columns until the table fits (3 chars of border per column + 1)
  const budget = Math.max(n * 4, maxWidth - (3 * n + 1));
  while (widths.reduce((a, b) => a + b, 0) > budget) {
    const i = widths.indexOf(Math.max(...widths));
    if (widths[i]! <= 4) break;
    widths = widths.map((w, j) => (j === i ? w - 1 : w));
  }
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const fmt = (r: string[]) => {
    const wrapped = r.map((c, i) => wrap(c, widths[i]!));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let l = 0; l < height; l++) out.push(`|${wrapped.map((w, i) => ` ${(w[l] ?? '').padEnd(widths[i]!)} `).join('|')}|`);
    return out.join('\n');
  };
  return [line, fmt(headers), line, ...cells.map(fmt), ...(cells.length > 0 ? [line] : [])].join('\n');
}

export function tableRow(row: unknown[], widths: number[]): string {
  return `|${row.map((c, i) => ` ${cellText(c).slice(0, widths[i]).padEnd(widths[i]!)} `).join('|')}|`;
}

function wrap(s: string, w: number): string[] {
  if (s.length <= w) return [s];
  const out: string[] = [];
  for (let i = 0; i < s.length; i += w) out.push(s.slice(i, i + w));
  return out;
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** One /ksql entity, as ksqlDB's CLI prints it in TABULAR mode. */
export function renderEntity(e: Record<string, any>, width: number): string {
  switch (e['@type']) {
    case 'currentStatus':
      return renderTable(['Message'], [[e.commandStatus?.message ?? '']], width);
    case 'warning_entity':
      return `WARNING: ${e.message}`;
    case 'streams':
      return renderTable(['Stream Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'], e.streams.map((s: any) => [s.name, s.topic, s.keyFormat, s.valueFormat, s.isWindowed]), width);
    case 'tables':
      return renderTable(['Table Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'], e.tables.map((s: any) => [s.name, s.topic, s.keyFormat, s.valueFormat, s.isWindowed]), width);
    case 'queries':
      return `${renderTable(['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'], e.queries.map((q: any) => [q.id, q.queryType, q.state, q.sinks.join(','), q.sinkKafkaTopics.join(','), q.queryString]), width)}\nFor detailed information on a Query run: EXPLAIN <Query ID>;`;
    case 'sourceDescription': {
      const sd = e.sourceDescription;
      const fields = renderTable(['Field', 'Type'], sd.fields.map((f: any) => [f.name, `${schemaText(f.schema)}${f.type === 'KEY' ? ` ${sd.type === 'TABLE' ? 'PRIMARY KEY' : 'KEY'}` : ''}`]), width);
      const head = `Name                 : ${sd.name}\nType                 : ${sd.type}\nKafka topic          : ${sd.topic} (partitions: ${sd.partitions}, replication: ${sd.replication})\nKey format           : ${sd.keyFormat}\nValue format         : ${sd.valueFormat}`;
      const queries = [...sd.readQueries.map((q: any) => `  read by  ${q.id}`), ...sd.writeQueries.map((q: any) => `  written by ${q.id}`)].join('\n');
      return `${head}\n${fields}${queries ? `\n${queries}` : ''}`;
    }
    case 'queryDescription': {
      const qd = e.queryDescription;
      return `ID                   : ${qd.id}\nQuery type           : ${qd.queryType}\nSQL                  : ${qd.statementText}\nSources              : ${qd.sources.join(', ')}\nSinks                : ${qd.sinks.join(', ')}\n\nExecution plan\n--------------\n${qd.executionPlan}`;
    }
    case 'properties':
      return renderTable(['Property', 'Scope', 'Level', 'Value'], e.properties.map((p: any) => [p.name, p.scope, p.level, p.value]), width);
    case 'function_names':
      return renderTable(['Function Name', 'Category'], e.functions.map((f: any) => [f.name, f.category]), width);
    case 'describe_function':
      return `Name        : ${e.name}\nType        : ${e.type}\nDescription : ${e.description}\n${renderTable(['Variation', 'Returns'], e.functions.map((f: any) => [`${e.name}(${f.argumentTypes.join(', ')})`, f.returnType]), width)}`;
    case 'kafka_topics':
      return renderTable(['Kafka Topic', 'Partitions', 'Partition Replicas'], e.topics.map((t: any) => [t.name, t.replicaInfo.length, t.replicaInfo.join(',')]), width);
    case 'type_list':
      return renderTable(['Type Name', 'Schema'], Object.entries(e.types).map(([n, s]) => [n, schemaText(s)]), width);
    case 'variables':
      return renderTable(['Variable Name', 'Value'], e.variables.map((v: any) => [v.name, v.value]), width);
    case 'terminate_query':
      return `Query ${e.queryId} terminated.`;
    default:
      return JSON.stringify(e, null, 2);
  }
}

function schemaText(s: any): string {
  if (!s) return '';
  switch (s.type) {
    case 'ARRAY':
      return `ARRAY<${schemaText(s.memberSchema)}>`;
    case 'MAP':
      return `MAP<STRING, ${schemaText(s.memberSchema)}>`;
    case 'STRUCT':
      return `STRUCT<${(s.fields ?? []).map((f: any) => `${f.name} ${schemaText(f.schema)}`).join(', ')}>`;
    case 'DECIMAL':
      return `DECIMAL(${s.parameters?.precision}, ${s.parameters?.scale})`;
    case 'STRING':
      return 'VARCHAR(STRING)';
    default:
      return s.type;
  }
}
