/**
 * POST /inserts-stream: a newline-delimited body (first line `{target, properties?}`, then one
 * JSON object per row keyed by column name; an unterminated last line is a row too). Each row
 * becomes an INSERT INTO … VALUES through the engine, so the key and value are serialised in
 * the target's formats exactly as INSERT VALUES does. Acks: `{"status":"ok","seq":N}` per row;
 * a bad row gets an error ack and ends the response. Accepted over HTTP/1.1 as well as HTTP/2.
 */
import type { FastifyInstance } from 'fastify';
import { isLosslessNumber, parse as parseLossless } from 'lossless-json';
import { KsqlError } from '../../common/errors.js';
import type { SqlType } from '../../common/types.js';
import { ParseError, parseStatements } from '../../parser/index.js';
import type { DataSource } from '../../planner/metastore.js';
import type { ServerState } from '../context.js';
import { badRequest, ErrorCodes, genericError, RestError } from '../errors.js';
import { negotiate } from '../framing.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The SQL literal for a JSON value going into a column of type `t`. */
export function sqlLiteral(v: unknown, t: SqlType): string {
  if (v === null || v === undefined) return 'NULL';
  if (isLosslessNumber(v)) return t.kind === 'STRING' ? quote(v.value) : v.value;
  switch (t.kind) {
    case 'BOOLEAN':
      return typeof v === 'boolean' ? String(v) : typeof v === 'string' ? quote(v) : invalid(v, t);
    case 'STRING':
      return quote(typeof v === 'string' ? v : JSON.stringify(v));
    case 'BYTES':
      return typeof v === 'string' ? `TO_BYTES(${quote(v)}, 'base64')` : invalid(v, t);
    case 'ARRAY':
      return Array.isArray(v) ? `ARRAY[${v.map((x) => sqlLiteral(x, t.element)).join(', ')}]` : invalid(v, t);
    case 'MAP':
      if (typeof v !== 'object' || Array.isArray(v)) return invalid(v, t);
      return Object.keys(v as object).length === 0 ? `CAST(NULL AS MAP<STRING, STRING>)` : `MAP(${Object.entries(v as object).map(([k, x]) => `${quote(k)} := ${sqlLiteral(x, t.value)}`).join(', ')})`;
    case 'STRUCT': {
      if (typeof v !== 'object' || Array.isArray(v)) return invalid(v, t);
      const o = v as Record<string, unknown>;
      const get = (name: string) => o[name] ?? Object.entries(o).find(([k]) => k.toUpperCase() === name.toUpperCase())?.[1];
      return `STRUCT(${t.fields.map((f) => `\`${f.name}\` := ${sqlLiteral(get(f.name) ?? null, f.type)}`).join(', ')})`;
    }
    default:
      return typeof v === 'string' ? quote(v) : typeof v === 'boolean' ? String(v) : invalid(v, t);
  }
}

function invalid(v: unknown, t: SqlType): never {
  throw new KsqlError(`Can't coerce a field of type ${typeof v} (${JSON.stringify(v)}) into type ${t.kind}`);
}

/** The INSERT VALUES statement for one row object. */
export function insertStatement(src: DataSource, row: Record<string, unknown>): string {
  const cols = [...src.schema.key, ...src.schema.value];
  const byUpper = new Map(Object.entries(row).map(([k, v]) => [k.toUpperCase(), { k, v }]));
  for (const k of src.schema.key) {
    const present = row[k.name] !== undefined || byUpper.has(k.name.toUpperCase());
    if (!present) throw new KsqlError(`Key field must be specified: ${k.name}`);
  }
  const names: string[] = [];
  const values: string[] = [];
  for (const c of cols) {
    const hit = row[c.name] !== undefined ? { v: row[c.name] } : byUpper.get(c.name.toUpperCase());
    if (!hit) continue;
    names.push(`\`${c.name}\``);
    values.push(sqlLiteral(hit.v, c.type));
  }
  const ts = row.ROWTIME ?? byUpper.get('ROWTIME')?.v;
  if (ts !== undefined && ts !== null) {
    names.push('ROWTIME');
    values.push(isLosslessNumber(ts) ? ts.value : String(ts));
  }
  return `INSERT INTO \`${src.name}\` (${names.join(', ')}) VALUES (${values.join(', ')});`;
}

export async function insertRoutes(app: FastifyInstance, opts: { state: ServerState }): Promise<void> {
  const { state } = opts;
  app.post('/inserts-stream', async (req, reply) => {
    const text = typeof req.body === 'string' ? req.body : '';
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) throw badRequest('Invalid JSON in request: missing the arguments line');
    let args: Record<string, unknown>;
    try {
      args = parseLossless(lines[0]!) as Record<string, unknown>;
    } catch (err) {
      throw badRequest(`Invalid JSON in request: ${(err as Error).message}`);
    }
    if (!args || typeof args !== 'object' || typeof args.target !== 'string') throw badRequest('Invalid JSON in request: "target" field must be populated');
    if (state.headless) throw new RestError(genericError(ErrorCodes.FORBIDDEN, 'This server runs in headless mode (--queries-file): inserts over the REST API are refused.'));
    const target = args.target;
    const src = state.engine.metastore.getSource(target) ?? [...state.engine.metastore.sources.values()].find((s) => s.name.toUpperCase() === target.toUpperCase());
    if (!src) throw new RestError(genericError(ErrorCodes.BAD_REQUEST, `Cannot insert values into an unknown stream/table: ${target}`));
    const json = negotiate(req.headers.accept, 'delimited', ['delimited', 'json']) === 'json';
    const acks: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      const seq = i - 1;
      try {
        let row: unknown;
        try {
          row = parseLossless(lines[i]!);
        } catch {
          throw new KsqlError('Invalid JSON in inserts stream');
        }
        if (!row || typeof row !== 'object' || Array.isArray(row)) throw new KsqlError('Invalid JSON in inserts stream');
        const sql = insertStatement(src, row as Record<string, unknown>);
        for (const ps of parseStatements(sql)) state.engine.execute(ps);
        acks.push(JSON.stringify({ status: 'ok', seq }));
      } catch (err) {
        if (!(err instanceof KsqlError) && !(err instanceof ParseError)) state.log.error({ err }, 'insert failed');
        acks.push(JSON.stringify({ status: 'error', seq, error_code: ErrorCodes.BAD_REQUEST, message: (err as Error).message }));
        break;
      }
    }
    reply.code(200);
    if (json) return reply.header('content-type', 'application/json').send(`[${acks.join(',')}]`);
    return reply.header('content-type', 'application/vnd.ksqlapi.delimited.v1').send(acks.map((a) => `${a}\n`).join(''));
  });
}
