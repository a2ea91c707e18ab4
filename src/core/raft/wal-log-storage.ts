// Durable RaftStorage on a write-ahead log (one group per directory): a Ready's snapshot,
// entries and hard state are appended as records and made durable with one fdatasync, shared
// with every other batch that arrived meanwhile (wal-writer.ts). The log after the latest
// snapshot is also held in memory, so reads (entries, term) never touch the disk; compaction
// (a snapshot every N entries) bounds it. On open, the segments are replayed; a torn or
// corrupt tail of the last segment (a crash mid-write) is cut off, since nothing in it was
// ever acknowledged — a bad record in an older segment is an error.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { limitSize } from "./entry-size.ts";
import { CompactedError, SnapshotOutOfDateError, UnavailableError } from "./errors.ts";
import type { DurableRaftStorage, PersistBatch } from "./storage.ts";
import {
  type ConfState,
  EMPTY_HARD_STATE,
  EMPTY_SNAPSHOT,
  type Entry,
  type HardState,
  type Snapshot,
} from "./types.ts";
import { decodeSegment, type WalRecord } from "./wal-record.ts";
import { replayWal } from "./wal-replay.ts";
import { dropSnapshotFilesExcept, readSnapshotFile, writeSnapshotFile } from "./wal-snapshot-file.ts";
import { listSegments, segmentName, WalWriter } from "./wal-writer.ts";

export interface WalOpenOptions {
  log: Logger;
  /** A founding member's first membership, written as a snapshot at (1, 1) if the WAL is new. */
  bootstrap?: ConfState | undefined;
  /** Segment size before rotation (default WAL_SEGMENT_BYTES). */
  segmentBytes?: number | undefined;
}

export class WalLogStorage implements DurableRaftStorage {
  private hs: HardState;
  private snap: Snapshot;
  /** The entries after the snapshot: ents[k] has index snap.metadata.index + 1 + k. */
  private ents: Entry[];

  private constructor(
    readonly dir: string,
    private readonly writer: WalWriter,
    snap: Snapshot,
    hs: HardState,
    ents: Entry[],
  ) {
    this.snap = snap;
    this.hs = hs;
    this.ents = ents;
  }

  /** Opens (recovering) or creates the WAL in `dir`. */
  static async open(dir: string, o: WalOpenOptions): Promise<WalLogStorage> {
    mkdirSync(dir, { recursive: true });
    const seqs = listSegments(dir);
    const segments: WalRecord[][] = [];
    let end = 0;
    for (const [i, seq] of seqs.entries()) {
      const decoded = decodeSegment(readFileSync(join(dir, segmentName(seq))));
      if (decoded.torn) {
        if (i < seqs.length - 1) {
          throw new Error(`raft WAL segment ${segmentName(seq)} in ${dir} is corrupt: ${decoded.torn}`);
        }
        o.log.warn(
          { segment: segmentName(seq), offset: decoded.end, reason: decoded.torn },
          "raft WAL: cutting off a torn tail (a write that a crash interrupted)",
        );
      }
      segments.push(decoded.records);
      end = decoded.end;
    }
    const replayed = replayWal(segments);
    let snap = EMPTY_SNAPSHOT;
    if (replayed.snapshot) {
      const s = readSnapshotFile(dir, replayed.snapshot.index);
      snap = { metadata: replayed.snapshot, data: s.data };
    }
    const writer = new WalWriter({
      dir,
      log: o.log,
      segments: seqs.map((seq, i) => ({ seq, maxIndex: replayed.maxIndexPerSegment[i] ?? 0 })),
      end,
      snapshot: replayed.snapshot,
      hardState: replayed.hardState,
      segmentBytes: o.segmentBytes,
    });
    const storage = new WalLogStorage(
      dir,
      writer,
      snap,
      replayed.hardState ?? EMPTY_HARD_STATE,
      replayed.entries,
    );
    if (!replayed.snapshot && replayed.entries.length === 0 && o.bootstrap) {
      const s: Snapshot = {
        metadata: { index: 1, term: 1, confState: o.bootstrap },
        data: new Uint8Array(0),
      };
      await writeSnapshotFile(dir, s);
      await writer.append([{ kind: "snapshot", metadata: s.metadata, install: true }], 0);
      storage.snap = s;
    }
    return storage;
  }

  private get offset(): number {
    return this.snap.metadata.index;
  }

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.hs, confState: this.snap.metadata.confState };
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo <= this.offset) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1);
    if (lo >= hi) return [];
    return limitSize(this.ents.slice(lo - this.offset - 1, hi - this.offset - 1), maxBytes);
  }

  term(i: number): number {
    if (i < this.offset) throw new CompactedError(i);
    if (i === this.offset) return this.snap.metadata.term;
    const e = this.ents[i - this.offset - 1];
    if (!e) throw new UnavailableError(i);
    return e.term;
  }

  firstIndex(): number {
    return this.offset + 1;
  }

  lastIndex(): number {
    return this.offset + this.ents.length;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  hardState(): HardState {
    return this.hs;
  }

  /** Fdatasync latency observer (seconds, batches per sync). */
  set onSync(f: ((seconds: number, batches: number) => void) | undefined) {
    this.writer.onSync = f;
  }

  /** Segments on disk, oldest first. */
  segments(): readonly { seq: number; maxIndex: number }[] {
    return this.writer.segmentList();
  }

  /** Writes a Ready's snapshot, entries and hard state durably; resolves after the fdatasync. */
  async persist(b: PersistBatch): Promise<void> {
    if (!b.snapshot && b.entries.length === 0 && !b.hardState) return;
    const records: WalRecord[] = [];
    if (b.snapshot) {
      const held = this.offset;
      if (b.snapshot.metadata.index <= held && held !== 0)
        throw new SnapshotOutOfDateError(b.snapshot.metadata.index, held);
      // The image first, under its final name, so the record never points at a missing file.
      await writeSnapshotFile(this.dir, b.snapshot);
      records.push({ kind: "snapshot", metadata: b.snapshot.metadata, install: true });
    }
    let maxIndex = 0;
    if (b.entries.length > 0) {
      records.push({ kind: "entries", entries: b.entries as Entry[] });
      maxIndex = b.entries.at(-1)!.index;
    }
    if (b.hardState) records.push({ kind: "hardState", hardState: b.hardState });
    await this.writer.append(records, maxIndex);
    // Visible to Raft only now that it is durable.
    if (b.snapshot) {
      this.snap = b.snapshot;
      this.ents = [];
    }
    if (b.entries.length > 0) this.appendInMemory(b.entries);
    if (b.hardState) this.hs = b.hardState;
    if (b.snapshot) this.dropCovered();
  }

  private appendInMemory(entries: readonly Entry[]): void {
    const first = entries[0]!.index;
    let k = first - this.offset - 1;
    let from = 0;
    if (k < 0) {
      from = -k;
      k = 0;
    }
    if (from >= entries.length) return;
    if (k > this.ents.length) throw new Error(`raft WAL: appending ${first} after ${this.lastIndex()}`);
    // Entries that conflict with the tail replace it (log matching).
    this.ents.length = k;
    for (let i = from; i < entries.length; i++) this.ents.push(entries[i]!);
  }

  /** Records a snapshot of the application at applied index i and drops the entries it covers. */
  async compact(i: number, confState: ConfState, data: Uint8Array): Promise<void> {
    if (i <= this.offset) throw new SnapshotOutOfDateError(i, this.offset);
    if (i > this.lastIndex()) throw new UnavailableError(i);
    const snap: Snapshot = { metadata: { index: i, term: this.term(i), confState }, data };
    await writeSnapshotFile(this.dir, snap);
    await this.writer.append([{ kind: "snapshot", metadata: snap.metadata, install: false }], 0);
    // Entries may have been appended (or a snapshot installed) while this one was written.
    if (i <= this.offset) return;
    this.ents = this.ents.slice(i - this.offset);
    this.snap = snap;
    this.dropCovered();
  }

  /** Old segments and snapshot files that the current snapshot makes unnecessary. */
  private dropCovered(): void {
    this.writer.dropSegmentsCoveredBy(this.offset);
    dropSnapshotFilesExcept(this.dir, this.offset);
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
