// Write-ahead log: length- and CRC-framed records in numbered segment files. Appends are grouped:
// every record queued while one write+fdatasync runs goes out in the next one, and each caller's
// promise resolves only after the fsync that covers its record (group commit). Rotation starts
// a new segment with a checkpoint of the head, after which older segments are deleted.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";

/** Largest record accepted (a checkpoint of one chunk, a batch of samples). */
export const maxRecordBytes = 64 * 1024 * 1024;
/** Most bytes queued for the next group commit before appends wait (backpressure). */
export const maxPendingBytes = 256 * 1024 * 1024;

const headerBytes = 8;

export function frameRecord(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(headerBytes + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, headerBytes);
  return out;
}

/** Parses a segment's records; stops at the first torn or corrupt one (a crash mid-write). */
export function parseSegment(buf: Buffer): { records: Buffer[]; torn: boolean } {
  const records: Buffer[] = [];
  let pos = 0;
  while (pos + headerBytes <= buf.length) {
    const len = buf.readUInt32LE(pos);
    const crc = buf.readUInt32LE(pos + 4);
    if (len > maxRecordBytes || pos + headerBytes + len > buf.length) return { records, torn: true };
    const payload = buf.subarray(pos + headerBytes, pos + headerBytes + len);
    if (crc32(payload) !== crc) return { records, torn: true };
    records.push(payload);
    pos += headerBytes + len;
  }
  return { records, torn: pos !== buf.length };
}

type Op =
  | { kind: "data"; buf: Buffer; resolve: () => void; reject: (e: Error) => void }
  | { kind: "rotate"; checkpoint: () => Buffer[]; resolve: () => void; reject: (e: Error) => void };

const segmentName = (n: number) => String(n).padStart(8, "0");

export class Wal {
  private queue: Op[] = [];
  private running = false;
  private pendingBytes = 0;
  private closed = false;
  private fh: FileHandle | undefined;
  bytesWritten = 0;
  syncs = 0;

  private constructor(
    private readonly dir: string,
    private segment: number,
  ) {}

  /** Reads every segment in order (calling `onRecord`), then opens a fresh segment for appends. */
  static async open(dir: string, onRecord: (payload: Buffer) => void): Promise<Wal> {
    const segments = readdirSync(dir)
      .filter((f) => /^\d{8}$/.test(f))
      .map(Number)
      .sort((a, b) => a - b);
    for (const s of segments) {
      const { records } = parseSegment(readFileSync(join(dir, segmentName(s))));
      for (const r of records) onRecord(r);
    }
    const wal = new Wal(dir, (segments.at(-1) ?? 0) + 1);
    wal.fh = await open(join(dir, segmentName(wal.segment)), "a");
    syncDir(dir);
    return wal;
  }

  get queuedBytes(): number {
    return this.pendingBytes;
  }

  /** Resolves once the record is on disk (fdatasync). */
  append(payload: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(new Error("write-ahead log is closed"));
    if (payload.length > maxRecordBytes) return Promise.reject(new Error("WAL record too large"));
    return new Promise((resolve, reject) => {
      const buf = frameRecord(payload);
      this.pendingBytes += buf.length;
      this.queue.push({ kind: "data", buf, resolve, reject });
      this.kick();
    });
  }

  /** Starts a new segment holding `checkpoint()` (computed when its turn comes); drops older ones. */
  rotate(checkpoint: () => Buffer[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: "rotate", checkpoint, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // Yield once so that appends from the same tick share the write.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const first = this.queue[0]!;
        if (first.kind === "rotate") {
          this.queue.shift();
          try {
            await this.doRotate(first.checkpoint);
            first.resolve();
          } catch (err) {
            first.reject(err as Error);
          }
          continue;
        }
        const batch: Extract<Op, { kind: "data" }>[] = [];
        while (this.queue.length > 0 && this.queue[0]!.kind === "data")
          batch.push(this.queue.shift() as Extract<Op, { kind: "data" }>);
        const bytes = Buffer.concat(batch.map((b) => b.buf));
        try {
          await this.fh!.write(bytes);
          await this.fh!.datasync();
          this.bytesWritten += bytes.length;
          this.syncs++;
          for (const b of batch) b.resolve();
        } catch (err) {
          for (const b of batch) b.reject(err as Error);
        } finally {
          this.pendingBytes -= bytes.length;
        }
      }
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.kick();
    }
  }

  private async doRotate(checkpoint: () => Buffer[]): Promise<void> {
    const old = this.fh!;
    const oldSegment = this.segment;
    const records = checkpoint().map(frameRecord);
    this.segment++;
    const fh = await open(join(this.dir, segmentName(this.segment)), "a");
    await fh.write(Buffer.concat(records));
    await fh.datasync();
    syncDir(this.dir);
    this.fh = fh;
    await old.close();
    for (const f of readdirSync(this.dir)) {
      if (/^\d{8}$/.test(f) && Number(f) <= oldSegment) rmSync(join(this.dir, f), { force: true });
    }
    syncDir(this.dir);
  }

  /** Waits for queued appends, then closes the segment. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.fh?.close();
    this.fh = undefined;
  }
}

export function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
