/**
 * Runs ksqlDB's REST query-validation cases (RQTT: cases with `responses`) against a real
 * Sluice REST server on an ephemeral port, as ksqlDB's RestTestExecutor does: the statements
 * before the first SELECT go to /ksql in one request, then the inputs are produced, then each
 * SELECT goes to /query; the responses (admin entities and query rows) are matched field by
 * field against the expectations (only the keys the case names; `key|startsWith` matches a
 * prefix), records on output topics are compared, and an `expectedError` must be the answer.
 */
import { basename } from 'node:path';
import pino from 'pino';
import { Engine } from '../engine/engine.js';
import type { DataSource } from '../planner/metastore.js';
import { TestDriver } from '../runtime/drivers/test-driver.js';
import { startServer, type RunningServer } from '../server/index.js';
import { collectFiles, compareRecord, deepEqual, describe, encode, expandCases, show, type CaseResult, type QttCase, type QttRecord, type RunSummary } from './qtt-runner.js';

export interface RqttCase extends QttCase {
  responses?: Record<string, unknown>[];
  expectedError?: { type?: string; message?: string; status?: number };
  inputConditions?: { waitForActivePushQuery?: boolean; waitForQueryHeader?: boolean };
}

/** Whether a file holds REST cases (some case has `responses`). */
export function isRestFile(file: string): boolean {
  try {
    return expandCases(file).some((c) => (c as RqttCase).responses !== undefined);
  } catch {
    return false;
  }
}

class CaseFailure extends Error {}

const DEFAULT_PARTITIONS = 4;

interface HttpAnswer {
  status: number;
  body: string;
}

const silent = pino({ level: 'silent' });

async function post(url: string, body: unknown, timeoutMs: number, onChunk?: (text: string) => void): Promise<HttpAnswer> {
  const ac = new AbortController();
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'application/vnd.ksql.v1+json' }, signal: ac.signal });
  let text = '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let timer: NodeJS.Timeout | undefined;
  // a push query without LIMIT never ends: stop reading once nothing has come for a while
  const idle = () => {
    clearTimeout(timer);
    timer = setTimeout(() => ac.abort(), timeoutMs);
  };
  idle();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = decoder.decode(value, { stream: true });
      text += chunk;
      onChunk?.(chunk);
      idle();
    }
  } catch (err) {
    if (!ac.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
  }
  return { status: res.status, body: text };
}

/** The elements of a StreamedRow body, complete or cut off ("[a,\nb,\nc]" or "[a,\nb"). */
function streamedElements(body: string): unknown[] {
  const t = body.trim();
  if (!t) return [];
  try {
    return JSON.parse(t) as unknown[];
  } catch {
    const inner = t.replace(/^\[/, '').replace(/\]$/, '');
    return inner
      .split(',\n')
      .filter((x) => x.trim())
      .map((x) => JSON.parse(x));
  }
}

function checkError(c: RqttCase, ans: HttpAnswer, where: string): void {
  const ee = c.expectedError;
  let body: { message?: string; '@type'?: string } = {};
  try {
    body = JSON.parse(ans.body);
  } catch {
    /* not JSON */
  }
  if (!ee) throw new CaseFailure(`${where} failed (${ans.status}): ${(body.message ?? ans.body).slice(0, 300)}`);
  if (ee.status !== undefined && ee.status !== ans.status) throw new CaseFailure(`expected error status ${ee.status}, got ${ans.status}: ${(body.message ?? '').slice(0, 200)}`);
  if (ee.message && !(body.message ?? '').includes(ee.message)) throw new CaseFailure(`wrong error: expected message containing "${ee.message.slice(0, 200)}", got "${(body.message ?? ans.body).slice(0, 300)}"`);
  if (ee.type?.endsWith('KsqlStatementErrorMessage') && body['@type'] !== 'statement_error') throw new CaseFailure(`expected a statement_error, got ${body['@type']}`);
}

/** ksqlDB's matchResponseFields: every expected key must be present and match; others are ignored. */
function matchFields(actual: unknown, expected: unknown, path: string, statement: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) throw new CaseFailure(`${path}: expected an object, got ${show(actual)}`);
    for (const [rawKey, ev] of Object.entries(expected as Record<string, unknown>)) {
      const [key, op] = rawKey.split('|') as [string, string | undefined];
      const a = actual as Record<string, unknown>;
      if (!(key in a)) throw new CaseFailure(`${path}: missing ${key} in ${show(actual)}`);
      const want = typeof ev === 'string' ? ev.replace(/\{STATEMENT\}/g, statement) : ev;
      if (op?.toUpperCase() === 'STARTSWITH' || op?.toUpperCase() === 'STARTS_WITH') {
        if (typeof a[key] !== 'string' || !(a[key] as string).startsWith(String(want))) throw new CaseFailure(`${path}->${key}: expected to start with ${show(want)}, got ${show(a[key])}`);
      } else matchFields(a[key], want, `${path}->${key}`, statement);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length || !deepEqual(expected, actual)) throw new CaseFailure(`${path}: expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (!deepEqual(expected, actual)) throw new CaseFailure(`${path}: expected ${show(expected)}, got ${show(actual)}`);
}

async function executeRestCase(c: RqttCase): Promise<void> {
  const driver = new TestDriver();
  // ksqlDB's REST test server runs with scalable push queries enabled
  const engine = new Engine(driver, { config: { 'ksql.query.push.v2.enabled': true, ...(c.config ?? {}) } });
  // like ksqlDB's REST test executor, topics exist before the statements run, with the
  // partitions a statement or the case names, else its default of 4 (pull-query scans return
  // rows partition by partition, so the count shows in the expected order)
  for (const t of c.topics ?? []) driver.createTopic(t.name, t.partitions ?? DEFAULT_PARTITIONS, t.replicas ?? 1);
  for (const sql of c.statements) {
    if (/\bAS\s+SELECT\b/i.test(sql) || !/^\s*CREATE\b/i.test(sql)) continue;
    const m = /KAFKA_TOPIC\s*=\s*'([^']*)'/i.exec(sql);
    if (m && !driver.describeTopic(m[1]!)) {
      const p = /PARTITIONS\s*=\s*(\d+)/i.exec(sql);
      driver.createTopic(m[1]!, p ? Number(p[1]) : DEFAULT_PARTITIONS, 1);
    }
  }
  for (const i of c.inputs ?? []) if (!driver.describeTopic(i.topic)) driver.createTopic(i.topic, DEFAULT_PARTITIONS, 1);
  const server: RunningServer = await startServer({ engine, driver, listeners: 'http://127.0.0.1:0', logger: silent });
  try {
    const props: Record<string, unknown> = { ...(c.properties ?? {}) };
    const first = c.statements.findIndex((s) => s.startsWith('SELECT '));
    const admin = first < 0 ? c.statements : c.statements.slice(0, first);
    const queries = first < 0 ? [] : c.statements.slice(first);
    const actual: { kind: 'admin' | 'query'; payload: unknown }[] = [];
    if (admin.length > 0) {
      const ans = await post(`${server.url}/ksql`, { ksql: admin.join('\n'), streamsProperties: props }, 5000);
      if (ans.status !== 200) {
        checkError(c, ans, 'admin statements');
        return;
      }
      for (const e of JSON.parse(ans.body) as unknown[]) actual.push({ kind: 'admin', payload: e });
    }
    const sourcesByTopic = new Map<string, DataSource>();
    for (const s of engine.metastore.sources.values()) if (!sourcesByTopic.has(s.topic)) sourcesByTopic.set(s.topic, s);
    const produce = () => {
      for (const input of c.inputs ?? []) {
        const src = sourcesByTopic.get(input.topic);
        driver.pipe({ topic: input.topic, key: encode(src, 'key', input.key, input.window), value: encode(src, 'value', input.value), timestamp: input.timestamp ?? 0 });
      }
    };
    const afterHeader = c.inputConditions?.waitForActivePushQuery === true || c.inputConditions?.waitForQueryHeader === true;
    if (!afterHeader) produce();
    let produced = !afterHeader;
    for (const q of queries) {
      // push queries read what was produced before them (ksqlDB's test server starts from earliest)
      const qprops = afterHeader ? props : { 'auto.offset.reset': 'earliest', ...props };
      const ans = await post(`${server.url}/query`, { ksql: q, streamsProperties: qprops }, 300, () => {
        if (!produced) {
          produced = true;
          setImmediate(produce);
        }
      });
      if (ans.status !== 200) {
        checkError(c, ans, `query ${q}`);
        return;
      }
      actual.push({ kind: 'query', payload: streamedElements(ans.body) });
    }
    if (c.expectedError) throw new CaseFailure(`expected error "${c.expectedError.message ?? ''}" but every statement succeeded`);
    // output topics
    const byTopic = new Map<string, QttRecord[]>();
    for (const o of c.outputs ?? []) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
    for (const [topic, exp] of byTopic) {
      const got = driver.records(topic);
      const src = sourcesByTopic.get(topic) ?? [...engine.metastore.sources.values()].find((s) => s.topic === topic);
      if (got.length < exp.length) throw new CaseFailure(`topic ${topic}: expected ${exp.length} records, got ${got.length}`);
      for (let i = 0; i < exp.length; i++) {
        const diff = compareRecord(src, exp[i]!, got[i]!);
        if (diff) throw new CaseFailure(`topic ${topic} record #${i + 1}: ${diff} (${describe(src, got[i]!)})`);
      }
    }
    const expected = c.responses ?? [];
    if (actual.length < expected.length) throw new CaseFailure(`expected ${expected.length} responses, got ${actual.length}`);
    expected.forEach((exp, idx) => {
      const [type, payload] = Object.entries(exp)[0] ?? [];
      const a = actual[idx]!;
      const statement = c.statements[idx] ?? '';
      if (type !== a.kind) throw new CaseFailure(`responses[${idx}]: expected ${type}, got ${a.kind}`);
      if (type === 'admin') return matchFields(a.payload, payload, `responses[${idx}]->admin`, statement);
      const rows = a.payload as unknown[];
      const want = payload as unknown[];
      if (rows.length !== want.length) throw new CaseFailure(`responses[${idx}]: expected ${want.length} elements, got ${rows.length}: ${show(rows)}`);
      want.forEach((w, i) => matchFields(rows[i], w, `responses[${idx}]->query[${i}]`, statement));
    });
  } finally {
    await server.close();
  }
}

export async function runRestCase(file: string, c: RqttCase): Promise<CaseResult> {
  const base = { file: basename(file), name: c.name };
  if (c.enabled === false) return { ...base, status: 'skipped', reason: 'disabled' };
  if (c.responses?.some((r) => 'queryProto' in r)) return { ...base, status: 'failed', reason: 'protobuf query responses are not supported' };
  try {
    await executeRestCase(c);
    return { ...base, status: 'passed' };
  } catch (err) {
    if (err instanceof CaseFailure) return { ...base, status: 'failed', reason: err.message };
    return { ...base, status: 'failed', reason: `crashed: ${(err as Error).stack?.split('\n').slice(0, 3).join(' | ')}` };
  }
}

export async function runRestPaths(paths: string[], onResult?: (r: CaseResult) => void, filter?: RegExp): Promise<RunSummary> {
  const results: CaseResult[] = [];
  for (const file of collectFiles(paths)) {
    for (const c of expandCases(file) as RqttCase[]) {
      if (filter && !filter.test(c.name)) continue;
      const r = await runRestCase(file, c);
      results.push(r);
      onResult?.(r);
    }
  }
  return {
    results,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
  };
}
