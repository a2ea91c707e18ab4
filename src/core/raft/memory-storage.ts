import assert from "node:assert/strict";
import { limitSize } from "./entry-size.ts";
import { CompactedError, SnapshotOutOfDateError, UnavailableError } from "./errors.ts";
import type { RaftStorage } from "./storage.ts";
import {
  type ConfState,
  EMPTY_HARD_STATE,
  EMPTY_SNAPSHOT,
  type Entry,
  type HardState,
  type Snapshot,
} from "./types.ts";

/**
 * RaftStorage in memory, for tests and the simulation. In the simulation it plays the role
 * of the disk: the driver writes to it only what a Ready asked to persist, so a "crash" that
 * throws away the RaftNode but keeps this object loses exactly the un-fsynced state.
 */
export class MemoryStorage implements RaftStorage {
  private hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot = EMPTY_SNAPSHOT;
  // ents[0] is a dummy entry standing for the snapshot: its index and term are the snapshot's.
  private ents: Entry[] = [{ term: 0, index: 0, type: "normal", data: new Uint8Array(0) }];

  /**
   * Storage for a member of a brand-new group: a snapshot at index 1, term 1 holding the
   * initial membership. Every founding member starts identical, and a node that joins later
   * receives that membership through a snapshot instead of needing a bootstrap entry.
   */
  static bootstrap(confState: ConfState, data: Uint8Array = new Uint8Array(0)): MemoryStorage {
    const s = new MemoryStorage();
    s.applySnapshot({ metadata: { index: 1, term: 1, confState }, data });
    return s;
  }

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.hardState, confState: this.snap.metadata.confState };
  }

  setHardState(hs: HardState): void {
    this.hardState = hs;
  }

  hardStateValue(): HardState {
    return this.hardState;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    const offset = this.ents[0]!.index;
    if (lo <= offset) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1);
    if (lo >= hi) return [];
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxBytes);
  }

  term(i: number): number {
    const offset = this.ents[0]!.index;
    if (i < offset) throw new CompactedError(i);
    if (i - offset >= this.ents.length) throw new UnavailableError(i);
    return this.ents[i - offset]!.term;
  }

  firstIndex(): number {
    return this.ents[0]!.index + 1;
  }

  lastIndex(): number {
    return this.ents[0]!.index + this.ents.length - 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  applySnapshot(s: Snapshot): void {
    const held = this.snap.metadata.index;
    if (s.metadata.index <= held && held !== 0) throw new SnapshotOutOfDateError(s.metadata.index, held);
    this.snap = s;
    this.ents = [{ term: s.metadata.term, index: s.metadata.index, type: "normal", data: new Uint8Array(0) }];
  }

  /**
   * Records a snapshot of the application state at applied index i (the caller has applied
   * up to i), without discarding entries; call compact() to drop them.
   */
  createSnapshot(i: number, confState: ConfState, data: Uint8Array): Snapshot {
    if (i <= this.snap.metadata.index) throw new SnapshotOutOfDateError(i, this.snap.metadata.index);
    if (i > this.lastIndex()) throw new UnavailableError(i);
    const offset = this.ents[0]!.index;
    this.snap = { metadata: { index: i, term: this.ents[i - offset]!.term, confState }, data };
    return this.snap;
  }

  /** Discards entries up to and including compactIndex; they must be covered by a snapshot. */
  compact(compactIndex: number): void {
    const offset = this.ents[0]!.index;
    if (compactIndex <= offset) throw new CompactedError(compactIndex);
    if (compactIndex > this.lastIndex()) throw new UnavailableError(compactIndex);
    assert.ok(compactIndex <= this.snap.metadata.index, "compacting entries not covered by a snapshot");
    const i = compactIndex - offset;
    const dummy: Entry = {
      term: this.ents[i]!.term,
      index: compactIndex,
      type: "normal",
      data: new Uint8Array(0),
    };
    this.ents = [dummy, ...this.ents.slice(i + 1)];
  }

  /**
   * Appends entries from a Ready. Entries that conflict with (overlap) the tail replace it,
   * as Raft's log-matching requires; entries already compacted away are skipped.
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const last = entries[0]!.index + entries.length - 1;
    if (last < first) return;
    const fresh = first > entries[0]!.index ? entries.slice(first - entries[0]!.index) : entries;
    const offset = fresh[0]!.index - this.ents[0]!.index;
    assert.ok(
      offset <= this.ents.length,
      `missing log entry: last ${this.lastIndex()}, appending ${fresh[0]!.index}`,
    );
    // Appending at the end is the common case: do it in place rather than copying the log.
    if (offset < this.ents.length) this.ents.length = offset;
    for (const e of fresh) this.ents.push(e);
  }
}
