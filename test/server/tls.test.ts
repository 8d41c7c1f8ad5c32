/** https:// listeners: HTTP/1.1 and HTTP/2 over TLS with a self-signed certificate made by openssl. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import WebSocket from 'ws';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { startServer, type RunningServer } from '../../src/server/index.js';

/** a self-signed certificate for 127.0.0.1, or undefined when openssl is not installed */
function makeCert(): { cert: Buffer; key: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = makeCert();
const skip = tls ? false : 'openssl is not installed';
let server: RunningServer;
let driver: TestDriver;

before(async () => {
  if (!tls) return;
  driver = new TestDriver();
  server = await startServer({ engine: new Engine(driver), driver, listeners: 'https://127.0.0.1:0', tls, logger: pino({ level: 'silent' }) });
});
after(() => server?.close());

function h1(path: string, body?: unknown, ca = tls?.cert): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${server.url}${path}`, { method: body === undefined ? 'GET' : 'POST', ...(ca ? { ca } : {}), headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

test('HTTP/1.1 over TLS: statements and a query', { skip }, async () => {
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const info = await h1('/info');
  assert.equal(info.status, 200);
  assert.equal(JSON.parse(info.text).KsqlServerInfo.serverStatus, 'RUNNING');
  const made = await h1('/ksql', { ksql: "CREATE STREAM S (ID INT KEY, V STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1); INSERT INTO S (ID, V) VALUES (1, 'a');" });
  assert.equal(made.status, 200, made.text);
  const q = await h1('/query-stream', { sql: 'SELECT * FROM S;' });
  assert.deepEqual(q.text.split('\n').slice(1), ['[1,"a"]', '']);
});

test('HTTP/2 over TLS (ALPN)', { skip }, async () => {
  const session = http2.connect(server.url, { ca: tls!.cert });
  try {
    const text = await new Promise<string>((resolve, reject) => {
      const req = session.request({ ':method': 'GET', ':path': '/info' });
      let out = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (out += c));
      req.on('end', () => resolve(out));
      req.on('error', reject);
      req.end();
    });
    assert.equal(JSON.parse(text).KsqlServerInfo.serverStatus, 'RUNNING');
  } finally {
    session.close();
  }
});

test('WebSocket over TLS (wss://)', { skip }, async () => {
  const ws = new WebSocket(`${server.url.replace(/^https/, 'wss')}/ws/query?request=${encodeURIComponent(JSON.stringify({ ksql: "PRINT 's' FROM BEGINNING LIMIT 1;" }))}`, { ca: tls!.cert });
  const frames: string[] = [];
  ws.on('message', (m) => frames.push(m.toString()));
  const code = await new Promise<number>((resolve, reject) => {
    ws.on('close', (c) => resolve(c));
    ws.on('error', reject);
  });
  assert.equal(code, 1000);
  assert.match(frames[0]!, /key: 1, value: \{"V":"a"\}, partition: 0$/);
});

test('a client that does not trust the certificate is refused', { skip }, async () => {
  await assert.rejects(h1('/info', undefined, Buffer.from('')), /self-signed|certificate/i);
});

test('https:// without a certificate, or a certificate on an http:// listener, is a clear error', async () => {
  const d = new TestDriver();
  await assert.rejects(startServer({ engine: new Engine(d), driver: d, listeners: 'https://127.0.0.1:0', logger: pino({ level: 'silent' }) }), /no TLS certificate and key/);
  await assert.rejects(startServer({ engine: new Engine(d), driver: d, listeners: 'http://127.0.0.1:0', tls: { cert: 'x', key: 'y' }, logger: pino({ level: 'silent' }) }), /is not https:\/\//);
});
