/**
 * POST /ksql: DDL, DML and admin statements (anything but SELECT and PRINT), answered with one
 * entity per statement that produces one; POST /ksql/terminate: stop every query.
 */
import type { FastifyInstance } from 'fastify';
import { KsqlError } from '../../common/errors.js';
import { ParseError, parseStatements, splitStatements, type ParsedStatement } from '../../parser/index.js';
import { entityContext, withRequestConfig, type ServerState } from '../context.js';
import { toEntity, type Entity } from '../entities.js';
import { badRequest, ErrorCodes, genericError, RestError, statementError } from '../errors.js';
import { optionalObject, parseJsonObject } from '../request-body.js';

/** The statement a parse error points into, for statementText. */
function statementAt(script: string, err: ParseError): string {
  try {
    const slices = splitStatements(script);
    return slices.filter((s) => s.loc.line < err.line || (s.loc.line === err.line && s.loc.column <= err.column)).pop()?.text ?? script;
  } catch {
    return script;
  }
}

export function parseRequestStatements(state: ServerState, ksql: string, sessionVariables: Record<string, unknown> | undefined): ParsedStatement[] {
  const variables: Record<string, string> = { ...state.engine.variables };
  for (const [k, v] of Object.entries(sessionVariables ?? {})) variables[k.toUpperCase()] = String(v);
  try {
    return parseStatements(ksql, { variables });
  } catch (err) {
    if (err instanceof ParseError) throw new RestError(statementError(ErrorCodes.BAD_STATEMENT, err.message, statementAt(ksql, err)));
    if (err instanceof KsqlError) throw new RestError(statementError(ErrorCodes.BAD_STATEMENT, err.message, ksql));
    throw err;
  }
}

/** Runs a batch of statements, returning ksqlDB's entity list (shared with headless start-up). */
export function executeBatch(state: ServerState, parsed: ParsedStatement[], props: Record<string, unknown> | undefined): Entity[] {
  const ctx = entityContext(state);
  return withRequestConfig(state.engine, props, () => {
    const out: Entity[] = [];
    for (const ps of parsed) {
      const s = ps.statement;
      // TERMINATE of a transient (push) query id stops that query
      if (s.type === 'Terminate' && !s.all && s.queryId !== undefined) {
        const t = state.transients.get(s.queryId) ?? [...state.transients.values()].find((x) => x.queryId.toUpperCase() === s.queryId!.toUpperCase());
        if (t) {
          t.close();
          out.push({ '@type': 'terminate_query', statementText: ps.text, queryId: t.queryId, wasTerminated: true, warnings: [] });
          continue;
        }
      }
      try {
        const r = state.engine.execute(ps);
        const e = toEntity(ctx, s, ps.text, r);
        if (e) out.push(e);
      } catch (err) {
        if (err instanceof KsqlError || err instanceof ParseError) throw new RestError(statementError(ErrorCodes.BAD_STATEMENT, err.message, ps.text));
        state.log.error({ err, statement: ps.text }, 'statement failed unexpectedly');
        throw new RestError(statementError(ErrorCodes.SERVER_ERROR, `${(err as Error).message}`, ps.text));
      }
    }
    return out;
  });
}

export async function ksqlRoutes(app: FastifyInstance, opts: { state: ServerState }): Promise<void> {
  const { state } = opts;

  app.post('/ksql', async (req, reply) => {
    const body = parseJsonObject(req.body);
    const ksql = body.ksql;
    if (typeof ksql !== 'string' || !ksql.trim()) throw badRequest('"ksql" field must be populated');
    if (state.headless) {
      throw new RestError(genericError(ErrorCodes.FORBIDDEN, 'This server runs in headless mode (--queries-file): statements cannot be issued over the REST API.'));
    }
    const props = { ...(optionalObject(body.streamsProperties, 'streamsProperties') ?? {}), ...(optionalObject(body.properties, 'properties') ?? {}) };
    const parsed = parseRequestStatements(state, ksql, optionalObject(body.sessionVariables, 'sessionVariables'));
    const bad = parsed.find((p) => p.statement.type === 'Query' || p.statement.type === 'Print');
    if (bad) {
      throw new RestError(
        statementError(ErrorCodes.QUERY_ENDPOINT, "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT", bad.text),
      );
    }
    const entities = executeBatch(state, parsed, props);
    return reply.code(200).header('content-type', 'application/json').send(JSON.stringify(entities));
  });

  app.post('/ksql/terminate', async (req, reply) => {
    const body = req.body === undefined || req.body === '' ? {} : parseJsonObject(req.body);
    const deleteTopicList = body.deleteTopicList;
    if (deleteTopicList !== undefined && !Array.isArray(deleteTopicList)) throw badRequest('Invalid JSON in request: "deleteTopicList" must be a list');
    const patterns: RegExp[] = [];
    for (const p of (deleteTopicList as unknown[] | undefined) ?? []) {
      try {
        patterns.push(new RegExp(`^(?:${String(p)})$`));
      } catch {
        throw badRequest(`Invalid pattern: ${String(p)}`);
      }
    }
    if (state.headless) throw new RestError(genericError(ErrorCodes.FORBIDDEN, 'This server runs in headless mode (--queries-file): the cluster cannot be terminated over the REST API.'));
    state.status = 'TERMINATING';
    for (const t of [...state.transients.values()]) t.close();
    const topics = new Set<string>();
    for (const q of [...state.engine.metastore.queries.values()]) {
      const root = q.plan.root;
      if (root.type === 'Sink') topics.add(root.topic);
      state.driver.stopQuery(q.id);
      state.engine.metastore.queries.delete(q.id);
    }
    for (const t of topics) if (patterns.some((p) => p.test(t))) state.driver.deleteTopic(t);
    const commandId = 'cluster/TerminateCluster/terminate';
    const seq = entityContext(state).recordCommand(commandId, { status: 'SUCCESS', message: 'Cluster terminated.' });
    state.status = 'TERMINATED';
    const entity = { '@type': 'currentStatus', statementText: 'TERMINATE CLUSTER;', commandId, commandStatus: { status: 'SUCCESS', message: 'Cluster terminated.' }, commandSequenceNumber: seq, warnings: [] };
    return reply.code(200).header('content-type', 'application/json').send(JSON.stringify([entity]));
  });
}
