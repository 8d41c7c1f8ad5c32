/**
 * A small client of the ksqlDB REST API (works against Sluice and ksqlDB alike): POST /ksql for
 * statement batches, POST /query-stream for SELECT and PRINT, POST /close-query to cancel a push
 * query, GET /info for the banner. Uses Node's built-in fetch, so no HTTP library is needed.
 */

export type Entity = Record<string, unknown> & { '@type': string; statementText?: string };

/** An error the server answered with (generic_error or statement_error), or one reaching it. */
export class KsqlError extends Error {
  constructor(
    message: string,
    readonly errorCode?: number,
    readonly statementText?: string,
  ) {
    super(message);
    this.name = 'KsqlError';
  }
}

export interface QueryHeader {
  queryId?: string;
  columnNames: string[];
  columnTypes: string[];
}

export interface QueryHandlers {
  header(h: QueryHeader): void;
  row(columns: unknown[], tombstone: boolean): void;
  /** PRINT streams plain text lines instead of rows */
  text?(line: string): void;
}

export interface RunningQuery {
  /** resolves with the final message (e.g. "Limit Reached") when the stream ends; rejects on error */
  done: Promise<string | undefined>;
  /** stops the query on the server (POST /close-query) and ends the stream */
  cancel(): Promise<void>;
}

export interface RequestContext {
  properties: Record<string, unknown>;
  variables: Record<string, string>;
}

async function errorFrom(res: Response): Promise<KsqlError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown; error_code?: unknown; statementText?: unknown };
    if (body && typeof body.message === 'string') {
      return new KsqlError(body.message, typeof body.error_code === 'number' ? body.error_code : undefined, typeof body.statementText === 'string' ? body.statementText : undefined);
    }
  } catch {
    /* not JSON: fall through */
  }
  return new KsqlError(`Server responded with ${res.status} ${res.statusText}${text.trim() ? `: ${text.trim()}` : ''}`, res.status * 100);
}

function unreachable(server: string, err: unknown): KsqlError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err as Error).message;
  return new KsqlError(`Could not reach the server at ${server} (${why})`);
}

export class RestClient {
  readonly server: string;

  constructor(server: string) {
    this.server = server.replace(/\/+$/, '');
  }

  private async post(path: string, body: unknown, accept: string, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.server + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw unreachable(this.server, err);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  async info(): Promise<{ version?: string; serverStatus?: string }> {
    let res: Response;
    try {
      res = await fetch(this.server + '/info');
    } catch (err) {
      throw unreachable(this.server, err);
    }
    if (!res.ok) throw await errorFrom(res);
    const body = (await res.json()) as { KsqlServerInfo?: { version?: string; serverStatus?: string } };
    return body.KsqlServerInfo ?? {};
  }

  /** Runs statements (not SELECT or PRINT) through POST /ksql and returns the entities. */
  async ksql(statements: string, ctx: RequestContext): Promise<Entity[]> {
    const res = await this.post(
      '/ksql',
      { ksql: statements, streamsProperties: ctx.properties, sessionVariables: ctx.variables },
      'application/json',
    );
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) throw new KsqlError(`Unexpected response from /ksql: ${JSON.stringify(body).slice(0, 200)}`);
    return body as Entity[];
  }

  /**
   * Runs a SELECT or PRINT through POST /query-stream. It asks for the StreamedRow framing
   * (application/vnd.ksql.v1+json, as ksqlDB's Java client does) because it carries
   * tombstones, the final message and mid-stream errors; PRINT answers in plain text lines.
   */
  async query(sql: string, ctx: RequestContext, handlers: QueryHandlers): Promise<RunningQuery> {
    const abort = new AbortController();
    // PRINT is only served delimited (ksqlDB answers other Accept types with 406)
    const accept = /^\s*print\b/i.test(sql) ? 'application/vnd.ksqlapi.delimited.v1' : 'application/vnd.ksql.v1+json';
    const res = await this.post('/query-stream', { sql, properties: ctx.properties, sessionVariables: ctx.variables }, accept, abort.signal);
    let queryId: string | undefined;
    let cancelled = false;
    const isText = !(res.headers.get('content-type') ?? '').includes('json');
    const done = (async (): Promise<string | undefined> => {
      let final: string | undefined;
      const decoder = new TextDecoder();
      let pending = '';
      const handleLine = (raw: string) => {
        if (isText) {
          if (raw.trim()) handlers.text?.(raw);
          return;
        }
        // StreamedRow framing: `[{header},` / `{row},` / `{finalMessage}]`, one element per line
        let line = raw.trim();
        if (line.startsWith('[')) line = line.slice(1);
        if (line.endsWith(',') || line.endsWith(']')) line = line.slice(0, -1);
        if (!line) return;
        let el: Record<string, unknown>;
        try {
          el = JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new KsqlError(`Unexpected line in the query response: ${raw.slice(0, 200)}`);
        }
        if (el.header) {
          const h = el.header as { queryId?: string; schema?: string };
          queryId = h.queryId;
          const cols = parseSchema(h.schema ?? '');
          handlers.header({ ...(queryId ? { queryId } : {}), columnNames: cols.map((c) => c.name), columnTypes: cols.map((c) => c.type) });
        } else if (el.row) {
          const r = el.row as { columns?: unknown[]; tombstone?: boolean };
          handlers.row(r.columns ?? [], r.tombstone === true);
        } else if (el.errorMessage) {
          const e = el.errorMessage as { message?: string; error_code?: number };
          throw new KsqlError(e.message ?? 'query failed', e.error_code);
        } else if (typeof el.finalMessage === 'string') {
          final = el.finalMessage;
        }
      };
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          pending += decoder.decode(chunk, { stream: true });
          let nl: number;
          while ((nl = pending.indexOf('\n')) >= 0) {
            handleLine(pending.slice(0, nl));
            pending = pending.slice(nl + 1);
          }
          // an element is written before the `,\n` that separates it from the next one, so a
          // remainder that is already a whole element is handled now rather than when the next
          // row arrives (a push query's rows would otherwise show up one late)
          if (!isText && pending && isWholeElement(pending)) {
            handleLine(pending);
            pending = '';
          }
        }
        if (pending) handleLine(pending);
      } catch (err) {
        if (cancelled) return undefined;
        if (err instanceof KsqlError) throw err;
        throw new KsqlError(`The query stream broke: ${(err as Error).message}`);
      }
      return final;
    })();
    return {
      done,
      cancel: async () => {
        if (cancelled) return;
        cancelled = true;
        try {
          if (queryId) await this.post('/close-query', { queryId }, 'application/json').then((r) => r.text());
        } catch {
          /* the query may have ended by itself meanwhile: closing the stream is enough */
        } finally {
          abort.abort();
        }
      },
    };
  }
}

/** Whether text is one complete StreamedRow element (possibly with the array's `[` or `]`). */
function isWholeElement(text: string): boolean {
  let t = text.trim();
  if (t.startsWith('[')) t = t.slice(1);
  if (t.endsWith(']')) t = t.slice(0, -1);
  if (!t.startsWith('{') || !t.endsWith('}')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/**
 * Splits a StreamedRow header schema ("`ID` BIGINT KEY, `S` STRUCT<`A` INT>") into column
 * names and types, respecting nested `<>`/`()` and back-quoted names.
 */
export function parseSchema(schema: string): { name: string; type: string }[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let cur = '';
  for (const c of schema) {
    if (c === '`') inQuote = !inQuote;
    if (!inQuote) {
      if (c === '<' || c === '(') depth++;
      if (c === '>' || c === ')') depth--;
      if (c === ',' && depth === 0) {
        parts.push(cur);
        cur = '';
        continue;
      }
    }
    cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => {
    const m = /^\s*`((?:[^`]|``)*)`\s*(.*)$/s.exec(p);
    if (m) return { name: m[1]!.replace(/``/g, '`'), type: m[2]!.trim() };
    const [name, ...rest] = p.trim().split(/\s+/);
    return { name: name ?? '', type: rest.join(' ') };
  });
}
