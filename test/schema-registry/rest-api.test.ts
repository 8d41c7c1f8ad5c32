/** Confluent Schema Registry's REST endpoints, answers and error codes, through fastify's inject. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySchemaRegistry } from '../../src/schema-registry/index.js';
import { buildSchemaRegistryApp } from '../../src/schema-registry/rest.js';

const CT = 'application/vnd.schemaregistry.v1+json';

function setup() {
  const registry = new InMemorySchemaRegistry();
  const app = buildSchemaRegistryApp({ registry });
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, contentType = CT) => {
    const res = await app.inject({ method, url, headers: body === undefined ? {} : { 'content-type': contentType }, payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.statusCode, type: res.headers['content-type'], body: res.body === '' ? undefined : (JSON.parse(res.body) as unknown) };
  };
  return { registry, app, call };
}

const rec = (fields: object[]) => JSON.stringify({ type: 'record', name: 'R', fields });

test('register, list, fetch by version (number, latest, -1), raw schema, by id, versions of an id, lookup', async () => {
  const { call } = setup();
  const s1 = rec([{ name: 'a', type: 'int' }]);
  const s2 = rec([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: 'x' }]);
  assert.deepEqual((await call('POST', '/subjects/t-value/versions', { schema: s1 })).body, { id: 1 });
  // registering the same schema again returns its id, no new version
  assert.deepEqual((await call('POST', '/subjects/t-value/versions', { schema: s1 }, 'application/json')).body, { id: 1 });
  assert.deepEqual((await call('POST', '/subjects/t-value/versions', { schema: s2, schemaType: 'AVRO' })).body, { id: 2 });
  // an identical schema under another subject shares its id
  assert.deepEqual((await call('POST', '/subjects/other/versions', { schema: s1 })).body, { id: 1 });

  const subjects = await call('GET', '/subjects');
  assert.equal(subjects.type, CT);
  assert.deepEqual(subjects.body, ['other', 't-value']);
  assert.deepEqual((await call('GET', '/subjects/t-value/versions')).body, [1, 2]);
  assert.deepEqual((await call('GET', '/subjects/t-value/versions/1')).body, { subject: 't-value', version: 1, id: 1, schema: s1 });
  assert.deepEqual((await call('GET', '/subjects/t-value/versions/latest')).body, { subject: 't-value', version: 2, id: 2, schema: s2 });
  assert.deepEqual((await call('GET', '/subjects/t-value/versions/-1')).body, { subject: 't-value', version: 2, id: 2, schema: s2 });
  assert.deepEqual((await call('GET', '/subjects/t-value/versions/1/schema')).body, JSON.parse(s1));
  assert.deepEqual((await call('GET', '/schemas/ids/2')).body, { schema: s2 });
  assert.deepEqual((await call('GET', '/schemas/ids/1/schema')).body, JSON.parse(s1));
  assert.deepEqual((await call('GET', '/schemas/ids/1/versions')).body, [
    { subject: 'other', version: 1 },
    { subject: 't-value', version: 1 },
  ]);
  assert.deepEqual((await call('GET', '/schemas/ids/1/subjects')).body, ['other', 't-value']);
  assert.deepEqual(((await call('GET', '/schemas/types')).body as string[]).sort(), ['AVRO', 'JSON', 'PROTOBUF']);
  assert.deepEqual((await call('GET', '/subjects?subjectPrefix=t-')).body, ['t-value']);
  assert.deepEqual((await call('GET', '/schemas?latestOnly=true')).body, [
    { subject: 'other', version: 1, id: 1, schema: s1 },
    { subject: 't-value', version: 2, id: 2, schema: s2 },
  ]);
  assert.equal(((await call('GET', '/schemas')).body as unknown[]).length, 3);

  // lookup ignores formatting
  const pretty = JSON.stringify(JSON.parse(s2), null, 2);
  assert.deepEqual((await call('POST', '/subjects/t-value', { schema: pretty })).body, { subject: 't-value', version: 2, id: 2, schema: s2 });
  assert.deepEqual(await call('POST', '/subjects/t-value', { schema: rec([{ name: 'z', type: 'long' }]) }), {
    status: 404,
    type: CT,
    body: { error_code: 40403, message: 'Schema not found' },
  });
});

test("Confluent's error codes: 40401, 40402, 40403, 42201, 42202, 409, 42203, 40408, malformed JSON", async () => {
  const { call } = setup();
  await call('POST', '/subjects/s/versions', { schema: rec([{ name: 'a', type: 'int' }]) });
  const code = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const r = await call(method, url, body);
    return [r.status, (r.body as { error_code: number }).error_code];
  };
  assert.deepEqual(await code('GET', '/subjects/nope/versions'), [404, 40401]);
  assert.deepEqual(await code('GET', '/subjects/nope/versions/1'), [404, 40401]);
  assert.deepEqual(await code('GET', '/subjects/s/versions/7'), [404, 40402]);
  assert.deepEqual(await code('GET', '/subjects/s/versions/0'), [422, 42202]);
  assert.deepEqual(await code('GET', '/subjects/s/versions/abc'), [422, 42202]);
  assert.deepEqual(await code('GET', '/schemas/ids/99'), [404, 40403]);
  assert.deepEqual(await code('GET', '/schemas/ids/x'), [404, 40403]);
  assert.deepEqual(await code('POST', '/subjects/s/versions', { schema: '{"type": "recor' }), [422, 42201]);
  assert.deepEqual(await code('POST', '/subjects/s/versions', { schema: '{"type":"nonsense"}' }), [422, 42201]);
  assert.deepEqual(await code('POST', '/subjects/s/versions', { schema: 'x', schemaType: 'XML' }), [422, 42201]);
  assert.deepEqual(await code('POST', '/subjects/s/versions', {}), [422, 42201]);
  assert.deepEqual(await code('POST', '/subjects/s/versions', { schema: rec([{ name: 'a', type: 'string' }]) }), [409, 409]);
  assert.deepEqual(await code('PUT', '/config', { compatibility: 'SIDEWAYS' }), [422, 42203]);
  assert.deepEqual(await code('GET', '/config/s'), [404, 40408]);
  const bad = await call('POST', '/subjects/s/versions', '{not json');
  assert.equal(bad.status, 400);
  assert.equal((bad.body as { error_code: number }).error_code, 400);
});

test('config: global and per subject, defaultToGlobal, delete; is_compatible per version', async () => {
  const { call, registry } = setup();
  assert.deepEqual((await call('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' });
  assert.deepEqual((await call('PUT', '/config', { compatibility: 'full' })).body, { compatibility: 'FULL' });
  assert.equal(registry.getCompatibility(), 'FULL');
  assert.deepEqual((await call('GET', '/config/s?defaultToGlobal=true')).body, { compatibilityLevel: 'FULL' });
  assert.deepEqual((await call('PUT', '/config/s', { compatibility: 'NONE' })).body, { compatibility: 'NONE' });
  assert.deepEqual((await call('GET', '/config/s')).body, { compatibilityLevel: 'NONE' });
  assert.deepEqual((await call('DELETE', '/config/s')).body, { compatibilityLevel: 'NONE' });
  assert.equal(registry.getCompatibility('s'), 'FULL');

  await call('PUT', '/config', { compatibility: 'BACKWARD' });
  const v1 = rec([{ name: 'a', type: 'int' }]);
  const v2 = rec([{ name: 'a', type: 'long' }]);
  await call('POST', '/subjects/s/versions', { schema: v1 });
  // int -> long is a promotion: long reads int (BACKWARD), int cannot read long
  assert.deepEqual((await call('POST', '/compatibility/subjects/s/versions/latest', { schema: v2 })).body, { is_compatible: true });
  assert.deepEqual((await call('POST', '/compatibility/subjects/s/versions/1', { schema: v2 })).body, { is_compatible: true });
  await call('PUT', '/config/s', { compatibility: 'FORWARD' });
  const verdict = (await call('POST', '/compatibility/subjects/s/versions/latest?verbose=true', { schema: v2 })).body as { is_compatible: boolean; messages: string[] };
  assert.equal(verdict.is_compatible, false);
  assert.equal(verdict.messages.length, 1);
  assert.equal((await call('POST', '/compatibility/subjects/s/versions/5', { schema: v2 })).status, 404);
  // an empty subject accepts anything
  assert.deepEqual((await call('POST', '/compatibility/subjects/empty/versions/latest', { schema: v2 })).body, { is_compatible: true });
});

test('references: registered with a referenced subject version (-1 = latest), referencedby, guarded delete', async () => {
  const { call } = setup();
  const address = JSON.stringify({ type: 'record', name: 'Address', namespace: 'ex', fields: [{ name: 'city', type: 'string' }] });
  const person = JSON.stringify({ type: 'record', name: 'Person', namespace: 'ex', fields: [{ name: 'home', type: 'ex.Address' }] });
  assert.deepEqual((await call('POST', '/subjects/address/versions', { schema: address })).body, { id: 1 });
  // without the reference the type is unknown
  assert.equal((await call('POST', '/subjects/person/versions', { schema: person })).status, 422);
  const refs = [{ name: 'ex.Address', subject: 'address', version: -1 }];
  assert.deepEqual((await call('POST', '/subjects/person/versions', { schema: person, references: refs })).body, { id: 2 });
  assert.deepEqual((await call('GET', '/schemas/ids/2')).body, { schema: person, references: [{ name: 'ex.Address', subject: 'address', version: 1 }] });
  assert.deepEqual((await call('GET', '/subjects/address/versions/1/referencedby')).body, [2]);
  const refused = await call('DELETE', '/subjects/address/versions/1');
  assert.equal((refused.body as { error_code: number }).error_code, 42206);
  assert.equal(((await call('DELETE', '/subjects/address')).body as { error_code: number }).error_code, 42206);
  // once the referring subject is gone, the referenced one may go
  assert.deepEqual((await call('DELETE', '/subjects/person')).body, [1]);
  assert.deepEqual((await call('DELETE', '/subjects/address')).body, [1]);
  await call('POST', '/subjects/address/versions', { schema: address });
  assert.equal((await call('POST', '/subjects/person/versions', { schema: person, references: [{ name: 'ex.Address', subject: 'address' }] })).status, 422);
});

test('deletes: a version, then the subject; ids keep resolving', async () => {
  const { call } = setup();
  await call('PUT', '/config', { compatibility: 'NONE' });
  await call('POST', '/subjects/d/versions', { schema: rec([{ name: 'a', type: 'int' }]) });
  await call('POST', '/subjects/d/versions', { schema: rec([{ name: 'b', type: 'int' }]) });
  await call('POST', '/subjects/d/versions', { schema: rec([{ name: 'c', type: 'int' }]) });
  assert.deepEqual((await call('DELETE', '/subjects/d/versions/2')).body, 2);
  assert.deepEqual((await call('GET', '/subjects/d/versions')).body, [1, 3]);
  // Confluent's Java client sends its content type on bodiless requests too
  assert.deepEqual((await call('DELETE', '/subjects/d/versions/latest', '')).body, 3);
  assert.deepEqual((await call('DELETE', '/subjects/d')).body, [1]);
  assert.deepEqual((await call('GET', '/subjects')).body, []);
  assert.equal((await call('DELETE', '/subjects/d')).status, 404);
  assert.equal((await call('GET', '/schemas/ids/3')).status, 200);
  // deleted version numbers stay taken (Confluent's soft delete)
  await call('POST', '/subjects/d/versions', { schema: rec([{ name: 'e', type: 'int' }]) });
  assert.deepEqual((await call('GET', '/subjects/d/versions')).body, [4]);
});
