import type { Entry, NodeId } from "../types.ts";

export type ViolationKind =
  | "electionSafety"
  | "logMatching"
  | "leaderCompleteness"
  | "stateMachineSafety"
  | "removedNodeCampaigned"
  | "linearizability"
  | "assertion";

export interface Violation {
  readonly kind: ViolationKind;
  readonly message: string;
  readonly atMs: number;
}

export class ViolationError extends Error {
  constructor(readonly violation: Violation) {
    super(`${violation.kind}: ${violation.message}`);
  }
}

/** What the checker needs to read from a node's log. */
export interface LogView {
  readonly id: NodeId;
  firstIndex(): number;
  lastIndex(): number;
  /** 0 if absent or compacted. */
  term(i: number): number;
  /** Payload of the entry at i if still held, for comparing contents. */
  data(i: number): string | undefined;
}

function entryKey(e: Entry): string {
  return `${e.type}:${new TextDecoder().decode(e.data)}`;
}

/**
 * Raft's safety properties (Figure 3 of the paper), checked as the simulation runs:
 * - election safety: at most one leader per term;
 * - leader completeness: a new leader holds every entry committed before it was elected;
 * - state machine safety: every node applies the same entry at a given index;
 * - log matching: two logs that agree on (index, term) agree on everything before it.
 * "Committed" here means applied by some node, which implies committed.
 */
export class SafetyChecker {
  private readonly leaders = new Map<number, NodeId>();
  private readonly committedTerm = new Map<number, number>();
  private readonly committedData = new Map<number, string>();
  private maxCommitted = 0;
  elections = 0;

  constructor(private readonly now: () => number) {}

  private fail(kind: ViolationKind, message: string): never {
    throw new ViolationError({ kind, message, atMs: this.now() });
  }

  onLeader(term: number, log: LogView): void {
    const prev = this.leaders.get(term);
    if (prev !== undefined && prev !== log.id)
      this.fail("electionSafety", `${prev} and ${log.id} are both leader of term ${term}`);
    if (prev === undefined) this.elections++;
    this.leaders.set(term, log.id);
    const first = log.firstIndex();
    for (let i = Math.max(first, 1); i <= this.maxCommitted; i++) {
      const t = this.committedTerm.get(i);
      if (t === undefined) continue;
      const have = log.term(i);
      if (have !== t) {
        this.fail(
          "leaderCompleteness",
          `${log.id} became leader of term ${term} without committed entry ${i} (term ${t}); it has term ${have}`,
        );
      }
    }
  }

  onApply(node: NodeId, e: Entry): void {
    const key = entryKey(e);
    const t = this.committedTerm.get(e.index);
    if (t === undefined) {
      this.committedTerm.set(e.index, e.term);
      this.committedData.set(e.index, key);
      if (e.index > this.maxCommitted) this.maxCommitted = e.index;
      return;
    }
    if (t !== e.term || this.committedData.get(e.index) !== key) {
      this.fail(
        "stateMachineSafety",
        `${node} applied (term ${e.term}) ${key} at index ${e.index}, but (term ${t}) ${this.committedData.get(e.index)} was applied there before`,
      );
    }
  }

  onCampaign(node: NodeId, isVoter: boolean, role: string): void {
    if (!isVoter)
      this.fail(
        "removedNodeCampaigned",
        `${node} became ${role} although it is not a voter in its configuration`,
      );
  }

  checkLogMatching(logs: readonly LogView[]): void {
    for (let a = 0; a < logs.length; a++) {
      for (let b = a + 1; b < logs.length; b++) this.checkPair(logs[a]!, logs[b]!);
    }
  }

  private checkPair(x: LogView, y: LogView): void {
    const lo = Math.max(x.firstIndex(), y.firstIndex());
    const hi = Math.min(x.lastIndex(), y.lastIndex());
    let agreed = false;
    for (let i = hi; i >= lo; i--) {
      const tx = x.term(i);
      const ty = y.term(i);
      if (tx === ty) {
        agreed = true;
        const dx = x.data(i);
        const dy = y.data(i);
        if (dx !== undefined && dy !== undefined && dx !== dy) {
          this.fail(
            "logMatching",
            `${x.id} and ${y.id} both hold term ${tx} at index ${i} with different contents`,
          );
        }
      } else if (agreed) {
        this.fail(
          "logMatching",
          `${x.id} and ${y.id} agree on a later entry but differ at index ${i} (terms ${tx} and ${ty})`,
        );
      }
    }
  }
}
