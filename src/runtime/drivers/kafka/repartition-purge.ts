/**
 * Repartition topics keep their records forever by time (retention.ms=-1: the records carry
 * their source's event times, which time retention could delete before they are read), so
 * what the query has consumed and committed is deleted explicitly, as Kafka Streams does
 * (repartition.purge.interval.ms, 30 s): the committed offset of each repartition partition this
 * server's tasks read becomes the partition's log start (DeleteRecords).
 */
import type { Admin } from 'kafkajs';

export const PURGE_INTERVAL_MS = 30_000;

export class RepartitionPurger {
  /** topic -> partition -> committed offset not yet purged up to */
  private readonly committed = new Map<string, Map<number, number>>();
  private last = Date.now();
  private running: Promise<void> | undefined;

  constructor(
    /** whether a topic is one of the query's repartition topics */
    private readonly isRepartition: (topic: string) => boolean,
    private readonly admin: Admin,
    private readonly warn: (msg: string) => void,
    private readonly intervalMs = PURGE_INTERVAL_MS,
  ) {}

  /** an offset committed for the query's group (inputs are ignored) */
  committedOffset(topic: string, partition: number, offset: number): void {
    if (!this.isRepartition(topic)) return;
    let m = this.committed.get(topic);
    if (!m) this.committed.set(topic, (m = new Map()));
    m.set(partition, Math.max(offset, m.get(partition) ?? 0));
  }

  /** Purges what was committed, at most every interval; never waits for it nor fails the caller. */
  maybePurge(now = Date.now()): void {
    if (this.running || now - this.last < this.intervalMs || this.committed.size === 0) return;
    this.last = now;
    const work = [...this.committed].map(([topic, parts]) => ({ topic, partitions: [...parts].map(([partition, offset]) => ({ partition, offset: String(offset) })) }));
    this.committed.clear();
    this.running = (async () => {
      for (const w of work) await this.admin.deleteTopicRecords(w);
    })()
      .catch((err: Error) => this.warn(`purging consumed repartition records failed (${err.message}); retried at the next interval`))
      .finally(() => (this.running = undefined));
  }

  async close(): Promise<void> {
    await this.running;
  }
}
