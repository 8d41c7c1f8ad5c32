/**
 * The query endpoints: POST /query (legacy StreamedRow framing, used by the ksql CLI and
 * ksql-python), POST /query-stream (delimited by default, JSON array or StreamedRow framing by
 * Accept) and POST /close-query. A streaming response is written straight to the socket, one
 * element per write; when the client goes away the query is closed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerState } from '../context.js';
import { badRequest, genericError, ErrorCodes, RestError } from '../errors.js';
import { CONTENT_TYPES, frameWriter, negotiate, type Framing } from '../framing.js';
import { parseQueryRequest, prepareQuery, type QueryRequest } from '../query-exec.js';
import { streamPrint } from '../print-topic.js';
import { optionalObject, parseJsonObject } from '../request-body.js';

async function streamQuery(state: ServerState, req: FastifyRequest, reply: FastifyReply, qr: QueryRequest, framing: Framing, endpoint: '/query' | '/query-stream'): Promise<void> {
  const ps = parseQueryRequest(state, qr);
  if (ps.statement.type === 'Print') {
    if (endpoint === '/query') {
      // ksqlDB never migrates PRINT to the new engine, and its old endpoint is HTTP/1.1 only
      if (req.raw.httpVersionMajor === 2) throw new RestError(genericError(40500, 'The /query endpoint is not available using HTTP2'));
      return streamPrint(state, reply, ps.statement, { contentType: CONTENT_TYPES.legacy, formatLines: true, idleLines: true });
    }
    // /query-stream prints in the delimited framing only
    if (framing !== 'delimited') return void reply.code(406).send('');
    return streamPrint(state, reply, ps.statement, { contentType: CONTENT_TYPES.delimited, formatLines: false, idleLines: false });
  }
  const prepared = await prepareQuery(state, qr, ps);
  const writer = frameWriter(framing, prepared);
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, { 'content-type': CONTENT_TYPES[framing], ...(raw.req?.httpVersionMajor === 2 ? {} : { 'transfer-encoding': 'chunked' }) });
  let done = false;
  let stop: (() => void) | undefined;
  // one element per write, each after the previous one went out: HTTP/2 then sends each in its
  // own DATA frame (the npm client parses every frame as one message)
  const queue: string[] = [];
  let writing = false;
  let endAfterDrain = false;
  const pump = () => {
    if (writing) return;
    const next = queue.shift();
    if (next === undefined) {
      if (endAfterDrain && !raw.writableEnded) raw.end();
      return;
    }
    writing = true;
    raw.write(next, () => {
      writing = false;
      setImmediate(pump);
    });
  };
  const write = (chunk: string | undefined) => {
    if (chunk && !raw.destroyed) {
      queue.push(chunk);
      pump();
    }
  };
  const finishResponse = () => {
    endAfterDrain = true;
    pump();
  };
  write(writer.header());
  const onClose = () => {
    if (!done) {
      state.log.debug({ queryId: prepared.queryId }, 'client went away: closing query');
      done = true;
      stop?.();
    }
    state.transients.delete(prepared.queryId);
  };
  raw.on('close', onClose);
  state.transients.set(prepared.queryId, {
    queryId: prepared.queryId,
    close: () => stop?.(),
  });
  stop = prepared.run({
    row: (values, tombstone) => write(writer.row(values, tombstone)),
    end: (final, err) => {
      if (done) return;
      if (err) state.log.warn({ err, queryId: prepared.queryId }, 'query failed');
      write(writer.end(final, err));
      done = true;
      state.transients.delete(prepared.queryId);
      finishResponse();
    },
  });
  // the query may have ended while starting (a pull, or LIMIT reached from history)
  if (done) state.transients.delete(prepared.queryId);
}

/** ksqlDB's requestProperties and the caller's credentials, which pull-query routing passes on. */
function routingFields(body: Record<string, unknown>, req: FastifyRequest): Pick<QueryRequest, 'requestProperties' | 'authorization'> {
  const rp = optionalObject(body.requestProperties, 'requestProperties');
  const auth = req.headers.authorization;
  return { ...(rp ? { requestProperties: rp } : {}), ...(auth ? { authorization: auth } : {}) };
}

export async function queryRoutes(app: FastifyInstance, opts: { state: ServerState }): Promise<void> {
  const { state } = opts;

  app.post('/query', async (req, reply) => {
    const body = parseJsonObject(req.body);
    const ksql = body.ksql;
    if (typeof ksql !== 'string' || !ksql.trim()) throw badRequest('"ksql" field must be populated');
    const framing = negotiate(req.headers.accept, 'legacy', ['legacy', 'delimited', 'json']);
    if (!framing) return reply.code(406).send('');
    // /query always answers in the StreamedRow framing unless the delimited form was asked for
    const f: Framing = framing === 'delimited' ? 'delimited' : 'legacy';
    const props = { ...(optionalObject(body.streamsProperties, 'streamsProperties') ?? {}), ...(optionalObject(body.properties, 'properties') ?? {}) };
    const sv = optionalObject(body.sessionVariables, 'sessionVariables');
    await streamQuery(state, req, reply, { sql: ksql, properties: props, ...(sv ? { sessionVariables: sv } : {}), ...routingFields(body, req) }, f, '/query');
  });

  app.post('/query-stream', async (req, reply) => {
    const body = parseJsonObject(req.body);
    const sql = body.sql;
    if (typeof sql !== 'string' || !sql.trim()) throw badRequest('Invalid JSON in request: "sql" field must be populated');
    const framing = negotiate(req.headers.accept, 'delimited', ['legacy', 'delimited', 'json']);
    if (!framing) return reply.code(406).send('');
    const props = { ...(optionalObject(body.streamsProperties, 'streamsProperties') ?? {}), ...(optionalObject(body.properties, 'properties') ?? {}) };
    const sv = optionalObject(body.sessionVariables, 'sessionVariables');
    await streamQuery(state, req, reply, { sql, properties: props, ...(sv ? { sessionVariables: sv } : {}), ...routingFields(body, req) }, framing, '/query-stream');
  });

  app.post('/close-query', async (req, reply) => {
    const body = parseJsonObject(req.body);
    const id = body.queryId;
    if (typeof id !== 'string') throw badRequest('Invalid JSON in request: "queryId" field must be populated');
    const t = state.transients.get(id);
    if (!t) throw new RestError(genericError(ErrorCodes.BAD_REQUEST, `No query with id ${id}`));
    t.close();
    state.transients.delete(id);
    return reply.code(200).send('');
  });
}
