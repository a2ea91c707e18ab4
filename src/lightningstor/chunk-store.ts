// The files of one storage node: a chunk is a file whose first 32 bytes are the sha256 of
// the rest. A write is hashed once (here, where the bytes land), written with one
// vectored call and fsynced with its directory before it counts; a read that fails its
// checksum is reported as corrupt rather than returned. Used by the HTTP chunk node
// (chunk-node.ts) and by the storage-node worker threads (chunk-worker.ts).
import { createHash } from "node:crypto";
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";

/** Largest chunk a node accepts: a shard is at most this (shard size is ≤ 4 MiB by config). */
export const maxChunkSizeBytes = 16 * 1024 * 1024;
export const chunkIdPattern = /^[A-Za-z0-9._-]{1,200}$/;
export const checksumBytes = 32;

export type ChunkRead =
  | { state: "ok"; data: Buffer }
  | { state: "missing" }
  | { state: "corrupt"; why: string };

export class ChunkStore {
  private readonly madeDirs = new Set<string>();

  constructor(
    readonly dir: string,
    /** fsync chunk files and directories before acknowledging (off only for throwaway benches). */
    private readonly fsync = true,
  ) {}

  /** Where a chunk lives: two hex levels of fan-out keep directories small. */
  private where(id: string): { dirPath: string; file: string } {
    const h = createHash("sha1").update(id).digest("hex");
    const dirPath = join(this.dir, h.slice(0, 2), h.slice(2, 4));
    return { dirPath, file: join(dirPath, id) };
  }

  /** Path of a chunk's file, for tests that delete or corrupt chunks behind the node's back. */
  chunkFile(id: string): string {
    return this.where(id).file;
  }

  /**
   * Stores a chunk durably. `expectedSha256` (hex), when the sender gives one, is checked
   * against the bytes received; a mismatch throws before anything is written.
   */
  async put(id: string, data: Uint8Array, expectedSha256?: string): Promise<void> {
    if (data.length > maxChunkSizeBytes)
      throw new RangeError(`chunk ${id} exceeds ${maxChunkSizeBytes} bytes`);
    const sum = createHash("sha256").update(data).digest();
    if (expectedSha256 !== undefined && sum.toString("hex") !== expectedSha256)
      throw new ChecksumMismatch(`chunk ${id} does not match its x-chunk-sha256`);
    const { dirPath, file } = this.where(id);
    if (!this.madeDirs.has(dirPath)) {
      await mkdir(dirPath, { recursive: true });
      this.madeDirs.add(dirPath);
    }
    // Written in place, not via a temp file and rename: the checksum header makes a torn
    // write detectable (the chunk reads as corrupt and the scrubber rebuilds it), and the
    // file and its directory entry are fsynced together, one fsync latency instead of two.
    const fh = await open(file, "w");
    try {
      await fh.writev([sum, data], 0);
      if (this.fsync) await Promise.all([fh.datasync(), this.syncDir(dirPath)]);
    } finally {
      await fh.close();
    }
  }

  private async syncDir(dirPath: string): Promise<void> {
    const d = await open(dirPath, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  /**
   * Reads and verifies a chunk. The data is a view at offset 32 of a buffer that owns its
   * memory alone, so a worker can transfer it without copying.
   */
  async get(id: string): Promise<ChunkRead> {
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(this.where(id).file, "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
      throw e;
    }
    try {
      const { size } = await fh.stat();
      if (size < checksumBytes || size > maxChunkSizeBytes + checksumBytes)
        return { state: "corrupt", why: `chunk file of ${size} bytes` };
      const buf = Buffer.from(new ArrayBuffer(size));
      let got = 0;
      while (got < size) {
        const { bytesRead } = await fh.read(buf, got, size - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      if (got !== size) return { state: "corrupt", why: "chunk file shrank while read" };
      const data = buf.subarray(checksumBytes);
      if (createHash("sha256").update(data).digest().compare(buf.subarray(0, checksumBytes)) !== 0)
        return { state: "corrupt", why: "checksum mismatch" };
      return { state: "ok", data };
    } finally {
      await fh.close();
    }
  }

  async delete(id: string): Promise<void> {
    await rm(this.where(id).file, { force: true });
  }
}

export class ChecksumMismatch extends Error {}
