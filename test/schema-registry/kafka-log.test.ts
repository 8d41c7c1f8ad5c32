/** The `_schemas` record layout: Confluent's keys and values, both ways. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEntry, encodeEntry, type LogEntry } from '../../src/schema-registry/kafka-log.js';

test("records are keyed and valued as Confluent's _schemas topic", () => {
  const version = { subject: 's', version: 2, id: 7, schemaType: 'PROTOBUF' as const, schema: 'syntax = "proto3";', references: [{ name: 'a.proto', subject: 'a', version: 1 }] };
  const r = encodeEntry({ kind: 'schema', version, deleted: false });
  assert.equal(r.key, '{"keytype":"SCHEMA","subject":"s","version":2,"magic":1}');
  assert.deepEqual(JSON.parse(r.value!), { subject: 's', version: 2, id: 7, schemaType: 'PROTOBUF', references: version.references, schema: version.schema, deleted: false });
  assert.deepEqual(encodeEntry({ kind: 'config', subject: undefined, level: 'FULL' }), { key: '{"keytype":"CONFIG","subject":null,"magic":0}', value: '{"compatibilityLevel":"FULL"}' });
  assert.deepEqual(encodeEntry({ kind: 'config', subject: 'x', level: undefined }), { key: '{"keytype":"CONFIG","subject":"x","magic":0}', value: null });
  const entries: LogEntry[] = [
    { kind: 'schema', version, deleted: true },
    { kind: 'schema', version: { ...version, schemaType: 'AVRO', references: [], schema: '"int"' }, deleted: false },
    { kind: 'schema-erased', subject: 's', version: 3 },
    { kind: 'config', subject: 'x', level: 'BACKWARD_TRANSITIVE' },
    { kind: 'config', subject: undefined, level: undefined },
    { kind: 'delete-subject', subject: 's', version: 4 },
  ];
  for (const e of entries) {
    const { key, value } = encodeEntry(e);
    assert.deepEqual(decodeEntry(key, value), e);
  }
});

test('records Confluent writes that hold nothing for Sluice are ignored; malformed ones say why', () => {
  assert.equal(decodeEntry('{"keytype":"NOOP","magic":0}', null), undefined);
  assert.equal(decodeEntry('{"keytype":"MODE","subject":null,"magic":0}', '{"mode":"READWRITE"}'), undefined);
  assert.equal(decodeEntry('{"keytype":"CONFIG","subject":null,"magic":0}', '{"normalize":true}'), undefined);
  // Confluent leaves schemaType out for AVRO
  const e = decodeEntry('{"keytype":"SCHEMA","subject":"t","version":1,"magic":1}', '{"subject":"t","version":1,"id":3,"schema":"\\"string\\"","deleted":false}');
  assert.deepEqual(e, { kind: 'schema', deleted: false, version: { subject: 't', version: 1, id: 3, schemaType: 'AVRO', schema: '"string"', references: [] } });
  assert.throws(() => decodeEntry('{"keytype":"SCHEMA","subject":"t","version":1,"magic":1}', '{"id":"x"}'), /without a valid id/);
  assert.throws(() => decodeEntry('{"keytype":"CONFIG","subject":"t","magic":0}', '{"compatibilityLevel":"SIDEWAYS"}'), /unknown level/);
  assert.throws(() => decodeEntry('not json', null));
});
