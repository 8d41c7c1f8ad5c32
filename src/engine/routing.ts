/**
 * What pull-query routing needs from a driver whose persistent queries run as tasks spread over
 * several servers sharing a service id (the Kafka driver): this server's advertised endpoint,
 * where each task of a table query runs, the rows of chosen local tasks, and the live hosts.
 * A driver without these (the in-memory test driver) answers every pull query locally.
 */
import type { EngineDriver, MaterializedRow } from './driver.js';

export interface TaskLocations {
  /** the query's task count (partition numbers 0..tasks-1) */
  tasks: number;
  /** endpoint of the server running task `t`, as the group's last assignment says */
  ownerOf(t: number): string | undefined;
  /** tasks open (restored, queryable) on this server now */
  local: Set<number>;
  /** the task holding `key` of the table, or undefined when it cannot be told */
  taskOfKey(key: unknown[]): number | undefined;
}

export interface ClusterHost {
  endpoint: string;
  /** query id → the topic partitions that host runs for it */
  activePartitions: Map<string, { topic: string; partition: number }[]>;
}

export interface RoutingDriver {
  /** this server's REST endpoint as advertised to the others (undefined until known) */
  advertisedListener(): string | undefined;
  /** set it; queries joining from now on advertise it */
  setAdvertisedListener(url: string): void;
  /** undefined when the query does not run here */
  taskLocations(queryId: string): TaskLocations | undefined;
  /** re-read where the query's tasks run (after a failed forward) */
  refreshTaskLocations(queryId: string): Promise<void>;
  /** the materialised rows of the given local tasks; undefined when the query does not run here */
  materializedRowsOfTasks(queryId: string, tasks: number[]): MaterializedRow[] | undefined;
  /** every server that runs a task of some query, by the groups' current assignments */
  clusterHosts(): ClusterHost[];
}

export function routingOf(driver: EngineDriver): RoutingDriver | undefined {
  const d = driver as Partial<RoutingDriver>;
  return typeof d.taskLocations === 'function' && typeof d.materializedRowsOfTasks === 'function' && typeof d.clusterHosts === 'function' ? (driver as unknown as RoutingDriver) : undefined;
}
