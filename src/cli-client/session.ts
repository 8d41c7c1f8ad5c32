/**
 * A CLI session: what the user typed, cut into statements and sent where ksqlDB's CLI sends
 * them. SET/UNSET and DEFINE/UNDEFINE stay local (sent along with every later request);
 * SELECT streams from /query-stream; runs of other statements go to /ksql in one request;
 * CLI commands (help, exit, output, server, history, run script) are handled here.
 */
import { readFileSync } from 'node:fs';
import { parseStatements, splitStatements } from '../parser/index.js';
import { renderEntity, renderTable, tableRow } from './render.js';
import { RestClient, ServerError, type QueryHeader } from './rest-client.js';

export type OutputFormat = 'TABULAR' | 'JSON';

export interface SessionOutput {
  print(text: string): void;
  error(text: string): void;
  width(): number;
}

export const KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'HAVING', 'EMIT', 'CHANGES', 'FINAL', 'LIMIT', 'WINDOW', 'TUMBLING', 'HOPPING', 'SESSION', 'SIZE', 'ADVANCE',
  'CREATE', 'STREAM', 'TABLE', 'AS', 'WITH', 'INSERT', 'INTO', 'VALUES', 'DROP', 'DELETE', 'TOPIC', 'TERMINATE', 'SHOW', 'LIST', 'STREAMS', 'TABLES',
  'QUERIES', 'TOPICS', 'PROPERTIES', 'FUNCTIONS', 'TYPES', 'VARIABLES', 'DESCRIBE', 'EXTENDED', 'EXPLAIN', 'PRINT', 'SET', 'UNSET', 'DEFINE', 'UNDEFINE',
  'JOIN', 'LEFT', 'INNER', 'OUTER', 'FULL', 'ON', 'WITHIN', 'PARTITION', 'KEY', 'PRIMARY', 'AND', 'OR', 'NOT', 'NULL', 'IS', 'IN', 'LIKE', 'BETWEEN',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'CAST', 'INTEGER', 'BIGINT', 'DOUBLE', 'VARCHAR', 'STRING', 'BOOLEAN', 'DECIMAL', 'ARRAY', 'MAP', 'STRUCT',
  'TIMESTAMP', 'DATE', 'TIME', 'BYTES', 'KAFKA_TOPIC', 'VALUE_FORMAT', 'KEY_FORMAT', 'PARTITIONS', 'EXIT', 'HELP', 'OUTPUT', 'RUN', 'SCRIPT',
];

const HELP = `Statements end with ';' and may span lines. CLI commands:
  help                 this text
  exit | quit          leave the CLI
  output [TABULAR|JSON] show or set the output format
  server [url]         show or switch the server
  history              the statements typed so far
  run script '<file>'  run a file of statements
Ctrl-C cancels a running query; on an empty prompt it leaves.`;

export class Session {
  client: RestClient;
  format: OutputFormat = 'TABULAR';
  readonly properties: Record<string, string> = {};
  readonly variables: Record<string, string> = {};
  readonly history: string[] = [];
  /** source and column names for completion, refreshed after statements */
  names: string[] = [];
  exitRequested = false;

  constructor(
    server: string,
    private readonly out: SessionOutput,
  ) {
    this.client = new RestClient(server.replace(/\/+$/, ''));
  }

  /** Whether the input is a complete unit to run: a CLI command or statements ending with ';'. */
  static isComplete(input: string): boolean {
    const t = input.trim();
    if (!t) return false;
    if (isCliCommand(t)) return true;
    // strip -- comments, then it must end with ';' outside quotes
    const stripped = t.replace(/--[^\n]*$/gm, '').trim();
    if (!stripped.endsWith(';')) return false;
    try {
      splitStatements(stripped);
      return true;
    } catch {
      return false;
    }
  }

  /** Runs one unit of input; `signal` cancels a running query. */
  async run(input: string, signal?: AbortSignal): Promise<void> {
    const t = input.trim();
    if (!t) return;
    this.history.push(t);
    if (isCliCommand(t)) return this.command(t.replace(/;\s*$/, ''), signal);
    let slices;
    try {
      slices = splitStatements(t);
    } catch (err) {
      this.out.error((err as Error).message);
      return;
    }
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const text = batch.join('\n');
      batch = [];
      await this.sendStatements(text);
    };
    for (const s of slices) {
      let kind: string | undefined;
      let parsed: any;
      try {
        [parsed] = parseStatements(s.text, { variables: this.variables });
        kind = parsed?.statement.type;
      } catch {
        kind = undefined; // the server will explain
      }
      if (kind === 'SetProperty') {
        this.properties[parsed.statement.name] = parsed.statement.value;
        this.out.print(`Successfully changed local property '${parsed.statement.name}' to '${parsed.statement.value}'.`);
      } else if (kind === 'UnsetProperty') {
        delete this.properties[parsed.statement.name];
        this.out.print(`Successfully unset local property '${parsed.statement.name}'.`);
      } else if (kind === 'DefineVariable') {
        this.variables[parsed.statement.name] = parsed.statement.value;
      } else if (kind === 'UndefineVariable') {
        delete this.variables[parsed.statement.name];
      } else if (kind === 'Query' || kind === 'Print') {
        await flush();
        await this.query(s.text, signal);
      } else batch.push(s.text);
    }
    await flush();
  }

  private async sendStatements(text: string): Promise<void> {
    try {
      const entities = await this.client.ksql(text, this.properties, this.variables);
      for (const e of entities) {
        if (e['@type'] === 'currentStatus' && e.commandStatus?.status === 'ERROR') this.out.error(e.commandStatus.message);
        else this.out.print(this.format === 'JSON' ? JSON.stringify(e, null, 2) : renderEntity(e, this.out.width()));
      }
      await this.refreshNames();
    } catch (err) {
      this.out.error(err instanceof ServerError ? err.message : (err as Error).message);
    }
  }

  private async query(sql: string, signal?: AbortSignal): Promise<void> {
    let widths: number[] = [];
    let header: QueryHeader | undefined;
    let count = 0;
    const rows: unknown[][] = [];
    try {
      const r = await this.client.query(
        sql,
        this.properties,
        this.variables,
        (h) => {
          header = h;
          const w = this.out.width();
          const each = Math.max(6, Math.floor((w - (3 * h.columnNames.length + 1)) / Math.max(1, h.columnNames.length)));
          widths = h.columnNames.map((n) => Math.min(each, Math.max(n.length, 12)));
          if (this.format === 'TABULAR') {
            const line = `+${widths.map((x) => '-'.repeat(x + 2)).join('+')}+`;
            this.out.print(`${line}\n${tableRow(h.columnNames, widths)}\n${line}`);
          }
        },
        (row) => {
          count++;
          if (this.format === 'JSON') rows.push(row);
          else this.out.print(tableRow(row, widths));
        },
        signal,
      );
      if (this.format === 'JSON' && header) this.out.print(JSON.stringify(rows.map((r) => Object.fromEntries(header!.columnNames.map((n, i) => [n, r[i]]))), null, 2));
      else if (header) this.out.print(`+${widths.map((x) => '-'.repeat(x + 2)).join('+')}+`);
      this.out.print(r.cancelled ? 'Query terminated' : `${count} row${count === 1 ? '' : 's'}`);
    } catch (err) {
      this.out.error((err as Error).message);
    }
  }

  async refreshNames(): Promise<void> {
    try {
      const entities = await this.client.ksql('SHOW STREAMS; SHOW TABLES;', {}, {});
      const names = new Set<string>();
      for (const e of entities) for (const s of [...(e.streams ?? []), ...(e.tables ?? [])]) names.add(s.name);
      this.names = [...names];
    } catch {
      /* completion just has fewer names */
    }
  }

  /** Tab completion of the word before the cursor: keywords and source names. */
  complete(input: string): string[] {
    const m = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(input);
    if (!m) return [];
    const word = m[1]!.toUpperCase();
    return [...new Set([...this.names, ...KEYWORDS])].filter((k) => k.toUpperCase().startsWith(word) && k.toUpperCase() !== word).sort();
  }

  private async command(t: string, signal?: AbortSignal): Promise<void> {
    const [cmd, ...args] = t.split(/\s+/);
    switch (cmd!.toLowerCase()) {
      case 'help':
        this.out.print(HELP);
        return;
      case 'exit':
      case 'quit':
        this.exitRequested = true;
        return;
      case 'output': {
        const f = args[0]?.toUpperCase();
        if (f === 'JSON' || f === 'TABULAR') this.format = f;
        else if (f) this.out.error(`Unknown output format: ${args[0]} (TABULAR or JSON)`);
        this.out.print(`Output format: ${this.format}`);
        return;
      }
      case 'server':
        if (args[0]) {
          this.client = new RestClient(args[0].replace(/\/+$/, ''));
          await this.banner();
        } else this.out.print(this.client.baseUrl);
        return;
      case 'history':
        this.out.print(this.history.slice(0, -1).map((h, i) => `${i + 1}  ${h}`).join('\n'));
        return;
      case 'run': {
        const m = /^run\s+script\s+'([^']+)'$/i.exec(t);
        if (!m) {
          this.out.error("usage: run script '<file>'");
          return;
        }
        let text: string;
        try {
          text = readFileSync(m[1]!, 'utf8');
        } catch (err) {
          this.out.error(`Cannot read ${m[1]}: ${(err as Error).message}`);
          return;
        }
        await this.run(text, signal);
        return;
      }
      default:
        this.out.error(`Unknown command: ${cmd}`);
    }
  }

  async banner(): Promise<boolean> {
    try {
      const info = await this.client.info();
      this.out.print(`Sluice CLI — server ${this.client.baseUrl} (version ${info.version}, status ${info.serverStatus ?? 'RUNNING'})\nType 'help' for help, statements end with ';'.`);
      await this.refreshNames();
      return true;
    } catch (err) {
      this.out.error((err as Error).message);
      return false;
    }
  }
}

function isCliCommand(t: string): boolean {
  return /^(help|exit|quit|history|output(\s+\w+)?|server(\s+\S+)?|run\s+script\s+'[^']*')\s*;?$/i.test(t);
}

export { renderTable };
