import { ErrorCodeValue } from '../protocol/error-codes';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinResult {
  error: ErrorCodeValue;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: { memberId: string; metadata: Buffer }[];
}

export interface SyncResult {
  error: ErrorCodeValue;
  assignment: Buffer;
}

export interface Member {
  id: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: GroupProtocol[];
  assignment: Buffer;
  /** Set while the member waits in JoinGroup for the rebalance to complete. */
  awaitingJoin?: (r: JoinResult) => void;
  /** Set while the member waits in SyncGroup for the leader's assignment. */
  awaitingSync?: (r: SyncResult) => void;
  sessionTimer?: NodeJS.Timeout;
}

/** One classic-protocol consumer group as the coordinator sees it. */
export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  /** Ids handed out with MEMBER_ID_REQUIRED that have not joined with them yet. */
  readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  rebalanceTimer?: NodeJS.Timeout;
  /** True while the first rebalance of an empty group waits for more members to arrive. */
  initialDelay = false;

  constructor(readonly id: string) {}

  allProtocolsSupported(protocols: GroupProtocol[]): boolean {
    if (this.members.size === 0) return true;
    return protocols.some((p) =>
      [...this.members.values()].every((m) => m.protocols.some((q) => q.name === p.name)),
    );
  }

  /** The protocol every member supports that most members list first (ties: earliest listed). */
  selectProtocol(): string {
    const members = [...this.members.values()];
    const candidates = members[0].protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    const votes = new Map<string, number>(candidates.map((c) => [c, 0]));
    for (const m of members) {
      const choice = m.protocols.find((p) => votes.has(p.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    let best = candidates[0];
    for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
    return best;
  }

  metadataFor(member: Member): Buffer {
    return member.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0);
  }
}
