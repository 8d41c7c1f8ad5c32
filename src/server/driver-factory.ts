/**
 * The one place `sluice server` chooses what runs its queries:
 * - with --bootstrap-servers: the Kafka driver against that cluster;
 * - without it: Sluice starts its embedded single-node broker in-process (--kafka-listener,
 *   default 127.0.0.1:9092, data under <data-dir>/broker) and runs the Kafka driver on it, so
 *   one command gives a complete local deployment that any Kafka client can also use;
 * - with --in-memory: the synchronous in-process driver, no Kafka at all (trying SQL out).
 */
import { join } from 'node:path';
import type { EngineDriver } from '../engine/driver.js';
import { startBroker, type BrokerHandle } from '../broker/index.js';
import { KafkaDriver } from '../runtime/drivers/kafka-driver.js';
import { kafkaClientSecurity, type KafkaClientSecurity } from '../runtime/drivers/kafka/client-security.js';
import { TestDriver } from '../runtime/drivers/test-driver.js';
import { parseHostPort } from '../../cli/host-port.js';

export interface DriverOptions {
  bootstrapServers?: string;
  /** listener of the embedded broker (HOST:PORT or a URL) when no bootstrap servers are given */
  kafkaListener?: string;
  dataDir?: string;
  serviceId: string;
  config: Record<string, string>;
  inMemory?: boolean;
  info?: (msg: string) => void;
}

export interface DriverHandle {
  driver: EngineDriver;
  /** what the driver runs against, for logs */
  description: string;
  /** the Kafka bootstrap servers it uses (the embedded broker's or --bootstrap-servers); none in memory */
  brokers?: string[];
  /** TLS and SASL for those brokers (from security.protocol, sasl.*, ssl.*): every other kafkajs client uses it too */
  security?: KafkaClientSecurity['client'];
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = '.sluice-data';
export const DEFAULT_KAFKA_LISTENER = '127.0.0.1:9092';

export async function createDriver(opts: DriverOptions): Promise<DriverHandle> {
  if (opts.inMemory) {
    if (opts.bootstrapServers) throw new Error('--in-memory and --bootstrap-servers exclude each other');
    return { driver: new TestDriver(), description: 'in-memory (no Kafka)', close: async () => undefined };
  }
  // bad security settings fail before anything starts
  const security = kafkaClientSecurity(opts.config);
  if (!opts.bootstrapServers && security.protocol !== 'PLAINTEXT') {
    throw new Error(`security.protocol ${security.protocol} needs --bootstrap-servers: the embedded broker only speaks PLAINTEXT`);
  }
  const dataDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  let broker: BrokerHandle | undefined;
  let bootstrap = opts.bootstrapServers;
  if (!bootstrap) {
    const listener = parseHostPort((opts.kafkaListener ?? DEFAULT_KAFKA_LISTENER).replace(/^[a-z]+:\/\//i, ''), '--kafka-listener');
    broker = await startBroker({ host: listener.host, port: listener.port, dataDir: join(dataDir, 'broker') });
    bootstrap = `${listener.host.includes(':') ? `[${listener.host}]` : listener.host}:${broker.port}`;
  }
  try {
    const brokers = bootstrap.split(',').map((b) => b.trim()).filter(Boolean);
    const driver = await KafkaDriver.connect({
      brokers,
      serviceId: opts.serviceId,
      dataDir: join(dataDir, 'state'),
      config: opts.config,
      ...(opts.info ? { info: opts.info } : {}),
    });
    return {
      driver,
      description: broker ? `embedded Kafka broker on ${bootstrap}` : `Kafka at ${bootstrap} (${security.description})`,
      brokers,
      security: security.client,
      async close() {
        await driver.close();
        await broker?.close();
      },
    };
  } catch (err) {
    await broker?.close();
    throw err;
  }
}
