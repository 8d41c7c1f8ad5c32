/**
 * The CLI's client for a Sluice (or ksqlDB) server: statements to /ksql, queries streamed from
 * /query-stream (delimited framing: a metadata line, then one JSON array per row), /close-query.
 */
export interface QueryHeader {
  queryId?: string;
  columnNames: string[];
  columnTypes: string[];
}

export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message?: string; error_code?: number; statementText?: string },
  ) {
    super(body.message ?? `HTTP ${status}`);
  }
}

export class RestClient {
  constructor(readonly baseUrl: string) {}

  private async post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'application/json' }, ...(signal ? { signal } : {}) });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new Error(`Cannot reach the server at ${this.baseUrl}: ${((err as { cause?: Error }).cause ?? (err as Error)).message}`);
    }
  }

  async info(): Promise<{ version: string; serverStatus?: string; ksqlServiceId?: string }> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/info`);
    } catch (err) {
      throw new Error(`Cannot reach the server at ${this.baseUrl}: ${((err as { cause?: Error }).cause ?? (err as Error)).message}`);
    }
    return ((await res.json()) as { KsqlServerInfo: { version: string; serverStatus?: string; ksqlServiceId?: string } }).KsqlServerInfo;
  }

  async ksql(statements: string, streamsProperties: Record<string, string>, sessionVariables: Record<string, string>): Promise<Record<string, any>[]> {
    const res = await this.post('/ksql', { ksql: statements, streamsProperties, sessionVariables });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ServerError(res.status, { message: text || `HTTP ${res.status}` });
    }
    if (res.status !== 200) throw new ServerError(res.status, body);
    return body;
  }

  /**
   * Streams a query; resolves when it ends (LIMIT, completion, or `signal` aborted, in which
   * case the query is closed on the server too).
   */
  async query(
    sql: string,
    properties: Record<string, string>,
    sessionVariables: Record<string, string>,
    onHeader: (h: QueryHeader) => void,
    onRow: (row: unknown[]) => void,
    signal?: AbortSignal,
  ): Promise<{ cancelled: boolean }> {
    const ac = new AbortController();
    const abort = () => ac.abort();
    signal?.addEventListener('abort', abort);
    let header: QueryHeader | undefined;
    try {
      const res = await fetch(`${this.baseUrl}/query-stream`, {
        method: 'POST',
        body: JSON.stringify({ sql, properties, sessionVariables }),
        headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
        signal: ac.signal,
      }).catch((err: Error) => {
        if (err.name === 'AbortError') throw err;
        throw new Error(`Cannot reach the server at ${this.baseUrl}: ${((err as { cause?: Error }).cause ?? err).message}`);
      });
      if (res.status !== 200) {
        const text = await res.text();
        let body: any = { message: text };
        try {
          body = JSON.parse(text);
        } catch {
          /* plain text */
        }
        throw new ServerError(res.status, body);
      }
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!line.trim()) continue;
          const msg = JSON.parse(line);
          if (!header) {
            header = msg as QueryHeader;
            onHeader(header);
          } else if (Array.isArray(msg)) onRow(msg);
          else if (msg && msg.message) throw new ServerError(500, msg);
        }
      }
      return { cancelled: false };
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        if (header?.queryId) await this.post('/close-query', { queryId: header.queryId }).catch(() => undefined);
        return { cancelled: true };
      }
      throw err;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }
}
