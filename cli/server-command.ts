/**
 * `sluice server`: the REST server (ksqlDB's API) on --listeners, running queries on the driver
 * chosen in src/server/driver-factory.ts. --queries-file starts it headless: the file's
 * statements run first (an invalid file exits non-zero naming the line) and the REST API then
 * serves health, info and queries but refuses statements.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import pino from 'pino';
import { Engine } from '../src/engine/engine.js';
import { createDriver } from '../src/server/driver-factory.js';
import { QueriesFileError, runQueriesFile } from '../src/server/headless.js';
import { loadUsers } from '../src/server/auth.js';
import { startServer } from '../src/server/index.js';
import type { CommandRunner } from '../src/server/command-runner.js';
import { startClusteredEngine } from '../src/server/clustered-engine.js';
import { KafkaDriver } from '../src/runtime/drivers/kafka-driver.js';
import { advertiseEndpoint } from '../src/server/advertised-listener.js';
import { registerSchemaRegistryFlags, startSchemaRegistryFromFlags, type SchemaRegistryFlags } from './schema-registry-flags.js';

interface ServerFlags extends SchemaRegistryFlags {
  listeners: string;
  bootstrapServers?: string;
  dataDir?: string;
  serviceId: string;
  config: string[];
  configFile?: string;
  queriesFile?: string;
  kafkaListener?: string;
  inMemory?: boolean;
  usersFile?: string;
  sslCertificate?: string;
  sslKey?: string;
  logLevel: string;
}

/** Java-properties style `key=value` lines (`#` and `!` comments), as ksqlDB's config files. */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerServerCommand(program: Command): void {
  const command = program.command('server');
  registerSchemaRegistryFlags(command);
  command
    .description("run the REST server (ksqlDB's API) on --listeners")
    .option('--listeners <url>', 'where to listen, http://HOST:PORT', 'http://0.0.0.0:8088')
    .option('--bootstrap-servers <list>', 'Kafka brokers to run queries against')
    .option('--data-dir <dir>', 'where state stores live')
    .option('--service-id <id>', 'ksql.service.id of this server', 'default_')
    .option('--config <key=value>', 'a server setting (repeatable)', collect, [])
    .option('--config-file <file>', 'server settings in key=value lines')
    .option('--queries-file <file>', 'headless mode: run these statements and refuse statements over REST')
    .option('--kafka-listener <host:port>', 'listener of the embedded Kafka broker started when no --bootstrap-servers is given (default 127.0.0.1:9092)')
    .option('--in-memory', 'run queries in memory, without any Kafka (for trying SQL out)')
    .option('--users-file <file>', 'HTTP Basic users, `user: password[,roles]` per line')
    .option('--ssl-certificate <file>', 'PEM certificate (chain) for https:// listeners; with --ssl-key (the default listener becomes https://0.0.0.0:8088)')
    .option('--ssl-key <file>', 'PEM private key of --ssl-certificate')
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (flags: ServerFlags) => {
      const log = pino({ level: flags.logLevel });
      const config: Record<string, string> = {};
      try {
        if (flags.configFile) Object.assign(config, parseProperties(readFileSync(flags.configFile, 'utf8')));
      } catch (err) {
        console.error(`Cannot read --config-file ${flags.configFile}: ${(err as Error).message}`);
        process.exitCode = 1;
        return;
      }
      for (const kv of flags.config) {
        const i = kv.indexOf('=');
        if (i <= 0) {
          console.error(`--config expects KEY=VALUE, got '${kv}'`);
          process.exitCode = 1;
          return;
        }
        config[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
      }
      const queriesFile = flags.queriesFile ?? config['ksql.queries.file'];
      let handle;
      try {
        handle = await createDriver({
          ...(flags.bootstrapServers ? { bootstrapServers: flags.bootstrapServers } : {}),
          ...(flags.kafkaListener ? { kafkaListener: flags.kafkaListener } : {}),
          ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
          ...(flags.inMemory ? { inMemory: true } : {}),
          serviceId: flags.serviceId,
          config,
          info: (msg) => log.info(msg),
        });
      } catch (err) {
        console.error(`Cannot start the query runtime: ${(err as Error).message}`);
        process.exitCode = 1;
        return;
      }
      const driver = handle.driver;
      log.info(`queries run on ${handle.description}`);
      // the schema registry: Sluice's own (durable in the Kafka it runs on) unless an external URL is given
      let registry;
      try {
        registry = await startSchemaRegistryFromFlags(
          { ...(flags.schemaRegistryListener ? { schemaRegistryListener: flags.schemaRegistryListener } : {}), ...((flags.schemaRegistryUrl ?? config['ksql.schema.registry.url']) ? { schemaRegistryUrl: flags.schemaRegistryUrl ?? config['ksql.schema.registry.url'] } : {}) },
          handle.brokers,
          (msg) => log.warn(msg),
          handle.security,
        );
      } catch (err) {
        console.error(`Cannot start the schema registry: ${(err as Error).message}`);
        await handle.close();
        process.exitCode = 1;
        return;
      }
      log.info(`schema registry (${registry.kind}) at ${registry.url}`);
      let runner: CommandRunner | undefined;
      const closeAll = async () => {
        await runner?.close();
        await handle.close();
        await registry.close();
      };
      try {
        // queries advertise this server's REST endpoint to the others sharing the service id
        // (before the command topic's replay starts them)
        await advertiseEndpoint(driver, config, flags.sslCertificate && flags.listeners === 'http://0.0.0.0:8088' ? 'https://0.0.0.0:8088' : flags.listeners);
      } catch (err) {
        console.error((err as Error).message);
        await closeAll();
        process.exitCode = 1;
        return;
      }
      // a server on Kafka keeps its metastore in the command topic, shared by every server of the
      // service id (headless servers have none: the queries file is their deployment, as in ksqlDB)
      let engine: Engine;
      if (!queriesFile && driver instanceof KafkaDriver) {
        try {
          ({ engine, runner } = await startClusteredEngine({ driver, kafka: driver.kafka, serviceId: flags.serviceId, config, schemaRegistry: registry.registry, info: (m) => log.info(m), warn: (m) => log.warn(m) }));
        } catch (err) {
          console.error(`Cannot read the command topic: ${(err as Error).message}`);
          await closeAll();
          process.exitCode = 1;
          return;
        }
      } else {
        engine = new Engine(driver, { config, schemaRegistry: registry.registry });
      }
      if (queriesFile) {
        try {
          const stmts = runQueriesFile(engine, queriesFile);
          log.info({ queriesFile, statements: stmts.length }, 'headless mode: queries file applied');
        } catch (err) {
          await closeAll();
          if (err instanceof QueriesFileError) {
            console.error(`Invalid queries file: ${err.message}`);
            process.exitCode = 1;
            return;
          }
          throw err;
        }
      }
      let users;
      try {
        if (flags.usersFile) users = loadUsers(flags.usersFile);
      } catch (err) {
        console.error(`Cannot read --users-file ${flags.usersFile}: ${(err as Error).message}`);
        await closeAll();
        process.exitCode = 1;
        return;
      }
      let tls: { cert: Buffer; key: Buffer } | undefined;
      try {
        if ((flags.sslCertificate === undefined) !== (flags.sslKey === undefined)) throw new Error('--ssl-certificate and --ssl-key go together');
        if (flags.sslCertificate && flags.sslKey) tls = { cert: readFileSync(flags.sslCertificate), key: readFileSync(flags.sslKey) };
      } catch (err) {
        console.error(`Cannot read the TLS certificate or key: ${(err as Error).message}`);
        await closeAll();
        process.exitCode = 1;
        return;
      }
      // with a certificate, the default listener is the https:// one
      const listeners = tls && flags.listeners === 'http://0.0.0.0:8088' ? 'https://0.0.0.0:8088' : flags.listeners;
      let server;
      try {
        server = await startServer({ ...(runner ? { runner } : {}), ...(users ? { users } : {}), ...(tls ? { tls } : {}), engine, driver, listeners, logger: log, serviceId: flags.serviceId, headless: queriesFile !== undefined });
      } catch (err) {
        console.error(`Cannot start the server: ${(err as Error).message}`);
        await closeAll();
        process.exitCode = 1;
        return;
      }
      console.error(`Sluice server listening on ${server.url}${queriesFile ? ' (headless)' : ''}`);
      const stop = async () => {
        await server.close();
        await closeAll();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
