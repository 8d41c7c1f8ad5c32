/**
 * The command topic: the cluster's metastore as a log. Every statement that changes the
 * metastore (CREATE, DROP, TERMINATE, INSERT INTO ... SELECT, types, ALTER) is a record on the
 * one-partition topic `_confluent-ksql-<serviceId>_command_topic` (ksqlDB's name), kept forever.
 * Each server reads it from the beginning at start (rebuilding its metastore and queries) and
 * then follows it, so a statement issued to any server runs on all of them, in one order.
 *
 * Record: key = the command id (`stream/S/create`, as ksqlDB's), value = the JSON `Command`.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { createTopicRetrying } from '../runtime/drivers/kafka/create-topic.js';

export const COMMAND_FORMAT_VERSION = 1;

export interface Command {
  /** ksqlDB's command id: `<stream|table|type|query|cluster>/<name>/<action>` */
  id: string;
  /** unique per submission: how the issuing server finds its own command's outcome */
  uuid: string;
  kind: 'statement' | 'terminate-cluster';
  /** the statement text, variables already substituted */
  statement: string;
  /** the request properties it ran with (streamsProperties and earlier SETs) */
  properties: Record<string, unknown>;
  /** the server that issued it: only it deletes topics */
  origin: string;
  /** terminate-cluster: sink topics to delete (names or regexes) */
  deleteTopicList?: string[];
  version: number;
}

export interface LoggedCommand {
  offset: number;
  command: Command;
}

/** Where commands are kept: the command topic, or memory on a server without Kafka. */
export interface CommandStore {
  readonly description: string;
  append(cmd: Command): Promise<number>;
  /**
   * Delivers every command from the first, in order, then new ones as they come. Resolves once
   * everything that was in the log when it was called has been delivered.
   */
  follow(onCommands: (cmds: LoggedCommand[]) => Promise<void> | void, onError: (err: Error, fatal: boolean) => void): Promise<void>;
  /** TERMINATE CLUSTER: the log goes, a later start begins empty */
  destroy(): Promise<void>;
  close(): Promise<void>;
}

export function commandTopicName(serviceId: string): string {
  return `_confluent-ksql-${serviceId}_command_topic`;
}

export function newCommandUuid(): string {
  return randomUUID();
}

export class InMemoryCommandStore implements CommandStore {
  readonly description = 'in memory (not shared, not durable)';
  private readonly log: Command[] = [];
  private listener: ((cmds: LoggedCommand[]) => Promise<void> | void) | undefined;
  private delivery: Promise<void> = Promise.resolve();

  async append(cmd: Command): Promise<number> {
    const offset = this.log.push(cmd) - 1;
    const l = this.listener;
    if (l) this.delivery = this.delivery.then(() => l([{ offset, command: cmd }]));
    return offset;
  }

  async follow(onCommands: (cmds: LoggedCommand[]) => Promise<void> | void): Promise<void> {
    this.listener = onCommands;
    if (this.log.length > 0) await onCommands(this.log.map((command, offset) => ({ offset, command })));
  }

  async destroy(): Promise<void> {
    this.log.length = 0;
  }

  async close(): Promise<void> {
    this.listener = undefined;
  }
}

export class KafkaCommandStore implements CommandStore {
  readonly description: string;
  private consumer: Consumer | undefined;
  private readonly groupId: string;

  private constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly producer: Producer,
    readonly topic: string,
  ) {
    this.description = `command topic ${topic}`;
    this.groupId = `${topic}-reader-${randomUUID()}`;
  }

  /** Opens (creating if needed) the service's command topic (`replicas`: ksql.internal.topic.replicas). */
  static async open(kafka: Kafka, serviceId: string, replicas = 1): Promise<KafkaCommandStore> {
    const topic = commandTopicName(serviceId);
    const admin = kafka.admin();
    await admin.connect();
    // one partition: one order for every server; kept forever: it is the metastore
    await createTopicRetrying(admin, { topic, partitions: 1, replicas, config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' } });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return new KafkaCommandStore(kafka, admin, producer, topic);
  }

  async append(cmd: Command): Promise<number> {
    const [meta] = await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key: cmd.id, value: JSON.stringify(cmd) }] });
    return Number(meta?.baseOffset ?? -1);
  }

  async follow(onCommands: (cmds: LoggedCommand[]) => Promise<void> | void, onError: (err: Error, fatal: boolean) => void): Promise<void> {
    const [end] = await this.admin.fetchTopicOffsets(this.topic);
    const high = Number(end?.high ?? 0);
    let caughtUp!: () => void;
    const ready = new Promise<void>((r) => (caughtUp = r));
    if (high === 0) caughtUp();
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    consumer.on(consumer.events.CRASH, (e) => {
      // the reader stopped for good: this server no longer follows the cluster's commands
      if (!e.payload.restart) onError(e.payload.error, true);
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const cmds: LoggedCommand[] = [];
        for (const m of batch.messages) {
          const offset = Number(m.offset);
          try {
            const command = JSON.parse(m.value?.toString('utf8') ?? 'null') as Command;
            if (!command || typeof command.statement !== 'string') throw new Error('not a command');
            cmds.push({ offset, command });
          } catch (err) {
            onError(new Error(`command topic ${this.topic} offset ${offset}: unreadable command skipped (${(err as Error).message})`), false);
          }
        }
        if (cmds.length > 0) await onCommands(cmds);
        if (Number(batch.lastOffset()) + 1 >= high) caughtUp();
      },
    });
    await ready;
  }

  async destroy(): Promise<void> {
    await this.close();
    await this.admin.connect();
    await this.admin.deleteTopics({ topics: [this.topic] }).catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) {
      await consumer.disconnect().catch(() => undefined);
      await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
    }
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
