import { randomUUID } from 'node:crypto';
import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { Group, GroupProtocol, JoinResult, Member, SyncResult } from './group';

export interface GroupCoordinatorOptions {
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** Delay before the first rebalance of an empty group, so joiners arriving together share it. */
  initialRebalanceDelayMs: number;
}

export interface JoinRequest {
  groupId: string;
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  /** JoinGroup v4+: a new member first gets its id with MEMBER_ID_REQUIRED and joins again. */
  requireKnownMemberId: boolean;
}

export type MemberCheck = { member: Member; group: Group } | { error: ErrorCodeValue };

function failedJoin(error: ErrorCodeValue, memberId: string): JoinResult {
  return { error, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}

/**
 * The classic group membership protocol (KIP-62/KIP-394 semantics): members join, the
 * coordinator waits until every known member rejoined (or the rebalance timeout passed), hands
 * the leader everyone's metadata, and distributes the leader's assignment through SyncGroup.
 * Liveness is a session timer per member, re-armed by every heartbeat, join, sync and commit.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly options: GroupCoordinatorOptions) {}

  get(groupId: string): Group | undefined {
    return this.groups.get(groupId);
  }

  getOrCreate(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) this.groups.set(groupId, (group = new Group(groupId)));
    return group;
  }

  list(): Group[] {
    return [...this.groups.values()];
  }

  join(req: JoinRequest): Promise<JoinResult> {
    if (!req.groupId) return Promise.resolve(failedJoin(ErrorCode.INVALID_GROUP_ID, req.memberId));
    if (
      req.sessionTimeoutMs < this.options.minSessionTimeoutMs ||
      req.sessionTimeoutMs > this.options.maxSessionTimeoutMs
    ) {
      return Promise.resolve(failedJoin(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    const group = this.getOrCreate(req.groupId);
    const typeMismatch = group.members.size > 0 && group.protocolType !== req.protocolType;
    if (req.protocols.length === 0 || typeMismatch || !group.allProtocolsSupported(req.protocols)) {
      return Promise.resolve(failedJoin(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }

    if (req.memberId === '') {
      const memberId = `${req.clientId}-${randomUUID()}`;
      if (req.requireKnownMemberId) {
        const timer = setTimeout(() => this.expirePending(group, memberId), req.sessionTimeoutMs);
        group.pendingMembers.set(memberId, timer);
        return Promise.resolve(failedJoin(ErrorCode.MEMBER_ID_REQUIRED, memberId));
      }
      return this.addMemberAndRebalance(group, memberId, req);
    }
    const pending = group.pendingMembers.get(req.memberId);
    if (pending) {
      clearTimeout(pending);
      group.pendingMembers.delete(req.memberId);
      return this.addMemberAndRebalance(group, req.memberId, req);
    }
    const member = group.members.get(req.memberId);
    if (!member) return Promise.resolve(failedJoin(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    return this.rejoin(group, member, req);
  }

  private addMemberAndRebalance(group: Group, memberId: string, req: JoinRequest): Promise<JoinResult> {
    const member: Member = {
      id: memberId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: req.protocols,
      assignment: Buffer.alloc(0),
    };
    if (group.members.size === 0) group.protocolType = req.protocolType;
    group.members.set(memberId, member);
    const result = this.awaitJoin(group, member);
    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group);
    this.maybeCompleteJoin(group);
    return result;
  }

  private rejoin(group: Group, member: Member, req: JoinRequest): Promise<JoinResult> {
    const changed =
      member.protocols.length !== req.protocols.length ||
      member.protocols.some(
        (p, i) => p.name !== req.protocols[i].name || !p.metadata.equals(req.protocols[i].metadata),
      );
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.clientHost = req.clientHost;
    const settled = group.state === 'CompletingRebalance' || group.state === 'Stable';
    // A follower rejoining with unchanged metadata needs no new generation: tell it the current one.
    if (settled && !changed && group.leaderId !== member.id) {
      this.armSession(group, member);
      return Promise.resolve(this.joinResultFor(group, member));
    }
    const result = this.awaitJoin(group, member);
    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group);
    this.maybeCompleteJoin(group);
    return result;
  }

  private awaitJoin(group: Group, member: Member): Promise<JoinResult> {
    // An older join of the same member still waiting is superseded by this one.
    member.awaitingJoin?.(failedJoin(ErrorCode.UNKNOWN_MEMBER_ID, member.id));
    // While it waits for the rebalance the member is not expected to heartbeat.
    clearTimeout(member.sessionTimer);
    return new Promise((resolve) => (member.awaitingJoin = resolve));
  }

  private prepareRebalance(group: Group): void {
    for (const m of group.members.values()) {
      m.awaitingSync?.({ error: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
      m.awaitingSync = undefined;
    }
    const initial = group.state === 'Empty' && this.options.initialRebalanceDelayMs > 0;
    group.state = 'PreparingRebalance';
    const timeout = Math.max(0, ...[...group.members.values()].map((m) => m.rebalanceTimeoutMs));
    clearTimeout(group.rebalanceTimer);
    if (!initial) {
      group.rebalanceTimer = setTimeout(() => this.completeJoin(group), timeout);
      return;
    }
    group.initialDelay = true;
    group.rebalanceTimer = setTimeout(() => {
      group.initialDelay = false;
      group.rebalanceTimer = setTimeout(() => this.completeJoin(group), timeout);
      this.maybeCompleteJoin(group);
    }, this.options.initialRebalanceDelayMs);
  }

  private maybeCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || group.initialDelay || group.pendingMembers.size > 0) return;
    for (const m of group.members.values()) if (!m.awaitingJoin) return;
    this.completeJoin(group);
  }

  /** Ends the join phase: members that did not rejoin in time are dropped, a generation begins. */
  private completeJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = undefined;
    group.initialDelay = false;
    for (const [id, timer] of group.pendingMembers) {
      clearTimeout(timer);
      group.pendingMembers.delete(id);
    }
    for (const m of [...group.members.values()]) if (!m.awaitingJoin) this.dropMember(group, m);
    group.generationId++;
    if (group.members.size === 0) {
      this.becomeEmpty(group);
      return;
    }
    group.protocolName = group.selectProtocol();
    if (!group.leaderId || !group.members.has(group.leaderId))
      group.leaderId = group.members.keys().next().value ?? null;
    group.state = 'CompletingRebalance';
    for (const m of group.members.values()) {
      const reply = m.awaitingJoin;
      m.awaitingJoin = undefined;
      this.armSession(group, m);
      reply?.(this.joinResultFor(group, m));
    }
  }

  private joinResultFor(group: Group, member: Member): JoinResult {
    const isLeader = group.leaderId === member.id;
    return {
      error: ErrorCode.NONE,
      generationId: group.generationId,
      protocolName: group.protocolName ?? '',
      leader: group.leaderId ?? '',
      memberId: member.id,
      members: isLeader
        ? [...group.members.values()].map((m) => ({ memberId: m.id, metadata: group.metadataFor(m) }))
        : [],
    };
  }

  private becomeEmpty(group: Group): void {
    clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = undefined;
    group.initialDelay = false;
    group.state = 'Empty';
    group.protocolName = null;
    group.leaderId = null;
  }

  /** Validates member and generation the way Heartbeat, SyncGroup and OffsetCommit need. */
  checkMember(groupId: string, memberId: string, generationId: number): MemberCheck {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return { error: ErrorCode.UNKNOWN_MEMBER_ID };
    if (generationId !== group.generationId) return { error: ErrorCode.ILLEGAL_GENERATION };
    return { group, member };
  }

  sync(
    groupId: string,
    generationId: number,
    memberId: string,
    assignments: Map<string, Buffer>,
  ): Promise<SyncResult> {
    const check = this.checkMember(groupId, memberId, generationId);
    if ('error' in check) return Promise.resolve({ error: check.error, assignment: Buffer.alloc(0) });
    const { group, member } = check;
    if (group.state === 'PreparingRebalance') {
      return Promise.resolve({ error: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
    }
    this.armSession(group, member);
    if (group.state === 'Stable')
      return Promise.resolve({ error: ErrorCode.NONE, assignment: member.assignment });
    const result = new Promise<SyncResult>((resolve) => (member.awaitingSync = resolve));
    if (member.id === group.leaderId) {
      for (const m of group.members.values()) m.assignment = assignments.get(m.id) ?? Buffer.alloc(0);
      group.state = 'Stable';
      for (const m of group.members.values()) {
        const reply = m.awaitingSync;
        m.awaitingSync = undefined;
        reply?.({ error: ErrorCode.NONE, assignment: m.assignment });
      }
    }
    return result;
  }

  heartbeat(groupId: string, generationId: number, memberId: string): ErrorCodeValue {
    const check = this.checkMember(groupId, memberId, generationId);
    if ('error' in check) return check.error;
    this.armSession(check.group, check.member);
    return check.group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): ErrorCodeValue {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const pending = group.pendingMembers.get(memberId);
    if (pending) {
      clearTimeout(pending);
      group.pendingMembers.delete(memberId);
      this.maybeCompleteJoin(group);
      return ErrorCode.NONE;
    }
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(group, member);
    return ErrorCode.NONE;
  }

  /** Re-arms the member's session: if nothing renews it within the session timeout, it is removed. */
  armSession(group: Group, member: Member): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => {
      if (group.members.get(member.id) === member) this.removeMember(group, member);
    }, member.sessionTimeoutMs);
  }

  private expirePending(group: Group, memberId: string): void {
    if (!group.pendingMembers.delete(memberId)) return;
    this.maybeCompleteJoin(group);
  }

  private dropMember(group: Group, member: Member): void {
    clearTimeout(member.sessionTimer);
    member.awaitingJoin?.(failedJoin(ErrorCode.UNKNOWN_MEMBER_ID, member.id));
    member.awaitingSync?.({ error: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    member.awaitingJoin = undefined;
    member.awaitingSync = undefined;
    group.members.delete(member.id);
  }

  private removeMember(group: Group, member: Member): void {
    this.dropMember(group, member);
    if (group.state === 'PreparingRebalance') {
      if (group.members.size === 0) {
        group.generationId++;
        this.becomeEmpty(group);
      } else {
        this.maybeCompleteJoin(group);
      }
      return;
    }
    if (group.members.size === 0) {
      group.generationId++;
      this.becomeEmpty(group);
      return;
    }
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group);
  }

  close(): void {
    for (const group of this.groups.values()) {
      clearTimeout(group.rebalanceTimer);
      for (const t of group.pendingMembers.values()) clearTimeout(t);
      for (const m of group.members.values()) {
        clearTimeout(m.sessionTimer);
        m.awaitingJoin?.(failedJoin(ErrorCode.COORDINATOR_NOT_AVAILABLE, m.id));
        m.awaitingSync?.({ error: ErrorCode.COORDINATOR_NOT_AVAILABLE, assignment: Buffer.alloc(0) });
      }
    }
    this.groups.clear();
  }
}
