// The write side of the Raft write-ahead log: numbered segment files appended to, one
// fdatasync per batch. Group commit: every batch that arrives while a sync is in flight waits
// and goes out with the next write and the next sync, so N writers cost one fdatasync.
// Segments are zero-filled ahead of the write position (an fdatasync then need not update the
// file size each time, and a zero length marks the end on recovery). A full segment is closed
// and a new one begun with the latest snapshot and hard state, so older segments can be
// deleted once a snapshot covers their entries.
import {
  closeSync,
  fdatasync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import type { HardState, SnapshotMetadata } from "./types.ts";
import { encodeRecords, type WalRecord } from "./wal-record.ts";

/** A segment is closed once its records pass this size (a single larger batch still fits). */
export const WAL_SEGMENT_BYTES = 64 * 1024 * 1024;
/** Zeros written ahead of the write position at a time. */
export const WAL_PREALLOCATE_BYTES = 1024 * 1024;
/** Batches waiting for the sync in flight; beyond it append() fails (the disk is not keeping up). */
export const WAL_MAX_QUEUED_BATCHES = 100_000;

const SEGMENT_RE = /^(\d{16})\.wal$/;

export function segmentName(seq: number): string {
  return `${String(seq).padStart(16, "0")}.wal`;
}

/** Segment sequence numbers in a WAL directory, oldest first. */
export function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .map((f) => SEGMENT_RE.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

interface Batch {
  buf: Buffer;
  records: readonly WalRecord[];
  maxIndex: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface SegmentInfo {
  seq: number;
  /** Highest entry index written to the segment (0: none). */
  maxIndex: number;
}

export interface WalWriterOptions {
  dir: string;
  log: Logger;
  /** Segments found on recovery (oldest first); the last one is appended to at `end`. */
  segments: SegmentInfo[];
  end: number;
  /** The latest snapshot and hard state on disk, repeated at the head of each new segment. */
  snapshot: SnapshotMetadata | undefined;
  hardState: HardState | undefined;
  /** Default WAL_SEGMENT_BYTES (tests use small segments to exercise rotation). */
  segmentBytes?: number | undefined;
}

export class WalWriter {
  private readonly segments: SegmentInfo[];
  private fd: number;
  private pos: number;
  private allocated: number;
  private queue: Batch[] = [];
  private syncing = false;
  private failure: Error | undefined;
  private closed = false;
  private lastSnapshot: SnapshotMetadata | undefined;
  private lastHardState: HardState | undefined;
  /** Resolves when the batch being synced (if any) is done. */
  private idle: Promise<void> = Promise.resolve();
  /** fdatasync latency observer (seconds). */
  onSync: ((seconds: number, batches: number) => void) | undefined;

  constructor(private readonly o: WalWriterOptions) {
    this.segments = o.segments.map((s) => ({ ...s }));
    this.lastSnapshot = o.snapshot;
    this.lastHardState = o.hardState;
    if (this.segments.length === 0) {
      this.segments.push({ seq: 1, maxIndex: 0 });
      this.fd = this.createSegment(1);
      this.pos = 0;
    } else {
      this.fd = openSync(join(o.dir, segmentName(this.segments.at(-1)!.seq)), "r+");
      this.pos = o.end;
    }
    // Whatever followed the last good record (a torn tail, stale preallocation) is cut off,
    // so that records appended from here can never run into old bytes on the next recovery.
    ftruncateSync(this.fd, this.pos);
    fsyncSync(this.fd);
    this.allocated = this.pos;
  }

  /** Appends records; resolves once they are on disk (fdatasync). */
  append(records: readonly WalRecord[], maxIndex: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error("WAL closed"));
    if (this.queue.length >= WAL_MAX_QUEUED_BATCHES) return Promise.reject(new Error("WAL queue full"));
    const buf = encodeRecords(records);
    return new Promise((resolve, reject) => {
      this.queue.push({ buf, records, maxIndex, resolve, reject });
      if (!this.syncing) this.idle = this.loop();
    });
  }

  /** Deletes the oldest segments whose entries are all at or below `index` (never the open one). */
  dropSegmentsCoveredBy(index: number): void {
    while (this.segments.length > 1 && this.segments[0]!.maxIndex <= index) {
      const s = this.segments.shift()!;
      rmSync(join(this.o.dir, segmentName(s.seq)), { force: true });
    }
  }

  /** Segments on disk, oldest first (for tests and metrics). */
  segmentList(): readonly SegmentInfo[] {
    return this.segments;
  }

  private async loop(): Promise<void> {
    this.syncing = true;
    while (this.queue.length > 0 && !this.failure) {
      const batch = this.queue.splice(0);
      try {
        let size = 0;
        for (const b of batch) size += b.buf.length;
        if (this.pos > 0 && this.pos + size > (this.o.segmentBytes ?? WAL_SEGMENT_BYTES)) this.rotate();
        const segment = this.segments.at(-1)!;
        this.ensureAllocated(this.pos + size);
        for (const b of batch) {
          this.writeAt(b.buf);
          if (b.maxIndex > segment.maxIndex) segment.maxIndex = b.maxIndex;
          this.track(b.records);
        }
        const started = performance.now();
        await new Promise<void>((resolve, reject) =>
          fdatasync(this.fd, (err) => (err ? reject(err) : resolve())),
        );
        this.onSync?.((performance.now() - started) / 1000, batch.length);
        for (const b of batch) b.resolve();
      } catch (err) {
        // What is on disk is now unknown: refuse everything from here on.
        this.failure = err as Error;
        this.o.log.error({ err }, "raft WAL: a write or fdatasync failed");
        for (const b of [...batch, ...this.queue.splice(0)]) b.reject(this.failure);
      }
    }
    this.syncing = false;
  }

  private track(records: readonly WalRecord[]): void {
    for (const r of records) {
      if (r.kind === "hardState") this.lastHardState = r.hardState;
      else if (r.kind === "snapshot") this.lastSnapshot = r.metadata;
    }
  }

  private writeAt(buf: Buffer): void {
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off, this.pos + off);
    this.pos += buf.length;
  }

  private ensureAllocated(upTo: number): void {
    if (upTo <= this.allocated) return;
    const grow = Math.max(WAL_PREALLOCATE_BYTES, upTo - this.allocated);
    const zeros = Buffer.alloc(grow);
    let off = 0;
    while (off < grow) off += writeSync(this.fd, zeros, off, grow - off, this.allocated + off);
    this.allocated += grow;
  }

  /** Closes the full segment (already synced: every batch is) and starts the next one. */
  private rotate(): void {
    // The unused preallocated tail is cut so the closed segment holds only its records.
    ftruncateSync(this.fd, this.pos);
    fsyncSync(this.fd);
    closeSync(this.fd);
    const seq = this.segments.at(-1)!.seq + 1;
    this.fd = this.createSegment(seq);
    this.segments.push({ seq, maxIndex: 0 });
    this.pos = 0;
    this.allocated = 0;
    const head: WalRecord[] = [];
    if (this.lastSnapshot) head.push({ kind: "snapshot", metadata: this.lastSnapshot, install: false });
    if (this.lastHardState) head.push({ kind: "hardState", hardState: this.lastHardState });
    if (head.length) {
      const buf = encodeRecords(head);
      this.ensureAllocated(buf.length);
      this.writeAt(buf);
    }
  }

  private createSegment(seq: number): number {
    const fd = openSync(join(this.o.dir, segmentName(seq)), "wx+");
    fsyncDir(this.o.dir);
    return fd;
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.syncing) await this.idle;
    closeSync(this.fd);
  }
}
