/**
 * Prepares a SELECT sent to /query or /query-stream: a table pull (answered from the table's
 * materialised rows), a stream pull (a transient query that reads up to the end offsets seen
 * at start) or a push query (EMIT CHANGES: a transient query streaming until LIMIT, close or
 * disconnect). Preparing validates and plans, so errors reach the client as a 400 before any
 * byte of the stream; running then feeds a QuerySink.
 */
import { KsqlError } from '../common/errors.js';
import type { SqlType } from '../common/types.js';
import type { TransientQueryHandle } from '../engine/driver.js';
import { randomUUID } from 'node:crypto';
import { executeTablePull, isScannedSourceTable, scanSourceTable, validatePullQuery } from '../engine/pull-query.js';
import { ParseError, parseStatements, type ParsedStatement, type Query } from '../parser/index.js';
import { badRequest, badStatement, ErrorCodes, RestError, statementError } from './errors.js';
import { offsetResetEarliest, withRequestConfig, type ServerState } from './context.js';
import { routedTablePull } from './pull-routing.js';

export interface QueryColumn {
  name: string;
  type: SqlType;
  /** marked ` KEY` in the header (table pulls only) */
  key: boolean;
}

export interface QuerySink {
  row(values: unknown[], tombstone: boolean): void;
  /** the query ended: 'Limit Reached' / 'Query Completed' for the final message, or an error */
  end(final?: 'Limit Reached' | 'Query Completed', err?: Error): void;
}

export interface PreparedQuery {
  kind: 'table-pull' | 'stream-pull' | 'push';
  queryId: string;
  columns: QueryColumn[];
  /** start producing into the sink; returns a function that stops the query */
  run(sink: QuerySink): () => void;
}

export interface QueryRequest {
  sql: string;
  properties?: Record<string, unknown>;
  sessionVariables?: Record<string, unknown>;
  /** ksqlDB's requestProperties (internal `request.ksql.*` keys, see pull-routing.ts) */
  requestProperties?: Record<string, unknown>;
  /** the client's Authorization header, for the servers a pull query is forwarded to */
  authorization?: string;
}

/** Parses the request's single statement (a query or PRINT); statement errors become 400s. */
export function parseQueryRequest(state: ServerState, req: QueryRequest): ParsedStatement {
  const variables: Record<string, string> = { ...state.engine.variables };
  for (const [k, v] of Object.entries(req.sessionVariables ?? {})) variables[k] = String(v);
  let parsed: ParsedStatement[];
  try {
    parsed = parseStatements(req.sql, { variables });
  } catch (err) {
    if (err instanceof ParseError || err instanceof KsqlError) throw badStatement(err.message, req.sql);
    throw err;
  }
  if (parsed.length !== 1) throw badStatement(`Expected exactly one KSQL statement; found ${parsed.length} instead`, req.sql);
  return parsed[0]!;
}

function asStatementError(err: unknown, text: string): unknown {
  if (err instanceof KsqlError || err instanceof ParseError) return badStatement(err.message, text);
  return err;
}

export async function prepareQuery(state: ServerState, req: QueryRequest, parsed?: ParsedStatement): Promise<PreparedQuery> {
  if (!req.sql || !req.sql.trim()) throw badRequest('"ksql" field must be populated');
  const ps = parsed ?? parseQueryRequest(state, req);
  const s = ps.statement;
  if (s.type === 'Print') throw new RestError(statementError(ErrorCodes.BAD_STATEMENT, 'PRINT is streamed by the query routes, not prepared as a query.', ps.text));
  if (s.type !== 'Query') throw badStatement('Neither a query nor a print statement: ' + ps.text, ps.text);
  const q: Query = s.query;
  const { engine, driver } = state;
  try {
    // a source table is materialised by reading its topic (asynchronously with a real broker)
    const from0 = engine.metastore.getSource(q.from.name);
    const sourceRows = q.emit === undefined && from0 && isScannedSourceTable(from0) && q.joins.length === 0 ? await scanSourceTable(engine, from0) : undefined;
    // a table whose tasks are spread over several servers is answered by their owners
    const routed = q.emit === undefined && q.joins.length === 0 && from0?.sourceType === 'TABLE' ? await routedTablePull(state, q, req, ps.text) : undefined;
    return withRequestConfig(engine, req.properties, () => {
      const isPull = q.emit === undefined;
      const from = engine.metastore.getSource(q.from.name);
      if (isPull && from?.sourceType === 'TABLE' && q.joins.length === 0) {
        const result = routed ?? executeTablePull(engine, q, req.properties, sourceRows);
        return {
          kind: 'table-pull' as const,
          queryId: result.queryId,
          columns: result.columns,
          run(sink: QuerySink) {
            for (const r of result.rows) sink.row(r, false);
            sink.end();
            return () => undefined;
          },
        };
      }
      if (isPull) validatePullQuery(q, { ...engine.config, ...(req.properties ?? {}) });
      const r = engine.execute(ps);
      if (r.kind !== 'TransientQuery') throw new KsqlError('Not a query');
      const plan = engine.transientPlan(r.planned, ps.text);
      const order = r.planned.selectOrder;
      const fromBeginning = isPull || offsetResetEarliest(req.properties, engine.config);
      const compile = engine.compileContext();
      const limit = q.limit;
      // scalable push queries (ksql.query.push.v2.enabled) tap a persistent query's output from
      // latest; ksqlDB names them differently, and clients may key on it
      const v2 = String(req.properties?.['ksql.query.push.v2.enabled'] ?? engine.config['ksql.query.push.v2.enabled'] ?? 'false') === 'true';
      const scalable = !isPull && v2 && !fromBeginning && from?.writeQueryId !== undefined && q.joins.length === 0 && !q.groupBy && !q.window;
      const queryId = scalable ? `SCALABLE_PUSH_QUERY_${randomUUID()}` : plan.queryId;
      const windowCol = (name: string) => (name === 'WINDOWSTART' ? 'start' : name === 'WINDOWEND' ? 'end' : undefined);
      return {
        kind: isPull ? ('stream-pull' as const) : ('push' as const),
        queryId,
        columns: order.map((c) => ({ name: c.name, type: c.type, key: false })),
        run(sink: QuerySink) {
          let count = 0;
          let ended = false;
          let handle: TransientQueryHandle | undefined;
          let stopRequested = false;
          const finish = (final?: 'Limit Reached' | 'Query Completed', err?: Error) => {
            if (ended) return;
            ended = true;
            sink.end(final, err);
          };
          handle = driver.startTransientQuery(plan, compile, { fromBeginning, ...(limit !== undefined ? { limit } : {}), ...(isPull ? { untilEnd: true } : {}) }, {
            onRow(row) {
              if (ended) return;
              count++;
              const tombstone = row.values === null;
              // a delete keeps its key and, on windowed tables, its window bounds
              const cell = (c: (typeof order)[number]) => {
                if (c.key) return row.key[c.index];
                if (row.values !== null) return row.values[c.index];
                const w = windowCol(c.name);
                return w && row.window ? row.window[w] : null;
              };
              sink.row(order.map((c) => cell(c) ?? null), tombstone);
            },
            onEnd(err) {
              if (err) return finish(undefined, err);
              if (stopRequested) return finish();
              if (limit !== undefined && count >= limit) return finish('Limit Reached');
              if (isPull) return finish('Query Completed');
              finish();
            },
          });
          return () => {
            stopRequested = true;
            handle?.close();
            finish();
          };
        },
      };
    });
  } catch (err) {
    throw asStatementError(err, ps.text);
  }
}
