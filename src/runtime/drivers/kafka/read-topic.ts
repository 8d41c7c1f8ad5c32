/**
 * PRINT on Kafka: a consumer in a fresh group of its own reads every partition of one topic
 * (from the beginning or only new records) and hands each raw record to the caller until LIMIT
 * or close. Nothing is committed; closing disconnects and deletes the group.
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { ReadTopicOptions } from '../../../engine/driver.js';
import type { ConsumedRecord } from '../../row.js';
import { consumedRecord } from './records.js';

export function readTopic(
  env: { kafka: Kafka; admin: Admin; serviceId: string },
  topic: string,
  opts: ReadTopicOptions,
  onRecord: (rec: ConsumedRecord) => void,
  onEnd: (err?: Error) => void,
): { close(): void; closed: Promise<void> } {
  const groupId = `${env.serviceId}print_${randomUUID()}`;
  const consumer = env.kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  let open = true;
  let count = 0;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const end = (err?: Error) => {
    if (!open) return;
    open = false;
    // disconnect outside the batch handler: kafkajs waits for a running handler to return
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
  const run = async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: opts.fromBeginning });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) end(e.payload.error);
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          if (!open) return;
          onRecord(consumedRecord(batch.topic, batch.partition, m));
          if (opts.limit !== undefined && ++count >= opts.limit) return end();
        }
      },
    });
  };
  run().catch((err: Error) => end(err));
  return { close: () => end(), closed };
}
