/**
 * Which schema registry a Sluice server runs with, decided by its options:
 * - an external registry's URL: a RemoteSchemaRegistryClient to it, no listener of our own;
 * - else Sluice's own registry served on the listener (Confluent's REST API): durable in the
 *   compacted `_schemas` topic when there are Kafka brokers (embedded or a cluster), in memory
 *   otherwise (`sluice server --in-memory`).
 */
import { InMemorySchemaRegistry } from './in-memory.js';
import { KafkaBackedSchemaRegistry, type KafkaBackedSchemaRegistryOptions } from './kafka-backed.js';
import { RemoteSchemaRegistryClient } from './remote.js';
import { startSchemaRegistryServer } from './rest.js';
import type { SchemaRegistryClient } from './types.js';

export const DEFAULT_SCHEMA_REGISTRY_LISTENER = { host: '127.0.0.1', port: 8081 };

export interface SchemaRegistrySetupOptions {
  /** an external registry (--schema-registry-url); when set nothing listens */
  url?: string;
  /** where Sluice's own registry listens (--schema-registry-listener); default 127.0.0.1:8081 */
  listener?: { host: string; port: number };
  /** Kafka brokers holding the registry's topic; none = a registry in memory */
  brokers?: string[];
  /** TLS and SASL for those brokers (kafkaClientSecurity(config).client) */
  security?: KafkaBackedSchemaRegistryOptions['security'];
  /** default `_schemas` */
  topic?: string;
  warn?: (message: string) => void;
}

export interface SchemaRegistrySetup {
  /** pass to new Engine(driver, { schemaRegistry }) */
  registry: SchemaRegistryClient;
  /** where clients reach the registry (the external URL or our listener's) */
  url: string;
  /** 'remote' | 'kafka' (durable, our listener) | 'memory' (our listener) */
  kind: 'remote' | 'kafka' | 'memory';
  /** stops the listener, flushes pending registry writes, disconnects */
  close(): Promise<void>;
}

export async function setupSchemaRegistry(opts: SchemaRegistrySetupOptions): Promise<SchemaRegistrySetup> {
  if (opts.url !== undefined) {
    const remote = new RemoteSchemaRegistryClient(opts.url);
    return { registry: remote, url: remote.url, kind: 'remote', close: () => remote.close() };
  }
  const durable = opts.brokers && opts.brokers.length > 0 ? await KafkaBackedSchemaRegistry.open({ brokers: opts.brokers, ...(opts.security ? { security: opts.security } : {}), topic: opts.topic, warn: opts.warn }) : undefined;
  const registry = durable ?? new InMemorySchemaRegistry();
  const listener = opts.listener ?? DEFAULT_SCHEMA_REGISTRY_LISTENER;
  let server;
  try {
    server = await startSchemaRegistryServer({ registry, host: listener.host, port: listener.port });
  } catch (e) {
    await durable?.close().catch(() => undefined);
    throw new Error(`Could not start the schema registry on ${listener.host}:${listener.port}: ${(e as Error).message}`, { cause: e });
  }
  const running = server;
  return {
    registry,
    url: running.url,
    kind: durable ? 'kafka' : 'memory',
    close: async () => {
      await running.close();
      await durable?.close();
    },
  };
}
