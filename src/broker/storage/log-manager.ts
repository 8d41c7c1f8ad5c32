/**
 * All topics of the broker: their metadata (persisted atomically in `<dataDir>/topics.json`) and their
 * partition logs under `<dataDir>/logs/<topic>-<partition>`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PartitionLog } from './partition-log.js';
import { effectiveConfig, logConfigOf } from './topic-config.js';
import { writeFileAtomic } from './atomic-file.js';

export interface TopicMeta {
  name: string;
  id: string; // 16 bytes hex
  partitions: number;
  configs: Record<string, string>;
}

export interface Topic extends TopicMeta {
  logs: PartitionLog[];
}

export const TOPIC_NAME_RE = /^[a-zA-Z0-9._-]+$/;

export function topicNameError(name: string): string | null {
  if (!name) return 'Topic name is illegal, it can\'t be empty';
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > 249) return 'Topic name is illegal, it can\'t be longer than 249 characters';
  if (!TOPIC_NAME_RE.test(name)) return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  return null;
}

export class LogManager {
  readonly topics = new Map<string, Topic>();
  private readonly metaFile: string;
  private readonly logsDir: string;

  constructor(readonly dataDir: string, readonly brokerDefaults: Record<string, string>) {
    this.metaFile = path.join(dataDir, 'topics.json');
    this.logsDir = path.join(dataDir, 'logs');
    fs.mkdirSync(this.logsDir, { recursive: true });
    if (fs.existsSync(this.metaFile)) {
      const metas = JSON.parse(fs.readFileSync(this.metaFile, 'utf8')) as TopicMeta[];
      for (const m of metas) this.open(m);
    }
  }

  private partitionDir(topic: string, p: number): string {
    return path.join(this.logsDir, `${topic}-${p}`);
  }

  private open(meta: TopicMeta): Topic {
    const cfg = logConfigOf(effectiveConfig(meta.configs, this.brokerDefaults));
    const logs: PartitionLog[] = [];
    for (let p = 0; p < meta.partitions; p++) logs.push(new PartitionLog(this.partitionDir(meta.name, p), cfg));
    const topic: Topic = { ...meta, logs };
    this.topics.set(meta.name, topic);
    return topic;
  }

  private persist(): void {
    const metas: TopicMeta[] = [...this.topics.values()].map(({ name, id, partitions, configs }) => ({ name, id, partitions, configs }));
    writeFileAtomic(this.metaFile, JSON.stringify(metas, null, 1));
  }

  create(name: string, partitions: number, configs: Record<string, string>): Topic {
    // A topic deleted earlier may have left directories behind if the broker died mid-delete.
    for (let p = 0; p < partitions; p++) fs.rmSync(this.partitionDir(name, p), { recursive: true, force: true });
    const topic = this.open({ name, id: randomBytes(16).toString('hex'), partitions, configs });
    this.persist();
    return topic;
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    this.persist();
    for (const log of topic.logs) log.deleteAll();
    return true;
  }

  addPartitions(name: string, total: number): void {
    const topic = this.topics.get(name)!;
    const cfg = logConfigOf(effectiveConfig(topic.configs, this.brokerDefaults));
    for (let p = topic.partitions; p < total; p++) {
      fs.rmSync(this.partitionDir(name, p), { recursive: true, force: true });
      topic.logs.push(new PartitionLog(this.partitionDir(name, p), cfg));
    }
    topic.partitions = total;
    this.persist();
  }

  setConfigs(name: string, configs: Record<string, string>): void {
    const topic = this.topics.get(name)!;
    topic.configs = configs;
    const cfg = logConfigOf(effectiveConfig(configs, this.brokerDefaults));
    for (const log of topic.logs) log.config = cfg;
    this.persist();
  }

  log(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.logs[partition];
  }

  configOf(topic: Topic): Record<string, string> {
    return effectiveConfig(topic.configs, this.brokerDefaults);
  }

  flushAll(): void {
    for (const t of this.topics.values()) for (const l of t.logs) l.flush();
  }

  close(): void {
    for (const t of this.topics.values()) for (const l of t.logs) l.close();
  }
}
