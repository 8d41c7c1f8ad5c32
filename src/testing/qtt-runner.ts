/**
 * Runs conformance cases in ksqlDB's query-validation-test format (`sluice test`): each case's
 * statements on a fresh engine with the synchronous test driver, its inputs piped through, and
 * the records on each sink topic compared with the expected outputs. Users run their own SQL
 * tests with it too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { KsqlError } from '../common/errors.js';
import { buildDefaultRegistry } from '../runtime/functions/default-registry.js';
import { registerKsqlTestFunctions } from '../runtime/functions/lib/ksql-test-functions.js';
import type { FunctionRegistry } from '../runtime/functions/types.js';
import { Engine } from '../engine/engine.js';
import { ParseError } from '../parser/index.js';
import type { DataSource } from '../planner/metastore.js';
import { isSafeNumber, LosslessNumber, parse as parseJson } from 'lossless-json';
import { formatSchema } from '../planner/schema.js';
import { TestDriver, type StoredRecord } from '../runtime/drivers/test-driver.js';
import { decodeTestValue, encodeTestValue, windowedKeySerde, type FormatSpec, type RowSerde, type SerdeOptions } from '../runtime/serde/index.js';
import type { SchemaRegistryClient } from '../schema-registry/index.js';
import { registerCaseSchemas } from './qtt-schemas.js';
// numbers that a double cannot hold exactly (e.g. Long.MAX_VALUE) stay exact as LosslessNumber
const parseLossless = (text: string): unknown => parseJson(text, null, (v: string) => (isSafeNumber(v) ? parseFloat(v) : new LosslessNumber(v)));

export interface QttCase {
  name: string;
  statements: string[];
  inputs?: QttRecord[];
  outputs?: QttRecord[];
  expectedException?: { type?: string; message?: string };
  format?: string[];
  properties?: Record<string, unknown>;
  config?: Record<string, unknown>;
  topics?: QttTopic[];
  post?: { sources?: { name: string; type: string; schema?: string; keyFormat?: { format?: string }; valueFormat?: string }[]; topics?: { blacklist?: string } };
  enabled?: boolean;
}

/** A case's topic, optionally with the key/value schemas the test framework registers for it. */
export interface QttTopic {
  name: string;
  partitions?: number;
  replicas?: number;
  keyFormat?: string;
  valueFormat?: string;
  keySchema?: unknown;
  valueSchema?: unknown;
  keySchemaId?: number;
  valueSchemaId?: number;
  keySchemaReferences?: { name: string; format?: string; schema: unknown }[];
  valueSchemaReferences?: { name: string; format?: string; schema: unknown }[];
}

export interface QttRecord {
  topic: string;
  key?: unknown;
  value?: unknown;
  timestamp?: number;
  headers?: { KEY: string; VALUE: string | null }[];
  window?: { start: number; end: number; type?: string };
}

export interface CaseResult {
  file: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  reason?: string;
}

/** Every case of a file, with `format` variants expanded (the case name gets ` - FORMAT`). */
export function expandCases(file: string): QttCase[] {
  const doc = parseLossless(readFileSync(file, 'utf8')) as { tests?: QttCase[] };
  const out: QttCase[] = [];
  for (const c of doc.tests ?? []) {
    if (c.format && c.format.length > 0) {
      for (const f of c.format) {
        out.push({ ...c, name: `${c.name} - ${f}`, statements: c.statements.map((s) => s.replace(/\{FORMAT\}/g, f)) });
      }
    } else out.push(c);
  }
  return out;
}

export function collectFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) {
        const full = join(p, f);
        if (statSync(full).isDirectory() || f.endsWith('.json')) files.push(...collectFiles([full]));
      }
    } else files.push(p);
  }
  return files;
}

let sharedTestRegistry: FunctionRegistry | undefined;
function testRegistry(): FunctionRegistry {
  if (!sharedTestRegistry) {
    const reg = buildDefaultRegistry();
    registerKsqlTestFunctions(reg);
    sharedTestRegistry = reg;
  }
  return sharedTestRegistry;
}

export function runCase(file: string, c: QttCase): CaseResult {
  const base = { file: basename(file), name: c.name };
  if (c.enabled === false) return { ...base, status: 'skipped', reason: 'disabled' };
  try {
    const reason = executeCase(c);
    return reason === undefined ? { ...base, status: 'passed' } : { ...base, status: 'failed', reason };
  } catch (err) {
    return { ...base, status: 'failed', reason: `crashed: ${(err as Error).stack?.split('\n').slice(0, 3).join(' | ')}` };
  }
}

function executeCase(c: QttCase): string | undefined {
  const driver = new TestDriver();
  const config: Record<string, unknown> = { ...(c.properties ?? {}), ...(c.config ?? {}) };
  // ksqlDB's conformance cases use the functions its test jar registers (TEST_UDF, BAD_UDF, ...)
  const engine = new Engine(driver, { config, registry: testRegistry() });
  // input topics exist up front, unless a statement creates them with its own partition count
  const declared = declaredTopics(c.statements);
  for (const t of c.topics ?? []) if (t.partitions !== undefined || !declared.has(t.name)) driver.createTopic(t.name, t.partitions ?? 1, t.replicas ?? 1);
  registerCaseSchemas(c, engine.schemaRegistry, engine.config);
  const registry = engine.schemaRegistry;
  for (const i of c.inputs ?? []) if (!driver.describeTopic(i.topic) && !declared.has(i.topic)) driver.createTopic(i.topic, 1, 1);
  // like ksqlDB's test framework, topics that source statements read exist beforehand
  for (const t of sourceTopics(c.statements)) if (!driver.describeTopic(t)) driver.createTopic(t, 1, 1);
  // sink topics that the expectations name but no statement creates exist too (they stay empty)
  const expectError = c.expectedException;
  try {
    // one script, as ksqlDB's test framework parses it: errors name lines within the whole case
    engine.executeScript(c.statements.map((st) => (/;\s*$/.test(st) ? st : `${st};`)).join('\n'));
  } catch (err) {
    if (!(err instanceof KsqlError) && !(err instanceof ParseError)) throw err;
    if (!expectError) return `statement failed: ${(err as Error).message.split('\n')[0]}`;
    const want = expectError.message;
    if (want && !(err as Error).message.includes(want)) return `wrong error: expected message containing "${want.slice(0, 200)}", got "${(err as Error).message.slice(0, 300)}"`;
    return undefined;
  }
  const sourcesByTopic = new Map<string, DataSource>();
  for (const s of engine.metastore.sources.values()) if (!sourcesByTopic.has(s.topic)) sourcesByTopic.set(s.topic, s);
  for (const input of c.inputs ?? []) {
    const src = sourcesByTopic.get(input.topic);
    const key = encode(src, 'key', input.key, input.window, registry);
    const value = encode(src, 'value', input.value, undefined, registry);
    driver.pipe({
      topic: input.topic,
      key,
      value,
      timestamp: input.timestamp ?? 0,
      headers: (input.headers ?? []).map((h) => ({ key: h.KEY, value: h.VALUE === null ? null : Buffer.from(h.VALUE, 'base64') })),
    });
  }
  if (expectError) {
    return `expected exception ${expectError.type ?? ''}: ${expectError.message ?? ''} but all statements succeeded`;
  }
  const expected = c.outputs ?? [];
  const byTopic = new Map<string, QttRecord[]>();
  for (const o of expected) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
  for (const [topic, exp] of byTopic) {
    const actual = driver.records(topic).filter((r) => r.producedBy !== undefined);
    const src = sourcesByTopic.get(topic) ?? [...engine.metastore.sources.values()].find((s) => s.topic === topic);
    for (let i = 0; i < Math.max(exp.length, actual.length); i++) {
      const e = exp[i];
      const a = actual[i];
      if (!e) return `topic ${topic}: unexpected extra record #${i + 1}: ${describe(src, a!, registry)}`;
      if (!a) return `topic ${topic}: expected ${exp.length} records, got ${actual.length}; missing #${i + 1}: ${show(e)}`;
      const diff = compareRecord(src, e, a, registry);
      if (diff) return `topic ${topic} record #${i + 1}: ${diff}`;
    }
  }
  for (const ps of c.post?.sources ?? []) {
    const s = engine.metastore.getSource(ps.name);
    if (!s) return `post: source ${ps.name} does not exist`;
    if (ps.type && s.sourceType !== ps.type.toUpperCase()) return `post: ${ps.name} is a ${s.sourceType}, expected ${ps.type}`;
    if (ps.schema !== undefined) {
      const want = normaliseSchema(ps.schema);
      const got = normaliseSchema(formatSchema(s.schema));
      if (want !== got) return `post: schema of ${ps.name}: expected ${want}, got ${got}`;
    }
    if (ps.keyFormat?.format !== undefined && ps.keyFormat.format !== s.keyFormat.format) return `post: key format of ${ps.name}: expected ${ps.keyFormat.format}, got ${s.keyFormat.format}`;
  }
  return undefined;
}

/** kafka_topic of each CREATE STREAM/TABLE statement that reads an existing topic (no AS SELECT, no PARTITIONS). */
function sourceTopics(statements: string[]): string[] {
  const out: string[] = [];
  for (const script of statements) {
    for (const stmt of script.split(/;\s*(?=\S|$)/)) {
      if (!/^\s*CREATE\s+(OR\s+REPLACE\s+)?(SOURCE\s+)?(STREAM|TABLE)\b/i.test(stmt)) continue;
      if (/\bAS\s+SELECT\b/i.test(stmt) || /\bPARTITIONS\s*=/i.test(stmt)) continue;
      const m = /\bKAFKA_TOPIC\s*=\s*'([^']*)'/i.exec(stmt);
      if (m) out.push(m[1]!);
    }
  }
  return out;
}

/** Topics that CREATE statements create themselves (they give PARTITIONS). */
function declaredTopics(statements: string[]): Set<string> {
  const out = new Set<string>();
  for (const script of statements) {
    for (const stmt of script.split(/;\s*(?=\S|$)/)) {
      if (!/\bPARTITIONS\s*=/i.test(stmt)) continue;
      const m = /\bKAFKA_TOPIC\s*=\s*'([^']*)'/i.exec(stmt);
      if (m) out.add(m[1]!);
    }
  }
  return out;
}

function normaliseSchema(s: string): string {
  return s.replace(/`/g, '').replace(/PRIMARY KEY/g, 'KEY').replace(/\bVARCHAR\b/g, 'STRING').replace(/\bINT\b/g, 'INTEGER').replace(/\s+/g, ' ').replace(/\s*,\s*/g, ', ').replace(/\(\s*/g, '(').replace(/<\s*/g, '<').replace(/\s*>/g, '>').trim().toUpperCase();
}

/** A serde that passes already-encoded key bytes through, so windowedKeySerde can add the window. */
const bytesPassthrough: RowSerde = {
  deserialize: (b) => (b === null ? null : [b]),
  serialize: (v) => (v === null ? null : (v[0] as Buffer)),
};

function sideOf(src: DataSource, side: 'key' | 'value', registry?: SchemaRegistryClient): { spec: FormatSpec; columns: { name: string; type: import('../common/types.js').SqlType }[]; opts: SerdeOptions } {
  const sr = { topic: src.topic, ...(registry ? { registry } : {}) };
  if (side === 'key') return { spec: src.keyFormat as FormatSpec, columns: src.schema.key, opts: { isKey: true, ...sr } };
  return { spec: src.valueFormat as FormatSpec, columns: src.schema.value, opts: { isKey: false, ...sr, ...(src.wrapSingleValue !== undefined ? { wrapSingleValue: src.wrapSingleValue } : {}) } };
}

export function encode(src: DataSource | undefined, side: 'key' | 'value', v: unknown, window?: { start: number; end: number }, registry?: SchemaRegistryClient): Buffer | null {
  if (v === undefined || v === null) {
    if (!(side === 'key' && window && src)) return null;
  }
  if (!src) return typeof v === 'string' ? Buffer.from(v) : Buffer.from(JSON.stringify(v));
  const { spec, columns, opts } = sideOf(src, side, registry);
  const inner = v === undefined || v === null ? null : encodeTestValue(spec, columns, opts, v);
  if (side === 'key' && window && src.window) {
    return windowedKeySerde(bytesPassthrough, src.window.type === 'SESSION' ? 'SESSION' : 'TIME').serialize({ key: inner === null ? null : [inner], window: { start: window.start, end: window.end } });
  }
  return inner;
}

function decode(src: DataSource | undefined, side: 'key' | 'value', b: Buffer | null, registry?: SchemaRegistryClient): { value: unknown; window?: { start: number; end?: number } } {
  if (!src) return { value: b === null ? null : b.toString('utf8') };
  const { spec, columns, opts } = sideOf(src, side, registry);
  if (side === 'key' && src.window && b !== null) {
    const w = windowedKeySerde(bytesPassthrough, src.window.type === 'SESSION' ? 'SESSION' : 'TIME').deserialize(b);
    if (w === null) return { value: null };
    const inner = w.key === null ? null : (w.key[0] as Buffer);
    return { value: decodeTestValue(spec, columns, opts, inner), window: w.window };
  }
  return { value: decodeTestValue(spec, columns, opts, b) };
}

/**
 * The expected value as the sink's format reads it back: protobuf has no nulls for plain
 * fields and matches names case-insensitively, so the test framework's expectations only
 * compare after a round trip through the format.
 */
function normaliseExpected(src: DataSource | undefined, side: 'key' | 'value', v: unknown, registry?: SchemaRegistryClient): unknown {
  if (!src || v === null || v === undefined) return v ?? null;
  const { spec, columns, opts } = sideOf(src, side, registry);
  if (spec.format !== 'PROTOBUF' && spec.format !== 'PROTOBUF_NOSR') return v;
  try {
    return decodeTestValue(spec, columns, opts, encodeTestValue(spec, columns, opts, v));
  } catch {
    return v;
  }
}

export function compareRecord(src: DataSource | undefined, e: QttRecord, a: StoredRecord, registry?: SchemaRegistryClient): string | undefined {
  const k = decode(src, 'key', a.key, registry);
  const v = decode(src, 'value', a.value, registry);
  e = { ...e, key: normaliseExpected(src, 'key', e.key, registry), value: normaliseExpected(src, 'value', e.value, registry) };
  if (!deepEqual(e.key ?? null, k.value)) return `key: expected ${show(e.key ?? null)}, got ${show(k.value)} (value ${show(v.value)})`;
  if (!deepEqual(e.value ?? null, v.value)) return `value: expected ${show(e.value ?? null)}, got ${show(v.value)}`;
  if (e.timestamp !== undefined && e.timestamp !== a.timestamp) return `timestamp: expected ${e.timestamp}, got ${a.timestamp}`;
  if (e.window) {
    const sizeMs = src?.window?.sizeMs;
    const end = k.window?.end ?? (k.window && sizeMs !== undefined ? k.window.start + sizeMs : undefined);
    if (!k.window || k.window.start !== e.window.start || (end !== undefined && end !== e.window.end)) return `window: expected ${show(e.window)}, got ${show(k.window)}`;
  }
  return undefined;
}

export function describe(src: DataSource | undefined, a: StoredRecord, registry?: SchemaRegistryClient): string {
  return `key=${show(decode(src, 'key', a.key, registry).value)} value=${show(decode(src, 'value', a.value, registry).value)} ts=${a.timestamp}`;
}

export function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))?.slice(0, 300) ?? 'undefined';
}

/** Equality of test values: numbers compare by value across number/bigint/numeric strings of decimals. */
export function deepEqual(e: unknown, a: unknown): boolean {
  if (e === a) return true;
  if (e === null || a === null || e === undefined || a === undefined) return (e ?? null) === (a ?? null);
  if ((typeof e === 'number' || typeof e === 'bigint') && (typeof a === 'number' || typeof a === 'bigint')) {
    // eslint-disable-next-line eqeqeq
    return e == a || (typeof e === 'number' && typeof a === 'number' && Math.abs(e - a) <= Math.abs(e) * 1e-12);
  }
  if (typeof e === 'object' && e !== null && 'isLosslessNumber' in (e as object)) return deepEqual(Number(String(e)), a) || String(e) === String(a);
  if (Array.isArray(e)) return Array.isArray(a) && e.length === a.length && e.every((x, i) => deepEqual(x, a[i]));
  if (typeof e === 'object' && typeof a === 'object') {
    // field names match case-insensitively, as ksqlDB's JSON reading of the expected values does
    const norm = (o: Record<string, unknown>) => {
      const m = new Map<string, unknown>();
      for (const [k, v] of Object.entries(o)) m.set(m.has(k.toUpperCase()) ? k : k.toUpperCase(), v);
      return m;
    };
    const eo = norm(e as Record<string, unknown>);
    const ao = norm(a as Record<string, unknown>);
    const keys = new Set([...eo.keys(), ...ao.keys()]);
    for (const k of keys) if (!deepEqual(eo.get(k) ?? null, ao.get(k) ?? null)) return false;
    return true;
  }
  if (typeof e === 'number' && typeof a === 'string') return String(e) === a;
  // decimals: the cases write them as text ("3.40"); the record holds the number
  if (typeof e === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(e) && (typeof a === 'number' || typeof a === 'bigint' || (typeof a === 'object' && a !== null && 'isLosslessNumber' in (a as object)))) {
    return Number(e) === Number(String(a));
  }
  return false;
}

export interface RunSummary {
  results: CaseResult[];
  passed: number;
  failed: number;
  skipped: number;
}

export function runPaths(paths: string[], onResult?: (r: CaseResult) => void, filter?: RegExp): RunSummary {
  const results: CaseResult[] = [];
  for (const file of collectFiles(paths)) {
    let cases: QttCase[];
    try {
      cases = expandCases(file);
    } catch (err) {
      const r: CaseResult = { file: basename(file), name: '(file)', status: 'failed', reason: `cannot read: ${(err as Error).message}` };
      results.push(r);
      onResult?.(r);
      continue;
    }
    for (const c of cases) {
      if (filter && !filter.test(c.name)) continue;
      const r = runCase(file, c);
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
