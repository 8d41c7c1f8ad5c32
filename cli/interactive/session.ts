/**
 * One CLI session: the client-side state (properties set with SET, variables from DEFINE, the
 * output format) and the running of statements, shared by the interactive CLI and by `-e`/`-f`.
 * SET, UNSET, DEFINE, UNDEFINE, SHOW VARIABLES, OUTPUT, RUN SCRIPT, HELP and EXIT are handled
 * here; SELECT and PRINT go to /query-stream; everything else to /ksql.
 */
import { readFile } from 'node:fs/promises';
import { renderEntity } from './entity-render.js';
import { KsqlError, RestClient, type Entity, type QueryHeader, type RunningQuery } from './rest-client.js';
import { splitStatements, stripComments } from './statement-splitter.js';
import { substitute } from './variables.js';
import { cellText, renderTable, rowLines, separator, streamingWidths } from './table-render.js';
import type { CompletionNames } from './completion.js';

/** The CLI's version (the package version). */
export const CLI_VERSION = '0.1.0';

export type OutputFormat = 'TABULAR' | 'JSON';

/** Where the session writes: plain lines and error lines; `width` is the terminal's (Infinity for a pipe). */
export interface SessionOutput {
  line(text: string): void;
  error(text: string): void;
  width(): number;
}

export type RunOutcome = 'ok' | 'error' | 'exit';

const HELP = [
  'Statements end with ";" and may span several lines. CLI commands:',
  "  SET 'property'='value';   UNSET 'property';     client-side properties sent with every request",
  "  DEFINE name = 'value';    UNDEFINE name;        variables, used as ${name}; SHOW VARIABLES;",
  "  OUTPUT 'TABULAR'|'JSON';  RUN SCRIPT 'file.sql';  VERSION;  HELP;  EXIT (or Ctrl-D)",
  'A push query (EMIT CHANGES) streams rows until its LIMIT or until Ctrl-C, which cancels it.',
];

const unquote = (s: string) => (/^'.*'$/s.test(s) ? s.slice(1, -1).replace(/''/g, "'") : s);

export class Session {
  readonly properties: Record<string, string> = {};
  readonly variables: Record<string, string> = {};
  format: OutputFormat = 'TABULAR';
  names: CompletionNames = { sources: [], columns: [] };
  private current: RunningQuery | undefined;

  constructor(
    readonly client: RestClient,
    private out: SessionOutput,
  ) {}

  /** Redirects the output (the interactive CLI writes through ink). */
  setOutput(out: SessionOutput): void {
    this.out = out;
  }

  /** Variables are substituted here, not by the server, so they are not sent as sessionVariables. */
  private ctx() {
    return { properties: { ...this.properties }, variables: {} };
  }

  /** Whether a push query (or any query) is streaming now. */
  get queryRunning(): boolean {
    return this.current !== undefined;
  }

  /** Cancels the running query (Ctrl-C): POST /close-query, then the stream ends. */
  async cancelQuery(): Promise<void> {
    await this.current?.cancel();
  }

  /** Runs every statement of `text` in order, stopping at the first error. */
  async run(text: string): Promise<RunOutcome> {
    for (const stmt of splitStatements(text)) {
      const outcome = await this.runOne(stmt);
      if (outcome !== 'ok') return outcome;
    }
    return 'ok';
  }

  private fail(err: unknown): RunOutcome {
    if (err instanceof KsqlError) this.out.error(err.message);
    else this.out.error(`Error: ${(err as Error).message ?? String(err)}`);
    return 'error';
  }

  /** Runs one statement (with or without its `;`). */
  async runOne(raw: string): Promise<RunOutcome> {
    // DEFINE and UNDEFINE name variables, so they are taken as written
    const statement = /^\s*(un)?define\b/i.test(stripComments(raw)) ? raw : substitute(raw, this.variables);
    const body = stripComments(statement).trim().replace(/;\s*$/, '').trim();
    let m: RegExpExecArray | null;
    try {
      if (/^(exit|quit)$/i.test(body)) return 'exit';
      if (/^help$/i.test(body)) {
        HELP.forEach((l) => this.out.line(l));
        return 'ok';
      }
      if (/^version$/i.test(body)) {
        const info = await this.client.info();
        this.out.line(`Sluice CLI ${CLI_VERSION}, server ${this.client.server} version ${info.version ?? 'unknown'}`);
        return 'ok';
      }
      if ((m = /^set\s+('(?:[^']|'')*')\s*=\s*('(?:[^']|'')*')$/is.exec(body))) {
        const [k, v] = [unquote(m[1]!), unquote(m[2]!)];
        this.properties[k] = v;
        this.out.line(`Successfully changed local property '${k}' to '${v}'.`);
        return 'ok';
      }
      if ((m = /^unset\s+('(?:[^']|'')*')$/is.exec(body))) {
        const k = unquote(m[1]!);
        if (!(k in this.properties)) {
          this.out.line(`Property '${k}' was not set.`);
        } else {
          this.out.line(`Successfully unset local property '${k}' (value was '${this.properties[k]}').`);
          delete this.properties[k];
        }
        return 'ok';
      }
      if ((m = /^define\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^']|'')*')$/is.exec(body))) {
        this.variables[m[1]!] = unquote(m[2]!);
        return 'ok';
      }
      if ((m = /^undefine\s+([A-Za-z_][A-Za-z0-9_]*)$/is.exec(body))) {
        if (!(m[1]! in this.variables)) this.out.line(`Variable '${m[1]}' is undefined`);
        delete this.variables[m[1]!];
        return 'ok';
      }
      if (/^show\s+variables$/i.test(body)) {
        this.printEntities([{ '@type': 'variables', statementText: body, variables: Object.entries(this.variables).map(([name, value]) => ({ name, value })), warnings: [] }]);
        return 'ok';
      }
      if ((m = /^output(?:\s+('?)(\w+)\1)?$/i.exec(body))) {
        if (!m[2]) {
          this.out.line(`Output format: ${this.format}`);
          return 'ok';
        }
        const f = m[2].toUpperCase();
        if (f !== 'TABULAR' && f !== 'JSON') return this.fail(new KsqlError(`Unknown output format: '${m[2]}' (use TABULAR or JSON)`));
        this.format = f;
        this.out.line(`Output format set to ${f}`);
        return 'ok';
      }
      if ((m = /^run\s+script\s+('(?:[^']|'')*')$/is.exec(body))) {
        const path = unquote(m[1]!);
        let script: string;
        try {
          script = await readFile(path, 'utf8');
        } catch (err) {
          return this.fail(new KsqlError(`Cannot read script '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
        }
        const outcome = await this.run(script);
        return outcome === 'exit' ? 'ok' : outcome;
      }
      if (/^(select|print)\b/i.test(body)) return await this.query(body + ';');
      const entities = await this.client.ksql(statement.trim().endsWith(';') ? statement.trim() : statement.trim() + ';', this.ctx());
      const failed = entities.find((e) => e['@type'] === 'currentStatus' && (e.commandStatus as { status?: string } | undefined)?.status === 'ERROR');
      this.printEntities(entities);
      if (failed) {
        this.out.error(String((failed.commandStatus as { message?: string }).message ?? 'Statement failed'));
        return 'error';
      }
      if (/^(create|drop|alter)\b/i.test(body)) await this.refreshNames();
      return 'ok';
    } catch (err) {
      return this.fail(err);
    }
  }

  printEntities(entities: Entity[]): void {
    if (this.format === 'JSON') {
      JSON.stringify(entities, null, 2).split('\n').forEach((l) => this.out.line(l));
      return;
    }
    for (const e of entities) renderEntity(e, this.out.width()).forEach((l) => this.out.line(l));
  }

  /**
   * Runs a SELECT or PRINT. A push query (EMIT CHANGES) prints its table header at once and
   * each row as it arrives, in columns fixed up front; other queries end on their own, so their
   * rows are collected and drawn as one table fitted to the content.
   */
  private async query(sql: string): Promise<RunOutcome> {
    const streaming = /\bemit\s+changes\b/i.test(stripComments(sql)) || /^print\b/i.test(sql);
    let header: QueryHeader | undefined;
    let widths: number[] = [];
    const rows: unknown[][] = [];
    const json = this.format === 'JSON';
    const asObject = (cols: unknown[]) => Object.fromEntries((header?.columnNames ?? []).map((n, i) => [n, cols[i] ?? null]));
    const q = await this.client.query(sql, this.ctx(), {
      header: (h) => {
        header = h;
        if (!streaming || json) return;
        widths = streamingWidths(h.columnNames, this.out.width());
        [separator(widths), ...rowLines(h.columnNames, widths), separator(widths)].forEach((l) => this.out.line(l));
      },
      row: (cols, tombstone) => {
        if (!streaming) {
          rows.push(cols);
          return;
        }
        if (json) this.out.line(JSON.stringify(tombstone ? { ...asObject(cols), tombstone: true } : asObject(cols)));
        else rowLines(tombstone ? cols.map((c) => (c === null ? "<TOMBSTONE>" : cellText(c))) : cols.map(cellText), widths).forEach((l) => this.out.line(l));
      },
      text: (line) => this.out.line(line),
    });
    this.current = q;
    let final: string | undefined;
    let cancelled = false;
    const cancel = q.cancel;
    q.cancel = async () => {
      cancelled = true;
      await cancel();
    };
    try {
      final = await q.done;
    } finally {
      this.current = undefined;
    }
    if (!streaming && header) {
      if (json) JSON.stringify(rows.map(asObject), null, 2).split('\n').forEach((l) => this.out.line(l));
      else renderTable(header.columnNames, rows.map((r) => r.map(cellText)), this.out.width()).forEach((l) => this.out.line(l));
    } else if (streaming && header && !json) {
      this.out.line(separator(widths));
    }
    if (final) this.out.line(final);
    if (cancelled) this.out.line('Query terminated');
    return 'ok';
  }

  /** Fetches stream, table and column names for completion (SHOW STREAMS/TABLES EXTENDED); failures are ignored. */
  async refreshNames(): Promise<void> {
    try {
      const entities = await this.client.ksql('SHOW STREAMS EXTENDED; SHOW TABLES EXTENDED;', this.ctx());
      const sources = new Set<string>();
      const columns = new Set<string>();
      for (const e of entities) {
        for (const sd of (e.sourceDescriptions ?? []) as { name?: string; fields?: { name?: string }[] }[]) {
          if (sd.name) sources.add(sd.name);
          for (const f of sd.fields ?? []) if (f.name) columns.add(f.name);
        }
      }
      this.names = { sources: [...sources], columns: [...columns] };
    } catch {
      /* completion of names is a convenience: without the server it offers keywords only */
    }
  }
}
