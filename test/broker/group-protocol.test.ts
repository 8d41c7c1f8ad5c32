import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestBroker, RawClient } from './helpers.js';

const protocols = [{ name: 'range', metadata: Buffer.from('meta') }];

test('group protocol edge cases: KIP-394, timeouts, static members, fencing errors', async () => {
  const broker = await startTestBroker();
  const a = await RawClient.connect(broker.port);
  const b = await RawClient.connect(broker.port);
  try {
    await a.request(19, 4, { topics: [{ name: 'gp', num_partitions: 2, replication_factor: 1, assignments: [], configs: [] }], timeout_ms: 1000 });
    const join = (c: RawClient, memberId: string, instance: string | null, session = 10000) =>
      c.request(11, 5, { group_id: 'g1', session_timeout_ms: session, rebalance_timeout_ms: 10000, member_id: memberId, group_instance_id: instance, protocol_type: 'consumer', protocols });

    assert.equal((await join(a, '', null, 10)).error_code, 26); // INVALID_SESSION_TIMEOUT
    assert.equal((await join(a, 'made-up', null)).error_code, 25); // UNKNOWN_MEMBER_ID

    // Static member: no KIP-394 round trip, joins and syncs as leader.
    const j1 = await join(a, '', 'instance-1');
    assert.equal(j1.error_code, 0);
    assert.equal(j1.leader, j1.member_id);
    assert.equal(j1.members.length, 1);
    assert.equal(j1.members[0].group_instance_id, 'instance-1');
    const s1 = await a.request(14, 3, { group_id: 'g1', generation_id: j1.generation_id, member_id: j1.member_id, group_instance_id: 'instance-1', assignments: [{ member_id: j1.member_id, assignment: Buffer.from('all') }] });
    assert.equal(s1.error_code, 0);
    assert.equal(String(s1.assignment), 'all');

    // Dynamic member: v4+ gets MEMBER_ID_REQUIRED first.
    const pre = await join(b, '', null);
    assert.equal(pre.error_code, 79);
    assert.ok(pre.member_id.length > 0);

    // The restarted static member takes over without a rebalance: same generation, same assignment,
    // and the old member id is fenced.
    const j2 = await join(a, '', 'instance-1');
    assert.equal(j2.error_code, 0);
    assert.equal(j2.generation_id, j1.generation_id);
    assert.notEqual(j2.member_id, j1.member_id);
    const hbOld = await a.request(12, 3, { group_id: 'g1', generation_id: j1.generation_id, member_id: j1.member_id, group_instance_id: null });
    assert.equal(hbOld.error_code, 25);
    const s2 = await a.request(14, 3, { group_id: 'g1', generation_id: j2.generation_id, member_id: j2.member_id, group_instance_id: 'instance-1', assignments: [] });
    assert.equal(String(s2.assignment), 'all');

    const badGen = await a.request(12, 3, { group_id: 'g1', generation_id: 999, member_id: j2.member_id, group_instance_id: 'instance-1' });
    assert.equal(badGen.error_code, 22);
    const commit = await a.request(8, 5, { group_id: 'g1', generation_id: 999, member_id: j2.member_id, topics: [{ name: 'gp', partitions: [{ partition_index: 0, committed_offset: 1n, committed_metadata: null }] }] });
    assert.equal(commit.topics[0].partitions[0].error_code, 22);
    const simple = await a.request(8, 5, { group_id: 'g1', generation_id: -1, member_id: '', topics: [{ name: 'gp', partitions: [{ partition_index: 0, committed_offset: 1n, committed_metadata: null }] }] });
    assert.equal(simple.topics[0].partitions[0].error_code, 22, 'simple commits are refused while the group has members');

    const del = await a.request(42, 1, { groups_names: ['g1'] });
    assert.equal(del.results[0].error_code, 68); // NON_EMPTY_GROUP

    const leave = await a.request(13, 3, { group_id: 'g1', members: [{ member_id: j2.member_id, group_instance_id: 'instance-1' }] });
    assert.equal(leave.members[0].error_code, 0);
    const desc = await a.request(15, 2, { groups: ['g1'] });
    assert.equal(desc.groups[0].group_state, 'Empty');
    const ok = await a.request(8, 5, { group_id: 'g1', generation_id: -1, member_id: '', topics: [{ name: 'gp', partitions: [{ partition_index: 1, committed_offset: 3n, committed_metadata: 'm' }] }] });
    assert.equal(ok.topics[0].partitions[0].error_code, 0);
    const fetched = await a.request(9, 7, { group_id: 'g1', topics: null, require_stable: true });
    assert.deepEqual(fetched.topics.map((t: { name: string; partitions: { partition_index: number; committed_offset: bigint; metadata: string }[] }) => [t.name, t.partitions.map((p) => [p.partition_index, p.committed_offset, p.metadata])]), [['gp', [[1, 3n, 'm']]]]);
    assert.equal((await a.request(42, 1, { groups_names: ['g1'] })).results[0].error_code, 0);
  } finally {
    a.close();
    b.close();
    await broker.close();
  }
});
