import assert from "node:assert/strict";
import { Inflights } from "./inflights.ts";

/**
 * How the leader is replicating to one follower:
 * - probe: we do not know where the logs match; send one append at a time and wait.
 * - replicate: the logs match up to `match`; stream appends optimistically (pipelining),
 *   bounded by the inflight window.
 * - snapshot: the follower needs a snapshot; send nothing else until it is applied or fails.
 */
export type ProgressState = "probe" | "replicate" | "snapshot";

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = "probe";
  /** In snapshot state, the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Ticks spent in snapshot state; a lost snapshot is retried after a timeout. */
  snapshotTicks = 0;
  /** Heard from since the last CheckQuorum round. */
  recentActive = false;
  /** In probe state, an append is outstanding: wait for its answer (or a heartbeat response). */
  probeSent = false;
  /** Highest leader tick count this follower echoed in a heartbeat response (for lease reads). */
  leaseAckTick = Number.NEGATIVE_INFINITY;
  readonly inflights: Inflights;

  constructor(
    next: number,
    maxInflightMsgs: number,
    maxInflightBytes: number,
    public isLearner: boolean,
  ) {
    this.next = next;
    this.inflights = new Inflights(maxInflightMsgs, maxInflightBytes);
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.snapshotTicks = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    // After a snapshot, resume right after it (or after match if we learned more since).
    if (this.state === "snapshot") {
      const pending = this.pendingSnapshot;
      this.resetState("probe");
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.resetState("probe");
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState("replicate");
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState("snapshot");
    this.pendingSnapshot = snapshotIndex;
  }

  /** An acknowledgement up to n arrived. Returns whether match advanced. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, n + 1);
    return updated;
  }

  /** Pipelining: assume an append up to n will succeed and move on. */
  optimisticUpdate(n: number): void {
    this.next = n + 1;
  }

  /**
   * The follower rejected an append at `rejected`, hinting its log can only match at or
   * below `matchHint`. Returns false if the rejection is stale (answers an older probe).
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    // The follower acknowledged `match` before, so a rejection at or below it is stale (a
    // delayed or duplicated message). Ignoring it also keeps a corrupted log from ping-ponging.
    if (rejected <= this.match) return false;
    if (this.state === "replicate") {
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    assert.ok(this.next >= 1);
    this.probeSent = false;
    return true;
  }

  isPaused(): boolean {
    switch (this.state) {
      case "probe":
        return this.probeSent;
      case "replicate":
        return this.inflights.full();
      case "snapshot":
        return true;
    }
  }
}
