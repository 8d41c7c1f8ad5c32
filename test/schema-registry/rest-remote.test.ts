/**
 * RemoteSchemaRegistryClient: the synchronous contract over an external registry's REST API
 * (here Sluice's own, run in a worker thread), used by an engine for inference and CSAS output.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { RemoteSchemaRegistryClient } from '../../src/schema-registry/remote.js';
import { SchemaRegistryError } from '../../src/schema-registry/types.js';

let worker: Worker;
let url: string;

before(async () => {
  worker = new Worker(new URL('./registry-server-worker.js', import.meta.url));
  [url] = (await once(worker, 'message')) as [string];
});

after(async () => {
  worker.postMessage('close');
  await once(worker, 'exit');
});

const rec = (fields: object[]) => JSON.stringify({ type: 'record', name: 'R', fields });

test('the remote client registers, reads, checks and configures through REST, with Confluent error codes', async () => {
  const remote = new RemoteSchemaRegistryClient(url);
  try {
    const id = remote.register('r-value', { schema: rec([{ name: 'a', type: 'int' }]) });
    assert.equal(remote.register('r-value', { schema: rec([{ name: 'a', type: 'int' }]) }), id);
    assert.deepEqual(remote.getById(id), { id, schemaType: 'AVRO', schema: rec([{ name: 'a', type: 'int' }]), references: [] });
    assert.equal(remote.getLatest('r-value')!.version, 1);
    assert.equal(remote.getLatest('missing'), undefined);
    assert.deepEqual(remote.listSubjects(), ['r-value']);
    assert.deepEqual(remote.listVersions('r-value'), [1]);
    const incompatible = { schema: rec([{ name: 'a', type: 'string' }]) };
    assert.equal(remote.testCompatibility('r-value', incompatible).compatible, false);
    assert.throws(() => remote.register('r-value', incompatible), (e: unknown) => e instanceof SchemaRegistryError && e.errorCode === 409);
    assert.throws(() => remote.getById(999), (e: unknown) => e instanceof SchemaRegistryError && e.errorCode === 40403);
    assert.throws(() => remote.getVersion('r-value', 5), (e: unknown) => e instanceof SchemaRegistryError && e.errorCode === 40402);
    assert.equal(remote.getSubjectCompatibility('r-value'), undefined);
    remote.setCompatibility('NONE', 'r-value');
    assert.equal(remote.getCompatibility('r-value'), 'NONE');
    assert.equal(remote.getCompatibility(), 'BACKWARD');
    remote.register('r-value', incompatible);
    assert.deepEqual(remote.listVersions('r-value'), [1, 2]);
    assert.equal(remote.deleteCompatibility('r-value'), 'NONE');
    assert.equal(remote.deleteVersion('r-value', 2), 2);
    assert.deepEqual(remote.deleteSubject('r-value'), [1]);
    assert.deepEqual(remote.listSubjects(), []);
  } finally {
    await remote.close();
  }
});

test('an engine on the remote client infers columns from a schema the npm client registered and registers its CSAS output', async () => {
  const remote = new RemoteSchemaRegistryClient(url);
  const npm = new SchemaRegistry({ host: url });
  try {
    const schema = { type: 'record', name: 'Reading', fields: [{ name: 'sensor', type: 'string' }, { name: 'celsius', type: 'double' }] };
    const { id } = await npm.register({ type: 'AVRO' as never, schema: JSON.stringify(schema) } as never, { subject: 'readings-value' });
    const driver = new TestDriver();
    driver.createTopic('readings', 1, 1);
    const engine = new Engine(driver, { schemaRegistry: remote });
    engine.executeScript("CREATE STREAM READINGS WITH (kafka_topic='readings', value_format='AVRO');");
    engine.executeScript("CREATE STREAM HOT WITH (kafka_topic='hot') AS SELECT SENSOR, CELSIUS FROM READINGS WHERE CELSIUS > 30;");
    driver.pipe({ topic: 'readings', key: null, value: await npm.encode(id, { sensor: 's1', celsius: 35.5 }), timestamp: 1, headers: [] });
    driver.pipe({ topic: 'readings', key: null, value: await npm.encode(id, { sensor: 's2', celsius: 12 }), timestamp: 2, headers: [] });
    const out = driver.records('hot').filter((r) => r.value !== null);
    assert.equal(out.length, 1);
    assert.deepEqual({ ...((await npm.decode(out[0]!.value!)) as object) }, { SENSOR: 's1', CELSIUS: 35.5 });
    assert.ok(remote.getLatest('hot-value'));
  } finally {
    await remote.close();
  }
});

test('an unreachable registry or a bad URL is a clear error', async () => {
  assert.throws(() => new RemoteSchemaRegistryClient('not a url'), /Invalid schema registry URL/);
  const remote = new RemoteSchemaRegistryClient('http://127.0.0.1:1', { timeoutMs: 2000 });
  try {
    assert.throws(() => remote.listSubjects(), (e: unknown) => e instanceof SchemaRegistryError && /unreachable/.test(e.message));
  } finally {
    await remote.close();
  }
});
