/**
 * What every route shares: the engine and driver, the command log behind /status and
 * commandSequenceNumber, the transient queries that are streaming (so /close-query and a
 * client disconnect can stop them), and the server's identity for /info.
 */
import type { Logger } from 'pino';
import type { EngineDriver } from '../engine/driver.js';
import type { Engine } from '../engine/engine.js';
import type { CommandStatus, EntityContext } from './entities.js';
import type { CommandRunner } from './command-runner.js';

export interface RunningTransient {
  queryId: string;
  /** stop the query and end its response */
  close(): void;
}

export interface ServerState {
  engine: Engine;
  driver: EngineDriver;
  /** applies the command log and distributes statements (see command-runner.ts) */
  runner: CommandRunner;
  log: Logger;
  serviceId: string;
  kafkaClusterId: string;
  version: string;
  /** headless (--queries-file): statements over REST are refused */
  headless: boolean;
  status: 'RUNNING' | 'TERMINATING' | 'TERMINATED';
  commands: Map<string, CommandStatus>;
  commandSeq: number;
  transients: Map<string, RunningTransient>;
  /** the URL(s) the server listens on, for /clusterStatus */
  hostKey: string;
}

export function entityContext(state: ServerState): EntityContext {
  return {
    driver: state.driver,
    queries: state.engine.metastore.queries,
    readersOf: (n) => state.engine.metastore.readersOf(n),
    writersOf: (n) => state.engine.metastore.writersOf(n),
    recordCommand: (id, status) => {
      state.commands.set(id, status);
      return state.commandSeq++;
    },
  };
}

/**
 * Runs `fn` with request properties (streamsProperties / properties) laid over the engine's
 * config, restoring the config afterwards so one request's settings never leak into the next.
 * The engine is synchronous, so no other request can observe the overlay.
 */
export function withRequestConfig<T>(engine: Engine, props: Record<string, unknown> | undefined, fn: () => T): T {
  const saved = { ...engine.config };
  const savedVars = { ...engine.variables };
  for (const [k, v] of Object.entries(props ?? {})) engine.config[normaliseProperty(k)] = v;
  try {
    return fn();
  } finally {
    for (const k of Object.keys(engine.config)) if (!(k in saved)) delete engine.config[k];
    Object.assign(engine.config, saved);
    for (const k of Object.keys(engine.variables)) if (!(k in savedVars)) delete engine.variables[k];
    Object.assign(engine.variables, savedVars);
  }
}

/** `ksql.streams.auto.offset.reset` and `auto.offset.reset` mean the same thing. */
export function normaliseProperty(name: string): string {
  return name === 'ksql.streams.auto.offset.reset' ? 'auto.offset.reset' : name;
}

export function offsetResetEarliest(props: Record<string, unknown> | undefined, engineConfig: Record<string, unknown>): boolean {
  const v = props?.['auto.offset.reset'] ?? props?.['ksql.streams.auto.offset.reset'] ?? engineConfig['auto.offset.reset'] ?? engineConfig['ksql.streams.auto.offset.reset'];
  return String(v ?? 'latest').toLowerCase() === 'earliest';
}
