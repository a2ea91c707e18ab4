// The Raft log of one region's group inside the store's shared LMDB environment. Writes are
// staged inside the store's batch transaction (stage*) and become visible to Raft only after
// that transaction's fsync (commitStaged), as RaftStorage requires. Snapshots are not stored:
// a follower that needs one gets the region's current data, generated on demand.
import {
  CompactedError,
  type ConfState,
  EMPTY_HARD_STATE,
  type Entry,
  type HardState,
  type RaftStorage,
  type Snapshot,
  UnavailableError,
} from "../../core/raft/index.ts";
import type { SnapMeta, StoreDb } from "./store-db.ts";

/** Bytes of entries one `entries()` call returns at most (Raft asks with its own bound too). */
const MAX_ENTRIES_READ_BYTES = 8 * 1024 * 1024;

interface Staged {
  offset: number;
  last: number;
  snap: SnapMeta;
  hs: HardState;
}

export class GroupLog implements RaftStorage {
  private hs: HardState;
  private snap: SnapMeta;
  private last: number;
  private staged: Staged | undefined;
  /** The last term looked up; forgotten whenever the log changes. */
  private termMemo: { index: number; term: number } | undefined;
  /** Generates the snapshot a lagging follower needs (the region's data at the applied index). */
  makeSnapshot: (() => Snapshot | undefined) | undefined;

  constructor(
    private readonly db: StoreDb,
    readonly regionId: number,
  ) {
    const meta = db.groups.get(regionId) ?? {};
    this.hs = meta.hardState ?? EMPTY_HARD_STATE;
    this.snap = meta.snap ?? { index: 0, term: 0, voters: [], learners: [] };
    let last = this.snap.index;
    for (const key of db.entries.getKeys({
      start: [regionId, this.snap.index + 1],
      end: [regionId, Number.MAX_SAFE_INTEGER],
    })) {
      last = (key as [number, number])[1];
    }
    this.last = last;
  }

  /** The hard state on disk (staged changes not yet committed are not in it). */
  get persistedHardState(): HardState {
    return this.hs;
  }

  get initialized(): boolean {
    return this.snap.index > 0;
  }

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.hs, confState: { voters: this.snap.voters, learners: this.snap.learners } };
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo <= this.snap.index) throw new CompactedError(lo);
    if (hi > this.last + 1) throw new UnavailableError(hi - 1);
    const out: Entry[] = [];
    let size = 0;
    const limit = Math.min(maxBytes, MAX_ENTRIES_READ_BYTES);
    for (const { key, value } of this.db.entries.getRange({
      start: [this.regionId, lo],
      end: [this.regionId, hi],
    })) {
      const d = new Uint8Array(value.d);
      size += d.length;
      if (out.length > 0 && size > limit) break;
      out.push({ index: (key as [number, number])[1], term: value.t, type: value.y, data: d });
    }
    return out;
  }

  term(i: number): number {
    if (i < this.snap.index) throw new CompactedError(i);
    if (i === this.snap.index) return this.snap.term;
    if (i > this.last) throw new UnavailableError(i);
    // Raft asks for the term of the commit index on every read-index request; reading (and
    // decoding) the whole entry from LMDB each time was a tenth of a read's CPU.
    if (this.termMemo?.index === i) return this.termMemo.term;
    const e = this.db.entries.get([this.regionId, i]);
    if (!e) throw new UnavailableError(i);
    this.termMemo = { index: i, term: e.t };
    return e.t;
  }

  firstIndex(): number {
    return this.snap.index + 1;
  }

  lastIndex(): number {
    return this.last;
  }

  snapshot(): Snapshot {
    const live = this.makeSnapshot?.();
    if (live) return live;
    return {
      metadata: {
        index: this.snap.index,
        term: this.snap.term,
        confState: { voters: this.snap.voters, learners: this.snap.learners },
      },
      data: new Uint8Array(0),
    };
  }

  // ---- writes, inside the store's batch transaction ----

  private stagedState(): Staged {
    this.staged ??= { offset: this.snap.index, last: this.last, snap: this.snap, hs: this.hs };
    return this.staged;
  }

  /** A founding replica: the initial membership as a snapshot at (1, 1); keeps any hard state. */
  stageBootstrap(voters: readonly string[]): void {
    const s = this.stagedState();
    for (const key of this.db.entries.getKeys({
      start: [this.regionId, 0],
      end: [this.regionId, Number.MAX_SAFE_INTEGER],
    })) {
      this.db.entries.removeSync(key as [number, number]);
    }
    s.snap = { index: 1, term: 1, voters: [...voters], learners: [] };
    s.offset = 1;
    s.last = 1;
    this.db.groups.putSync(this.regionId, { hardState: s.hs, snap: s.snap });
  }

  stageSnapshot(meta: SnapMeta): void {
    const s = this.stagedState();
    for (const key of this.db.entries.getKeys({
      start: [this.regionId, 0],
      end: [this.regionId, Number.MAX_SAFE_INTEGER],
    })) {
      this.db.entries.removeSync(key as [number, number]);
    }
    s.snap = meta;
    s.offset = s.last = meta.index;
    this.db.groups.putSync(this.regionId, { hardState: s.hs, snap: s.snap });
  }

  stageEntries(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const s = this.stagedState();
    const first = entries[0]!.index;
    for (let i = Math.max(first, s.offset + 1); i <= s.last; i++)
      this.db.entries.removeSync([this.regionId, i]);
    for (const e of entries) {
      if (e.index <= s.offset) continue;
      this.db.entries.putSync([this.regionId, e.index], { t: e.term, y: e.type, d: e.data });
    }
    s.last = Math.max(s.offset, entries.at(-1)!.index);
  }

  stageHardState(hs: HardState): void {
    const s = this.stagedState();
    s.hs = hs;
    this.db.groups.putSync(this.regionId, { hardState: hs, snap: s.snap });
  }

  /** Drops the entries up to i (≤ applied); a lagging follower gets a generated snapshot instead. */
  stageCompact(i: number, confState: ConfState): void {
    const s = this.stagedState();
    if (i <= s.offset || i > s.last) return;
    const term = i === s.snap.index ? s.snap.term : (this.db.entries.get([this.regionId, i])?.t ?? 0);
    if (term === 0) return;
    for (let k = s.offset + 1; k <= i; k++) this.db.entries.removeSync([this.regionId, k]);
    s.snap = { index: i, term, voters: [...confState.voters], learners: [...confState.learners] };
    s.offset = i;
    this.db.groups.putSync(this.regionId, { hardState: s.hs, snap: s.snap });
  }

  /** Deletes the group's log and state (the replica was removed from this store). */
  stageDestroy(): void {
    for (const key of this.db.entries.getKeys({
      start: [this.regionId, 0],
      end: [this.regionId, Number.MAX_SAFE_INTEGER],
    })) {
      this.db.entries.removeSync(key as [number, number]);
    }
    this.db.groups.removeSync(this.regionId);
    this.staged = undefined;
    this.termMemo = undefined;
  }

  /** The batch transaction is durable: Raft may now read what was staged. */
  commitStaged(): void {
    const s = this.staged;
    if (!s) return;
    this.termMemo = undefined;
    this.staged = undefined;
    this.snap = s.snap;
    this.last = s.last;
    this.hs = s.hs;
  }

  /** The batch transaction failed: forget what was staged. */
  dropStaged(): void {
    this.staged = undefined;
  }
}
