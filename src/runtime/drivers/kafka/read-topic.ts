/**
 * PRINT on Kafka: a consumer in a fresh group of its own reads every partition of one topic
 * (from the beginning or only new records) and hands each raw record to the caller until LIMIT
 * or close. Nothing is committed; closing disconnects and deletes the group.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { ReadTopicOptions } from '../../../engine/driver.js';
import type { ConsumedRecord } from '../../row.js';
import { consumedRecord } from './records.js';
import { throwawayConsumer } from './throwaway-consumer.js';

export function readTopic(
  env: { kafka: Kafka; admin: Admin; serviceId: string },
  topic: string,
  opts: ReadTopicOptions,
  onRecord: (rec: ConsumedRecord) => void,
  onEnd: (err?: Error) => void,
): { close(): void; closed: Promise<void> } {
  const { consumer, isOpen, end, closed } = throwawayConsumer(env, `${env.serviceId}print`, onEnd);
  let count = 0;
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
          if (!isOpen()) return;
          onRecord(consumedRecord(batch.topic, batch.partition, m));
          if (opts.limit !== undefined && ++count >= opts.limit) return end();
        }
      },
    });
  };
  run().catch((err: Error) => end(err));
  return { close: () => end(), closed };
}
