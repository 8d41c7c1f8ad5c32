/**
 * GET /ws/query: ksqlDB's legacy WebSocket query endpoint (@fastify/websocket, on the ws
 * library). The request is the URL-encoded KsqlRequest JSON in `?request=`. A query answers with
 * a schema frame (`[{name, schema, type?: "KEY"}]`) and one `{"row":{"columns":[…]}}` frame per
 * row, then closes 1000 "done" when it completes (LIMIT reached, pull done); PRINT sends each
 * record line as a frame. A bad request closes 1003 with the message as the reason, a failure
 * while running 1011.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { ServerState } from '../context.js';
import { badRequest, RestError } from '../errors.js';
import { rowJson } from '../json-values.js';
import { startPrint } from '../print-topic.js';
import { parseQueryRequest, prepareQuery, type QueryRequest } from '../query-exec.js';
import { optionalObject, parseJsonObject } from '../request-body.js';
import { schemaInfo } from '../schema-json.js';

/** A close reason is at most 123 bytes of UTF-8. */
function reason(message: string): string {
  const b = Buffer.from(message, 'utf8');
  return b.length <= 123 ? message : b.subarray(0, 120).toString('utf8').replace(/\uFFFD$/, '') + '...';
}

function parseRequest(raw: unknown): QueryRequest {
  if (typeof raw !== 'string' || raw === '') throw badRequest('"request" query parameter must be populated');
  const body = parseJsonObject(raw);
  if (typeof body.ksql !== 'string' || !body.ksql.trim()) throw badRequest('"ksql" field must be populated');
  const props = { ...(optionalObject(body.streamsProperties, 'streamsProperties') ?? {}), ...(optionalObject(body.properties, 'properties') ?? {}) };
  const sv = optionalObject(body.sessionVariables, 'sessionVariables');
  const rp = optionalObject(body.requestProperties, 'requestProperties');
  return { sql: body.ksql, properties: props, ...(sv ? { sessionVariables: sv } : {}), ...(rp ? { requestProperties: rp } : {}) };
}

async function serve(state: ServerState, socket: WebSocket, rawRequest: unknown, authorization: string | undefined): Promise<void> {
  let stop: (() => void) | undefined;
  let closed = false;
  // registered while it runs, so server shutdown and /metrics see it
  let id: string | undefined;
  const forget = () => {
    if (id !== undefined) state.transients.delete(id);
  };
  socket.on('close', () => {
    closed = true;
    stop?.();
    forget();
  });
  const close = (code: number, message: string) => {
    forget();
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason(message));
  };
  const send = (text: string) => {
    if (socket.readyState === socket.OPEN) socket.send(text);
  };
  try {
    // the credentials go along when a pull query is forwarded to another server
    const qr: QueryRequest = { ...parseRequest(rawRequest), ...(authorization ? { authorization } : {}) };
    const ps = parseQueryRequest(state, qr);
    if (ps.statement.type === 'Print') {
      id = `print_${randomUUID()}`;
      let ended = false;
      stop = startPrint(state, ps.statement, false, {
        line: send,
        end: (err) => {
          ended = true;
          if (err) close(1011, err.message);
          else close(1000, 'done');
        },
      });
      if (closed) stop();
      else if (!ended) state.transients.set(id, { queryId: id, close: stop });
      return;
    }
    const prepared = await prepareQuery(state, qr, ps);
    if (closed) return;
    const types = prepared.columns.map((c) => c.type);
    send(JSON.stringify(prepared.columns.map((c) => ({ name: c.name, schema: schemaInfo(c.type), ...(c.key ? { type: 'KEY' } : {}) }))));
    id = prepared.queryId;
    let ended = false;
    stop = prepared.run({
      row: (values, tombstone) => send(`{"row":{"columns":${rowJson(values, types)}${tombstone ? ',"tombstone":true' : ''}}}`),
      end: (_final, err) => {
        ended = true;
        if (err) close(1011, err.message);
        else close(1000, 'done');
      },
    });
    if (closed) stop();
    else if (!ended) state.transients.set(id, { queryId: id, close: stop });
  } catch (err) {
    if (err instanceof RestError) return close(1003, err.body.message);
    state.log.error({ err }, 'WebSocket query failed');
    close(1011, (err as Error).message);
  }
}

export async function websocketRoutes(app: FastifyInstance, opts: { state: ServerState }): Promise<void> {
  const { state } = opts;
  app.get('/ws/query', { websocket: true }, (socket, req) => {
    void serve(state, socket, (req.query as Record<string, unknown>).request, req.headers.authorization);
  });
}
