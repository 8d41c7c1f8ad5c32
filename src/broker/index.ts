/**
 * Embedded single-node Kafka broker. `startBroker` opens (or creates) the data directory, recovers every
 * log, and listens for Kafka clients; the returned handle closes it cleanly.
 */
import net from 'node:net';
import { Broker, silentLogger, type BrokerOptions, type Logger } from './broker.js';
import { Connection } from './connection.js';
import { ALL_APIS } from './apis/index.js';
import { initCompression } from './records/compression.js';

export type { Logger } from './broker.js';

export interface StartBrokerOptions {
  host: string;
  /** 0 = ephemeral port. */
  port: number;
  dataDir: string;
  /** Host and port clients are told to connect to (defaults: host/port actually bound). */
  advertisedHost?: string;
  advertisedPort?: number;
  logger?: Logger;
  /** Overrides of broker tunables (see BrokerOptions). */
  config?: Partial<Omit<BrokerOptions, 'dataDir' | 'logger'>>;
}

export interface BrokerHandle {
  port: number;
  host: string;
  /** The broker's state, for embedding code and tests. */
  broker: Broker;
  close(): Promise<void>;
}

export const DEFAULT_BROKER_CONFIG: Omit<BrokerOptions, 'dataDir' | 'logger'> = {
  nodeId: 1,
  autoCreateTopics: true,
  defaultPartitions: 1,
  topicDefaults: {},
  flushIntervalMs: 0,
  logCleanupIntervalMs: 30_000,
  maxRequestBytes: 100 * 1024 * 1024,
  groupInitialRebalanceDelayMs: 0,
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  transactionAbortCheckIntervalMs: 10_000,
};

export async function startBroker(opts: StartBrokerOptions): Promise<BrokerHandle> {
  await initCompression();
  const broker = new Broker({ ...DEFAULT_BROKER_CONFIG, ...opts.config, dataDir: opts.dataDir, logger: opts.logger ?? silentLogger });
  for (const api of ALL_APIS) broker.register(api);
  const connections = new Set<Connection>();
  const server = net.createServer((socket) => {
    if (broker.closing) {
      socket.destroy();
      return;
    }
    const conn = new Connection(socket, broker);
    connections.add(conn);
    void conn.closed.then(() => connections.delete(conn));
  });
  server.on('error', (err) => broker.options.logger.error(`listener error: ${err.message}`));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await broker.close();
    throw err;
  }
  const addr = server.address() as net.AddressInfo;
  broker.advertisedHost = opts.advertisedHost ?? (opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host);
  broker.advertisedPort = opts.advertisedPort ?? addr.port;
  broker.options.logger.info(`broker listening on ${opts.host}:${addr.port}, advertised as ${broker.advertisedHost}:${broker.advertisedPort}`);
  let closing: Promise<void> | null = null;
  return {
    port: addr.port,
    host: opts.host,
    broker,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((r) => server.close(() => r()));
        for (const c of connections) c.shutdown();
        await stopped;
        await broker.close();
      })();
      return closing;
    },
  };
}
