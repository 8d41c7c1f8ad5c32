/**
 * Table pull queries across the servers sharing a service id, as ksqlDB's HARouting does: the
 * table's query runs as tasks (partition numbers) spread over the servers, each holding its
 * tasks' rows. A key lookup goes to the server running the key's task; a scan asks every task's
 * server. Local tasks are read here; a remote task's rows come from its server's /query with
 * `request.ksql.internal.request` (so it answers from its own state and never forwards again)
 * and `request.ksql.query.pull.partition` naming the task. Pieces are concatenated in the order
 * asked (lookup order, else task order) and cut at LIMIT. Remote rows stay JSON text (RawJson).
 *
 * With every task needed held here (one server, or a lookup of a local key) the query is
 * answered locally exactly as before.
 */
import { parse, stringify } from 'lossless-json';
import { KsqlError } from '../common/errors.js';
import type { SqlType } from '../common/types.js';
import { executeTablePull, type PullResult } from '../engine/pull-query.js';
import { lookupKeys } from '../engine/pull-keys.js';
import { routingOf, type RoutingDriver, type TaskLocations } from '../engine/routing.js';
import type { Query } from '../parser/ast.js';
import { withRequestConfig, type ServerState } from './context.js';
import { RawJson } from './json-values.js';
import type { QueryRequest } from './query-exec.js';

export const INTERNAL_REQUEST = 'request.ksql.internal.request';
export const PULL_PARTITIONS = 'request.ksql.query.pull.partition';
export const SKIP_FORWARDING = 'request.ksql.query.pull.skip.forwarding';
const FORWARDING_TIMEOUT = 'ksql.query.pull.forwarding.timeout.ms';
const DEFAULT_TIMEOUT_MS = 20000;

const truthy = (v: unknown) => v === true || String(v).toLowerCase() === 'true';

/** `"0,2"`, `[0, 2]` or `3` → task numbers; undefined when absent or empty. */
export function parsePartitions(v: unknown): number[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const parts = Array.isArray(v) ? v : String(v).split(',');
  const out = parts.map((p) => String(p).trim()).filter((p) => p !== '').map(Number);
  if (out.some((n) => !Number.isInteger(n) || n < 0)) throw new KsqlError(`Invalid value for ${PULL_PARTITIONS}: '${String(v)}'`);
  return out.length > 0 ? out : undefined;
}

/**
 * The answer to a table pull over every server's tasks, or undefined when routing does not
 * apply (no routing driver, not a CTAS table, or every task needed is local): then the caller
 * answers locally as before.
 */
export async function routedTablePull(state: ServerState, q: Query, req: QueryRequest, text: string): Promise<PullResult | undefined> {
  const routing = routingOf(state.driver);
  const table = state.engine.metastore.getSource(q.from.name);
  if (!routing || !table || table.sourceType !== 'TABLE' || !table.writeQueryId) return undefined;
  const queryId = table.writeQueryId;
  const first = routing.taskLocations(queryId);
  if (!first) return undefined;
  const rp = req.requestProperties ?? {};
  const local = (tasks: number[]) =>
    withRequestConfig(state.engine, req.properties, () => executeTablePull(state.engine, q, req.properties, routing.materializedRowsOfTasks(queryId, tasks) ?? []));

  // asked by another server (or told not to forward): only this server's tasks
  if (truthy(rp[INTERNAL_REQUEST]) || truthy(rp[SKIP_FORWARDING])) {
    const asked = parsePartitions(rp[PULL_PARTITIONS]);
    const tasks = asked ?? [...first.local].sort((a, b) => a - b);
    const missing = tasks.filter((t) => !first.local.has(t));
    if (missing.length > 0) throw new KsqlError(`Partition${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of query ${queryId} ${missing.length > 1 ? 'are' : 'is'} not active on this host (${routing.advertisedListener() ?? state.hostKey})`);
    return local(tasks);
  }

  const needed = neededTasks(first, q, table.schema.key);
  if (needed.every((t) => first.local.has(t))) return undefined;

  // validates the query and gives the columns before anything is asked of another server
  const empty = withRequestConfig(state.engine, req.properties, () => executeTablePull(state.engine, q, req.properties, []));
  const timeoutMs = Number(req.properties?.[FORWARDING_TIMEOUT] ?? state.engine.config[FORWARDING_TIMEOUT] ?? DEFAULT_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS;
  const exhausted = (cause?: unknown) => Object.assign(new KsqlError(`Unable to execute pull query: ${text}. Exhausted standby hosts to try.`), cause ? { cause } : {});
  const pieces = await Promise.all(
    needed.map(async (t) => {
      // Within one deadline: a task between owners (a rebalance) is waited for; a server that
      // says it no longer runs the task is asked again once the assignment moved on; a server
      // that cannot be reached is given up on unless the re-read assignment names another.
      const deadline = Date.now() + timeoutMs;
      let unreachable: string | undefined;
      let lastError: unknown;
      for (;;) {
        const where = await locate(routing, queryId, t, deadline);
        if (where === undefined || where === unreachable) throw exhausted(lastError);
        if (where === 'local') return local([t]).rows;
        try {
          return await forward(where, req, t, Math.max(1, deadline - Date.now()));
        } catch (err) {
          state.log.warn({ err, queryId, task: t, host: where }, 'pull query forwarding failed');
          lastError = err;
          if (err instanceof RemoteStatementError) {
            if (!err.notActive) throw new KsqlError(err.message);
            if (Date.now() >= deadline) throw exhausted(err);
            void routing.refreshTaskLocations(queryId);
            await new Promise((r) => setTimeout(r, 100));
          } else {
            unreachable = where;
            await routing.refreshTaskLocations(queryId);
          }
        }
      }
    }),
  );
  const limit = q.limit;
  const rows = pieces.flat();
  return { queryId: empty.queryId, columns: empty.columns, rows: limit !== undefined ? rows.slice(0, limit) : rows };
}

/** The tasks a query must read, in answer order: the lookup keys' tasks, else every task. */
function neededTasks(locs: TaskLocations, q: Query, key: { name: string; type: SqlType }[]): number[] {
  const all = Array.from({ length: locs.tasks }, (_x, i) => i);
  const keys = lookupKeys(q.where, key);
  if (!keys) return all;
  const tasks = keys.map((k) => locs.taskOfKey([k]));
  if (tasks.some((t) => t === undefined)) return all;
  return [...new Set(tasks as number[])];
}

/** 'local', the endpoint of the server running task `t`, or undefined when none is found in time. */
async function locate(routing: RoutingDriver, queryId: string, t: number, deadline: number): Promise<string | undefined> {
  let refreshed = false;
  for (;;) {
    const locs = routing.taskLocations(queryId);
    if (!locs) throw new KsqlError(`Query ${queryId} no longer runs on this server`);
    if (locs.local.has(t)) return 'local';
    const owner = locs.ownerOf(t);
    if (owner !== undefined && owner !== routing.advertisedListener()) return owner;
    if (Date.now() >= deadline) return undefined;
    if (!refreshed) {
      refreshed = true;
      void routing.refreshTaskLocations(queryId);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

class RemoteStatementError extends Error {
  constructor(
    message: string,
    readonly notActive: boolean,
  ) {
    super(message);
  }
}

/** Task `t`'s rows from the server at `endpoint`, each cell kept as its JSON text. */
async function forward(endpoint: string, req: QueryRequest, t: number, timeoutMs: number): Promise<unknown[][]> {
  const body = {
    ksql: req.sql,
    streamsProperties: req.properties ?? {},
    ...(req.sessionVariables ? { sessionVariables: req.sessionVariables } : {}),
    requestProperties: { ...(req.requestProperties ?? {}), [INTERNAL_REQUEST]: true, [PULL_PARTITIONS]: String(t) },
  };
  const res = await fetch(new URL('/query', endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/vnd.ksql.v1+json', ...(req.authorization ? { authorization: req.authorization } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const textBody = await res.text();
  if (res.status !== 200) {
    let message = `HTTP ${res.status} from ${endpoint}`;
    try {
      const m = (JSON.parse(textBody) as { message?: unknown }).message;
      if (typeof m === 'string') message = m;
    } catch {
      // not JSON: keep the status line
    }
    // a client error is the query's own fault (the same on every server); anything else, or a
    // task that moved away, is worth another look at the assignment
    if (res.status >= 400 && res.status < 500) throw new RemoteStatementError(message, / not active on this host /.test(message));
    throw new Error(message);
  }
  const elements = parse(textBody) as unknown[];
  if (!Array.isArray(elements)) throw new Error(`Unexpected answer from ${endpoint}`);
  const rows: unknown[][] = [];
  for (const el of elements) {
    const e = el as { row?: { columns?: unknown[] }; errorMessage?: { message?: unknown } };
    if (e.errorMessage) throw new Error(`${endpoint}: ${String(e.errorMessage.message ?? 'error')}`);
    if (e.row && Array.isArray(e.row.columns)) rows.push(e.row.columns.map((c) => (c === null ? null : new RawJson(stringify(c) ?? 'null'))));
  }
  return rows;
}
