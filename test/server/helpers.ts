/** A Sluice REST server on an ephemeral port over the in-memory test driver, and small HTTP helpers. */
import pino from 'pino';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { startServer, type RunningServer } from '../../src/server/index.js';

export interface TestServer {
  server: RunningServer;
  url: string;
  engine: Engine;
  driver: TestDriver;
  close(): Promise<void>;
}

export async function startTestServer(opts: { headless?: boolean; bodyLimit?: number } = {}): Promise<TestServer> {
  const driver = new TestDriver();
  const engine = new Engine(driver);
  const server = await startServer({ engine, driver, listeners: 'http://127.0.0.1:0', logger: pino({ level: 'silent' }), ...opts });
  return { server, url: server.url, engine, driver, close: () => server.close() };
}

export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  json(): any;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text, json: () => JSON.parse(text) };
}

export async function get(url: string): Promise<Answer> {
  const res = await fetch(url, { redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text, json: () => JSON.parse(text) };
}

export const ksql = (t: TestServer, statements: string, streamsProperties: Record<string, unknown> = {}) => post(`${t.url}/ksql`, { ksql: statements, streamsProperties });

export const SETUP =
  "CREATE STREAM PAGEVIEWS (USERID STRING KEY, PAGEID STRING, VIEWS INT) WITH (kafka_topic='pageviews', value_format='JSON', partitions=2);" +
  'CREATE TABLE VIEWS_PER_USER AS SELECT USERID, COUNT(*) AS N, SUM(VIEWS) AS TOTAL FROM PAGEVIEWS GROUP BY USERID;';
