/**
 * What a query leaves behind when it ends for good (TERMINATE, DROP): its tasks' LevelDB state
 * under `<dataDir>/<queryId>` on every server that ran it, and, once, its internal topics
 * (changelogs, repartition topics) and its consumer group. ksqlDB's cleanup service does the same.
 *
 * Other servers of the cluster stop their share of the query when they apply the same
 * TERMINATE from the command topic, a moment later; the topics and the group are removed only
 * when the group has no member left, so a server still running its share never reads a topic
 * that vanished under it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';

export interface CleanupTarget {
  queryId: string;
  /** the consumer group */
  appId: string;
  /** its changelog and repartition topics */
  internalTopics: string[];
}

export interface CleanupEnv {
  admin: Admin;
  dataDir: string;
  info(msg: string): void;
  /** stop waiting (the server shuts down) */
  cancelled(): boolean;
}

const WAIT_FOR_EMPTY_GROUP_MS = 60_000;

export async function removeLocalState(env: Pick<CleanupEnv, 'dataDir'>, queryId: string): Promise<void> {
  await rm(join(env.dataDir, queryId), { recursive: true, force: true });
}

/** Deletes the query's internal topics and consumer group once the group is empty. Returns whether it did. */
export async function removeClusterResources(env: CleanupEnv, target: CleanupTarget): Promise<boolean> {
  const deadline = Date.now() + WAIT_FOR_EMPTY_GROUP_MS;
  for (;;) {
    if (env.cancelled()) return false;
    const { groups } = await env.admin.describeGroups([target.appId]);
    const g = groups[0];
    if (!g || g.state === 'Empty' || g.state === 'Dead' || g.members.length === 0) break;
    if (Date.now() > deadline) {
      env.info(`query ${target.queryId}: its consumer group ${target.appId} still has members after ${WAIT_FOR_EMPTY_GROUP_MS} ms; its internal topics are left in place`);
      return false;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (target.internalTopics.length > 0) {
    const existing = new Set(await env.admin.listTopics());
    const topics = target.internalTopics.filter((t) => existing.has(t));
    if (topics.length > 0) await env.admin.deleteTopics({ topics });
  }
  await env.admin.deleteGroups([target.appId]).catch(() => undefined);
  env.info(`query ${target.queryId}: internal topics [${target.internalTopics.join(', ')}] and consumer group ${target.appId} deleted`);
  return true;
}
