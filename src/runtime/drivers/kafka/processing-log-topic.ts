/**
 * The processing log of a server on Kafka: entries are kept and counted in memory (as the test
 * driver's are) and also produced, as JSON, to `<serviceId>ksql_processing_log`. Sends are
 * batched per tick and never block processing; a failed send is reported once per batch on the
 * driver's logger.
 */
import type { Producer } from 'kafkajs';
import { MemoryProcessingLog, type ProcessingLogEntry } from '../../processing-log.js';

export class TopicProcessingLog extends MemoryProcessingLog {
  private queue: ProcessingLogEntry[] = [];
  private scheduled = false;
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    readonly topic: string,
    private readonly producer: () => Producer | undefined,
    private readonly warn: (msg: string) => void,
  ) {
    super();
  }

  override log(entry: Omit<ProcessingLogEntry, 'timestamp'>): void {
    super.log(entry);
    this.queue.push({ ...entry, timestamp: Date.now() });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.send());
    }
  }

  /** resolves when every entry logged so far was sent (or failed) */
  async flush(): Promise<void> {
    this.send();
    await this.inflight;
  }

  private send(): void {
    this.scheduled = false;
    const producer = this.producer();
    if (this.queue.length === 0 || !producer) return;
    const batch = this.queue;
    this.queue = [];
    const messages = batch.map((e) => ({
      key: null,
      value: JSON.stringify({
        level: 'ERROR',
        logger: `processing.${e.queryId}`,
        time: e.timestamp,
        message: { type: e.type, errorMessage: e.message, topic: e.topic ?? null, partition: e.partition ?? null, offset: e.offset ?? null },
      }),
      timestamp: String(e.timestamp),
    }));
    this.inflight = this.inflight.then(() =>
      producer.send({ topic: this.topic, messages }).then(
        () => undefined,
        (err: Error) => this.warn(`could not write ${messages.length} processing-log entries to ${this.topic}: ${err.message}`),
      ),
    );
  }
}
