// Durable RaftStorage on LMDB. One environment can hold many groups (multi-raft): entries are
// keyed by (group, index). persist(ready) writes a Ready's snapshot, entries and hard state in
// one transaction that resolves only after LMDB's fsync (noSync and overlappingSync off), and
// only then do the reads Raft makes through this interface see the new state.
import { mkdirSync } from "node:fs";
import { type Database, open, type RootDatabase } from "lmdb";
import { limitSize } from "./entry-size.ts";
import { CompactedError, SnapshotOutOfDateError, UnavailableError } from "./errors.ts";
import type { DurableRaftStorage, PersistBatch } from "./storage.ts";
import {
  type ConfState,
  EMPTY_HARD_STATE,
  EMPTY_SNAPSHOT,
  type Entry,
  type EntryType,
  type HardState,
  type Snapshot,
} from "./types.ts";

interface StoredEntry {
  t: number;
  y: EntryType;
  d: Uint8Array;
}

type EntryKey = [string, number];

/** One LMDB environment for the Raft logs of every group in a process. */
export class LmdbRaftEnv {
  readonly root: RootDatabase;
  readonly entries: Database<StoredEntry, EntryKey>;
  readonly meta: Database<unknown, [string, string]>;

  constructor(path: string, mapSizeBytes = 4 * 1024 * 1024 * 1024) {
    mkdirSync(path, { recursive: true });
    this.root = open({
      path,
      // A directory, always: lmdb would take a path with a dot in its last segment for a file.
      noSubdir: false,
      noSync: false,
      overlappingSync: false,
      compression: false,
      mapSize: mapSizeBytes,
    });
    this.entries = this.root.openDB<StoredEntry, EntryKey>({ name: "raft-entries" });
    this.meta = this.root.openDB<unknown, [string, string]>({ name: "raft-meta" });
  }

  /** The log of one group; `bootstrap` seeds a founding member's first snapshot if the log is new. */
  group(groupId: string, bootstrap?: ConfState): LmdbLogStorage {
    return new LmdbLogStorage(this, groupId, bootstrap);
  }

  close(): Promise<void> {
    return this.root.close();
  }
}

export type { PersistBatch } from "./storage.ts";

export class LmdbLogStorage implements DurableRaftStorage {
  private hs: HardState;
  private snap: Snapshot;
  /** Index of the snapshot; entries start after it. */
  private offset: number;
  private last: number;

  constructor(
    private readonly env: LmdbRaftEnv,
    readonly groupId: string,
    bootstrap?: ConfState,
  ) {
    this.hs = (env.meta.get([groupId, "hardState"]) as HardState | undefined) ?? EMPTY_HARD_STATE;
    const snap = env.meta.get([groupId, "snapshot"]) as Snapshot | undefined;
    this.snap = snap ? { metadata: snap.metadata, data: new Uint8Array(snap.data) } : EMPTY_SNAPSHOT;
    this.offset = this.snap.metadata.index;
    let last = this.offset;
    for (const key of env.entries.getKeys({
      start: [groupId, this.offset + 1],
      end: [groupId, Number.MAX_SAFE_INTEGER],
      reverse: false,
    })) {
      last = (key as EntryKey)[1];
    }
    this.last = last;
    if (!snap && bootstrap) {
      // A founding member: the initial membership as a snapshot at (1, 1), written synchronously.
      const s: Snapshot = { metadata: { index: 1, term: 1, confState: bootstrap }, data: new Uint8Array(0) };
      env.root.transactionSync(() => env.meta.putSync([groupId, "snapshot"], s));
      this.snap = s;
      this.offset = 1;
      this.last = 1;
    }
  }

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.hs, confState: this.snap.metadata.confState };
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo <= this.offset) throw new CompactedError(lo);
    if (hi > this.last + 1) throw new UnavailableError(hi - 1);
    if (lo >= hi) return [];
    const out: Entry[] = [];
    for (const { key, value } of this.env.entries.getRange({
      start: [this.groupId, lo],
      end: [this.groupId, hi],
    })) {
      out.push({ index: (key as EntryKey)[1], term: value.t, type: value.y, data: new Uint8Array(value.d) });
    }
    return limitSize(out, maxBytes);
  }

  term(i: number): number {
    if (i < this.offset) throw new CompactedError(i);
    if (i === this.offset) return this.snap.metadata.term;
    if (i > this.last) throw new UnavailableError(i);
    const e = this.env.entries.get([this.groupId, i]);
    if (!e) throw new UnavailableError(i);
    return e.t;
  }

  firstIndex(): number {
    return this.offset + 1;
  }

  lastIndex(): number {
    return this.last;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  hardState(): HardState {
    return this.hs;
  }

  /** Writes a Ready's snapshot, entries and hard state durably; resolves after the fsync. */
  async persist(b: PersistBatch): Promise<void> {
    if (!b.snapshot && b.entries.length === 0 && !b.hardState) return;
    const g = this.groupId;
    let offset = this.offset;
    let last = this.last;
    let snap = this.snap;
    if (b.snapshot) {
      const held = this.snap.metadata.index;
      if (b.snapshot.metadata.index <= held && held !== 0)
        throw new SnapshotOutOfDateError(b.snapshot.metadata.index, held);
    }
    await this.env.root.transaction(() => {
      if (b.snapshot) {
        // A snapshot from the leader replaces the whole log.
        for (const key of this.env.entries.getKeys({ start: [g, 0], end: [g, Number.MAX_SAFE_INTEGER] })) {
          this.env.entries.removeSync(key as EntryKey);
        }
        this.env.meta.putSync([g, "snapshot"], b.snapshot);
        snap = b.snapshot;
        offset = last = b.snapshot.metadata.index;
      }
      if (b.entries.length > 0) {
        const first = b.entries[0]!.index;
        // Entries that conflict with the tail replace it (log matching).
        for (let i = Math.max(first, offset + 1); i <= last; i++) this.env.entries.removeSync([g, i]);
        for (const e of b.entries) {
          if (e.index <= offset) continue;
          this.env.entries.putSync([g, e.index], { t: e.term, y: e.type, d: e.data });
        }
        last = Math.max(offset, b.entries.at(-1)!.index);
      }
      if (b.hardState) this.env.meta.putSync([g, "hardState"], b.hardState);
    });
    // A hard-state-only write may finish while another batch is in flight: it must not roll
    // the log bounds back to what it saw when it started.
    if (b.snapshot || b.entries.length > 0) {
      this.offset = offset;
      this.last = last;
      this.snap = snap;
    }
    if (b.hardState) this.hs = b.hardState;
  }

  /** Records a snapshot of the application at applied index i and drops the entries it covers. */
  async compact(i: number, confState: ConfState, data: Uint8Array): Promise<void> {
    if (i <= this.snap.metadata.index) throw new SnapshotOutOfDateError(i, this.snap.metadata.index);
    if (i > this.last) throw new UnavailableError(i);
    const snap: Snapshot = { metadata: { index: i, term: this.term(i), confState }, data };
    const from = this.offset;
    await this.env.root.transaction(() => {
      this.env.meta.putSync([this.groupId, "snapshot"], snap);
      for (let k = from + 1; k <= i; k++) this.env.entries.removeSync([this.groupId, k]);
    });
    this.snap = snap;
    this.offset = i;
  }
}
