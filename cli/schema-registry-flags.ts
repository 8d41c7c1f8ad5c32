/**
 * The schema registry options of `sluice server`, for its command to add and act on:
 *   --schema-registry-listener HOST:PORT  Sluice's own registry (default 127.0.0.1:8081)
 *   --schema-registry-url URL             an external registry instead (nothing listens)
 * registerSchemaRegistryFlags(command) adds them; startSchemaRegistryFromFlags(flags, brokers)
 * starts what they ask for. The engine then takes `setup.registry` as its schemaRegistry.
 */
import type { Command } from 'commander';
import { setupSchemaRegistry, type SchemaRegistrySetup, type SchemaRegistrySetupOptions } from '../src/schema-registry/setup.js';
import { parseHostPort } from './host-port.js';

export interface SchemaRegistryFlags {
  schemaRegistryListener?: string;
  schemaRegistryUrl?: string;
}

export function registerSchemaRegistryFlags(command: Command): Command {
  return command
    .option('--schema-registry-listener <host:port>', "listener of Sluice's schema registry (Confluent's REST API), started when no --schema-registry-url is given (default 127.0.0.1:8081)")
    .option('--schema-registry-url <url>', 'an external Confluent-compatible schema registry to use instead of starting one');
}

/**
 * `brokers`: the Kafka the server runs on (the embedded broker's address or --bootstrap-servers);
 * the registry keeps its schemas in their `_schemas` topic. Omit it with --in-memory. `security`:
 * the TLS and SASL settings the driver connects with (DriverHandle.security).
 */
export async function startSchemaRegistryFromFlags(flags: SchemaRegistryFlags, brokers?: string[], warn?: (message: string) => void, security?: SchemaRegistrySetupOptions['security']): Promise<SchemaRegistrySetup> {
  if (flags.schemaRegistryUrl !== undefined && flags.schemaRegistryListener !== undefined) {
    throw new Error('--schema-registry-listener and --schema-registry-url cannot both be given: the listener serves Sluice\'s own registry, the URL names an external one');
  }
  const listener = flags.schemaRegistryListener === undefined ? undefined : parseHostPort(flags.schemaRegistryListener, '--schema-registry-listener');
  return setupSchemaRegistry({ url: flags.schemaRegistryUrl, listener, brokers, warn, ...(security ? { security } : {}) });
}
