/**
 * Partition assigners for kafkajs consumer groups.
 *
 * - co-partitioned: a persistent query's task is a partition NUMBER: partition p of every topic
 *   the query reads (its inputs and its repartition topics) goes to the same member, so the two
 *   sides of a join and a re-keyed stream's rows meet in one task, with one set of stores (what
 *   Kafka Streams' task assignment does for co-partitioned topics). Task numbers are dealt round
 *   robin over the members sorted by id, so the assignment is the same whoever leads.
 *   Each member may advertise its REST endpoint in its subscription's userData, and the leader
 *   hands every member the whole task → endpoint map in the assignment's userData (what Kafka
 *   Streams does with `application.server`), so any server can tell who answers pull queries
 *   for which task (./task-routing.ts reads it back).
 * - fixed: a consumer that must read exactly the given partitions (restoring a task's changelogs);
 *   kafkajs has no manual assign(), so a one-member group with this assigner stands in for it.
 */
import { AssignerProtocol, type Assigner, type PartitionAssigner } from 'kafkajs';

/** What a member says about itself when it joins (subscription userData, JSON). */
export interface MemberInfo {
  version: 1;
  /** the member's advertised REST endpoint (e.g. http://host:8088); absent when it has none */
  endpoint?: string;
}

/** What the leader tells every member (assignment userData, JSON): endpoint → task numbers. */
export interface HostMap {
  version: 1;
  hosts: Record<string, number[]>;
}

const encodeAssignment = (assignment: Record<string, number[]>, userData: Buffer = Buffer.alloc(0)): Buffer => AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData });
const protocol = (name: string, userData: () => Buffer = () => Buffer.alloc(0)) => ({ topics }: { topics: string[] }) => ({ name, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: userData() }) });

/** Parses JSON userData; anything else (empty, another client's bytes) is undefined. */
export function decodeUserData<T>(data: Buffer | null | undefined): T | undefined {
  if (!data || data.length === 0) return undefined;
  try {
    const v = JSON.parse(data.toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The co-partitioning assigner. `endpoint` is read at every join, so a server that learns its
 * address late advertises it at its next rebalance.
 */
export function coPartitionedAssignerFor(endpoint: () => string | undefined = () => undefined): PartitionAssigner {
  return ({ cluster }): Assigner => ({
    name: 'SluiceCoPartitioned',
    version: 1,
    protocol: protocol('SluiceCoPartitioned', () => {
      const e = endpoint();
      const info: MemberInfo = e ? { version: 1, endpoint: e } : { version: 1 };
      return Buffer.from(JSON.stringify(info));
    }),
    async assign({ members, topics }) {
      await cluster.refreshMetadataIfNecessary();
      const ids = members.map((m) => m.memberId).sort();
      const out = new Map<string, Record<string, number[]>>(ids.map((id) => [id, {}]));
      const tasks = new Map<string, Set<number>>(ids.map((id) => [id, new Set()]));
      for (const topic of topics) {
        const partitions = cluster
          .findTopicPartitionMetadata(topic)
          .map((p) => p.partitionId)
          .sort((a, b) => a - b);
        for (const p of partitions) {
          const id = ids[p % ids.length]!;
          (out.get(id)![topic] ??= []).push(p);
          tasks.get(id)!.add(p);
        }
      }
      const hosts: Record<string, number[]> = {};
      for (const m of members) {
        const e = decodeUserData<MemberInfo>(AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData)?.endpoint;
        if (typeof e === 'string' && e) hosts[e] = [...new Set([...(hosts[e] ?? []), ...tasks.get(m.memberId)!])].sort((a, b) => a - b);
      }
      const userData = Buffer.from(JSON.stringify({ version: 1, hosts } satisfies HostMap));
      return ids.map((memberId) => ({ memberId, memberAssignment: encodeAssignment(out.get(memberId)!, userData) }));
    },
  });
}

/** The co-partitioning assigner of a member that advertises no endpoint. */
export const coPartitionedAssigner: PartitionAssigner = coPartitionedAssignerFor();

export function fixedAssigner(assignment: Record<string, number[]>): PartitionAssigner {
  return (): Assigner => ({
    name: 'SluiceFixed',
    version: 1,
    protocol: protocol('SluiceFixed'),
    async assign({ members }) {
      // the first member (there is one) reads everything asked for
      return members.map((m, i) => ({ memberId: m.memberId, memberAssignment: encodeAssignment(i === 0 ? assignment : {}) }));
    },
  });
}
