/**
 * A consumer in a fresh group of its own, for reads that commit nothing (push queries, PRINT):
 * `end()` stops it once — disconnecting outside any running batch handler, since kafkajs waits
 * for one to return — deletes the group, then calls `onEnd`.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';

export interface ThrowawayConsumer {
  consumer: Consumer;
  isOpen(): boolean;
  end(err?: Error): void;
  closed: Promise<void>;
}

export function throwawayConsumer(env: { kafka: Kafka; admin: Admin }, groupPrefix: string, onEnd: (err?: Error) => void): ThrowawayConsumer {
  const groupId = `${groupPrefix}_${randomUUID()}`;
  const consumer = env.kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  let open = true;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const end = (err?: Error) => {
    if (!open) return;
    open = false;
    setImmediate(() => {
      void consumer
        .disconnect()
        .catch(() => undefined)
        .then(() => env.admin.deleteGroups([groupId]).catch(() => undefined))
        .then(() => {
          onEnd(err);
          resolveClosed();
        });
    });
  };
  return { consumer, isOpen: () => open, end, closed };
}
