/**
 * A transient (push) query on Kafka: a consumer in a fresh group of its own reads every partition
 * of the inputs (from the beginning or only new records), runs them through one in-memory
 * topology — a single task, so re-keying needs no repartition topic — and hands the projected
 * rows to the caller. Nothing is committed; closing disconnects the consumer and deletes the group.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { TransientQueryHandle, TransientQueryOptions, TransientRow } from '../../../engine/driver.js';
import type { QueryPlan } from '../../../planner/plan.js';
import type { CompileContext } from '../../expr/compile.js';
import type { ProcessingLog } from '../../processing-log.js';
import { transientOutput } from '../../transient-output.js';
import { MemoryStoreProvider } from '../../state/memory-provider.js';
import { buildTopology } from '../../topology.js';
import { consumedRecord } from './records.js';
import { throwawayConsumer } from './throwaway-consumer.js';

export function startTransient(
  env: { kafka: Kafka; admin: Admin; serviceId: string; log: ProcessingLog },
  queryId: string,
  plan: QueryPlan,
  compile: CompileContext,
  opts: TransientQueryOptions,
  sink: { onRow(row: TransientRow): void; onEnd(err?: Error): void },
): TransientQueryHandle & { closed: Promise<void> } {
  const { consumer, isOpen, end, closed } = throwawayConsumer(env, `${env.serviceId}transient_${queryId}`, (err) => sink.onEnd(err));
  const terminal = transientOutput(plan, opts.limit, (row) => isOpen() && sink.onRow(row), () => end());
  const topology = buildTopology({ ...plan, queryId }, { queryId, compile, log: env.log, emit: () => undefined, stores: new MemoryStoreProvider() }, terminal);
  const run = async () => {
    // a stream pull query reads up to the end offsets seen now, then ends on its own
    const ends = new Map<string, number>();
    if (opts.untilEnd) {
      for (const t of plan.inputTopics) for (const o of await env.admin.fetchTopicOffsets(t)) if (Number(o.high) > Number(o.low)) ends.set(`${t}:${o.partition}`, Number(o.high));
      if (ends.size === 0) return end();
    }
    const positions = new Map<string, number>();
    const reached = () => [...ends].every(([tp, high]) => (positions.get(tp) ?? 0) >= high);
    await consumer.connect();
    await consumer.subscribe({ topics: plan.inputTopics, fromBeginning: opts.fromBeginning || opts.untilEnd === true });
    if (opts.untilEnd) {
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
        const tp = `${e.payload.topic}:${e.payload.partition}`;
        positions.set(tp, Math.max(positions.get(tp) ?? 0, Number(e.payload.lastOffset) + 1));
        if (reached()) end();
      });
    }
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) end(e.payload.error);
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const stop = ends.get(`${batch.topic}:${batch.partition}`);
        for (const m of batch.messages) {
          if (!isOpen()) return;
          // records appended after the start are not part of a stream pull
          if (opts.untilEnd && (stop === undefined || Number(m.offset) >= stop)) break;
          topology.process(consumedRecord(batch.topic, batch.partition, m));
        }
      },
    });
  };
  run().catch((err: Error) => end(err));
  return { queryId, close: () => end(), closed };
}
