/** HTTP Basic authentication: a wrong password gets ksqlDB's 401/40100 and the server stays up. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { parseUsers } from '../../src/server/auth.js';
import { startServer, type RunningServer } from '../../src/server/index.js';

let server: RunningServer;
before(async () => {
  const driver = new TestDriver();
  const users = parseUsers('# users\nalice: s3cret,admin\nbob: pw\n');
  server = await startServer({ engine: new Engine(driver), driver, listeners: 'http://127.0.0.1:0', logger: pino({ level: 'silent' }), users });
});
after(() => server.close());

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const info = (authorization?: string) => fetch(`${server.url}/info`, { headers: authorization ? { authorization } : {} });

test('no credentials or a wrong password → 401 with error_code 40100', async () => {
  for (const a of [undefined, basic('alice', 'wrong'), basic('nobody', 's3cret'), 'Bearer xyz']) {
    const res = await info(a);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/);
    const body = (await res.json()) as { error_code: number; '@type': string };
    assert.equal(body.error_code, 40100);
    assert.equal(body['@type'], 'generic_error');
  }
});

test('the right password is let in; probes need none; the server keeps answering', async () => {
  assert.equal((await info(basic('alice', 's3cret'))).status, 200);
  assert.equal((await info(basic('bob', 'pw'))).status, 200);
  assert.equal((await fetch(`${server.url}/chc/ready`)).status, 200);
  const res = await fetch(`${server.url}/ksql`, { method: 'POST', headers: { authorization: basic('bob', 'pw') }, body: JSON.stringify({ ksql: 'SHOW STREAMS;' }) });
  assert.equal(res.status, 200);
});
