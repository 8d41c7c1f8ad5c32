import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../src/common/decimal.js';
import { createSerde, decodeTestValue, encodeTestValue, parseProtobuf, protobufSchemaFor, registeredSchemaColumns, SerdeError } from '../../src/runtime/serde/index.js';
import { encodeMessageIndexes, unframe } from '../../src/runtime/serde/sr-framing.js';
import { InMemorySchemaRegistry } from '../../src/schema-registry/index.js';
import { arr, BIG, BOOL, BYTES, cols, DATE, DBL, dec, INT, map, serde, STR, struct, TIME, TS } from './helpers.js';

test('derived schema: one proto3 message, fields numbered in column order, nested messages, well-known types', () => {
  const text = protobufSchemaFor(cols({ I: INT, S: struct({ A: STR }), D: dec(4, 2), T: TS, DT: DATE, TM: TIME, L: arr(BIG), M: map(STR, DBL) }), 'DEFAULT');
  assert.match(text, /syntax = "proto3";/);
  assert.match(text, /message ConnectDefault1 \{/);
  assert.match(text, /int32 I = 1;/);
  assert.match(text, /ConnectDefault2 S = 2;/);
  assert.match(text, /confluent\.type\.Decimal D = 3 \[\(confluent\.field_meta\)/);
  assert.match(text, /google\.protobuf\.Timestamp T = 4;/);
  assert.match(text, /google\.type\.Date DT = 5;/);
  assert.match(text, /google\.type\.TimeOfDay TM = 6;/);
  assert.match(text, /repeated int64 L = 7;/);
  assert.match(text, /map<string, double> M = 8;/);
  // and it parses back, with the decimal's precision and scale readable for inference
  const parsed = parseProtobuf(text);
  const inferred = registeredSchemaColumns({ schemaType: 'PROTOBUF', schema: text }, new Map(), 'PROTOBUF', { isKey: false, unwrapped: false, upper: true });
  assert.equal(parsed.messages[0]!.name, 'ConnectDefault1');
  assert.deepEqual(inferred.find((c) => c.name === 'D')!.type, dec(4, 2));
  assert.deepEqual(inferred.find((c) => c.name === 'S')!.type, struct({ A: STR }));
  assert.match(protobufSchemaFor(cols({ I: INT }), 'OPTIONAL'), /optional int32 I = 1;/);
  assert.match(protobufSchemaFor(cols({ I: INT }), 'WRAPPER'), /google\.protobuf\.Int32Value I = 1;/);
});

test('PROTOBUF_NOSR is the bare message; PROTOBUF adds magic byte, schema id and message index', () => {
  assert.deepEqual(serde('PROTOBUF_NOSR', { I: INT }).serialize([1]), Buffer.from([0x08, 0x01]));
  assert.deepEqual(serde('PROTOBUF', { I: INT }).serialize([1]), Buffer.from([0, 0, 0, 0, 0, 0, 0x08, 0x01]));
  assert.deepEqual(serde('PROTOBUF', { I: INT }, { properties: { schemaId: '7' } }).serialize([1]), Buffer.from([0, 0, 0, 0, 7, 0, 0x08, 0x01]));
});

test('message indexes: [0] is a single 0 byte, other paths a zig-zag count then indexes', () => {
  assert.deepEqual(encodeMessageIndexes([0]), Buffer.from([0]));
  assert.deepEqual(encodeMessageIndexes([1]), Buffer.from([2, 2]));
  assert.deepEqual(encodeMessageIndexes([1, 0]), Buffer.from([4, 2, 0]));
  const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 3]), encodeMessageIndexes([2, 1]), Buffer.from([8, 1])]);
  assert.deepEqual(unframe(framed, true, 'value'), { schemaId: 3, indexes: [2, 1], payload: Buffer.from([8, 1]) });
});

test('every type round-trips (keys are messages too)', () => {
  const columns = { I: INT, B: BIG, D: DBL, S: STR, BO: BOOL, BY: BYTES, DE: dec(6, 2), DT: DATE, TM: TIME, T: TS, A: arr(STR), M: map(STR, INT), ST: struct({ X: INT, Y: struct({ Z: STR }) }) };
  const row = [
    -5,
    9007199254740993n,
    1.5,
    'héllo',
    true,
    Buffer.from([1, 2, 3]),
    new Decimal('-1234.56'),
    19000,
    3_723_004,
    -1_500,
    ['a', 'b'],
    new Map([['k', 3]]),
    { X: 1, Y: { Z: 'z' } },
  ];
  for (const format of ['PROTOBUF', 'PROTOBUF_NOSR'] as const) {
    const s = serde(format, columns);
    const back = s.deserialize(s.serialize(row))!;
    assert.equal(back[0], -5);
    assert.equal(back[1], 9007199254740993n);
    assert.deepEqual(back.slice(2, 6), [1.5, 'héllo', true, Buffer.from([1, 2, 3])]);
    assert.equal((back[6] as Decimal).toString(), '-1234.56');
    assert.deepEqual(back.slice(7), [19000, 3_723_004, -1_500, ['a', 'b'], new Map([['k', 3]]), { X: 1, Y: { Z: 'z' } }]);
  }
  const key = serde('PROTOBUF', { F1: INT }, { isKey: true });
  assert.deepEqual(key.deserialize(key.serialize([4])), [4]);
});

test('nulls: plain fields read back as defaults, optional and wrapper fields keep null, messages keep null', () => {
  const columns = { I: INT, S: STR, A: arr(INT), M: map(STR, INT), ST: struct({ X: INT }) };
  const plain = serde('PROTOBUF', columns);
  assert.deepEqual(plain.deserialize(plain.serialize([null, null, null, null, null])), [0, '', [], new Map(), null]);
  assert.deepEqual(plain.deserialize(plain.serialize([null, null, null, null, { X: null }])), [0, '', [], new Map(), { X: 0 }]);
  for (const nullableRepresentation of ['OPTIONAL', 'WRAPPER']) {
    const s = serde('PROTOBUF_NOSR', { I: INT, S: STR }, { properties: { nullableRepresentation } });
    assert.deepEqual(s.deserialize(s.serialize([null, null])), [null, null]);
    assert.deepEqual(s.deserialize(s.serialize([0, ''])), [0, '']);
  }
  assert.equal(plain.deserialize(null), null);
  assert.equal(plain.serialize(null), null);
});

test('with a registry: writes register <topic>-value; reads use the writer schema the id names, fields matched by name', () => {
  const registry = new InMemorySchemaRegistry();
  const writerText = 'syntax = "proto3"; package p; message Other { int32 q = 1; } message Event { string name = 1; int64 count = 2; Other nested = 3; }';
  const id = registry.register('events-value', { schemaType: 'PROTOBUF', schema: writerText });
  // the test codec writes with the subject's latest schema (second message: index [1])
  const opts = { isKey: false, topic: 'events', registry };
  const columns = cols({ NAME: STR, COUNT: BIG, NESTED: struct({ Q: INT }) });
  const bytes = encodeTestValue({ format: 'PROTOBUF', properties: { fullSchemaName: 'p.Event' } }, columns, opts, { name: 'x', count: 3, nested: { q: 2 } })!;
  assert.deepEqual([...bytes.subarray(0, 7)], [0, 0, 0, 0, id, 2, 2]);
  const reader = createSerde({ format: 'PROTOBUF', properties: {} }, columns, opts);
  assert.deepEqual(reader.deserialize(bytes), ['x', 3n, { Q: 2 }]);
  assert.deepEqual(decodeTestValue({ format: 'PROTOBUF', properties: {} }, columns, opts, bytes), { name: 'x', count: 3, nested: { q: 2 } });
  // a writer without a schema id registers the columns' schema under the subject
  const sink = createSerde({ format: 'PROTOBUF', properties: {} }, cols({ A: INT }), { isKey: false, topic: 'out', registry });
  const out = sink.serialize([1])!;
  const latest = registry.getLatest('out-value')!;
  assert.equal(out.readInt32BE(1), latest.id);
  assert.match(latest.schema, /int32 A = 1;/);
});

test('schema references resolve through the registry', () => {
  const registry = new InMemorySchemaRegistry();
  registry.register('event.proto', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message Event { int64 timestamp = 1; }' });
  const id = registry.register('in-value', {
    schemaType: 'PROTOBUF',
    schema: 'syntax = "proto3"; import "event.proto"; message Logistics { Event event = 1; }',
    references: [{ name: 'event.proto', subject: 'event.proto', version: 1 }],
  });
  const s = registry.getById(id);
  const columns = registeredSchemaColumns(s, registry.resolveReferences(s.references), 'PROTOBUF', { isKey: false, unwrapped: false, upper: false });
  assert.deepEqual(columns, cols({ event: struct({ timestamp: BIG }) }));
});

test('bad bytes and bad schemas are clear SerdeErrors', () => {
  assert.throws(() => serde('PROTOBUF', { I: INT }).deserialize(Buffer.from([1, 2, 3])), SerdeError);
  assert.throws(() => serde('PROTOBUF_NOSR', { I: INT }).deserialize(Buffer.from([0x0a, 0x05, 0x01])), SerdeError);
  assert.throws(() => parseProtobuf('syntax = "proto3"; message {'), SerdeError);
  assert.throws(() => parseProtobuf('syntax = "proto3"; import "missing.proto"; message A { int32 a = 1; }'), /cannot resolve import/);
  assert.throws(() => serde('PROTOBUF', { I: INT }).serialize(['not a number']), SerdeError);
});
