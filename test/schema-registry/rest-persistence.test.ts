/**
 * The durable registry on the embedded broker: what is registered, configured and deleted
 * (over REST too) is in the compacted `_schemas` topic, and a registry reopened from it has the
 * same subjects, versions, ids and levels.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { startBroker, type BrokerHandle } from '../../src/broker/index.js';
import { KafkaBackedSchemaRegistry } from '../../src/schema-registry/kafka-backed.js';
import { startSchemaRegistryServer } from '../../src/schema-registry/rest.js';

let broker: BrokerHandle;
let dataDir: string;
let brokers: string[];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-sr-'));
  broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir });
  brokers = [`127.0.0.1:${broker.port}`];
});

after(async () => {
  await broker.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const rec = (name: string, fields: object[]) => JSON.stringify({ type: 'record', name, fields });

test('registrations, levels and deletions survive reopening the registry from its topic', async () => {
  const topic = '_schemas';
  const first = await KafkaBackedSchemaRegistry.open({ brokers, topic });
  assert.deepEqual(first.listSubjects(), []);
  const server = await startSchemaRegistryServer({ registry: first, port: 0 });
  const client = new SchemaRegistry({ host: server.url });
  const a1 = await client.register({ type: SchemaType.AVRO, schema: rec('A', [{ name: 'x', type: 'int' }]) }, { subject: 'a-value' });
  const a2 = await client.register({ type: SchemaType.AVRO, schema: rec('A', [{ name: 'x', type: 'int' }, { name: 'y', type: 'string', default: '' }]) }, { subject: 'a-value' });
  const p = first.register('p-value', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message P { string s = 1; }' });
  const gone = first.register('gone-value', { schema: rec('G', [{ name: 'g', type: 'long' }]) });
  first.setCompatibility('FULL', 'a-value');
  first.setCompatibility('FORWARD');
  first.setCompatibility('NONE', 'p-value');
  assert.equal(first.deleteCompatibility('p-value'), 'NONE');
  const res = await fetch(`${server.url}/subjects/gone-value`, { method: 'DELETE' });
  assert.deepEqual(await res.json(), [1]);
  await server.close();
  await first.close();

  const second = await KafkaBackedSchemaRegistry.open({ brokers, topic });
  assert.equal(second.skippedRecords, 0);
  assert.deepEqual(second.listSubjects(), ['a-value', 'p-value']);
  assert.deepEqual(second.listVersions('a-value'), [1, 2]);
  assert.equal(second.getVersion('a-value', 1).id, a1.id);
  assert.equal(second.getLatest('a-value')!.id, a2.id);
  assert.equal(second.getById(p).schemaType, 'PROTOBUF');
  // a deleted subject's schema id still resolves (records written with it stay readable)
  assert.match(second.getById(gone).schema, /"name":"g"/);
  assert.equal(second.getCompatibility('a-value'), 'FULL');
  assert.equal(second.getCompatibility(), 'FORWARD');
  assert.equal(second.getSubjectCompatibility('p-value'), undefined);

  // ids keep counting from the replayed ones; the reopened registry still checks compatibility
  const next = second.register('b-value', { schema: rec('B', [{ name: 'z', type: 'int' }]) });
  assert.ok(next > Math.max(a1.id, a2.id, p, gone));
  assert.throws(() => second.register('a-value', { schema: rec('A', [{ name: 'x', type: 'string' }]) }), /incompatible/);

  // the deleted subject's version 1 stays taken after a restart: a new schema gets version 2
  second.register('gone-value', { schema: rec('G2', [{ name: 'h', type: 'long' }]) });
  assert.deepEqual(second.listVersions('gone-value'), [2]);
  await second.close();

  const third = await KafkaBackedSchemaRegistry.open({ brokers, topic });
  assert.deepEqual(third.listSubjects(), ['a-value', 'b-value', 'gone-value', 'p-value']);
  assert.equal(third.getLatest('b-value')!.id, next);
  assert.deepEqual(third.listVersions('gone-value'), [2]);
  assert.match(third.getById(gone).schema, /"name":"g"/);
  await third.close();
});

test('the topic it creates is compacted and has one partition', async () => {
  const topic = 'schemas-layout';
  const registry = await KafkaBackedSchemaRegistry.open({ brokers, topic });
  registry.register('k-value', { schema: '"string"' });
  await registry.flush();
  await registry.close();
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    assert.equal(meta!.partitions.length, 1);
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }], includeSynonyms: false });
    assert.equal(configs.resources[0]!.configEntries.find((c) => c.configName === 'cleanup.policy')?.configValue, 'compact');
  } finally {
    await admin.disconnect();
  }
});

test("an engine's CSAS registrations go to the topic and are there after a restart", async () => {
  const { Engine } = await import('../../src/engine/engine.js');
  const { TestDriver } = await import('../../src/runtime/drivers/test-driver.js');
  const topic = 'schemas-engine';
  const registry = await KafkaBackedSchemaRegistry.open({ brokers, topic });
  const driver = new TestDriver();
  driver.createTopic('src', 1, 1);
  const engine = new Engine(driver, { schemaRegistry: registry });
  engine.executeScript("CREATE STREAM S (K STRING KEY, A INT) WITH (kafka_topic='src', format='AVRO');");
  engine.executeScript('CREATE STREAM OUT AS SELECT K, A FROM S;');
  const written = registry.getLatest('OUT-value')!;
  await registry.flush();
  await registry.close();
  const reopened = await KafkaBackedSchemaRegistry.open({ brokers, topic });
  assert.deepEqual(reopened.listSubjects(), registry.listSubjects());
  assert.deepEqual(reopened.getLatest('OUT-value'), written);
  await reopened.close();
});

test('opening against no broker fails with a clear error', async () => {
  await assert.rejects(KafkaBackedSchemaRegistry.open({ brokers: ['127.0.0.1:1'], retries: 0 }), /Could not open the schema registry topic '_schemas' on 127.0.0.1:1: .*ECONNREFUSED/);
});
