import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySchemaRegistry, SchemaRegistryError, type CompatibilityLevel } from '../../src/schema-registry/index.js';

const avro = (fields: object[]) => ({ schemaType: 'AVRO' as const, schema: JSON.stringify({ type: 'record', name: 'R', fields }) });

test('ids are global and shared by identical schemas; versions count per subject; re-registering is idempotent', () => {
  const r = new InMemorySchemaRegistry();
  const a = r.register('a-value', avro([{ name: 'x', type: 'int' }]));
  assert.equal(r.register('a-value', avro([{ name: 'x', type: 'int' }])), a);
  const b = r.register('b-value', avro([{ name: 'x', type: 'int' }]));
  assert.equal(b, a);
  const a2 = r.register('a-value', avro([{ name: 'x', type: 'int' }, { name: 'y', type: ['null', 'string'], default: null }]));
  assert.notEqual(a2, a);
  assert.deepEqual(r.listVersions('a-value'), [1, 2]);
  assert.equal(r.getLatest('a-value')!.id, a2);
  assert.equal(r.getVersion('a-value', 1).id, a);
  assert.equal(r.getVersion('a-value', -1).version, 2);
  assert.deepEqual(r.listSubjects(), ['a-value', 'b-value']);
  assert.equal(r.getById(a).schemaType, 'AVRO');
  assert.equal(r.getLatest('nope'), undefined);
  assert.throws(() => r.getById(999), (e: unknown) => e instanceof SchemaRegistryError && e.errorCode === 40403);
  assert.throws(() => r.getVersion('nope', 1), (e: unknown) => e instanceof SchemaRegistryError && e.errorCode === 40401);
  assert.deepEqual(r.deleteSubject('b-value'), [1]);
  assert.deepEqual(r.listSubjects(), ['a-value']);
});

test('invalid schemas are refused (42201); explicit ids are honoured and never overwritten', () => {
  const r = new InMemorySchemaRegistry();
  assert.throws(() => r.register('s', { schemaType: 'AVRO', schema: '{"type":"record"}' }), (e: unknown) => e instanceof SchemaRegistryError && e.errorCode === 42201);
  assert.throws(() => r.register('s', { schemaType: 'PROTOBUF', schema: 'message {' }), (e: unknown) => e instanceof SchemaRegistryError && e.errorCode === 42201);
  assert.throws(() => r.register('s', { schemaType: 'JSON', schema: '{' }), (e: unknown) => e instanceof SchemaRegistryError && e.errorCode === 42201);
  assert.equal(r.register('t', { schemaType: 'AVRO', schema: '"int"', id: 10 }), 10);
  assert.equal(r.register('u', { schemaType: 'AVRO', schema: '"long"' }), 11);
  assert.throws(() => r.register('v', { schemaType: 'AVRO', schema: '"string"', id: 10 }), (e: unknown) => e instanceof SchemaRegistryError && e.errorCode === 42207);
});

test('references resolve transitively and must exist', () => {
  const r = new InMemorySchemaRegistry();
  r.register('common.proto', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message Common { int32 a = 1; }' });
  r.register('mid.proto', {
    schemaType: 'PROTOBUF',
    schema: 'syntax = "proto3"; import "common.proto"; message Mid { Common c = 1; }',
    references: [{ name: 'common.proto', subject: 'common.proto', version: 1 }],
  });
  const refs = r.resolveReferences([{ name: 'mid.proto', subject: 'mid.proto', version: 1 }]);
  assert.deepEqual([...refs.keys()], ['mid.proto', 'common.proto']);
  assert.throws(() => r.register('x', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message X { int32 a = 1; }', references: [{ name: 'gone.proto', subject: 'gone', version: 1 }] }), /not found/);
});

/** Registers v1 then v2 under a level; true when v2 was accepted. */
function evolves(level: CompatibilityLevel, versions: { schemaType: 'AVRO' | 'PROTOBUF' | 'JSON'; schema: string }[]): boolean {
  const r = new InMemorySchemaRegistry({ compatibility: level });
  for (const v of versions.slice(0, -1)) {
    // earlier versions go in with no check, so the history can be anything
    r.setCompatibility('NONE', 's');
    r.register('s', v);
  }
  r.setCompatibility(level, 's');
  try {
    r.register('s', versions.at(-1)!);
    return true;
  } catch (e) {
    assert.ok(e instanceof SchemaRegistryError && e.errorCode === 409, String(e));
    return false;
  }
}

const A1 = avro([{ name: 'x', type: 'int' }]);
const A_ADD_DEFAULT = avro([{ name: 'x', type: 'int' }, { name: 'y', type: 'string', default: '' }]);
const A_ADD_REQUIRED = avro([{ name: 'x', type: 'int' }, { name: 'y', type: 'string' }]);
const A_WIDEN = avro([{ name: 'x', type: 'long' }]);
const A_EMPTY = avro([]);

test('Avro: BACKWARD accepts fields added with defaults and promotions, refuses added required fields', () => {
  assert.equal(evolves('BACKWARD', [A1, A_ADD_DEFAULT]), true);
  assert.equal(evolves('BACKWARD', [A1, A_WIDEN]), true);
  assert.equal(evolves('BACKWARD', [A1, A_EMPTY]), true);
  assert.equal(evolves('BACKWARD', [A1, A_ADD_REQUIRED]), false);
  assert.equal(evolves('BACKWARD', [A_WIDEN, A1]), false);
});

test('Avro: FORWARD is the reverse direction', () => {
  assert.equal(evolves('FORWARD', [A1, A_ADD_REQUIRED]), true);
  assert.equal(evolves('FORWARD', [A_WIDEN, A1]), true);
  assert.equal(evolves('FORWARD', [A1, A_EMPTY]), false);
  assert.equal(evolves('FORWARD', [A1, A_WIDEN]), false);
});

test('Avro: FULL needs both; NONE accepts anything', () => {
  assert.equal(evolves('FULL', [A1, A_ADD_DEFAULT]), true);
  assert.equal(evolves('FULL', [A1, A_ADD_REQUIRED]), false);
  assert.equal(evolves('FULL', [A1, A_WIDEN]), false);
  assert.equal(evolves('NONE', [A1, avro([{ name: 'x', type: 'string' }])]), true);
});

test('transitive levels check every earlier version, the plain ones only the latest', () => {
  // v1 {x int}; v2 {} (no fields); v3 {y string} required: readable from v2 data? no (no default), so
  // use a default that v1 data cannot satisfy in type: v3 {x string default ""}
  const v1 = A1;
  const v2 = A_EMPTY;
  const v3 = avro([{ name: 'x', type: 'string', default: '' }]);
  assert.equal(evolves('BACKWARD', [v1, v2, v3]), true);
  assert.equal(evolves('BACKWARD_TRANSITIVE', [v1, v2, v3]), false);
  assert.equal(evolves('FORWARD', [v3, v2, v1]), true);
  assert.equal(evolves('FORWARD_TRANSITIVE', [v3, v2, v1]), false);
  assert.equal(evolves('FULL', [v1, v2, v3]), true);
  assert.equal(evolves('FULL_TRANSITIVE', [v1, v2, v3]), false);
  assert.equal(evolves('FULL_TRANSITIVE', [A1, A_ADD_DEFAULT, avro([{ name: 'x', type: 'int' }, { name: 'y', type: 'string', default: '' }, { name: 'z', type: 'int', default: 0 }])]), true);
});

const proto = (body: string) => ({ schemaType: 'PROTOBUF' as const, schema: `syntax = "proto3"; package p; ${body}` });

test('Protobuf: fields may be added, removed and renamed; kinds, scalar groups, named types and messages must stay', () => {
  const base = proto('message M { int32 a = 1; string b = 2; N n = 3; } message N { int32 q = 1; }');
  for (const level of ['BACKWARD', 'FORWARD', 'FULL_TRANSITIVE'] as const) {
    assert.equal(evolves(level, [base, proto('message M { int32 a = 1; string b = 2; N n = 3; int64 c = 4; } message N { int32 q = 1; }')]), true, `${level} add`);
    assert.equal(evolves(level, [base, proto('message M { int32 a = 1; N n = 3; } message N { int32 q = 1; }')]), true, `${level} remove`);
    assert.equal(evolves(level, [base, proto('message M { int32 renamed = 1; string b = 2; N n = 3; } message N { int32 q = 1; }')]), true, `${level} rename`);
    assert.equal(evolves(level, [base, proto('message M { int64 a = 1; bytes b = 2; N n = 3; } message N { int32 q = 1; }')]), true, `${level} wire-compatible`);
    assert.equal(evolves(level, [base, proto('message M { double a = 1; string b = 2; N n = 3; } message N { int32 q = 1; }')]), false, `${level} scalar kind`);
    assert.equal(evolves(level, [base, proto('message M { int32 a = 1; string b = 2; repeated N n = 3; } message N { int32 q = 1; }')]), false, `${level} field kind`);
    assert.equal(evolves(level, [base, proto('message M { int32 a = 1; string b = 2; O n = 3; } message N { int32 q = 1; } message O { int32 q = 1; }')]), false, `${level} named type`);
  }
  // a message the old schema has is gone: old data cannot be read
  assert.equal(evolves('BACKWARD', [base, proto('message M { int32 a = 1; string b = 2; }')]), false);
  assert.equal(evolves('NONE', [base, proto('message Z { double a = 1; }')]), true);
  assert.equal(evolves('BACKWARD', [base, { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; package q; message M { int32 a = 1; string b = 2; N n = 3; } message N { int32 q = 1; }' }]), false);
});

const json = (s: object) => ({ schemaType: 'JSON' as const, schema: JSON.stringify(s) });

test('JSON Schema: BACKWARD refuses narrowing, new required properties and properties added to an open model', () => {
  const closed = (props: object, extra: object = {}) => json({ type: 'object', properties: props, additionalProperties: false, ...extra });
  const v1 = closed({ a: { type: 'integer' } });
  assert.equal(evolves('BACKWARD', [v1, closed({ a: { type: 'number' } })]), true, 'widening');
  assert.equal(evolves('BACKWARD', [v1, closed({ a: { type: 'integer' }, b: { type: 'string' } })]), true, 'optional property added to a closed model');
  assert.equal(evolves('BACKWARD', [v1, closed({ a: { type: 'integer' }, b: { type: 'string' } }, { required: ['b'] })]), false, 'required added');
  assert.equal(evolves('BACKWARD', [closed({ a: { type: 'number' } }), v1]), false, 'narrowing');
  assert.equal(evolves('BACKWARD', [v1, closed({})]), false, 'property removed from a closed model');
  const open = json({ type: 'object', properties: { a: { type: 'integer' } } });
  assert.equal(evolves('BACKWARD', [open, json({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } } })]), false, 'added to an open model');
  assert.equal(evolves('BACKWARD', [open, json({ type: 'object', properties: {} })]), true, 'removed from an open model');
  assert.equal(evolves('BACKWARD', [json({ type: 'string', enum: ['x'] }), json({ type: 'string', enum: ['x', 'y'] })]), true, 'enum grows');
  assert.equal(evolves('BACKWARD', [json({ type: 'string', enum: ['x', 'y'] }), json({ type: 'string', enum: ['x'] })]), false, 'enum shrinks');
  assert.equal(evolves('BACKWARD', [json({ type: 'string', maxLength: 5 }), json({ type: 'string', maxLength: 3 })]), false, 'maxLength narrows');
  assert.equal(evolves('BACKWARD', [json({ oneOf: [{ type: 'null' }, { type: 'integer' }] }), json({ oneOf: [{ type: 'null' }, { type: 'number' }] })]), true, 'union widens');
});

test('JSON Schema: FORWARD and FULL apply the rule the other way and both ways', () => {
  const closed = (props: object) => json({ type: 'object', properties: props, additionalProperties: false });
  const v1 = closed({ a: { type: 'number' } });
  const v2 = closed({ a: { type: 'integer' } });
  assert.equal(evolves('FORWARD', [v1, v2]), true);
  assert.equal(evolves('FORWARD', [v2, v1]), false);
  assert.equal(evolves('FULL', [v1, v2]), false);
  assert.equal(evolves('FULL', [v2, closed({ a: { type: 'integer' }, b: { type: 'string' } })]), false);
  assert.equal(evolves('FULL', [v2, v2]), true);
});

test('testCompatibility reports without registering; per-subject levels override the global one', () => {
  const r = new InMemorySchemaRegistry();
  r.register('s', A1);
  const res = r.testCompatibility('s', A_ADD_REQUIRED);
  assert.equal(res.compatible, false);
  assert.ok(res.messages.length > 0);
  assert.deepEqual(r.listVersions('s'), [1]);
  r.setCompatibility('FORWARD', 's');
  assert.equal(r.getCompatibility('s'), 'FORWARD');
  assert.equal(r.getCompatibility(), 'BACKWARD');
  assert.equal(r.testCompatibility('s', A_ADD_REQUIRED).compatible, true);
  assert.equal(r.testCompatibility('fresh', A_ADD_REQUIRED).compatible, true);
});
