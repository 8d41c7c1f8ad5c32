/** Conversions between kafkajs messages and the runtime's consumed/produced records. */
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { ConsumedRecord, Header, ProducedRecord } from '../../row.js';

export function consumedRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  return { topic, partition, offset: Number(m.offset), key: m.key, value: m.value, timestamp: Number(m.timestamp), headers: headersOf(m.headers) };
}

function headersOf(h: IHeaders | undefined): Header[] {
  if (!h) return [];
  const out: Header[] = [];
  for (const [key, v] of Object.entries(h)) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x === undefined) continue;
      out.push({ key, value: x === null ? null : Buffer.isBuffer(x) ? x : Buffer.from(String(x), 'utf8') });
    }
  }
  return out;
}

export function kafkaMessage(rec: ProducedRecord, partition: number): Message {
  const headers: IHeaders = {};
  for (const h of rec.headers) if (h.value !== null) headers[h.key] = h.value;
  return { key: rec.key, value: rec.value, timestamp: String(rec.timestamp), partition, ...(rec.headers.length > 0 ? { headers } : {}) };
}

/** Messages grouped by topic, as kafkajs' sendBatch takes them. */
export class Outbox {
  private readonly byTopic = new Map<string, Message[]>();
  size = 0;

  add(topic: string, m: Message): void {
    let list = this.byTopic.get(topic);
    if (!list) this.byTopic.set(topic, (list = []));
    list.push(m);
    this.size++;
  }

  count(topic: string): number {
    return this.byTopic.get(topic)?.length ?? 0;
  }

  topicMessages(): { topic: string; messages: Message[] }[] {
    return [...this.byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  /**
   * The messages cut into sendBatch-sized requests of at most about `maxBytes` each (kafkajs
   * writes one record batch per partition per request, and the broker refuses a batch over its
   * message.max.bytes, 1 MiB by default). Order within a topic is kept.
   */
  chunks(maxBytes: number): { topic: string; messages: Message[] }[][] {
    const out: { topic: string; messages: Message[] }[][] = [];
    let chunk: { topic: string; messages: Message[] }[] = [];
    let bytes = 0;
    for (const [topic, messages] of this.byTopic) {
      let current: Message[] = [];
      chunk.push({ topic, messages: current });
      for (const m of messages) {
        const size = 80 + byteLength(m.key) + byteLength(m.value);
        if (bytes + size > maxBytes && bytes > 0) {
          out.push(chunk);
          current = [];
          chunk = [{ topic, messages: current }];
          bytes = 0;
        }
        current.push(m);
        bytes += size;
      }
    }
    if (bytes > 0) out.push(chunk.filter((c) => c.messages.length > 0));
    return out;
  }
}

function byteLength(v: Buffer | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}
