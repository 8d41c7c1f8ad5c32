/**
 * `sluice broker`: runs the embedded Kafka broker on its own until SIGINT/SIGTERM.
 *   --listener HOST:PORT             where to listen (default 127.0.0.1:9092)
 *   --data-dir DIR                   logs, offsets and transaction state (default ./.sluice-data/broker)
 *   --advertised-listener HOST:PORT  address handed to clients in Metadata/FindCoordinator
 */
import path from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { startBroker } from '../src/broker/index.js';
import { parseHostPort } from './host-port.js';

interface BrokerCommandOptions {
  listener: string;
  dataDir: string;
  advertisedListener?: string;
  partitions: string;
  flushIntervalMs: string;
  autoCreateTopics: boolean;
}

export function registerBrokerCommand(program: Command): void {
  program
    .command('broker')
    .description('Run the embedded single-node Kafka broker')
    .option('--listener <host:port>', 'address to listen on', '127.0.0.1:9092')
    .option('--data-dir <dir>', 'directory for topic logs and broker state', path.join('.sluice-data', 'broker'))
    .option('--advertised-listener <host:port>', 'address clients are told to connect to (default: the listener)')
    .option('--partitions <n>', 'default partition count for auto-created topics', '1')
    .option('--flush-interval-ms <ms>', 'fsync logs at this interval (0 = leave it to the OS)', '0')
    .option('--no-auto-create-topics', 'do not create topics on first Metadata request')
    .action(async (opts: BrokerCommandOptions, command: Command) => {
      const log = pino({ name: 'sluice-broker' });
      let listener, advertised;
      try {
        listener = parseHostPort(opts.listener, '--listener');
        advertised = opts.advertisedListener ? parseHostPort(opts.advertisedListener, '--advertised-listener') : undefined;
      } catch (err) {
        command.error(`error: ${(err as Error).message}`);
      }
      const partitions = Number(opts.partitions);
      const flushIntervalMs = Number(opts.flushIntervalMs);
      if (!Number.isInteger(partitions) || partitions < 1) command.error(`error: --partitions must be a positive integer (got ${opts.partitions})`);
      if (!Number.isInteger(flushIntervalMs) || flushIntervalMs < 0) command.error(`error: --flush-interval-ms must be a non-negative integer (got ${opts.flushIntervalMs})`);
      let handle;
      try {
        handle = await startBroker({
          host: listener.host,
          port: listener.port,
          dataDir: path.resolve(opts.dataDir),
          advertisedHost: advertised?.host,
          advertisedPort: advertised?.port,
          logger: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
        config: { defaultPartitions: partitions, flushIntervalMs, autoCreateTopics: opts.autoCreateTopics },
        });
      } catch (err) {
        command.error(`error: cannot start broker on ${opts.listener}: ${(err as Error).message}`);
      }
      // Machine-readable line for scripts that start the broker on port 0.
      process.stdout.write(`sluice broker ready on ${listener.host}:${handle.port}\n`);
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        log.info(`received ${signal}, shutting down`);
        void handle.close().then(() => process.exit(0));
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
