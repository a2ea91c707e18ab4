import type { ConfState, Entry, HardState, Snapshot } from "./types.ts";

/**
 * What the Raft state machine reads from stable storage. It only ever *reads* through this
 * interface; the driver writes what Ready hands it (entries, hard state, snapshot) and then
 * calls advance(). A durable implementation (LMDB) must therefore reflect a write here only
 * once it is fsynced, and must be consistent with the in-memory contract below.
 *
 * Index space: the storage holds a snapshot at (snapshotIndex, snapshotTerm) followed by the
 * entries snapshotIndex+1 .. lastIndex(). firstIndex() is snapshotIndex+1.
 */
export interface RaftStorage {
  /** Persisted hard state and the membership of the latest snapshot, read once at start. */
  initialState(): { hardState: HardState; confState: ConfState };
  /**
   * Entries in [lo, hi), at most maxBytes in total but always at least one entry if the
   * range is non-empty. Throws CompactedError if lo < firstIndex(), UnavailableError if
   * hi > lastIndex()+1.
   */
  entries(lo: number, hi: number, maxBytes: number): Entry[];
  /**
   * Term of the entry at i, for i in [firstIndex()-1, lastIndex()] (firstIndex()-1 is the
   * snapshot's term). Throws CompactedError below, UnavailableError above.
   */
  term(i: number): number;
  /** Index of the first entry still available (snapshotIndex + 1). */
  firstIndex(): number;
  /** Index of the last entry (snapshotIndex if the log after the snapshot is empty). */
  lastIndex(): number;
  /** The most recent snapshot; used to bring lagging followers up to date. */
  snapshot(): Snapshot;
}

/** What one Ready asks to be written: its snapshot, entries and hard state, durably, together. */
export interface PersistBatch {
  snapshot?: Snapshot | undefined;
  entries: readonly Entry[];
  hardState?: HardState | undefined;
}

/**
 * The storage a node driver writes through (LMDB, or the write-ahead log): persist() resolves
 * only once the batch is fsynced, and only then do the RaftStorage reads reflect it.
 */
export interface DurableRaftStorage extends RaftStorage {
  persist(b: PersistBatch): Promise<void>;
  /** Records a snapshot of the application at applied index i and drops the entries it covers. */
  compact(i: number, confState: ConfState, data: Uint8Array): Promise<void>;
  /** The durable hard state. */
  hardState(): HardState;
}
