/**
 * Who runs which task of one persistent query, across every server sharing the service id: the
 * pull-query router's view of the query's consumer group. kafkajs hands a member only the
 * decoded topic → partitions of its own assignment (the userData the leader wrote is dropped),
 * so after each rebalance the table reads the group's description (DescribeGroups): the
 * leader's task → endpoint map from the assignment userData (./assigners.ts), and each member's
 * advertised endpoint and topic partitions for /clusterStatus.
 */
import { AssignerProtocol, type Admin } from 'kafkajs';
import { decodeUserData, type HostMap, type MemberInfo } from './assigners.js';

export interface GroupMemberView {
  memberId: string;
  /** the member's advertised REST endpoint; undefined when it advertised none */
  endpoint: string | undefined;
  /** task numbers (partition numbers) it runs */
  tasks: number[];
  /** every topic partition assigned to it */
  topicPartitions: { topic: string; partition: number }[];
}

export interface RoutingSnapshot {
  /** task number → endpoint of the server running it */
  owners: Map<number, string>;
  members: GroupMemberView[];
  /** when the group was last seen stable (epoch ms); 0 before that */
  updatedMs: number;
}

const RETRY_MS = 200;
const MAX_TRIES = 50;

export class TaskRoutingTable {
  private snapshot: RoutingSnapshot = { owners: new Map(), members: [], updatedMs: 0 };
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    private readonly admin: Admin,
    readonly groupId: string,
  ) {}

  current(): RoutingSnapshot {
    return this.snapshot;
  }

  /**
   * Re-reads the group until it is stable (a rebalance in progress describes no assignments).
   * Concurrent calls share one run; a call during a run makes it read once more at the end.
   */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (let i = 0; i < MAX_TRIES && !this.closed; i++) {
            if (await this.readOnce()) break;
            await new Promise((r) => setTimeout(r, RETRY_MS));
          }
        } while (this.again && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  close(): void {
    this.closed = true;
  }

  /** one DescribeGroups; false when the group is rebalancing (or could not be read) */
  private async readOnce(): Promise<boolean> {
    let group;
    try {
      group = (await this.admin.describeGroups([this.groupId])).groups[0];
    } catch {
      return false;
    }
    if (!group) return false;
    if (group.state === 'Empty' || group.state === 'Dead') {
      this.snapshot = { owners: new Map(), members: [], updatedMs: Date.now() };
      return true;
    }
    if (group.state !== 'Stable') return false;
    const members: GroupMemberView[] = [];
    let hostMap: HostMap | undefined;
    for (const m of group.members) {
      const meta = m.memberMetadata.length > 0 ? AssignerProtocol.MemberMetadata.decode(m.memberMetadata) : null;
      const asg = m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
      const endpoint = decodeUserData<MemberInfo>(meta?.userData)?.endpoint;
      const topicPartitions = Object.entries(asg?.assignment ?? {}).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
      hostMap ??= decodeUserData<HostMap>(asg?.userData);
      members.push({ memberId: m.memberId, endpoint: typeof endpoint === 'string' && endpoint ? endpoint : undefined, tasks: [...new Set(topicPartitions.map((t) => t.partition))].sort((a, b) => a - b), topicPartitions });
    }
    const owners = new Map<number, string>();
    if (hostMap && hostMap.hosts && typeof hostMap.hosts === 'object') {
      for (const [endpoint, tasks] of Object.entries(hostMap.hosts)) if (Array.isArray(tasks)) for (const t of tasks) if (typeof t === 'number') owners.set(t, endpoint);
    } else {
      // a leader that wrote no map (an older member): the members' own views say the same
      for (const m of members) if (m.endpoint) for (const t of m.tasks) owners.set(t, m.endpoint);
    }
    this.snapshot = { owners, members, updatedMs: Date.now() };
    return true;
  }
}
