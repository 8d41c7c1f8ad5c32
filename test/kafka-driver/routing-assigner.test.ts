/** The co-partitioning assignor carries each member's endpoint and hands every member the task → endpoint map. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssignerProtocol, type Cluster, type Logger } from 'kafkajs';
import { coPartitionedAssignerFor, decodeUserData, type HostMap, type MemberInfo } from '../../src/runtime/drivers/kafka/assigners.js';

const cluster = {
  refreshMetadataIfNecessary: async () => undefined,
  findTopicPartitionMetadata: (_topic: string) => [0, 1, 2, 3].map((partitionId) => ({ partitionId })),
} as unknown as Cluster;

function member(memberId: string, endpoint: string | undefined) {
  const assigner = coPartitionedAssignerFor(() => endpoint)({ cluster, groupId: 'g', logger: {} as Logger });
  const { metadata } = assigner.protocol({ topics: ['in', 'rep'] });
  return { memberId, memberMetadata: metadata };
}

test('members advertise their endpoint in the subscription userData', () => {
  const m = member('m-1', 'http://a:8088');
  assert.deepEqual(decodeUserData<MemberInfo>(AssignerProtocol.MemberMetadata.decode(m.memberMetadata)!.userData), { version: 1, endpoint: 'http://a:8088' });
  const none = member('m-2', undefined);
  assert.deepEqual(decodeUserData<MemberInfo>(AssignerProtocol.MemberMetadata.decode(none.memberMetadata)!.userData), { version: 1 });
});

test('co-partitioned tasks, and the same endpoint map in every member’s assignment', async () => {
  const members = [member('m-b', 'http://b:8088'), member('m-a', 'http://a:8088'), member('m-c', undefined)];
  const assigner = coPartitionedAssignerFor(() => 'http://a:8088')({ cluster, groupId: 'g', logger: {} as Logger });
  const out = await assigner.assign({ members, topics: ['in', 'rep'] });
  const decoded = new Map(out.map((o) => [o.memberId, AssignerProtocol.MemberAssignment.decode(o.memberAssignment)!]));
  // tasks dealt round robin over the sorted member ids; partition p of both topics together
  assert.deepEqual(decoded.get('m-a')!.assignment, { in: [0, 3], rep: [0, 3] });
  assert.deepEqual(decoded.get('m-b')!.assignment, { in: [1], rep: [1] });
  assert.deepEqual(decoded.get('m-c')!.assignment, { in: [2], rep: [2] });
  for (const d of decoded.values()) {
    // a member without an endpoint cannot be routed to, so it is not in the map
    assert.deepEqual(decodeUserData<HostMap>(d.userData), { version: 1, hosts: { 'http://b:8088': [1], 'http://a:8088': [0, 3] } });
  }
});

test('userData that is not ours decodes to nothing', () => {
  assert.equal(decodeUserData(Buffer.alloc(0)), undefined);
  assert.equal(decodeUserData(Buffer.from([0, 1, 2])), undefined);
  assert.equal(decodeUserData(Buffer.from('"text"')), undefined);
});
