/**
 * POST /ksql: DDL, DML and admin statements (anything but SELECT and PRINT), answered with one
 * entity per statement that produces one; POST /ksql/terminate: stop every query.
 */
import type { FastifyInstance } from 'fastify';
import { KsqlError } from '../../common/errors.js';
import type { Engine } from '../../engine/engine.js';
import { ParseError, parseStatements, splitStatements, type ParsedStatement } from '../../parser/index.js';
import { entityContext, normaliseProperty, withRequestConfig, type ServerState } from '../context.js';
import { commandIdFor, toEntity, type Entity } from '../entities.js';
import { CommandTimeoutError, isCommand } from '../command-runner.js';
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
  for (const [k, v] of Object.entries(sessionVariables ?? {})) variables[k] = String(v);
  try {
    return parseStatements(ksql, { variables });
  } catch (err) {
    if (err instanceof ParseError) throw new RestError(statementError(ErrorCodes.BAD_STATEMENT, err.message, statementAt(ksql, err)));
    if (err instanceof KsqlError) throw new RestError(statementError(ErrorCodes.BAD_STATEMENT, err.message, ksql));
    throw err;
  }
}

/** A statement's failure as ksqlDB's statement_error. */
function statementFailure(state: ServerState, err: unknown, ps: ParsedStatement): RestError {
  if (err instanceof RestError) return err;
  if (err instanceof CommandTimeoutError) return new RestError(genericError(ErrorCodes.COMMAND_QUEUE_TIMEOUT, err.message));
  if (err instanceof KsqlError || err instanceof ParseError) return new RestError(statementError(ErrorCodes.BAD_STATEMENT, err.message, ps.text));
  state.log.error({ err, statement: ps.text }, 'statement failed unexpectedly');
  return new RestError(statementError(ErrorCodes.SERVER_ERROR, `${(err as Error).message}`, ps.text));
}

/** The transient (push) query a TERMINATE names, if any: it is stopped here, not distributed. */
function transientNamed(state: ServerState, s: ParsedStatement['statement']) {
  if (s.type !== 'Terminate' || s.all || s.queryId === undefined) return undefined;
  const id = s.queryId;
  return state.transients.get(id) ?? [...state.transients.values()].find((x) => x.queryId.toUpperCase() === id.toUpperCase());
}

/** What SET / UNSET / DEFINE / UNDEFINE inside a request change for its later statements. */
interface RequestSession {
  props: Record<string, unknown>;
  /** variables defined (a value) or undefined (undefined) so far */
  vars: Map<string, string | undefined>;
}

function applySession(session: RequestSession, s: ParsedStatement['statement']): void {
  if (s.type === 'SetProperty') session.props[normaliseProperty(s.name)] = s.value;
  else if (s.type === 'UnsetProperty') delete session.props[normaliseProperty(s.name)];
  else if (s.type === 'DefineVariable') session.vars.set(s.name, s.value);
  else if (s.type === 'UndefineVariable') session.vars.set(s.name, undefined);
}

/** Runs `ps` on `engine` with the request's session laid over it (and taken off after). */
function executeInSession(engine: Engine, session: RequestSession, ps: ParsedStatement) {
  return withRequestConfig(engine, session.props, () => {
    for (const [k, v] of session.vars) {
      if (v === undefined) delete engine.variables[k];
      else engine.variables[k] = v;
    }
    return engine.execute(ps);
  });
}

/**
 * Runs a batch of statements, returning ksqlDB's entity list. The whole batch is validated
 * first on a sandbox (nothing runs if one statement is wrong, as ksqlDB's request validator
 * does); then, in order, statements that change the metastore go through the command log (and
 * so to every server) and the others run here.
 */
export async function executeBatch(state: ServerState, parsed: ParsedStatement[], props: Record<string, unknown> | undefined): Promise<Entity[]> {
  const { runner, engine } = state;
  // topics created since (by other clients or servers) must be known to validate statements
  await state.engine.driver.refreshTopics?.();
  const sandbox = runner.sandbox();
  const checked: RequestSession = { props: { ...(props ?? {}) }, vars: new Map() };
  for (const ps of parsed) {
    if (transientNamed(state, ps.statement)) continue;
    try {
      executeInSession(sandbox, checked, ps);
    } catch (err) {
      throw statementFailure(state, err, ps);
    }
    applySession(checked, ps.statement);
  }
  const ctx = entityContext(state);
  const local: RequestSession = { props: { ...(props ?? {}) }, vars: new Map() };
  const out: Entity[] = [];
  for (const ps of parsed) {
    const s = ps.statement;
    const t = transientNamed(state, s);
    if (t) {
      t.close();
      out.push({ '@type': 'terminate_query', statementText: ps.text, queryId: t.queryId, wasTerminated: true, warnings: [] });
      continue;
    }
    try {
      let e: Entity | undefined;
      if (isCommand(s)) {
        const { offset, result } = await runner.submit(ps, commandIdFor(s) ?? `cluster/${s.type}/execute`, { ...local.props });
        // ksqlDB's commandSequenceNumber is the command's offset in the log
        e = toEntity({ ...ctx, recordCommand: (id, status) => (state.commands.set(id, status), offset) }, s, ps.text, result);
      } else {
        const r = executeInSession(engine, local, ps);
        e = toEntity(ctx, s, ps.text, r);
      }
      applySession(local, s);
      if (e) out.push(e);
    } catch (err) {
      throw statementFailure(state, err, ps);
    }
  }
  return out;
}

/** A request's commandSequenceNumber: wait until this server applied that command. */
export async function awaitCommandSequence(state: ServerState, seq: unknown): Promise<void> {
  if (seq === undefined || seq === null) return;
  const n = Number(seq);
  if (!Number.isInteger(n)) throw badRequest('"commandSequenceNumber" must be a number');
  try {
    await state.runner.waitFor(n, COMMAND_WAIT_MS);
  } catch (err) {
    if (err instanceof CommandTimeoutError) throw new RestError(genericError(ErrorCodes.COMMAND_QUEUE_TIMEOUT, err.message));
    throw err;
  }
}

/** how long a request waits for its commandSequenceNumber (ksql.server.command.response.timeout.ms) */
const COMMAND_WAIT_MS = 5000;

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
    await awaitCommandSequence(state, body.commandSequenceNumber);
    const entities = await executeBatch(state, parsed, props);
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
    // the sink topics to delete are chosen here, where the request came in, before the
    // command stops every query on every server
    const topics = new Set<string>();
    for (const q of state.engine.metastore.queries.values()) if (q.plan.root.type === 'Sink') topics.add(q.plan.root.topic);
    const { offset } = await state.runner.terminateCluster((deleteTopicList as unknown[] | undefined)?.map(String) ?? []);
    for (const t of topics) if (patterns.some((p) => p.test(t))) state.driver.deleteTopic(t);
    await state.runner.store.destroy().catch((err: Error) => state.log.warn({ err }, 'could not delete the command topic'));
    const commandId = 'cluster/TerminateCluster/terminate';
    state.commands.set(commandId, { status: 'SUCCESS', message: 'Cluster terminated.' });
    const entity = { '@type': 'currentStatus', statementText: 'TERMINATE CLUSTER;', commandId, commandStatus: { status: 'SUCCESS', message: 'Cluster terminated.' }, commandSequenceNumber: offset, warnings: [] };
    return reply.code(200).header('content-type', 'application/json').send(JSON.stringify([entity]));
  });
}
