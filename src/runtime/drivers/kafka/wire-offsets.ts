/**
 * Two offset questions kafkajs 2.2 cannot ask, answered with the project's own protocol codec
 * (the request/response descriptions of src/broker/apis) over short-lived connections:
 *
 * - `ends(topic)`: per partition the high watermark AND the last stable offset. kafkajs's
 *   admin.fetchTopicOffsets sends ListOffsets read_committed, i.e. answers the LSO only: while a
 *   transaction is open on a partition (e.g. a crashed server's, until transaction.timeout.ms
 *   aborts it) that looks like "the end", although records and a marker are still to come.
 * - `stableCommitted(group, topics)`: the group's committed offsets with OffsetFetch v7
 *   require_stable (KIP-447): a partition whose offset is staged in a transaction not yet
 *   completed answers UNSTABLE_OFFSET_COMMIT (reported as 'unstable') instead of the older offset.
 *
 * Leaders and brokers come from a Metadata request to a bootstrap broker, the group coordinator
 * from FindCoordinator (not from kafkajs's admin: its metadata cache is shared state that
 * concurrent admin calls — task restores — trip over).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Admin } from 'kafkajs';
import type { Api } from '../../../broker/apis/api.js';
import { findCoordinator } from '../../../broker/apis/10_find_coordinator.js';
import { listOffsets } from '../../../broker/apis/02_list_offsets.js';
import { metadata } from '../../../broker/apis/03_metadata.js';
import { offsetFetch } from '../../../broker/apis/09_offset_fetch.js';
import { ErrorCode } from '../../../broker/protocol/errors.js';
import { Reader } from '../../../broker/protocol/reader.js';
import { decodeStruct, encodeStruct, type Msg } from '../../../broker/protocol/schema.js';
import { Writer } from '../../../broker/protocol/writer.js';

export interface PartitionEnds {
  /** log start offset */
  low: number;
  /** high watermark: one past the last record or marker written */
  high: number;
  /** last stable offset: first offset of the oldest open transaction, or `high` when none is open */
  stable: number;
}

export type StableOffset = number | 'unstable';

interface Node {
  host: string;
  port: number;
}

const TIMEOUT_MS = 10_000;
let correlation = 0;

/** One request on a fresh connection; resolves with the decoded response body. */
export function wireRequest(node: Node, api: Api, version: number, body: Msg, secure?: tls.ConnectionOptions): Promise<Msg> {
  const flexible = version >= api.flexibleFrom;
  const w = new Writer(256);
  const id = (correlation = (correlation + 1) & 0x7fffffff);
  w.i16(api.key).i16(version).i32(id).string('sluice-offsets', false);
  if (flexible) w.emptyTags();
  encodeStruct(w, api.request, body, version, flexible);
  const payload = w.result();
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeInt32BE(payload.length, 0);
  payload.copy(frame, 4);
  return new Promise((resolve, reject) => {
    // over TLS when the cluster's listeners speak it (security.protocol SSL)
    const socket = secure ? tls.connect({ ...secure, host: node.host, port: node.port, ...(net.isIP(node.host) ? {} : { servername: node.host }) }) : net.connect(node.port, node.host);
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(TIMEOUT_MS, () => fail(new Error(`${api.name} to ${node.host}:${node.port} timed out`)));
    socket.once('error', fail);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      const all = Buffer.concat(chunks, size);
      if (all.length < 4 || all.length < 4 + all.readInt32BE(0)) return;
      socket.destroy();
      try {
        const r = new Reader(all, 4, 4 + all.readInt32BE(0));
        if (r.i32() !== id) throw new Error(`${api.name}: response for another request`);
        // response header v1 (flexible versions) carries tagged fields
        if (flexible) r.taggedFields();
        resolve(decodeStruct(r, api.response, version, flexible));
      } catch (err) {
        reject(err as Error);
      }
    });
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(frame));
  });
}

export class WireOffsets {
  private readonly bootstrap: Node[];

  /** `brokers`: bootstrap addresses, `host:port`; `secure`: TLS options when the listeners are SSL */
  constructor(
    brokers: string[],
    private readonly secure?: tls.ConnectionOptions,
  ) {
    this.bootstrap = brokers.map((b) => {
      const i = b.lastIndexOf(':');
      return { host: b.slice(0, i), port: Number(b.slice(i + 1)) };
    });
    if (this.bootstrap.length === 0) throw new Error('no bootstrap broker given');
  }

  /** Metadata v5 from the first bootstrap broker that answers: broker addresses and, for `topics`, partition leaders */
  private async metadata(topics: string[]): Promise<{ nodes: Map<number, Node>; leaders: Map<number, number> }> {
    let lastErr: Error | undefined;
    for (const node of this.bootstrap) {
      try {
        const res = await wireRequest(node, metadata, 5, { topics: topics.map((name) => ({ name })), allow_auto_topic_creation: false }, this.secure);
        const nodes = new Map<number, Node>((res.brokers as Msg[]).map((b) => [b.node_id as number, { host: b.host as string, port: b.port as number }]));
        const leaders = new Map<number, number>();
        for (const t of res.topics as Msg[]) {
          if (t.error_code !== 0) throw new Error(`Metadata ${t.name}: error ${t.error_code}`);
          for (const p of t.partitions as Msg[]) leaders.set(p.partition_index as number, p.leader_id as number);
        }
        return { nodes, leaders };
      } catch (err) {
        lastErr = err as Error;
      }
    }
    throw lastErr!;
  }

  /** High watermark and last stable offset of every partition of `topic`. */
  async ends(topic: string): Promise<Map<number, PartitionEnds>> {
    const { nodes, leaders } = await this.metadata([topic]);
    const byLeader = new Map<number, number[]>();
    for (const [partition, leader] of leaders) {
      const list = byLeader.get(leader) ?? [];
      list.push(partition);
      byLeader.set(leader, list);
    }
    const out = new Map<number, PartitionEnds>();
    for (const [leader, partitions] of byLeader) {
      const node = nodes.get(leader);
      if (!node) throw new Error(`no address for broker ${leader} (leader of ${topic})`);
      // timestamp -1: the end (for the isolation level), -2: the log start
      const ask = async (isolation: 0 | 1, timestamp: bigint) => {
        const res = await wireRequest(node, listOffsets, 2, { replica_id: -1, isolation_level: isolation, topics: [{ name: topic, partitions: partitions.map((p) => ({ partition_index: p, timestamp })) }] }, this.secure);
        const got = new Map<number, number>();
        for (const t of res.topics as Msg[]) {
          for (const p of t.partitions as Msg[]) {
            if (p.error_code !== 0) throw new Error(`ListOffsets ${topic}/${p.partition_index}: error ${p.error_code}`);
            got.set(p.partition_index as number, Number(p.offset));
          }
        }
        return got;
      };
      const [low, high, stable] = await Promise.all([ask(0, -2n), ask(0, -1n), ask(1, -1n)]);
      for (const p of partitions) out.set(p, { low: low.get(p) ?? 0, high: high.get(p) ?? 0, stable: stable.get(p) ?? 0 });
    }
    return out;
  }

  /** The group's committed offsets (-1: none), 'unstable' where a transaction still holds one. */
  async stableCommitted(groupId: string, topics: { topic: string; partitions: number[] }[]): Promise<Map<string, StableOffset>> {
    const { nodes } = await this.metadata([]);
    const any = [...nodes.values()][0];
    if (!any) throw new Error('no broker known');
    const fc = await wireRequest(any, findCoordinator, 1, { key: groupId, key_type: 0 }, this.secure);
    if (fc.error_code !== 0) throw new Error(`FindCoordinator ${groupId}: error ${fc.error_code}`);
    const coordinator = nodes.get(fc.node_id as number) ?? { host: fc.host as string, port: fc.port as number };
    const res = await wireRequest(coordinator, offsetFetch, 7, { group_id: groupId, topics: topics.map((t) => ({ name: t.topic, partition_indexes: t.partitions })), require_stable: true }, this.secure);
    if (res.error_code !== 0) throw new Error(`OffsetFetch ${groupId}: error ${res.error_code}`);
    const out = new Map<string, StableOffset>();
    for (const t of res.topics as Msg[]) {
      for (const p of t.partitions as Msg[]) {
        const key = `${t.name}:${p.partition_index}`;
        if (p.error_code === ErrorCode.UNSTABLE_OFFSET_COMMIT) out.set(key, 'unstable');
        else if (p.error_code !== 0) throw new Error(`OffsetFetch ${key}: error ${p.error_code}`);
        else out.set(key, Number(p.committed_offset));
      }
    }
    return out;
  }
}

/** The two offset questions, whoever answers them. */
export type OffsetQueries = Pick<WireOffsets, 'ends' | 'stableCommitted'>;

/**
 * The answers kafkajs's admin can give, for clusters WireOffsets cannot reach (SASL: its
 * short-lived connections do not authenticate). Weaker: the end it reports is the last stable
 * offset (so an open transaction looks like the end, until it completes), and a committed offset
 * still staged in a transaction reads as the older one rather than 'unstable'.
 */
export class AdminOffsets implements OffsetQueries {
  constructor(private readonly admin: Admin) {}

  async ends(topic: string): Promise<Map<number, PartitionEnds>> {
    const out = new Map<number, PartitionEnds>();
    for (const o of await this.admin.fetchTopicOffsets(topic)) out.set(o.partition, { low: Number(o.low), high: Number(o.high), stable: Number(o.high) });
    return out;
  }

  async stableCommitted(groupId: string, topics: { topic: string; partitions: number[] }[]): Promise<Map<string, StableOffset>> {
    const out = new Map<string, StableOffset>();
    const res = await this.admin.fetchOffsets({ groupId, topics: topics.map((t) => t.topic) });
    for (const t of res) {
      const wanted = topics.find((x) => x.topic === t.topic)?.partitions;
      for (const p of t.partitions) if (!wanted || wanted.includes(p.partition)) out.set(`${t.topic}:${p.partition}`, Number(p.offset));
    }
    return out;
  }
}
