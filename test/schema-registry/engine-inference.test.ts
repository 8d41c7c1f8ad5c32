import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { createSerde } from '../../src/runtime/serde/index.js';
import { InMemorySchemaRegistry } from '../../src/schema-registry/index.js';

function setup() {
  const driver = new TestDriver();
  const registry = new InMemorySchemaRegistry();
  const engine = new Engine(driver, { schemaRegistry: registry });
  driver.createTopic('input', 1, 1);
  return { driver, registry, engine };
}

test('CREATE STREAM without columns takes them from the subject latest schema (names upper-cased)', () => {
  const { registry, engine } = setup();
  registry.register('input-value', {
    schemaType: 'AVRO',
    schema: JSON.stringify({ type: 'record', name: 'r', fields: [{ name: 'c1', type: 'int' }, { name: 'c2', type: ['null', 'string'], default: null }] }),
  });
  engine.executeScript("CREATE STREAM S WITH (kafka_topic='input', value_format='AVRO');");
  const s = engine.metastore.getSource('S')!;
  assert.deepEqual(
    s.schema.value.map((c) => [c.name, c.type.kind]),
    [
      ['C1', 'INTEGER'],
      ['C2', 'STRING'],
    ],
  );
});

test('partial schema: declared key, value from a PROTOBUF schema named by VALUE_SCHEMA_ID (names kept)', () => {
  const { registry, engine } = setup();
  const id = registry.register('other', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message M { int64 count = 1; string name = 2; }' });
  engine.executeScript(`CREATE TABLE T (ID INT PRIMARY KEY) WITH (kafka_topic='input', value_format='PROTOBUF', value_schema_id=${id});`);
  const t = engine.metastore.getSource('T')!;
  assert.deepEqual(t.schema.key.map((c) => c.name), ['ID']);
  assert.deepEqual(
    t.schema.value.map((c) => [c.name, c.type.kind]),
    [
      ['count', 'BIGINT'],
      ['name', 'STRING'],
    ],
  );
});

test("ksqlDB's errors: no schema in the registry, schema id with elements, schema id on a format without inference", () => {
  const { engine } = setup();
  assert.throws(() => engine.executeScript("CREATE STREAM S WITH (kafka_topic='input', value_format='JSON_SR');"), /Schema for message values on topic 'input' does not exist in the Schema Registry/);
  assert.throws(() => engine.executeScript("CREATE STREAM S (A INT) WITH (kafka_topic='input', value_format='AVRO', value_schema_id=1);"), /Table elements and VALUE_SCHEMA_ID cannot both exist/);
  assert.throws(() => engine.executeScript("CREATE STREAM S WITH (kafka_topic='input', value_format='KAFKA', value_schema_id=1);"), /VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is KAFKA./);
  assert.throws(() => engine.executeScript("CREATE STREAM S WITH (kafka_topic='input', value_format='JSON');"), /does not define any columns/);
});

test('CSAS registers its sink schemas; the records it writes carry their ids; an incompatible evolution is refused', () => {
  const { driver, registry, engine } = setup();
  engine.executeScript("CREATE STREAM S (K STRING KEY, A INT, B STRING) WITH (kafka_topic='input', format='AVRO');");
  // a source declared with columns registers its own schema when its subject has none
  assert.ok(registry.getLatest('input-value'));
  engine.executeScript('CREATE STREAM OUT AS SELECT K, A FROM S;');
  const value = registry.getLatest('OUT-value')!;
  assert.match(value.schema, /"name":"A"/);
  assert.ok(registry.getLatest('OUT-key'));
  const writer = createSerde({ format: 'AVRO', properties: {} }, [{ name: 'A', type: { kind: 'INTEGER' } }, { name: 'B', type: { kind: 'STRING' } }], {
    isKey: false,
    topic: 'input',
    registry,
    useLatestSchema: true,
  });
  driver.pipe({ topic: 'input', key: null, value: writer.serialize([7, 'x']), timestamp: 1, headers: [] });
  const out = driver.records('OUT').filter((r) => r.producedBy !== undefined);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.value!.readInt32BE(1), value.id);
  // OUT-value now has {A}; a CSAS writing A as a STRING into the same topic cannot be read by
  // BACKWARD readers of the old data
  assert.throws(
    () => engine.executeScript("CREATE STREAM OUT2 WITH (kafka_topic='OUT') AS SELECT K, B AS A FROM S;"),
    /Could not register schema for topic: Schema being registered is incompatible/,
  );
});
