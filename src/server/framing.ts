/**
 * The three ways a query's rows go over the wire, each element in its own write (one HTTP/2
 * DATA frame: the npm client parses every chunk as one message):
 * - `legacy` (application/vnd.ksql.v1+json, /query's StreamedRow framing): `[{"header":…}`,
 *   then `,\n{"row":{"columns":[…]}}` per row, then `,\n{"finalMessage":…}` when the query ends
 *   on its own (not after a table pull), then `]`;
 * - `delimited` (application/vnd.ksqlapi.delimited.v1, /query-stream's default): a metadata
 *   line, then one JSON array per line; tombstones are dropped; no closing message;
 * - `json` (application/json): one array `[{metadata},[row],…]` without newlines.
 */
import { genericError, ErrorCodes } from './errors.js';
import { rowJson } from './json-values.js';
import type { PreparedQuery } from './query-exec.js';
import { headerSchema, typeText } from './schema-json.js';

export type Framing = 'legacy' | 'delimited' | 'json';

export const CONTENT_TYPES: Record<Framing, string> = {
  legacy: 'application/vnd.ksql.v1+json',
  delimited: 'application/vnd.ksqlapi.delimited.v1',
  json: 'application/json',
};

export interface FrameWriter {
  header(): string;
  row(values: unknown[], tombstone: boolean): string | undefined;
  /** what closes the body: a final message for the legacy framing, an error element, `]` */
  end(final: string | undefined, err: Error | undefined): string;
}

export function frameWriter(framing: Framing, q: PreparedQuery): FrameWriter {
  const types = q.columns.map((c) => c.type);
  const meta = () =>
    JSON.stringify({ queryId: q.queryId, columnNames: q.columns.map((c) => c.name), columnTypes: q.columns.map((c) => typeText(c.type)) });
  const errorBody = (err: Error) => JSON.stringify(genericError(ErrorCodes.SERVER_ERROR, err.message));
  switch (framing) {
    case 'legacy':
      return {
        header: () => `[{"header":{"queryId":${JSON.stringify(q.queryId)},"schema":${JSON.stringify(headerSchema(q.columns))}}}`,
        row: (values, tombstone) => `,\n{"row":{"columns":${rowJson(values, types)}${tombstone ? ',"tombstone":true' : ''}}}`,
        end: (final, err) => {
          if (err) return `,\n{"errorMessage":${errorBody(err)}}]`;
          return final ? `,\n{"finalMessage":${JSON.stringify(final)}}]` : ']';
        },
      };
    case 'delimited':
      return {
        header: () => `${meta()}\n`,
        row: (values, tombstone) => (tombstone ? undefined : `${rowJson(values, types)}\n`),
        end: (_final, err) => (err ? `${errorBody(err)}\n` : ''),
      };
    case 'json':
      return {
        header: () => `[${meta()}`,
        row: (values, tombstone) => (tombstone ? undefined : `,${rowJson(values, types)}`),
        end: (_final, err) => (err ? `,${errorBody(err)}]` : ']'),
      };
  }
}

/**
 * Which framing an Accept header asks for. `fallback` is the route's default (delimited for
 * /query-stream, legacy for /query); undefined means nothing acceptable (406).
 */
export function negotiate(accept: string | undefined, fallback: Framing, allowed: Framing[]): Framing | undefined {
  if (!accept || !accept.trim()) return fallback;
  const wanted = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().split(';').map((x) => x.trim());
      const qp = params.find((p) => p.startsWith('q='));
      return { type: (type ?? '').toLowerCase(), q: qp ? Number(qp.slice(2)) : 1, i };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const w of wanted) {
    if (w.type === '*/*' || w.type === 'application/*') return fallback;
    const f = (Object.keys(CONTENT_TYPES) as Framing[]).find((k) => CONTENT_TYPES[k] === w.type);
    if (f && allowed.includes(f)) return f;
  }
  return undefined;
}
