/**
 * The one place `sluice server` chooses what runs its queries. Without --bootstrap-servers the
 * in-process test driver runs everything in memory (handy for trying SQL out); with it, the
 * Kafka driver is meant to run them against the cluster — it is not part of this build yet, so
 * asking for it is a clear error rather than a silent in-memory fallback.
 */
import type { EngineDriver } from '../engine/driver.js';
import { TestDriver } from '../runtime/drivers/test-driver.js';

export interface DriverOptions {
  bootstrapServers?: string;
  dataDir?: string;
  serviceId: string;
  config: Record<string, string>;
}

export function createDriver(opts: DriverOptions): EngineDriver {
  if (opts.bootstrapServers) {
    throw new Error(`--bootstrap-servers ${opts.bootstrapServers}: the Kafka driver is not available in this build; start without it to run in memory`);
  }
  return new TestDriver();
}
