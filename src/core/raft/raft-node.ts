import assert from "node:assert/strict";
import { applyConfChangeTo, type ConfChange, decodeConfChange, encodeConfChange } from "./conf-change.ts";
import { payloadSizeBytes, totalSizeBytes } from "./entry-size.ts";
import { CompactedError, ProposalDroppedError, ReadIndexDroppedError, UnavailableError } from "./errors.ts";
import {
  DEFAULT_ELECTION_TICKS,
  DEFAULT_HEARTBEAT_TICKS,
  DEFAULT_MAX_COMMITTED_SIZE_PER_READY_BYTES,
  DEFAULT_MAX_ENTRIES_PER_MSG,
  DEFAULT_MAX_INFLIGHT_BYTES,
  DEFAULT_MAX_INFLIGHT_MSGS,
  DEFAULT_MAX_PENDING_READ_INDEX,
  DEFAULT_MAX_SIZE_PER_MSG_BYTES,
  DEFAULT_MAX_UNCOMMITTED_ENTRIES_BYTES,
  DEFAULT_SNAPSHOT_TIMEOUT_TICKS,
  LEASE_SAFETY_MARGIN_TICKS,
  MAX_PENDING_READS_BEFORE_COMMIT,
} from "./limits.ts";
import type { Progress } from "./progress.ts";
import { ProgressTracker } from "./progress-tracker.ts";
import { RaftLog } from "./raft-log.ts";
import { ReadOnlyQueue } from "./read-only.ts";
import type { RaftStorage } from "./storage.ts";
import {
  type ConfState,
  type Entry,
  type GroupId,
  type HardState,
  isHardStateEqual,
  type Message,
  type MessageType,
  makeMessage,
  NONE,
  type NodeId,
  type RaftRole,
  type ReadState,
  type Snapshot,
  type SoftState,
} from "./types.ts";

/**
 * Deliberately broken rules, for proving that the simulation's checkers catch real bugs.
 * Never set outside tests.
 */
export interface InjectedBugs {
  /** Grant a vote even if the candidate's log is behind ours (breaks leader completeness). */
  readonly voteWithoutLogCheck?: boolean;
  /** Grant a vote even if we already voted for someone else this term (breaks election safety). */
  readonly voteTwiceInTerm?: boolean;
  /** Commit an entry of an older term by counting replicas (the Figure 8 bug). */
  readonly commitOldTermByCounting?: boolean;
  /** A leader lease that never expires (stale reads from a deposed leader in lease mode). */
  readonly leaseWithoutExpiry?: boolean;
  /** Answer ReadIndex at once from the local commit index, leader or not (stale reads). */
  readonly readIndexWithoutConfirm?: boolean;
}

export interface RaftConfig {
  readonly groupId: GroupId;
  readonly id: NodeId;
  readonly storage: RaftStorage;
  /** Uniform in [0, 1): the only source of randomness (election timeouts). Seeded in simulation. */
  readonly random: () => number;
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  /** Campaign in two phases so a partitioned node rejoining does not disrupt the leader. Default on. */
  readonly preVote?: boolean;
  /** The leader steps down when it has not heard from a quorum for an election timeout. Default on. */
  readonly checkQuorum?: boolean;
  /**
   * "safe": every ReadIndex is confirmed by a heartbeat round. "leaseBased": the leader answers
   * from its lease (a quorum acknowledged a heartbeat within electionTicks - margin), which
   * requires checkQuorum and bounded clock drift; it falls back to a heartbeat round otherwise.
   */
  readonly readOnlyOption?: "safe" | "leaseBased";
  /** Index the application has already applied (its state survives restarts); default: snapshot index. */
  readonly applied?: number;
  readonly maxSizePerMsgBytes?: number;
  readonly maxEntriesPerMsg?: number;
  readonly maxInflightMsgs?: number;
  readonly maxInflightBytes?: number;
  readonly maxUncommittedEntriesBytes?: number;
  readonly maxCommittedSizePerReadyBytes?: number;
  readonly maxPendingReadIndex?: number;
  readonly snapshotTimeoutTicks?: number;
  readonly bugs?: InjectedBugs;
}

/**
 * A batch of work for the driver. Process it in this order, then call advance(ready):
 * 1. if `snapshot`: persist it and load it into the application state machine;
 * 2. persist `entries` (appending, replacing any conflicting tail) and `hardState`, and fsync
 *    when `mustSync`. Entries must not reach the disk after the hard state that commits them:
 *    write both in one transaction (or entries first);
 * 3. send `messages` (only now: they may promise what was just persisted);
 * 4. apply `committedEntries` in order; serve `readStates` once applied >= their index.
 */
export interface Ready {
  readonly softState?: SoftState;
  readonly hardState?: HardState;
  readonly readStates: readonly ReadState[];
  readonly entries: readonly Entry[];
  readonly snapshot?: Snapshot;
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly mustSync: boolean;
}

export interface ProgressStatus {
  readonly match: number;
  readonly next: number;
  readonly state: Progress["state"];
  readonly isLearner: boolean;
  readonly recentActive: boolean;
  readonly inflight: number;
}

export interface RaftStatus {
  readonly groupId: GroupId;
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId;
  readonly lead: NodeId;
  readonly role: RaftRole;
  readonly commit: number;
  readonly applied: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly leadTransferee: NodeId;
  readonly confState: ConfState;
  /** Only on the leader. */
  readonly progress: ReadonlyMap<NodeId, ProgressStatus>;
}

function isVoteType(t: MessageType): boolean {
  return t === "vote" || t === "preVote";
}

function voteRespType(t: MessageType): MessageType {
  return t === "vote" ? "voteResp" : "preVoteResp";
}

/**
 * One member of one Raft group, as a pure state machine in the style of etcd's raft package:
 * the caller feeds it ticks and messages and drains Ready batches; it never touches a clock, a
 * socket or a disk. Many instances can live in one process (multi-raft): there are no globals
 * and every message carries its groupId.
 *
 * Proposals are not forwarded: propose() on a non-leader throws ProposalDroppedError with a
 * leader hint, so the client (which alone knows whether a retry is safe) decides what to do.
 */
export class RaftNode {
  readonly id: NodeId;
  readonly groupId: GroupId;

  private term = 0;
  private vote: NodeId = NONE;
  private lead: NodeId = NONE;
  private role: RaftRole = "follower";
  private readonly log: RaftLog;
  private readonly tracker: ProgressTracker;

  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  /** Ticks since this instance started; the leader's lease clock. */
  private tickCount = 0;
  /**
   * Until an election timeout has passed since a restart, treat ourselves as inside a leader's
   * lease: a restarted node forgot who it last heard from and must not help depose a leader
   * whose lease it may have just renewed. Set only if a term was ever persisted, so a brand-new
   * group can elect at once.
   */
  private bootLeaseGuard = false;
  private leadTransferee: NodeId = NONE;
  /** Once a transfer is started the target may win without waiting out leases: no lease reads this term. */
  private leaseRevoked = false;
  /** Index of the latest conf change the leader appended; no new one until it is applied. */
  private pendingConfIndex = 0;
  /** Index of the latest conf change applied to the tracker. */
  private confIndex = 0;
  private uncommittedSizeBytes = 0;
  private readonly readOnly = new ReadOnlyQueue();
  /** ReadIndex requests received before the leader committed an entry of its term. */
  private pendingReadIndexMessages: Message[] = [];
  private needsBroadcast = false;

  private msgs: Message[] = [];
  private readStates: ReadState[] = [];
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  private readyOutstanding = false;

  private readonly electionTicks: number;
  private readonly heartbeatTicks: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private readonly readOnlyOption: "safe" | "leaseBased";
  private readonly maxSizePerMsgBytes: number;
  private readonly maxEntriesPerMsg: number;
  private readonly maxUncommittedEntriesBytes: number;
  private readonly maxCommittedSizePerReadyBytes: number;
  private readonly maxPendingReadIndex: number;
  private readonly snapshotTimeoutTicks: number;
  private readonly random: () => number;
  private readonly bugs: InjectedBugs;

  constructor(cfg: RaftConfig) {
    assert.ok(cfg.id !== NONE, "node id must not be empty");
    this.id = cfg.id;
    this.groupId = cfg.groupId;
    this.electionTicks = cfg.electionTicks ?? DEFAULT_ELECTION_TICKS;
    this.heartbeatTicks = cfg.heartbeatTicks ?? DEFAULT_HEARTBEAT_TICKS;
    assert.ok(
      this.heartbeatTicks > 0 && this.electionTicks > this.heartbeatTicks,
      "need electionTicks > heartbeatTicks > 0",
    );
    this.preVote = cfg.preVote ?? true;
    this.checkQuorum = cfg.checkQuorum ?? true;
    this.readOnlyOption = cfg.readOnlyOption ?? "safe";
    assert.ok(this.readOnlyOption === "safe" || this.checkQuorum, "lease-based reads require checkQuorum");
    this.maxSizePerMsgBytes = cfg.maxSizePerMsgBytes ?? DEFAULT_MAX_SIZE_PER_MSG_BYTES;
    this.maxEntriesPerMsg = cfg.maxEntriesPerMsg ?? DEFAULT_MAX_ENTRIES_PER_MSG;
    assert.ok(this.maxEntriesPerMsg >= 1, "maxEntriesPerMsg must be at least 1");
    this.maxUncommittedEntriesBytes = cfg.maxUncommittedEntriesBytes ?? DEFAULT_MAX_UNCOMMITTED_ENTRIES_BYTES;
    this.maxCommittedSizePerReadyBytes =
      cfg.maxCommittedSizePerReadyBytes ?? DEFAULT_MAX_COMMITTED_SIZE_PER_READY_BYTES;
    this.maxPendingReadIndex = cfg.maxPendingReadIndex ?? DEFAULT_MAX_PENDING_READ_INDEX;
    this.snapshotTimeoutTicks = cfg.snapshotTimeoutTicks ?? DEFAULT_SNAPSHOT_TIMEOUT_TICKS;
    this.random = cfg.random;
    this.bugs = cfg.bugs ?? {};

    this.log = new RaftLog(cfg.storage);
    this.tracker = new ProgressTracker(
      cfg.maxInflightMsgs ?? DEFAULT_MAX_INFLIGHT_MSGS,
      cfg.maxInflightBytes ?? DEFAULT_MAX_INFLIGHT_BYTES,
    );
    const { hardState, confState } = cfg.storage.initialState();
    this.tracker.applyConfState(confState, this.log.lastIndex() + 1);
    this.confIndex = this.log.firstIndex() - 1;
    if (hardState.term !== 0 || hardState.commit !== 0) {
      assert.ok(
        hardState.commit <= this.log.lastIndex(),
        `hard state commit ${hardState.commit} is beyond the last stored index ${this.log.lastIndex()}`,
      );
      // A snapshot is committed by definition, even if the hard state written with it was lost.
      this.log.committed = Math.max(hardState.commit, this.log.committed);
      this.term = hardState.term;
      this.vote = hardState.vote;
      this.bootLeaseGuard = hardState.term > 0;
    }
    if (
      cfg.applied !== undefined &&
      cfg.applied > this.log.committed &&
      cfg.applied <= this.log.lastIndex()
    ) {
      // The application applies only committed entries, so whatever it applied was committed,
      // even if the hard state saying so was not persisted (drivers may save it lazily).
      this.log.committed = cfg.applied;
    }
    if (cfg.applied !== undefined && cfg.applied > this.log.applied) {
      this.log.appliedTo(cfg.applied);
      this.replayAppliedConfChanges();
    }
    // Committed changes beyond `applied` take effect as they are re-applied through Ready;
    // until then hup() refuses to campaign (hasUnappliedConfChanges), as in etcd.
    this.becomeFollower(this.term, NONE);
    this.prevSoftState = this.softState();
    this.prevHardState = this.hardState();
  }

  // ---- public API -------------------------------------------------------------------------

  /** Advances logical time by one tick: election timeouts, heartbeats, CheckQuorum. */
  tick(): void {
    this.tickCount++;
    if (this.role === "leader") this.tickHeartbeat();
    else this.tickElection();
  }

  /** Feeds a message received from a peer of the same group. */
  step(m: Message): void {
    assert.equal(m.groupId, this.groupId, "message routed to the wrong group");
    if (m.type === "hup" || m.type === "beat" || m.type === "prop") {
      assert.fail(`${m.type} is local: use campaign(), tick() or propose()`);
    }
    this.stepInternal(m);
  }

  /** Starts an election now (e.g. to bootstrap a single-node group quickly). */
  campaign(): void {
    this.stepInternal(this.local("hup"));
  }

  /**
   * Appends data to the log if this node is the leader; returns the index it will be
   * committed at if it is committed. Throws ProposalDroppedError otherwise or at the
   * uncommitted-bytes bound.
   */
  propose(data: Uint8Array): { index: number; term: number } {
    return this.proposeEntry("normal", data);
  }

  /** Proposes one membership change; at most one may be pending (see conf-change.ts). */
  proposeConfChange(cc: ConfChange): { index: number; term: number } {
    if (this.role === "leader" && this.pendingConfIndex > this.log.applied) {
      throw new ProposalDroppedError("confChangePending", this.lead);
    }
    const res = this.proposeEntry("confChange", encodeConfChange(cc));
    this.pendingConfIndex = res.index;
    return res;
  }

  /**
   * Requests a linearizable read point. When confirmed, a ReadState with this ctx (unique
   * per request on this node) appears in a Ready; reading after applying up to its index is linearizable.
   * A lost request simply never completes: the caller times out.
   */
  readIndex(ctx: string): void {
    if (this.role === "leader") {
      this.leaderReadIndex(this.id, ctx, true);
      return;
    }
    if (this.bugs.readIndexWithoutConfirm) {
      this.readStates.push({ index: this.log.committed, requestCtx: ctx });
      return;
    }
    if (this.lead === NONE) throw new ReadIndexDroppedError("noLeader");
    this.send(
      makeMessage({ type: "readIndex", groupId: this.groupId, from: this.id, to: this.lead, context: ctx }),
    );
  }

  /**
   * The read index a leader may serve at once, without a Ready turn or a message: its commit
   * index, when reads are lease-based, its lease holds and an entry of its term is committed
   * (the same conditions under which readIndex() would answer from the lease in the next
   * Ready). Undefined otherwise: use readIndex(). Reading after applying up to the returned
   * index is linearizable.
   */
  leaseReadIndex(): number | undefined {
    if (this.role !== "leader" || this.readOnlyOption !== "leaseBased") return undefined;
    if (this.tracker.isSingleton() && this.promotable()) return this.log.committed;
    if (!this.committedEntryInCurrentTerm() || !this.leaseValid()) return undefined;
    return this.log.committed;
  }

  /** Asks the leader to hand leadership to `to` once `to` has caught up. */
  transferLeadership(to: NodeId): void {
    if (this.role === "leader") {
      this.leaderTransfer(to);
    } else if (this.lead !== NONE) {
      this.send(
        makeMessage({
          type: "transferLeader",
          groupId: this.groupId,
          from: this.id,
          to: this.lead,
          transferee: to,
        }),
      );
    }
  }

  /** The transport could not reach `to`: stop pipelining to it until it answers. */
  reportUnreachable(to: NodeId): void {
    const pr = this.role === "leader" ? this.tracker.progress.get(to) : undefined;
    if (pr && pr.state === "replicate") pr.becomeProbe();
  }

  /** The transport finished (or failed) sending a snapshot to `to`. */
  reportSnapshot(to: NodeId, ok: boolean): void {
    const pr = this.role === "leader" ? this.tracker.progress.get(to) : undefined;
    if (pr?.state !== "snapshot") return;
    if (!ok) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    // Wait for the follower's append response (or a heartbeat) before probing again.
    pr.probeSent = true;
  }

  hasReady(): boolean {
    if (this.needsBroadcast) return true;
    const ss = this.softState();
    if (ss.lead !== this.prevSoftState.lead || ss.role !== this.prevSoftState.role) return true;
    if (!isHardStateEqual(this.hardState(), this.prevHardState)) return true;
    if (this.log.unstable.snapshot || this.log.unstable.entries.length > 0) return true;
    if (this.msgs.length > 0 || this.readStates.length > 0) return true;
    return this.log.hasNextCommittedEntries(this.log.applied);
  }

  /** The pending work; call advance() with it before calling ready() again. */
  ready(): Ready {
    assert.ok(!this.readyOutstanding, "ready() called again before advance()");
    this.flushBroadcast();
    const ss = this.softState();
    const hs = this.hardState();
    const softChanged = ss.lead !== this.prevSoftState.lead || ss.role !== this.prevSoftState.role;
    const hardChanged = !isHardStateEqual(hs, this.prevHardState);
    const entries = this.log.unstableEntries();
    const rd: Ready = {
      entries,
      committedEntries: this.log.nextCommittedEntries(this.log.applied, this.maxCommittedSizePerReadyBytes),
      messages: this.msgs,
      readStates: this.readStates,
      mustSync:
        entries.length > 0 || hs.term !== this.prevHardState.term || hs.vote !== this.prevHardState.vote,
      ...(softChanged ? { softState: ss } : {}),
      ...(hardChanged ? { hardState: hs } : {}),
      ...(this.log.unstable.snapshot ? { snapshot: this.log.unstable.snapshot } : {}),
    };
    this.msgs = [];
    this.readStates = [];
    this.readyOutstanding = true;
    return rd;
  }

  /** The driver has persisted, sent and applied everything in rd. */
  advance(rd: Ready): void {
    assert.ok(this.readyOutstanding, "advance() without ready()");
    this.readyOutstanding = false;
    if (rd.softState) this.prevSoftState = rd.softState;
    if (rd.hardState) this.prevHardState = rd.hardState;
    if (rd.snapshot) {
      const idx = rd.snapshot.metadata.index;
      this.log.stableSnapTo(idx);
      if (idx > this.log.applied) this.log.applied = idx;
    }
    if (rd.entries.length > 0) {
      const last = rd.entries[rd.entries.length - 1]!;
      this.log.stableTo(last.index, last.term);
      // The leader counts itself towards a quorum only for what is on its disk.
      if (this.role === "leader" && this.log.matchTerm(last.index, last.term)) {
        const self = this.tracker.progress.get(this.id);
        if (self?.maybeUpdate(last.index) && this.maybeCommit()) this.onCommitAdvanced();
      }
    }
    if (rd.committedEntries.length > 0) {
      const last = rd.committedEntries[rd.committedEntries.length - 1]!;
      this.log.appliedTo(last.index);
      if (this.role === "leader") {
        this.uncommittedSizeBytes = Math.max(
          0,
          this.uncommittedSizeBytes - payloadSizeBytes(rd.committedEntries),
        );
      }
      for (const e of rd.committedEntries) {
        if (e.type === "confChange" && e.index > this.confIndex) this.applyConfChange(e);
      }
    }
  }

  /** Current membership (as of the last applied change). Use it when creating a snapshot. */
  confState(): ConfState {
    return this.tracker.confState();
  }

  status(): RaftStatus {
    const progress = new Map<NodeId, ProgressStatus>();
    if (this.role === "leader") {
      for (const [id, pr] of this.tracker.progress) {
        progress.set(id, {
          match: pr.match,
          next: pr.next,
          state: pr.state,
          isLearner: pr.isLearner,
          recentActive: pr.recentActive,
          inflight: pr.inflights.size(),
        });
      }
    }
    return {
      groupId: this.groupId,
      id: this.id,
      term: this.term,
      vote: this.vote,
      lead: this.lead,
      role: this.role,
      commit: this.log.committed,
      applied: this.log.applied,
      firstIndex: this.log.firstIndex(),
      lastIndex: this.log.lastIndex(),
      leadTransferee: this.leadTransferee,
      confState: this.tracker.confState(),
      progress,
    };
  }

  /** Term of the entry at i in this node's log (including the unstable tail); 0 if absent or compacted. */
  logTerm(i: number): number {
    return this.log.termOrZero(i);
  }

  softState(): SoftState {
    return { lead: this.lead, role: this.role };
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  // ---- state transitions ------------------------------------------------------------------

  private reset(term: number): void {
    if (this.term !== term) {
      assert.ok(term > this.term, `term must not go backwards (${this.term} -> ${term})`);
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.electionTicks + Math.floor(this.random() * this.electionTicks);
    this.leadTransferee = NONE;
    this.leaseRevoked = false;
    this.tracker.resetVotes();
    const last = this.log.lastIndex();
    for (const [id, pr] of this.tracker.progress) {
      pr.match = 0;
      pr.next = last + 1;
      pr.state = "probe";
      pr.probeSent = false;
      pr.pendingSnapshot = 0;
      pr.inflights.reset();
      pr.leaseAckTick = Number.NEGATIVE_INFINITY;
      if (id === this.id) pr.match = this.log.lastStableIndex();
    }
    this.pendingConfIndex = 0;
    this.uncommittedSizeBytes = 0;
    this.readOnly.clear();
    this.pendingReadIndexMessages = [];
    this.needsBroadcast = false;
  }

  private becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.role = "follower";
  }

  private becomePreCandidate(): void {
    assert.notEqual(this.role, "leader", "invalid transition leader -> preCandidate");
    // Term and vote stay: a pre-election changes nothing durable.
    this.tracker.resetVotes();
    this.lead = NONE;
    this.role = "preCandidate";
  }

  private becomeCandidate(): void {
    assert.notEqual(this.role, "leader", "invalid transition leader -> candidate");
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = "candidate";
  }

  private becomeLeader(): void {
    assert.notEqual(this.role, "follower", "invalid transition follower -> leader");
    assert.ok(this.promotable(), "only a voter may lead");
    this.reset(this.term);
    this.lead = this.id;
    this.role = "leader";
    this.bootLeaseGuard = false;
    const self = this.tracker.progress.get(this.id)!;
    self.becomeReplicate();
    self.match = this.log.lastStableIndex();
    self.next = this.log.lastIndex() + 1;
    self.recentActive = true;
    // An empty entry of the new term: committing it commits everything before it (§5.4.2)
    // and tells the leader the commit index, which ReadIndex needs.
    this.appendEntries([{ term: 0, index: 0, type: "normal", data: new Uint8Array(0) }], true);
    // No membership change until everything up to our first entry is applied.
    this.pendingConfIndex = this.log.lastIndex();
  }

  private promotable(): boolean {
    return this.tracker.voters.has(this.id);
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTicks) this.bootLeaseGuard = false;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.stepInternal(this.local("hup"));
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    for (const [id, pr] of this.tracker.progress) {
      if (id !== this.id && pr.state === "snapshot" && ++pr.snapshotTicks > this.snapshotTimeoutTicks) {
        pr.becomeProbe();
      }
    }
    if (this.electionElapsed >= this.electionTicks) {
      this.electionElapsed = 0;
      if (this.checkQuorum && !this.tracker.quorumActive(this.id)) {
        this.becomeFollower(this.term, NONE);
        return;
      }
      if (this.leadTransferee !== NONE) this.leadTransferee = NONE;
    }
    if (this.heartbeatElapsed >= this.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.bcastHeartbeat();
    }
  }

  private local(type: MessageType): Message {
    return makeMessage({ type, groupId: this.groupId, from: this.id, to: this.id });
  }

  // ---- message handling ---------------------------------------------------------------------

  private inLease(): boolean {
    return (
      this.checkQuorum &&
      (this.lead !== NONE || this.bootLeaseGuard) &&
      this.electionElapsed < this.electionTicks
    );
  }

  private stepInternal(m: Message): void {
    if (m.term === 0) {
      // local message
    } else if (m.term > this.term) {
      if (isVoteType(m.type) && !m.transfer && this.inLease()) {
        // We heard from a leader within the election timeout: ignore the would-be usurper
        // without even bumping our term (this is what makes CheckQuorum leases hold).
        return;
      }
      if (m.type === "preVote" || (m.type === "preVoteResp" && !m.reject)) {
        // A pre-vote request, or a grant at the term we would campaign at: no term change.
      } else if (m.type === "app" || m.type === "heartbeat" || m.type === "snap") {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === "heartbeat" || m.type === "app")) {
        // A stale leader: tell it our term so it steps down (it cannot learn it from votes
        // that PreVote or leases make us ignore).
        this.send(
          makeMessage({ type: "appResp", groupId: this.groupId, from: this.id, to: m.from, term: this.term }),
        );
      } else if (m.type === "preVote") {
        this.send(
          makeMessage({
            type: "preVoteResp",
            groupId: this.groupId,
            from: this.id,
            to: m.from,
            term: this.term,
            reject: true,
          }),
        );
      }
      return;
    }

    switch (m.type) {
      case "hup":
        this.hup(false);
        return;
      case "vote":
      case "preVote":
        this.handleVoteRequest(m);
        return;
    }
    switch (this.role) {
      case "leader":
        this.stepLeader(m);
        return;
      case "candidate":
      case "preCandidate":
        this.stepCandidate(m);
        return;
      case "follower":
        this.stepFollower(m);
        return;
    }
  }

  private handleVoteRequest(m: Message): void {
    // We can vote for whoever we already voted for, or anyone if we have neither voted nor
    // know a leader this term; a pre-vote for a future term commits us to nothing.
    const canVote =
      this.vote === m.from ||
      (this.vote === NONE && this.lead === NONE) ||
      (m.type === "preVote" && m.term > this.term) ||
      this.bugs.voteTwiceInTerm === true;
    const upToDate = this.bugs.voteWithoutLogCheck === true || this.log.isUpToDate(m.index, m.logTerm);
    if (canVote && upToDate) {
      // Answer with the request's term: a pre-candidate ignores answers at any other term.
      this.send(
        makeMessage({
          type: voteRespType(m.type),
          groupId: this.groupId,
          from: this.id,
          to: m.from,
          term: m.term,
        }),
      );
      if (m.type === "vote") {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send(
        makeMessage({
          type: voteRespType(m.type),
          groupId: this.groupId,
          from: this.id,
          to: m.from,
          term: this.term,
          reject: true,
        }),
      );
    }
  }

  private hasUnappliedConfChanges(): boolean {
    if (this.log.committed <= this.log.applied) return false;
    let lo = Math.max(this.log.applied + 1, this.log.firstIndex());
    const hi = this.log.committed + 1;
    while (lo < hi) {
      const ents = this.log.slice(lo, hi, this.maxCommittedSizePerReadyBytes);
      for (const e of ents) if (e.type === "confChange" && e.index > this.confIndex) return true;
      lo += ents.length;
    }
    return false;
  }

  private hup(transfer: boolean): void {
    if (this.role === "leader" || !this.promotable()) return;
    // The membership we would campaign under may be about to change: wait until it is applied.
    if (this.hasUnappliedConfChanges()) return;
    if (this.preVote && !transfer) this.campaignRound("preVote", false);
    else this.campaignRound("vote", transfer);
  }

  private campaignRound(kind: "preVote" | "vote", transfer: boolean): void {
    let term: number;
    if (kind === "preVote") {
      this.becomePreCandidate();
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      term = this.term;
    }
    this.tracker.recordVote(this.id, true);
    if (this.tracker.tallyVotes().result === "won") {
      // A single-voter group wins at once.
      if (kind === "preVote") this.campaignRound("vote", transfer);
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const id of this.tracker.voters) {
      if (id === this.id) continue;
      this.send(
        makeMessage({
          type: kind,
          groupId: this.groupId,
          from: this.id,
          to: id,
          term,
          index: lastIndex,
          logTerm: lastTerm,
          ...(transfer ? { transfer: true } : {}),
        }),
      );
    }
  }

  private stepCandidate(m: Message): void {
    const myRespType: MessageType = this.role === "preCandidate" ? "preVoteResp" : "voteResp";
    switch (m.type) {
      case "app":
        this.becomeFollower(m.term, m.from);
        this.handleAppend(m);
        return;
      case "heartbeat":
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case "snap":
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      case "preVoteResp":
      case "voteResp": {
        if (m.type !== myRespType) return;
        this.tracker.recordVote(m.from, !m.reject);
        const { result } = this.tracker.tallyVotes();
        if (result === "won") {
          if (this.role === "preCandidate") {
            this.campaignRound("vote", false);
          } else {
            this.becomeLeader();
            this.bcastAppend();
          }
        } else if (result === "lost") {
          this.becomeFollower(this.term, NONE);
        }
        return;
      }
      default:
        return;
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case "app":
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppend(m);
        return;
      case "heartbeat":
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case "snap":
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        return;
      case "transferLeader":
        if (this.lead !== NONE) {
          this.send(
            makeMessage({
              type: "transferLeader",
              groupId: this.groupId,
              from: this.id,
              to: this.lead,
              ...pickTransferee(m),
            }),
          );
        }
        return;
      case "timeoutNow":
        // The leader asked us to take over: campaign now, skipping PreVote and its lease check.
        this.hup(true);
        return;
      case "readIndex":
        if (this.lead !== NONE) {
          this.send(
            makeMessage({
              type: "readIndex",
              groupId: this.groupId,
              from: m.from,
              to: this.lead,
              context: m.context,
            }),
          );
        }
        return;
      case "readIndexResp":
        if (m.context !== undefined) this.readStates.push({ index: m.index, requestCtx: m.context });
        return;
      default:
        return;
    }
  }

  private stepLeader(m: Message): void {
    if (m.type === "readIndex") {
      this.leaderReadIndex(m.from, m.context ?? "", false);
      return;
    }
    if (m.type === "transferLeader") {
      if (m.transferee !== undefined) this.leaderTransfer(m.transferee);
      return;
    }
    const pr = this.tracker.progress.get(m.from);
    if (!pr || m.from === this.id) return;
    switch (m.type) {
      case "appResp":
        pr.recentActive = true;
        if (m.reject) {
          let nextProbe = m.rejectHint;
          if (m.logTerm > 0) nextProbe = this.log.findConflictByTerm(m.rejectHint, m.logTerm);
          if (pr.maybeDecrTo(m.index, nextProbe)) {
            if (pr.state === "replicate") pr.becomeProbe();
            this.sendAppend(m.from);
          }
          return;
        }
        {
          const wasPaused = pr.isPaused();
          if (!pr.maybeUpdate(m.index)) {
            if (wasPaused && !pr.isPaused()) this.sendAppend(m.from);
            return;
          }
          if (pr.state === "probe") pr.becomeReplicate();
          else if (pr.state === "snapshot" && pr.match >= pr.pendingSnapshot) {
            pr.becomeProbe();
            pr.becomeReplicate();
          } else if (pr.state === "replicate") pr.inflights.freeLE(m.index);

          if (this.maybeCommit()) {
            this.onCommitAdvanced();
          } else if (wasPaused) {
            this.sendAppend(m.from);
          }
          // Pipelining: keep the window full.
          while (this.maybeSendAppend(m.from, false)) {}
          if (m.from === this.leadTransferee && pr.match === this.log.lastIndex())
            this.sendTimeoutNow(m.from);
        }
        return;
      case "heartbeatResp":
        pr.recentActive = true;
        pr.probeSent = false;
        if (m.leaseTick !== undefined && m.leaseTick > pr.leaseAckTick) pr.leaseAckTick = m.leaseTick;
        // The follower is alive but the window is full: appends or their answers may have been
        // lost. Free one slot so the next append goes out; a gap makes the follower reject it,
        // which sends us back to probing from its match.
        if (pr.state === "replicate" && pr.inflights.full()) pr.inflights.freeFirstOne();
        if (pr.match < this.log.lastIndex()) this.sendAppend(m.from);
        if (m.context !== undefined) this.ackReadIndex(m.from, m.context);
        return;
      default:
        return;
    }
  }

  // ---- replication --------------------------------------------------------------------------

  private proposeEntry(type: Entry["type"], data: Uint8Array): { index: number; term: number } {
    if (this.role !== "leader") throw new ProposalDroppedError("notLeader", this.lead);
    if (!this.tracker.progress.has(this.id)) throw new ProposalDroppedError("removed", NONE);
    if (this.leadTransferee !== NONE) throw new ProposalDroppedError("transferring", this.lead);
    this.appendEntries([{ term: 0, index: 0, type, data }], false);
    // Broadcast lazily, at the next ready(): proposals that arrive together share one message.
    this.needsBroadcast = true;
    return { index: this.log.lastIndex(), term: this.term };
  }

  private appendEntries(es: Entry[], exempt: boolean): void {
    const size = payloadSizeBytes(es);
    if (
      !exempt &&
      this.uncommittedSizeBytes > 0 &&
      size > 0 &&
      this.uncommittedSizeBytes + size > this.maxUncommittedEntriesBytes
    ) {
      throw new ProposalDroppedError(
        "uncommittedLimit",
        this.lead,
        `proposal dropped: ${this.uncommittedSizeBytes} uncommitted bytes plus ${size} exceed maxUncommittedEntriesBytes=${this.maxUncommittedEntriesBytes}`,
      );
    }
    let li = this.log.lastIndex();
    const stamped = es.map((e) => ({ ...e, term: this.term, index: ++li }));
    this.log.append(stamped);
    this.uncommittedSizeBytes += size;
  }

  private maybeCommit(): boolean {
    const mci = this.tracker.committedIndex();
    return this.log.maybeCommit(mci, this.term, this.bugs.commitOldTermByCounting === true);
  }

  private onCommitAdvanced(): void {
    this.releasePendingReadIndexMessages();
    this.bcastAppend();
  }

  private flushBroadcast(): void {
    if (this.needsBroadcast) {
      this.needsBroadcast = false;
      if (this.role === "leader") this.bcastAppend();
    }
  }

  private bcastAppend(): void {
    for (const id of this.tracker.progress.keys()) if (id !== this.id) this.sendAppend(id);
  }

  private sendAppend(to: NodeId): void {
    this.maybeSendAppend(to, true);
  }

  /** Sends what `to` needs next (entries, or a snapshot if they are compacted). */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.tracker.progress.get(to);
    if (!pr || pr.isPaused()) return false;
    let prevTerm: number;
    let ents: Entry[];
    try {
      prevTerm = this.log.term(pr.next - 1);
      ents = this.log.entries(pr.next, this.maxSizePerMsgBytes);
      if (ents.length > this.maxEntriesPerMsg) ents = ents.slice(0, this.maxEntriesPerMsg);
    } catch (e) {
      if (!(e instanceof CompactedError || e instanceof UnavailableError)) throw e;
      return this.sendSnapshot(to, pr);
    }
    if (ents.length === 0 && !sendIfEmpty) return false;
    this.send(
      makeMessage({
        type: "app",
        groupId: this.groupId,
        from: this.id,
        to,
        index: pr.next - 1,
        logTerm: prevTerm,
        entries: ents,
        commit: this.log.committed,
      }),
    );
    if (ents.length > 0) {
      const last = ents[ents.length - 1]!.index;
      if (pr.state === "replicate") {
        pr.optimisticUpdate(last);
        pr.inflights.add(last, totalSizeBytes(ents));
      } else if (pr.state === "probe") {
        pr.probeSent = true;
      }
    }
    return true;
  }

  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    // Do not ship a snapshot to a node that may be down; wait until it answers something.
    if (!pr.recentActive) return false;
    const snapshot = this.log.snapshot();
    assert.ok(snapshot.metadata.index > 0, "need a snapshot but storage has none");
    this.send(makeMessage({ type: "snap", groupId: this.groupId, from: this.id, to, snapshot }));
    pr.becomeSnapshot(snapshot.metadata.index);
    return true;
  }

  private bcastHeartbeat(): void {
    const ctx = this.readOnly.lastPendingKey();
    for (const [id, pr] of this.tracker.progress) {
      if (id === this.id) continue;
      this.send(
        makeMessage({
          type: "heartbeat",
          groupId: this.groupId,
          from: this.id,
          to: id,
          // Never tell a follower to commit past what it is known to hold.
          commit: Math.min(pr.match, this.log.committed),
          leaseTick: this.tickCount,
          ...(ctx !== undefined ? { context: ctx } : {}),
        }),
      );
    }
  }

  private handleAppend(m: Message): void {
    if (m.index < this.log.committed) {
      this.send(
        makeMessage({
          type: "appResp",
          groupId: this.groupId,
          from: this.id,
          to: m.from,
          index: this.log.committed,
        }),
      );
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew !== undefined) {
      this.send(
        makeMessage({ type: "appResp", groupId: this.groupId, from: this.id, to: m.from, index: lastNew }),
      );
      return;
    }
    // Reject with a hint: the last index at or below m.index whose term is <= m.logTerm. The
    // leader skips every index above it in one round trip instead of one per entry.
    const hintIndex = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.send(
      makeMessage({
        type: "appResp",
        groupId: this.groupId,
        from: this.id,
        to: m.from,
        index: m.index,
        reject: true,
        rejectHint: hintIndex,
        logTerm: this.log.termOrZero(hintIndex),
      }),
    );
  }

  private handleHeartbeat(m: Message): void {
    this.log.commitTo(m.commit);
    this.send(
      makeMessage({
        type: "heartbeatResp",
        groupId: this.groupId,
        from: this.id,
        to: m.from,
        ...(m.context !== undefined ? { context: m.context } : {}),
        ...(m.leaseTick !== undefined ? { leaseTick: m.leaseTick } : {}),
      }),
    );
  }

  private handleSnapshot(m: Message): void {
    const s = m.snapshot;
    assert.ok(s, "snap message without snapshot");
    const index = this.restore(s) ? this.log.lastIndex() : this.log.committed;
    this.send(makeMessage({ type: "appResp", groupId: this.groupId, from: this.id, to: m.from, index }));
  }

  private restore(s: Snapshot): boolean {
    if (s.metadata.index <= this.log.committed) return false;
    assert.equal(this.role, "follower", "only a follower restores a snapshot");
    if (this.log.matchTerm(s.metadata.index, s.metadata.term)) {
      // We already hold the snapshot's last entry: just fast-forward the commit index.
      this.log.commitTo(s.metadata.index);
      return false;
    }
    this.log.restore(s);
    this.tracker.applyConfState(s.metadata.confState, this.log.lastIndex() + 1);
    this.confIndex = s.metadata.index;
    return true;
  }

  private sendTimeoutNow(to: NodeId): void {
    this.leaseRevoked = true;
    this.send(makeMessage({ type: "timeoutNow", groupId: this.groupId, from: this.id, to }));
  }

  private leaderTransfer(to: NodeId): void {
    const pr = this.tracker.progress.get(to);
    if (!pr || pr.isLearner || to === this.id) return;
    if (this.leadTransferee === to) return;
    // Give the transfer one election timeout to complete (tickHeartbeat aborts it then).
    this.electionElapsed = 0;
    this.leadTransferee = to;
    if (pr.match === this.log.lastIndex()) this.sendTimeoutNow(to);
    else this.sendAppend(to);
  }

  // ---- reads --------------------------------------------------------------------------------

  private committedEntryInCurrentTerm(): boolean {
    return this.log.termOrZero(this.log.committed) === this.term;
  }

  private leaderReadIndex(from: NodeId, ctx: string, local: boolean): void {
    if (this.tracker.isSingleton() && this.promotable()) {
      this.respondReadIndex(from, ctx, this.log.committed);
      return;
    }
    if (!this.committedEntryInCurrentTerm()) {
      // Until an entry of our term commits we do not know the commit index: hold the request.
      if (this.pendingReadIndexMessages.length >= MAX_PENDING_READS_BEFORE_COMMIT) {
        if (local) throw new ReadIndexDroppedError("pendingLimit");
        return;
      }
      this.pendingReadIndexMessages.push(
        makeMessage({ type: "readIndex", groupId: this.groupId, from, to: this.id, context: ctx }),
      );
      return;
    }
    this.confirmReadIndex(from, ctx, local);
  }

  private confirmReadIndex(from: NodeId, ctx: string, local: boolean): void {
    if ((this.readOnlyOption === "leaseBased" && this.leaseValid()) || this.bugs.readIndexWithoutConfirm) {
      this.respondReadIndex(from, ctx, this.log.committed);
      return;
    }
    if (this.readOnly.size() >= this.maxPendingReadIndex) {
      if (local) throw new ReadIndexDroppedError("pendingLimit");
      return;
    }
    if (this.readOnly.has(ReadOnlyQueue.key(from, ctx))) return;
    const key = this.readOnly.add(this.log.committed, from, ctx);
    this.readOnly.recvAck(this.id, key);
    this.bcastHeartbeat();
  }

  private leaseValid(): boolean {
    if (!this.checkQuorum || this.leaseRevoked || this.leadTransferee !== NONE) return false;
    const acked = this.tracker.quorumLeaseTick(this.id, this.tickCount);
    if (this.bugs.leaseWithoutExpiry && acked > Number.NEGATIVE_INFINITY) return true;
    return this.tickCount - acked < this.electionTicks - LEASE_SAFETY_MARGIN_TICKS;
  }

  private ackReadIndex(from: NodeId, key: string): void {
    const acks = this.readOnly.recvAck(from, key);
    if (!acks) return;
    let voters = 0;
    for (const id of acks) if (this.tracker.voters.has(id)) voters++;
    if (voters < this.tracker.quorum()) return;
    for (const rs of this.readOnly.advance(key)) this.respondReadIndex(rs.from, rs.ctx, rs.index);
  }

  private respondReadIndex(from: NodeId, ctx: string, index: number): void {
    if (from === this.id || from === NONE) {
      this.readStates.push({ index, requestCtx: ctx });
    } else {
      this.send(
        makeMessage({
          type: "readIndexResp",
          groupId: this.groupId,
          from: this.id,
          to: from,
          index,
          context: ctx,
        }),
      );
    }
  }

  private releasePendingReadIndexMessages(): void {
    if (this.pendingReadIndexMessages.length === 0 || !this.committedEntryInCurrentTerm()) return;
    const pending = this.pendingReadIndexMessages;
    this.pendingReadIndexMessages = [];
    for (const m of pending) this.confirmReadIndex(m.from, m.context ?? "", false);
  }

  // ---- membership ---------------------------------------------------------------------------

  /**
   * The application says it already applied up to `applied` (its state survived a restart):
   * the membership changes in (snapshot, applied] are part of that state, so take them now.
   */
  private replayAppliedConfChanges(): void {
    let lo = this.log.firstIndex();
    const hi = this.log.applied + 1;
    let cs = this.tracker.confState();
    let changed = false;
    while (lo < hi) {
      const ents = this.log.slice(lo, hi, this.maxCommittedSizePerReadyBytes);
      for (const e of ents) {
        if (e.type === "confChange") {
          cs = applyConfChangeTo(cs, decodeConfChange(e.data));
          this.confIndex = e.index;
          changed = true;
        }
      }
      lo += ents.length;
    }
    if (changed) this.tracker.applyConfState(cs, this.log.lastIndex() + 1);
  }

  private applyConfChange(e: Entry): void {
    const cc = decodeConfChange(e.data);
    this.confIndex = e.index;
    const before = this.tracker.confState();
    const after = applyConfChangeTo(before, cc);
    this.tracker.applyConfState(after, this.log.lastIndex() + 1);
    if (this.role !== "leader") return;
    if (!this.tracker.progress.has(this.id)) {
      // We removed ourselves: tell the others what is committed, then step aside. A node
      // outside the configuration never campaigns again (promotable() is false).
      this.bcastAppend();
      this.becomeFollower(this.term, NONE);
      return;
    }
    if (this.leadTransferee !== NONE && !this.tracker.voters.has(this.leadTransferee))
      this.leadTransferee = NONE;
    // A smaller quorum may already have committed more.
    if (this.maybeCommit()) this.onCommitAdvanced();
    else for (const id of this.tracker.progress.keys()) if (id !== this.id) this.maybeSendAppend(id, false);
  }

  private send(m: Message): void {
    if (isVoteType(m.type) || m.type === "voteResp" || m.type === "preVoteResp") {
      assert.ok(m.term !== 0, `${m.type} must carry a term`);
      this.msgs.push(m);
      return;
    }
    // Forwarded requests travel without a term: they are handled like local ones.
    if (m.type === "readIndex" || m.type === "transferLeader") {
      this.msgs.push(m);
      return;
    }
    this.msgs.push(m.term === 0 ? { ...m, term: this.term } : m);
  }
}

function pickTransferee(m: Message): { transferee?: NodeId } {
  return m.transferee !== undefined ? { transferee: m.transferee } : {};
}
