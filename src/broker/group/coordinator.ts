/**
 * Classic consumer-group coordinator (JoinGroup/SyncGroup/Heartbeat/LeaveGroup state machine), following
 * Kafka's ClassicGroup: states Empty -> PreparingRebalance -> CompletingRebalance -> Stable, generations,
 * KIP-394 member ids, session and rebalance timeouts, static members (group.instance.id). Group snapshots
 * and offsets are persisted through GroupStore so they survive restarts.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/errors.js';
import { GroupStore, type StoredGroup, type StoredOffset } from './store.js';
import type { BrokerOptions } from '../broker.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface Protocol {
  name: string;
  metadata: Buffer;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export interface SyncResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: Protocol[];
  assignment: Buffer;
  join: ((r: JoinResult) => void) | null;
  sync: ((r: SyncResult) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

export class Group {
  state: GroupState = 'Empty';
  generation = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  members = new Map<string, Member>();
  /** KIP-394 member ids handed out but not yet used in a JoinGroup. */
  pending = new Map<string, NodeJS.Timeout>();
  staticMembers = new Map<string, string>();
  joinTimer: NodeJS.Timeout | null = null;
  syncTimer: NodeJS.Timeout | null = null;
  constructor(readonly groupId: string) {}
}

const EMPTY = Buffer.alloc(0);

export class GroupCoordinator {
  readonly groups = new Map<string, Group>();
  readonly store: GroupStore;

  constructor(dataDir: string, private readonly options: BrokerOptions) {
    this.store = new GroupStore(dataDir);
    for (const sg of this.store.groups.values()) this.restore(sg);
  }

  private restore(sg: StoredGroup): void {
    const g = new Group(sg.groupId);
    g.generation = sg.generation;
    g.protocolType = sg.protocolType;
    g.protocolName = sg.protocolName;
    g.leaderId = sg.leaderId;
    for (const sm of sg.members) {
      const m: Member = {
        memberId: sm.memberId,
        groupInstanceId: sm.groupInstanceId,
        clientId: sm.clientId,
        clientHost: sm.clientHost,
        sessionTimeoutMs: sm.sessionTimeoutMs,
        rebalanceTimeoutMs: sm.rebalanceTimeoutMs,
        protocols: sm.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata, 'base64') })),
        assignment: Buffer.from(sm.assignment, 'base64'),
        join: null,
        sync: null,
        sessionTimer: null,
      };
      g.members.set(m.memberId, m);
      if (m.groupInstanceId) g.staticMembers.set(m.groupInstanceId, m.memberId);
      this.touch(g, m);
    }
    g.state = g.members.size ? 'Stable' : 'Empty';
    this.groups.set(g.groupId, g);
  }

  private persist(g: Group): void {
    this.store.saveGroup({
      groupId: g.groupId,
      generation: g.generation,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      leaderId: g.leaderId,
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        protocols: m.protocols.map((p) => ({ name: p.name, metadata: p.metadata.toString('base64') })),
        assignment: m.assignment.toString('base64'),
      })),
    });
  }

  private group(groupId: string, create: boolean): Group | undefined {
    let g = this.groups.get(groupId);
    if (!g && create) {
      g = new Group(groupId);
      this.groups.set(groupId, g);
    }
    return g;
  }

  // ------------------------------------------------------------ session timers

  /** (Re)starts a member's session timer; expiry removes it and rebalances. */
  private touch(g: Group, m: Member): void {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = setTimeout(() => {
      m.sessionTimer = null;
      if (m.join) return this.touch(g, m); // awaiting join: the rebalance timeout governs it
      this.removeMember(g, m, 'session timeout');
    }, m.sessionTimeoutMs);
    m.sessionTimer.unref();
  }

  private removeMember(g: Group, m: Member, _reason: string): void {
    if (!g.members.has(m.memberId)) return;
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = null;
    g.members.delete(m.memberId);
    if (m.groupInstanceId && g.staticMembers.get(m.groupInstanceId) === m.memberId) g.staticMembers.delete(m.groupInstanceId);
    m.join?.(this.joinError(ErrorCode.UNKNOWN_MEMBER_ID, m.memberId));
    m.join = null;
    m.sync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, protocolType: null, protocolName: null, assignment: EMPTY });
    m.sync = null;
    if (g.leaderId === m.memberId) g.leaderId = g.members.keys().next().value ?? null;
    if (g.state === 'PreparingRebalance') this.maybeCompleteJoin(g);
    else if (g.state === 'Stable' || g.state === 'CompletingRebalance') this.prepareRebalance(g);
    if (g.members.size === 0 && g.state !== 'PreparingRebalance') this.persist(g);
  }

  private joinError(errorCode: number, memberId = ''): JoinResult {
    return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] };
  }

  // ------------------------------------------------------------ join

  join(req: {
    groupId: string;
    memberId: string;
    groupInstanceId: string | null;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    protocolType: string;
    protocols: Protocol[];
    clientId: string;
    clientHost: string;
    requireKnownMemberId: boolean;
  }): Promise<JoinResult> {
    if (!req.groupId) return Promise.resolve(this.joinError(ErrorCode.INVALID_GROUP_ID, req.memberId));
    if (req.sessionTimeoutMs < this.options.groupMinSessionTimeoutMs || req.sessionTimeoutMs > this.options.groupMaxSessionTimeoutMs) {
      return Promise.resolve(this.joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    const g = this.group(req.groupId, true)!;
    if (req.protocols.length === 0 || !req.protocolType) return Promise.resolve(this.joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    if (g.members.size > 0) {
      const compatible = g.protocolType === req.protocolType && this.commonProtocols(g, req.protocols).length > 0;
      if (!compatible) return Promise.resolve(this.joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }
    let memberId = req.memberId;
    if (!memberId) {
      memberId = `${req.clientId || 'member'}-${randomUUID()}`;
      if (req.groupInstanceId) {
        const old = g.staticMembers.get(req.groupInstanceId);
        const oldMember = old ? g.members.get(old) : undefined;
        if (oldMember) {
          // A restarted static member takes over its old identity without a rebalance when the group is stable.
          g.members.delete(oldMember.memberId);
          oldMember.join?.(this.joinError(ErrorCode.FENCED_INSTANCE_ID, oldMember.memberId));
          oldMember.sync?.({ errorCode: ErrorCode.FENCED_INSTANCE_ID, protocolType: null, protocolName: null, assignment: EMPTY });
          oldMember.join = null;
          oldMember.sync = null;
          const m: Member = { ...oldMember, memberId, clientId: req.clientId, clientHost: req.clientHost, sessionTimeoutMs: req.sessionTimeoutMs, rebalanceTimeoutMs: req.rebalanceTimeoutMs, protocols: req.protocols, sessionTimer: null };
          if (oldMember.sessionTimer) clearTimeout(oldMember.sessionTimer);
          g.members.set(memberId, m);
          g.staticMembers.set(req.groupInstanceId, memberId);
          if (g.leaderId === oldMember.memberId) g.leaderId = memberId;
          this.touch(g, m);
          if (g.state === 'Stable') {
            this.persist(g);
            return Promise.resolve(this.joinResult(g, m));
          }
          return this.parkJoin(g, m);
        }
      } else if (req.requireKnownMemberId) {
        const t = setTimeout(() => {
          g.pending.delete(memberId);
          this.maybeCompleteJoin(g);
        }, req.sessionTimeoutMs);
        t.unref();
        g.pending.set(memberId, t);
        return Promise.resolve(this.joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId));
      }
    } else if (!g.members.has(memberId) && !g.pending.has(memberId)) {
      return Promise.resolve(this.joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    } else if (req.groupInstanceId && g.staticMembers.has(req.groupInstanceId) && g.staticMembers.get(req.groupInstanceId) !== memberId) {
      return Promise.resolve(this.joinError(ErrorCode.FENCED_INSTANCE_ID, memberId));
    }
    const pendingTimer = g.pending.get(memberId);
    if (pendingTimer) {
      clearTimeout(pendingTimer);
      g.pending.delete(memberId);
    }
    let m = g.members.get(memberId);
    if (!m) {
      m = {
        memberId,
        groupInstanceId: req.groupInstanceId,
        clientId: req.clientId,
        clientHost: req.clientHost,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocols: req.protocols,
        assignment: EMPTY,
        join: null,
        sync: null,
        sessionTimer: null,
      };
      g.members.set(memberId, m);
      if (req.groupInstanceId) g.staticMembers.set(req.groupInstanceId, memberId);
      if (g.members.size === 1) g.protocolType = req.protocolType;
    } else {
      m.protocols = req.protocols;
      m.sessionTimeoutMs = req.sessionTimeoutMs;
      m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    }
    this.touch(g, m);
    return this.parkJoin(g, m);
  }

  private parkJoin(g: Group, m: Member): Promise<JoinResult> {
    return new Promise((resolve) => {
      m.join?.(this.joinError(ErrorCode.UNKNOWN_MEMBER_ID, m.memberId));
      m.join = resolve;
      if (g.state !== 'PreparingRebalance') this.prepareRebalance(g);
      else this.maybeCompleteJoin(g);
    });
  }

  private commonProtocols(g: Group, extra: Protocol[] | null): string[] {
    let names: Set<string> | null = extra ? new Set(extra.map((p) => p.name)) : null;
    for (const m of g.members.values()) {
      const own = new Set(m.protocols.map((p) => p.name));
      names = names ? new Set([...names].filter((n) => own.has(n))) : own;
    }
    return names ? [...names] : [];
  }

  private prepareRebalance(g: Group): void {
    const wasEmpty = g.state === 'Empty';
    if (g.syncTimer) clearTimeout(g.syncTimer);
    g.syncTimer = null;
    for (const m of g.members.values()) {
      m.sync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, protocolType: null, protocolName: null, assignment: EMPTY });
      m.sync = null;
    }
    g.state = 'PreparingRebalance';
    const rebalanceTimeout = Math.max(0, ...[...g.members.values()].map((m) => m.rebalanceTimeoutMs));
    const delay = wasEmpty ? this.options.groupInitialRebalanceDelayMs : rebalanceTimeout;
    if (g.joinTimer) clearTimeout(g.joinTimer);
    g.joinTimer = setTimeout(() => {
      g.joinTimer = null;
      this.completeJoin(g, true);
    }, delay);
    g.joinTimer.unref();
    if (!wasEmpty || delay === 0) this.maybeCompleteJoin(g);
  }

  private maybeCompleteJoin(g: Group): void {
    if (g.state !== 'PreparingRebalance') return;
    if ([...g.members.values()].every((m) => m.join !== null) && g.pending.size === 0) this.completeJoin(g, false);
  }

  private completeJoin(g: Group, timedOut: boolean): void {
    if (g.state !== 'PreparingRebalance') return;
    if (!timedOut && [...g.members.values()].some((m) => m.join === null)) return;
    if (g.joinTimer) clearTimeout(g.joinTimer);
    g.joinTimer = null;
    for (const m of [...g.members.values()]) {
      if (!m.join) {
        // Did not rejoin within the rebalance timeout.
        if (m.sessionTimer) clearTimeout(m.sessionTimer);
        g.members.delete(m.memberId);
        if (m.groupInstanceId) g.staticMembers.delete(m.groupInstanceId);
      }
    }
    g.generation += 1;
    if (g.members.size === 0) {
      g.state = 'Empty';
      g.protocolName = null;
      g.leaderId = null;
      this.persist(g);
      return;
    }
    const candidates = this.commonProtocols(g, null);
    // Vote: each member's first supported choice among the common protocols.
    const votes = new Map<string, number>();
    for (const m of g.members.values()) {
      const choice = m.protocols.find((p) => candidates.includes(p.name))!.name;
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    g.protocolName = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    if (!g.leaderId || !g.members.has(g.leaderId)) g.leaderId = g.members.keys().next().value!;
    g.state = 'CompletingRebalance';
    for (const m of g.members.values()) {
      const resolve = m.join!;
      m.join = null;
      m.assignment = EMPTY;
      this.touch(g, m);
      resolve(this.joinResult(g, m));
    }
    const rebalanceTimeout = Math.max(0, ...[...g.members.values()].map((m) => m.rebalanceTimeoutMs));
    g.syncTimer = setTimeout(() => {
      g.syncTimer = null;
      if (g.state !== 'CompletingRebalance') return;
      for (const m of [...g.members.values()]) if (!m.sync) this.removeMember(g, m, 'no SyncGroup within rebalance timeout');
    }, rebalanceTimeout);
    g.syncTimer.unref();
  }

  private joinResult(g: Group, m: Member): JoinResult {
    const isLeader = g.leaderId === m.memberId;
    return {
      errorCode: 0,
      generationId: g.generation,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      leader: g.leaderId ?? '',
      memberId: m.memberId,
      members: isLeader
        ? [...g.members.values()].map((x) => ({
            memberId: x.memberId,
            groupInstanceId: x.groupInstanceId,
            metadata: x.protocols.find((p) => p.name === g.protocolName)?.metadata ?? EMPTY,
          }))
        : [],
    };
  }

  // ------------------------------------------------------------ sync / heartbeat / leave

  private checkMember(g: Group | undefined, memberId: string, generation: number, instanceId: string | null): number {
    if (!g || g.state === 'Dead') return ErrorCode.UNKNOWN_MEMBER_ID;
    const m = g.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (instanceId && m.groupInstanceId && m.groupInstanceId !== instanceId) return ErrorCode.FENCED_INSTANCE_ID;
    if (generation !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    return 0;
  }

  sync(groupId: string, memberId: string, generation: number, instanceId: string | null, assignments: { memberId: string; assignment: Buffer }[]): Promise<SyncResult> {
    const g = this.groups.get(groupId);
    const err = this.checkMember(g, memberId, generation, instanceId);
    const fail = (code: number): Promise<SyncResult> => Promise.resolve({ errorCode: code, protocolType: null, protocolName: null, assignment: EMPTY });
    if (err) return fail(err);
    const group = g!;
    const m = group.members.get(memberId)!;
    this.touch(group, m);
    if (group.state === 'PreparingRebalance') return fail(ErrorCode.REBALANCE_IN_PROGRESS);
    if (group.state === 'Stable') return Promise.resolve({ errorCode: 0, protocolType: group.protocolType, protocolName: group.protocolName, assignment: m.assignment });
    return new Promise((resolve) => {
      m.sync = resolve;
      if (memberId === group.leaderId) {
        const byId = new Map(assignments.map((a) => [a.memberId, a.assignment]));
        for (const x of group.members.values()) x.assignment = byId.get(x.memberId) ?? EMPTY;
        group.state = 'Stable';
        if (group.syncTimer) clearTimeout(group.syncTimer);
        group.syncTimer = null;
        this.persist(group);
        for (const x of group.members.values()) {
          x.sync?.({ errorCode: 0, protocolType: group.protocolType, protocolName: group.protocolName, assignment: x.assignment });
          x.sync = null;
        }
      }
    });
  }

  heartbeat(groupId: string, memberId: string, generation: number, instanceId: string | null): number {
    const g = this.groups.get(groupId);
    if (g && g.state === 'Empty') return ErrorCode.UNKNOWN_MEMBER_ID;
    const err = this.checkMember(g, memberId, generation, instanceId);
    if (err) return err;
    this.touch(g!, g!.members.get(memberId)!);
    if (g!.state === 'PreparingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    return 0;
  }

  leave(groupId: string, memberId: string, instanceId: string | null): number {
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.UNKNOWN_MEMBER_ID;
    let id = memberId;
    if (instanceId) {
      const known = g.staticMembers.get(instanceId);
      if (!known) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (id && id !== known) return ErrorCode.FENCED_INSTANCE_ID;
      id = known;
    }
    const pending = g.pending.get(id);
    if (pending) {
      clearTimeout(pending);
      g.pending.delete(id);
      this.maybeCompleteJoin(g);
      return 0;
    }
    const m = g.members.get(id);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(g, m, 'left');
    if (g.members.size === 0 && g.state === 'PreparingRebalance') this.completeJoin(g, true);
    return 0;
  }

  // ------------------------------------------------------------ offsets

  /** Validates an OffsetCommit's member/generation; 0 if the commit may proceed. */
  checkCommit(groupId: string, memberId: string, generation: number, instanceId: string | null): number {
    const g = this.groups.get(groupId);
    if (generation < 0 && !memberId) {
      // Simple (assign()/admin) commits are only allowed while no consumer group owns the id.
      return !g || g.members.size === 0 ? 0 : ErrorCode.ILLEGAL_GENERATION;
    }
    const err = this.checkMember(g, memberId, generation, instanceId);
    if (err) return err;
    // members of the current generation may commit while the group prepares a rebalance (that is
    // how an eager consumer hands over its progress when it is revoked); only the window between
    // JoinGroup and SyncGroup refuses commits, as Kafka's coordinator does
    if (g!.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    this.touch(g!, g!.members.get(memberId)!);
    return 0;
  }

  commit(groupId: string, topic: string, partition: number, o: StoredOffset): void {
    this.group(groupId, true);
    this.store.commitOffset(groupId, topic, partition, o);
  }

  committed(groupId: string, topic: string, partition: number): StoredOffset | undefined {
    return this.store.offset(groupId, topic, partition);
  }

  committedPartitions(groupId: string): { topic: string; partition: number; o: StoredOffset }[] {
    const out: { topic: string; partition: number; o: StoredOffset }[] = [];
    for (const [k, o] of this.store.offsets.get(groupId) ?? []) {
      const i = k.lastIndexOf(':');
      out.push({ topic: k.slice(0, i), partition: Number(k.slice(i + 1)), o });
    }
    return out;
  }

  deleteGroup(groupId: string): number {
    const g = this.groups.get(groupId);
    if (!g && !this.store.offsets.has(groupId)) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (g && g.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    this.groups.delete(groupId);
    this.store.deleteGroup(groupId);
    return 0;
  }

  /** Drops offsets of a deleted topic from every group. */
  forgetTopic(topic: string): void {
    for (const [g, m] of this.store.offsets) {
      for (const k of [...m.keys()]) {
        const i = k.lastIndexOf(':');
        if (k.slice(0, i) === topic) this.store.deleteOffset(g, topic, Number(k.slice(i + 1)));
      }
    }
  }

  describe(groupId: string): { group: Group | undefined } {
    return { group: this.groups.get(groupId) };
  }

  close(): void {
    for (const g of this.groups.values()) {
      if (g.joinTimer) clearTimeout(g.joinTimer);
      if (g.syncTimer) clearTimeout(g.syncTimer);
      for (const t of g.pending.values()) clearTimeout(t);
      for (const m of g.members.values()) {
        if (m.sessionTimer) clearTimeout(m.sessionTimer);
        m.join?.(this.joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, m.memberId));
        m.sync?.({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, protocolType: null, protocolName: null, assignment: EMPTY });
        m.join = null;
        m.sync = null;
      }
    }
    this.store.close();
  }
}
