import assert from "node:assert/strict";
import { Progress } from "./progress.ts";
import type { ConfState, NodeId } from "./types.ts";

export type VoteResult = "pending" | "won" | "lost";

/** Membership, per-member replication progress and the votes of the current election. */
export class ProgressTracker {
  voters = new Set<NodeId>();
  learners = new Set<NodeId>();
  readonly progress = new Map<NodeId, Progress>();
  readonly votes = new Map<NodeId, boolean>();

  constructor(
    private readonly maxInflightMsgs: number,
    private readonly maxInflightBytes: number,
  ) {}

  /** Resets membership to cs; new members start probing at `next`, existing ones keep progress. */
  applyConfState(cs: ConfState, next: number): void {
    const voters = new Set(cs.voters);
    const learners = new Set(cs.learners);
    for (const id of learners) assert.ok(!voters.has(id), `${id} is both voter and learner`);
    for (const id of [...this.progress.keys()]) {
      if (!voters.has(id) && !learners.has(id)) this.progress.delete(id);
    }
    for (const id of [...voters, ...learners]) {
      const pr = this.progress.get(id);
      if (pr) {
        pr.isLearner = learners.has(id);
      } else {
        const fresh = new Progress(next, this.maxInflightMsgs, this.maxInflightBytes, learners.has(id));
        // A new member counts as active so CheckQuorum does not step down before it answers.
        fresh.recentActive = true;
        this.progress.set(id, fresh);
      }
    }
    this.voters = voters;
    this.learners = learners;
  }

  confState(): ConfState {
    return { voters: [...this.voters].sort(), learners: [...this.learners].sort() };
  }

  quorum(): number {
    return Math.floor(this.voters.size / 2) + 1;
  }

  isSingleton(): boolean {
    return this.voters.size === 1;
  }

  /** The highest index replicated on a quorum of voters (0 if there are no voters). */
  committedIndex(): number {
    if (this.voters.size === 0) return 0;
    const matches: number[] = [];
    for (const id of this.voters) matches.push(this.progress.get(id)?.match ?? 0);
    matches.sort((a, b) => b - a);
    return matches[this.quorum() - 1]!;
  }

  /** The highest leader tick acknowledged by a quorum of voters (the leader counts as `now`). */
  quorumLeaseTick(self: NodeId, now: number): number {
    if (this.voters.size === 0) return Number.NEGATIVE_INFINITY;
    const ticks: number[] = [];
    for (const id of this.voters)
      ticks.push(id === self ? now : (this.progress.get(id)?.leaseAckTick ?? -Infinity));
    ticks.sort((a, b) => b - a);
    return ticks[this.quorum() - 1]!;
  }

  resetVotes(): void {
    this.votes.clear();
  }

  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const id of this.voters) {
      const v = this.votes.get(id);
      if (v === true) granted++;
      else if (v === false) rejected++;
    }
    const q = this.quorum();
    const missing = this.voters.size - granted - rejected;
    let result: VoteResult = "pending";
    if (granted >= q) result = "won";
    else if (granted + missing < q) result = "lost";
    return { granted, rejected, result };
  }

  /** Voters heard from since the last round (the leader counts itself), then clears the marks. */
  quorumActive(self: NodeId): boolean {
    let active = 0;
    for (const id of this.voters) {
      const pr = this.progress.get(id)!;
      if (id === self || pr.recentActive) active++;
    }
    for (const [id, pr] of this.progress) if (id !== self) pr.recentActive = false;
    return active >= this.quorum();
  }
}
