/**
 * The registry's REST API as Confluent's ecosystem meets it: the npm client
 * @kafkajs/confluent-schema-registry registers schemas and encodes records that a Sluice stream
 * declared without columns reads, and decodes what a Sluice query writes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { InMemorySchemaRegistry } from '../../src/schema-registry/index.js';
import { startSchemaRegistryServer, type RunningSchemaRegistryServer } from '../../src/schema-registry/rest.js';

let server: RunningSchemaRegistryServer;
let registry: InMemorySchemaRegistry;
let client: SchemaRegistry;

before(async () => {
  registry = new InMemorySchemaRegistry();
  server = await startSchemaRegistryServer({ registry, host: '127.0.0.1', port: 0 });
  client = new SchemaRegistry({ host: server.url });
});

after(async () => {
  await server.close();
});

const userSchema = {
  type: 'record',
  name: 'User',
  namespace: 'com.example',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'age', type: 'int' },
    { name: 'email', type: ['null', 'string'], default: null },
  ],
};

test('npm client registers AVRO and encodes records; a stream without columns infers them and a CSAS output decodes with the client', async () => {
  const { id } = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(userSchema) }, { subject: 'users-value' });
  assert.equal(registry.getLatest('users-value')!.id, id);

  const driver = new TestDriver();
  driver.createTopic('users', 1, 1);
  const engine = new Engine(driver, { schemaRegistry: registry });
  engine.executeScript("CREATE STREAM USERS WITH (kafka_topic='users', value_format='AVRO');");
  assert.deepEqual(
    engine.metastore.getSource('USERS')!.schema.value.map((c) => [c.name, c.type.kind]),
    [
      ['NAME', 'STRING'],
      ['AGE', 'INTEGER'],
      ['EMAIL', 'STRING'],
    ],
  );
  engine.executeScript("CREATE STREAM ADULTS WITH (kafka_topic='adults') AS SELECT NAME, AGE * 2 AS DOUBLED, EMAIL FROM USERS WHERE AGE >= 18;");

  const inputs = [
    { name: 'ada', age: 36, email: 'ada@example.com' },
    { name: 'bob', age: 12, email: null },
    { name: 'cy', age: 18, email: null },
  ];
  for (const [i, user] of inputs.entries()) {
    const value = await client.encode(id, user);
    driver.pipe({ topic: 'users', key: null, value, timestamp: 1000 + i, headers: [] });
  }

  const out = driver.records('adults').filter((r) => r.value !== null);
  assert.equal(out.length, 2);
  const decoded = await Promise.all(out.map((r) => client.decode(r.value!)));
  assert.deepEqual(
    decoded.map((d) => ({ ...(d as object) })),
    [
      { NAME: 'ada', DOUBLED: 72, EMAIL: 'ada@example.com' },
      { NAME: 'cy', DOUBLED: 36, EMAIL: null },
    ],
  );
  // the id the records carry is the one the sink subject holds, served over REST
  const sinkId = await client.getLatestSchemaId('adults-value');
  assert.equal(out[0]!.value!.readInt32BE(1), sinkId);
});

test('compatibility through REST: an accepted evolution gets a new version, a refused one answers 409', async () => {
  const subject = 'evolve-value';
  const v1 = { type: 'record', name: 'E', fields: [{ name: 'a', type: 'int' }] };
  const v2 = { ...v1, fields: [...v1.fields, { name: 'b', type: 'string', default: '' }] };
  const bad = { ...v1, fields: [...v1.fields, { name: 'c', type: 'string' }] };
  const first = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject });
  const second = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject });
  assert.notEqual(first.id, second.id);
  assert.deepEqual(registry.listVersions(subject), [1, 2]);

  // BACKWARD (the default): a new field without a default cannot read old data
  await assert.rejects(
    client.register({ type: SchemaType.AVRO, schema: JSON.stringify(bad) }, { subject }),
    (e: Error & { status?: number }) => e.status === 409 && /incompatible/.test(e.message),
  );

  const check = await fetch(`${server.url}/compatibility/subjects/${subject}/versions/latest?verbose=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(bad) }),
  });
  const verdict = (await check.json()) as { is_compatible: boolean; messages: string[] };
  assert.equal(verdict.is_compatible, false);
  assert.ok(verdict.messages.length > 0);

  // once the subject's level is NONE the same schema is accepted
  const put = await fetch(`${server.url}/config/${subject}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ compatibility: 'NONE' }),
  });
  assert.deepEqual(await put.json(), { compatibility: 'NONE' });
  // (the npm client checks the subject's level over GET /config/:subject before registering)
  const third = await client.register({ type: SchemaType.AVRO, schema: JSON.stringify(bad) }, { subject, compatibility: COMPATIBILITY.NONE });
  assert.deepEqual(registry.listVersions(subject), [1, 2, 3]);
  assert.equal(registry.getLatest(subject)!.id, third.id);
});

test('PROTOBUF and JSON schemas registered and encoded by the npm client are read by streams without columns', async () => {
  const proto = 'syntax = "proto3";\npackage ex;\nmessage Order {\n  int64 id = 1;\n  string item = 2;\n  double price = 3;\n}\n';
  const { id: protoId } = await client.register({ type: SchemaType.PROTOBUF, schema: proto }, { subject: 'orders-value' });
  const jsonSchema = { type: 'object', properties: { city: { type: 'string' }, temp: { type: 'number' } } };
  const { id: jsonId } = await client.register({ type: SchemaType.JSON, schema: JSON.stringify(jsonSchema) }, { subject: 'weather-value' });

  const driver = new TestDriver();
  driver.createTopic('orders', 1, 1);
  driver.createTopic('weather', 1, 1);
  const engine = new Engine(driver, { schemaRegistry: registry });
  engine.executeScript("CREATE STREAM ORDERS WITH (kafka_topic='orders', value_format='PROTOBUF');");
  engine.executeScript("CREATE STREAM WEATHER WITH (kafka_topic='weather', value_format='JSON_SR');");
  engine.executeScript("CREATE STREAM ORDERS_OUT WITH (kafka_topic='orders_out', value_format='JSON') AS SELECT * FROM ORDERS;");
  engine.executeScript("CREATE STREAM WEATHER_OUT WITH (kafka_topic='weather_out', value_format='JSON') AS SELECT * FROM WEATHER;");

  // the npm client leaves out the message indexes of Confluent's PROTOBUF framing
  // (kafkajs/confluent-schema-registry#152, #248); a Java producer writes [0] (one 0 byte) for
  // the first message, which is what Sluice, like ksqlDB, expects
  const npmFramed = await client.encode(protoId, { id: 7, item: 'tea', price: 2.5 });
  const confluentFramed = Buffer.concat([npmFramed.subarray(0, 5), Buffer.from([0]), npmFramed.subarray(5)]);
  driver.pipe({ topic: 'orders', key: null, value: confluentFramed, timestamp: 1, headers: [] });
  driver.pipe({ topic: 'weather', key: null, value: await client.encode(jsonId, { city: 'Oslo', temp: -3.5 }), timestamp: 1, headers: [] });

  const orders = driver.records('orders_out').filter((r) => r.value !== null).map((r) => JSON.parse(r.value!.toString()) as unknown);
  // (how inferred PROTOBUF names are cased is the inference's business, tested elsewhere)
  const [id, item, price] = engine.metastore.getSource('ORDERS')!.schema.value.map((c) => c.name);
  assert.deepEqual([id, item, price].map((n) => n!.toLowerCase()), ['id', 'item', 'price']);
  assert.deepEqual(orders, [{ [id!]: 7, [item!]: 'tea', [price!]: 2.5 }]);
  const weather = driver.records('weather_out').filter((r) => r.value !== null).map((r) => JSON.parse(r.value!.toString()) as unknown);
  assert.deepEqual(weather, [{ CITY: 'Oslo', TEMP: -3.5 }]);
});
