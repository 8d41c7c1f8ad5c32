/** `sluice server`'s schema registry options: which registry they start, and their errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerSchemaRegistryFlags, startSchemaRegistryFromFlags, type SchemaRegistryFlags } from '../../cli/schema-registry-flags.js';
import { startBroker } from '../../src/broker/index.js';
import { InMemorySchemaRegistry } from '../../src/schema-registry/in-memory.js';
import { KafkaBackedSchemaRegistry } from '../../src/schema-registry/kafka-backed.js';
import { RemoteSchemaRegistryClient } from '../../src/schema-registry/remote.js';

function parse(args: string[]): SchemaRegistryFlags {
  const cmd = registerSchemaRegistryFlags(new Command('server').exitOverride());
  cmd.parse(args, { from: 'user' });
  return cmd.opts<SchemaRegistryFlags>();
}

test('the options parse; both at once or a malformed listener are refused', async () => {
  assert.deepEqual(parse(['--schema-registry-listener', '0.0.0.0:18081']), { schemaRegistryListener: '0.0.0.0:18081' });
  assert.deepEqual(parse(['--schema-registry-url', 'http://sr:8081']), { schemaRegistryUrl: 'http://sr:8081' });
  await assert.rejects(startSchemaRegistryFromFlags({ schemaRegistryListener: '127.0.0.1:0', schemaRegistryUrl: 'http://x:1' }), /cannot both be given/);
  await assert.rejects(startSchemaRegistryFromFlags({ schemaRegistryListener: 'nowhere' }), /--schema-registry-listener must be HOST:PORT/);
});

test('no brokers: an in-memory registry on the listener; a URL: the remote client and no listener', async () => {
  const local = await startSchemaRegistryFromFlags({ schemaRegistryListener: '127.0.0.1:0' });
  try {
    assert.equal(local.kind, 'memory');
    assert.ok(local.registry instanceof InMemorySchemaRegistry);
    local.registry.register('x-value', { schema: '"string"' });
    assert.deepEqual(await (await fetch(`${local.url}/subjects`)).json(), ['x-value']);
  } finally {
    await local.close();
  }
  const remote = await startSchemaRegistryFromFlags({ schemaRegistryUrl: 'http://127.0.0.1:9/' });
  assert.equal(remote.kind, 'remote');
  assert.ok(remote.registry instanceof RemoteSchemaRegistryClient);
  assert.equal(remote.url, 'http://127.0.0.1:9');
  await remote.close();
});

test('with brokers: the durable registry on the listener', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-sr-flags-'));
  const broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir });
  try {
    const setup = await startSchemaRegistryFromFlags({ schemaRegistryListener: '127.0.0.1:0' }, [`127.0.0.1:${broker.port}`]);
    assert.equal(setup.kind, 'kafka');
    assert.ok(setup.registry instanceof KafkaBackedSchemaRegistry);
    const res = await fetch(`${setup.url}/subjects/y-value/versions`, { method: 'POST', headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ schema: '"long"' }) });
    assert.deepEqual(await res.json(), { id: 1 });
    await setup.close();
    const again = await KafkaBackedSchemaRegistry.open({ brokers: [`127.0.0.1:${broker.port}`] });
    assert.deepEqual(again.listSubjects(), ['y-value']);
    await again.close();
  } finally {
    await broker.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
