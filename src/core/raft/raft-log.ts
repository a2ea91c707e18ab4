import assert from "node:assert/strict";
import { limitSize } from "./entry-size.ts";
import { CompactedError, UnavailableError } from "./errors.ts";
import type { RaftStorage } from "./storage.ts";
import type { Entry, Snapshot } from "./types.ts";
import { UnstableLog } from "./unstable-log.ts";

/**
 * The node's view of the replicated log: stable storage followed by the unstable tail, plus
 * the commit and applied indexes. Invariant: applied <= committed <= lastIndex().
 */
export class RaftLog {
  readonly unstable: UnstableLog;
  committed: number;
  /** Highest index handed to the application and acknowledged by advance(). */
  applied: number;

  constructor(readonly storage: RaftStorage) {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new UnstableLog(last + 1);
    this.committed = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** The last index known to be on disk, the most a leader may count itself as holding. */
  lastStableIndex(): number {
    if (this.unstable.snapshot) return 0;
    if (this.unstable.entries.length > 0) return this.unstable.offset - 1;
    return this.lastIndex();
  }

  lastTerm(): number {
    return this.term(this.lastIndex());
  }

  /** Term at i; 0 beyond the last index. Throws CompactedError below the first index - 1. */
  term(i: number): number {
    const dummy = this.firstIndex() - 1;
    if (i > this.lastIndex()) return 0;
    if (i < dummy) throw new CompactedError(i);
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    return this.storage.term(i);
  }

  /** Term at i, or 0 if it was compacted: for comparisons where "unknown" means "no match". */
  termOrZero(i: number): number {
    try {
      return this.term(i);
    } catch (e) {
      if (e instanceof CompactedError || e instanceof UnavailableError) return 0;
      throw e;
    }
  }

  matchTerm(i: number, t: number): boolean {
    try {
      return this.term(i) === t;
    } catch (e) {
      if (e instanceof CompactedError || e instanceof UnavailableError) return false;
      throw e;
    }
  }

  /**
   * Follower side of AppendEntries: if our log has (index, logTerm), append the entries
   * (truncating any conflicting suffix) and advance the commit index. Returns the index of
   * the last new entry, or undefined on a mismatch.
   */
  maybeAppend(index: number, logTerm: number, committed: number, ents: readonly Entry[]): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNew = index + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      assert.ok(
        ci > this.committed,
        `entry ${ci} conflicts with committed entry (committed ${this.committed})`,
      );
      this.append(ents.slice(ci - (index + 1)));
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    assert.ok(after >= this.committed, `appending after ${after} is below committed ${this.committed}`);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /** Index of the first entry whose term differs from ours (or that we lack), or 0. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`: the fast backtracking hint. The
   * leader and follower cannot agree on anything above it, so probing can skip whole terms.
   */
  findConflictByTerm(index: number, term: number): number {
    if (index > this.lastIndex()) return index;
    for (; index > 0; index--) {
      let t: number;
      try {
        t = this.term(index);
      } catch {
        return index;
      }
      if (t <= term) return index;
    }
    return 0;
  }

  unstableEntries(): Entry[] {
    return this.unstable.entries.slice();
  }

  hasNextCommittedEntries(fromExclusive: number): boolean {
    const off = Math.max(fromExclusive + 1, this.firstIndex());
    return this.committed + 1 > off;
  }

  /** Committed entries after `fromExclusive`, bounded by maxBytes (at least one). */
  nextCommittedEntries(fromExclusive: number, maxBytes: number): Entry[] {
    const off = Math.max(fromExclusive + 1, this.firstIndex());
    if (this.committed + 1 <= off) return [];
    return this.slice(off, this.committed + 1, maxBytes);
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  entries(i: number, maxBytes: number): Entry[] {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxBytes);
  }

  /** Entries in [lo, hi) from storage then the unstable tail. Throws CompactedError if lo is compacted. */
  slice(lo: number, hi: number, maxBytes: number): Entry[] {
    assert.ok(lo <= hi, `invalid slice ${lo} > ${hi}`);
    if (lo === hi) return [];
    if (lo < this.firstIndex()) throw new CompactedError(lo);
    assert.ok(hi <= this.lastIndex() + 1, `slice [${lo},${hi}) beyond last index ${this.lastIndex()}`);
    let ents: Entry[] = [];
    const off = this.unstable.offset;
    if (lo < off) {
      const stored = this.storage.entries(lo, Math.min(hi, off), maxBytes);
      // Storage stopped early because of the size limit: do not add unstable entries after a gap.
      if (stored.length < Math.min(hi, off) - lo) return stored;
      ents = stored;
    }
    if (hi > off) {
      const uns = this.unstable.slice(Math.max(lo, off), hi);
      ents = ents.length > 0 ? ents.concat(uns) : uns;
    }
    return limitSize(ents, maxBytes);
  }

  /** Raft's election restriction: is a log ending at (lasti, term) at least as up to date as ours? */
  isUpToDate(lasti: number, term: number): boolean {
    const ourTerm = this.lastTerm();
    return term > ourTerm || (term === ourTerm && lasti >= this.lastIndex());
  }

  commitTo(toCommit: number): void {
    if (this.committed < toCommit) {
      assert.ok(this.lastIndex() >= toCommit, `commit ${toCommit} is beyond last index ${this.lastIndex()}`);
      this.committed = toCommit;
    }
  }

  /**
   * Leader side: commit maxIndex if it is in `term`. Raft only commits entries of the current
   * term by counting replicas (§5.4.2); older entries are committed indirectly. The
   * `anyTerm` escape hatch exists only so the simulation can prove its checkers catch the bug.
   */
  maybeCommit(maxIndex: number, term: number, anyTerm = false): boolean {
    if (maxIndex > this.committed && (anyTerm || this.termOrZero(maxIndex) === term)) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    assert.ok(
      this.committed >= i && i >= this.applied,
      `applied(${i}) out of range [${this.applied}, ${this.committed}]`,
    );
    this.applied = i;
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  restore(s: Snapshot): void {
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }
}
