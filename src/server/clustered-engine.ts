/**
 * A server's engine on Kafka with its metastore in the command topic: the engine runs over a
 * CommandDriver, and the command runner has replayed the log (the queries it leaves running
 * have started) by the time this resolves. `sluice server` and the tests build servers with it.
 */
import type { Kafka } from 'kafkajs';
import { Engine } from '../engine/engine.js';
import type { EngineDriver } from '../engine/driver.js';
import type { SchemaRegistryClient } from '../schema-registry/index.js';
import { CommandDriver } from './command-driver.js';
import { CommandRunner } from './command-runner.js';
import { KafkaCommandStore } from './command-topic.js';

export interface ClusteredEngineOptions {
  driver: EngineDriver;
  kafka: Kafka;
  serviceId: string;
  config: Record<string, unknown>;
  schemaRegistry?: SchemaRegistryClient;
  info(msg: string): void;
  warn(msg: string): void;
}

export async function startClusteredEngine(opts: ClusteredEngineOptions): Promise<{ engine: Engine; runner: CommandRunner }> {
  const commandDriver = new CommandDriver(opts.driver);
  const engine = new Engine(commandDriver, { config: opts.config, ...(opts.schemaRegistry ? { schemaRegistry: opts.schemaRegistry } : {}) });
  const replicas = Number(opts.config['ksql.internal.topic.replicas'] ?? 1);
  const store = await KafkaCommandStore.open(opts.kafka, opts.serviceId, Number.isInteger(replicas) && replicas > 0 ? replicas : 1);
  const runner = new CommandRunner(engine, commandDriver, store, { info: opts.info, warn: opts.warn });
  try {
    await runner.start();
  } catch (err) {
    await runner.close();
    throw err;
  }
  return { engine, runner };
}
