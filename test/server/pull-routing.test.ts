/**
 * Two servers sharing a service id on one embedded broker: each runs half of a table query's
 * tasks, and a pull query sent to either is answered by the servers holding the keys; a scan
 * gathers every task; /clusterStatus lists both; a server whose REST endpoint is gone gives a
 * clear error; once it leaves, the survivor holds every task and answers alone.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { Engine } from '../../src/engine/engine.js';
import { KafkaDriver } from '../../src/runtime/drivers/kafka-driver.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { kafkaFor, produceJson, startTestBroker, tempDir, type TestBroker } from '../kafka-driver/helpers.js';
import net from 'node:net';
import WebSocket from 'ws';
import { post, type Answer } from './helpers.js';

const SERVICE = 'routing_t_';
const TOPIC = 'routing_pageviews';
const QUERY = 'CTAS_ROUTING_TOTALS_0';
/** a table copied from a source table (not re-keyed: its keys stay where the producer put them) */
const COPY_QUERY = 'CTAS_ROUTING_NAMES_1';
/** a windowed aggregate */
const WIN_QUERY = 'CTAS_ROUTING_HOURLY_2';
const USERS_TOPIC = 'routing_users';
const CONFIG = { 'auto.offset.reset': 'earliest', 'ksql.streams.session.timeout.ms': 6000 };
/** the servers require HTTP Basic credentials: a forwarded pull query carries the client's */
const AUTH = { authorization: `Basic ${Buffer.from('analyst:pw').toString('base64')}` };
const send = (url: string, body: unknown) => post(url, body, AUTH);
async function get(url: string): Promise<Answer> {
  const res = await fetch(url, { headers: AUTH });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text, json: () => JSON.parse(text) };
}

interface Node {
  driver: KafkaDriver;
  server: RunningServer;
  restClosed: boolean;
}

let broker: TestBroker;
const nodes: Node[] = [];

async function startNode(): Promise<Node> {
  const driver = await KafkaDriver.connect({ brokers: [`127.0.0.1:${broker.port}`], serviceId: SERVICE, dataDir: tempDir('sluice-routing-'), config: CONFIG });
  const engine = new Engine(driver, { config: { ...CONFIG } });
  const server = await startServer({ engine, driver, listeners: 'http://127.0.0.1:0', logger: pino({ level: 'silent' }), serviceId: SERVICE, users: new Map([['analyst', 'pw']]) });
  return { driver, server, restClosed: false };
}

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms = 60000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** every task of every query is open on some node and every node's routing names its owner */
function spread(live: Node[]): boolean {
  return [QUERY, COPY_QUERY, WIN_QUERY].every((query) => {
    const held = live.flatMap((n) => n.driver.query(query)?.assignedTasks() ?? []);
    if (held.length !== 4 || new Set(held).size !== 4) return false;
    return live.every((n) => {
      const locs = n.driver.taskLocations(query);
      if (!locs) return false;
      return [0, 1, 2, 3].every((t) => {
        const owner = locs.ownerOf(t);
        const holder = live.find((m) => m.driver.query(query)!.assignedTasks().includes(t));
        return owner !== undefined && owner === holder?.driver.advertisedListener();
      });
    });
  });
}

const USERS = Array.from({ length: 16 }, (_x, i) => `user${i}`);
const RECORDS = USERS.flatMap((u, i) => Array.from({ length: 1 + (i % 3) }, (_y, j) => ({ topic: TOPIC, key: u, value: { VIEWS: i * 10 + j }, timestamp: 1000 + i * 10 + j })));
const EXPECTED = new Map(USERS.map((u) => [u, RECORDS.filter((r) => r.key === u).reduce((acc, r) => ({ n: acc.n + 1, total: acc.total + (r.value.VIEWS as number) }), { n: 0, total: 0 })]));

/** rows of a pull query on /query (StreamedRow framing) */
async function pull(n: Node, sql: string, props: Record<string, unknown> = {}): Promise<unknown[][]> {
  const a = await send(`${n.server.url}/query`, { ksql: sql, ...props });
  assert.equal(a.status, 200, a.text);
  return (a.json() as { row?: { columns: unknown[] } }[]).filter((e) => e.row).map((e) => e.row!.columns);
}

before(async () => {
  broker = await startTestBroker();
  nodes.push(await startNode(), await startNode());
  const ddl =
    `CREATE STREAM ROUTING_PV (USERID STRING KEY, VIEWS INT) WITH (kafka_topic='${TOPIC}', value_format='JSON', partitions=4);` +
    'CREATE TABLE ROUTING_TOTALS AS SELECT USERID, COUNT(*) AS N, SUM(VIEWS) AS TOTAL FROM ROUTING_PV GROUP BY USERID;' +
    `CREATE TABLE ROUTING_USERS (ID STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='${USERS_TOPIC}', value_format='JSON', partitions=4);` +
    'CREATE TABLE ROUTING_NAMES AS SELECT * FROM ROUTING_USERS;' +
    'CREATE TABLE ROUTING_HOURLY AS SELECT USERID, COUNT(*) AS N FROM ROUTING_PV WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY USERID;';
  // each server is told the statements (no command topic yet)
  for (const n of nodes) {
    const r = await send(`${n.server.url}/ksql`, { ksql: ddl });
    assert.equal(r.status, 200, r.text);
    await n.driver.settle();
  }
  await produceJson(kafkaFor(broker), [...RECORDS, ...USERS.map((u, i) => ({ topic: USERS_TOPIC, key: u, value: { NAME: `name ${i}` }, timestamp: 5000 + i }))]);
  await waitFor('both servers to hold tasks', () => spread(nodes));
  for (const q of [QUERY, COPY_QUERY, WIN_QUERY]) await nodes[0]!.driver.waitForQuery(q, 60000);
  await waitFor('both servers to hold tasks after catching up', () => spread(nodes));
});

after(async () => {
  for (const n of nodes) {
    if (!n.restClosed) await n.server.close();
    await n.driver.close();
  }
  await broker?.close();
});

test('the tasks are split over the two servers', () => {
  for (const n of nodes) assert.ok(n.driver.query(QUERY)!.assignedTasks().length > 0, 'each server runs some task');
});

test('a key lookup on either server returns the key’s row, wherever its task runs', async () => {
  for (const n of nodes) {
    for (const u of USERS) {
      const rows = await pull(n, `SELECT * FROM ROUTING_TOTALS WHERE USERID = '${u}';`);
      const e = EXPECTED.get(u)!;
      assert.deepEqual(rows, [[u, e.n, e.total]], `${u} via ${n.server.url}`);
    }
  }
});

test('a table copied from a source table and a windowed table: lookups on either server', async () => {
  for (const n of nodes) {
    for (const [i, u] of USERS.entries()) {
      assert.deepEqual(await pull(n, `SELECT * FROM ROUTING_NAMES WHERE ID = '${u}';`), [[u, `name ${i}`]], `${u} via ${n.server.url}`);
      assert.deepEqual(await pull(n, `SELECT USERID, N FROM ROUTING_HOURLY WHERE USERID = '${u}';`), [[u, EXPECTED.get(u)!.n]], `${u} via ${n.server.url}`);
    }
    assert.equal((await pull(n, 'SELECT * FROM ROUTING_NAMES;')).length, USERS.length);
  }
  const locs = nodes[0]!.driver.taskLocations(COPY_QUERY)!;
  assert.ok(USERS.some((u) => !locs.local.has(locs.taskOfKey([u])!)), 'a source-table key lives in a task of the other server');
});

test('some lookups really were answered by the other server', () => {
  const locs = nodes[0]!.driver.taskLocations(QUERY)!;
  const keyTasks = new Set(USERS.map((u) => locs.taskOfKey([u])));
  assert.ok([...keyTasks].some((t) => t !== undefined && !locs.local.has(t)), 'a key lives in a task of the other server');
  assert.ok([...keyTasks].some((t) => t !== undefined && locs.local.has(t)), 'a key lives in a local task');
});

test('/query-stream forwards too, in the framing the client asked for', async () => {
  for (const n of nodes) {
    const a = await send(`${n.server.url}/query-stream`, { sql: `SELECT USERID, TOTAL FROM ROUTING_TOTALS WHERE USERID IN ('user1', 'user2', 'user3', 'user4');` });
    assert.equal(a.status, 200, a.text);
    const lines = a.text.split('\n').filter((l) => l !== '');
    assert.deepEqual(JSON.parse(lines[0]!).columnNames, ['USERID', 'TOTAL']);
    const got = lines.slice(1).map((l) => JSON.parse(l) as [string, number]);
    assert.deepEqual(
      got.sort((x, y) => x[0].localeCompare(y[0])),
      ['user1', 'user2', 'user3', 'user4'].map((u) => [u, EXPECTED.get(u)!.total]),
    );
  }
});

test('/ws/query forwards a lookup of a key held by the other server', async () => {
  const n = nodes[0]!;
  const locs = n.driver.taskLocations(QUERY)!;
  const remoteKey = USERS.find((u) => !locs.local.has(locs.taskOfKey([u])!))!;
  const request = encodeURIComponent(JSON.stringify({ ksql: `SELECT USERID, N FROM ROUTING_TOTALS WHERE USERID = '${remoteKey}';` }));
  const frames = await new Promise<string[]>((resolve, reject) => {
    const ws = new WebSocket(`${n.server.url.replace(/^http/, 'ws')}/ws/query?request=${request}`, { headers: AUTH });
    const got: string[] = [];
    ws.on('message', (m) => got.push(m.toString()));
    ws.on('close', (code, reason) => (code === 1000 ? resolve(got) : reject(new Error(`closed ${code} ${reason.toString()}`))));
    ws.on('error', reject);
  });
  assert.deepEqual(JSON.parse(frames[1]!), { row: { columns: [remoteKey, EXPECTED.get(remoteKey)!.n] } });
  assert.equal(frames.length, 2);
});

test('credentials are required, and a forwarded query carries the client’s', async () => {
  const n = nodes[0]!;
  const plain = await post(`${n.server.url}/query`, { ksql: 'SELECT * FROM ROUTING_TOTALS;' });
  assert.equal(plain.status, 401);
  // every scan above went through the other server with the caller's Authorization header
  assert.equal((await pull(n, 'SELECT * FROM ROUTING_TOTALS;')).length, USERS.length);
});

test('a full scan on either server returns every row; LIMIT cuts the merged rows', async () => {
  for (const n of nodes) {
    const rows = (await pull(n, 'SELECT * FROM ROUTING_TOTALS;')) as [string, number, number][];
    assert.deepEqual(
      rows.sort((x, y) => x[0].localeCompare(y[0])),
      [...EXPECTED.entries()].map(([u, e]) => [u, e.n, e.total]).sort((x, y) => (x[0] as string).localeCompare(y[0] as string)),
    );
    const some = (await pull(n, 'SELECT USERID FROM ROUTING_TOTALS WHERE N >= 2 LIMIT 3;')) as [string][];
    assert.equal(some.length, 3);
    for (const [u] of some) assert.ok(EXPECTED.get(u)!.n >= 2);
  }
});

test('an internal request answers from local tasks only and refuses a task it does not run', async () => {
  const n = nodes[0]!;
  const locs = n.driver.taskLocations(QUERY)!;
  const mine = [...locs.local];
  const other = [0, 1, 2, 3].find((t) => !locs.local.has(t))!;
  const local = await pull(n, 'SELECT USERID FROM ROUTING_TOTALS;', { requestProperties: { 'request.ksql.internal.request': true, 'request.ksql.query.pull.partition': mine.join(',') } });
  assert.deepEqual(
    local.map((r) => r[0]).sort(),
    USERS.filter((u) => mine.includes(locs.taskOfKey([u])!)).sort(),
  );
  const refused = await send(`${n.server.url}/query`, { ksql: 'SELECT * FROM ROUTING_TOTALS;', requestProperties: { 'request.ksql.internal.request': true, 'request.ksql.query.pull.partition': String(other) } });
  assert.equal(refused.status, 400);
  assert.match(refused.json().message, new RegExp(`Partition ${other} of query ${QUERY} is not active on this host`));
});

test('/clusterStatus on either server lists both hosts with their partitions', async () => {
  const hosts = nodes.map((n) => new URL(n.driver.advertisedListener()!).host);
  for (const n of nodes) {
    const s = (await get(`${n.server.url}/clusterStatus`)).json().clusterStatus;
    assert.deepEqual(Object.keys(s).sort(), [...hosts].sort());
    const partitions: number[] = [];
    for (const h of hosts) {
      assert.equal(s[h].hostAlive, true);
      const q = s[h].activeStandbyPerQuery[QUERY];
      assert.deepEqual(q.activeStores, [`${QUERY}-materialized`]);
      partitions.push(...q.activePartitions.filter((p: { topic: string }) => p.topic === TOPIC).map((p: { partition: number }) => p.partition));
    }
    assert.deepEqual(partitions.sort(), [0, 1, 2, 3]);
  }
});

test('an owner that does not answer or is gone: a clear error, then the survivor answers alone once it left', async () => {
  const [a, b] = nodes as [Node, Node];
  await b.server.close();
  b.restClosed = true;
  const locs = a.driver.taskLocations(QUERY)!;
  const remoteKey = USERS.find((u) => !locs.local.has(locs.taskOfKey([u])!))!;
  // something on the owner's port accepts connections and never answers: the forwarding timeout ends it
  const port = Number(new URL(b.driver.advertisedListener()!).port);
  const held: net.Socket[] = [];
  const silent = net.createServer((sock) => void held.push(sock));
  await new Promise<void>((r) => silent.listen(port, '127.0.0.1', () => r()));
  const hung = await send(`${a.server.url}/query`, { ksql: `SELECT * FROM ROUTING_TOTALS WHERE USERID = '${remoteKey}';`, streamsProperties: { 'ksql.query.pull.forwarding.timeout.ms': 500 } });
  for (const sock of held) sock.destroy();
  await new Promise((r) => silent.close(r));
  assert.equal(hung.status, 400);
  assert.match(hung.json().message, /^Unable to execute pull query: .*\. Exhausted standby hosts to try\.$/);
  // nothing listens there any more
  const err = await send(`${a.server.url}/query`, { ksql: `SELECT * FROM ROUTING_TOTALS WHERE USERID = '${remoteKey}';` });
  assert.equal(err.status, 400);
  assert.equal(err.json().message, `Unable to execute pull query: SELECT * FROM ROUTING_TOTALS WHERE USERID = '${remoteKey}';. Exhausted standby hosts to try.`);

  await b.driver.close();
  nodes.pop();
  await waitFor('the survivor to hold every task', () => spread([a]));
  for (const u of USERS) {
    const e = EXPECTED.get(u)!;
    assert.deepEqual(await pull(a, `SELECT * FROM ROUTING_TOTALS WHERE USERID = '${u}';`), [[u, e.n, e.total]]);
  }
  assert.equal((await pull(a, 'SELECT * FROM ROUTING_TOTALS;')).length, USERS.length);
  const s = (await get(`${a.server.url}/clusterStatus`)).json().clusterStatus;
  assert.deepEqual(Object.keys(s), [new URL(a.driver.advertisedListener()!).host]);
});
