/**
 * Partition assigners for kafkajs consumer groups.
 *
 * - co-partitioned: a persistent query's task is a partition NUMBER: partition p of every topic
 *   the query reads (its inputs and its repartition topics) goes to the same member, so the two
 *   sides of a join and a re-keyed stream's rows meet in one task, with one set of stores (what
 *   Kafka Streams' task assignment does for co-partitioned topics). Task numbers are dealt round
 *   robin over the members sorted by id, so the assignment is the same whoever leads.
 * - fixed: a consumer that must read exactly the given partitions (restoring a task's changelogs);
 *   kafkajs has no manual assign(), so a one-member group with this assigner stands in for it.
 */
import { AssignerProtocol, type Assigner, type PartitionAssigner } from 'kafkajs';

const encodeAssignment = (assignment: Record<string, number[]>): Buffer => AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.alloc(0) });
const protocol = (name: string) => ({ topics }: { topics: string[] }) => ({ name, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) });

export const coPartitionedAssigner: PartitionAssigner = ({ cluster }): Assigner => ({
  name: 'SluiceCoPartitioned',
  version: 1,
  protocol: protocol('SluiceCoPartitioned'),
  async assign({ members, topics }) {
    await cluster.refreshMetadataIfNecessary();
    const ids = members.map((m) => m.memberId).sort();
    const out = new Map<string, Record<string, number[]>>(ids.map((id) => [id, {}]));
    for (const topic of topics) {
      const partitions = cluster
        .findTopicPartitionMetadata(topic)
        .map((p) => p.partitionId)
        .sort((a, b) => a - b);
      for (const p of partitions) {
        const owner = out.get(ids[p % ids.length]!)!;
        (owner[topic] ??= []).push(p);
      }
    }
    return ids.map((memberId) => ({ memberId, memberAssignment: encodeAssignment(out.get(memberId)!) }));
  },
});

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
