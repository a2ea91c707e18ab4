// The files of one storage node: a chunk is a file with an 8-byte header (magic "LSC1",
// then the CRC-32 of the rest, big-endian) before its bytes. A write is checksummed once
// (here, where the bytes land), written with one vectored call and fsynced with its
// directory before it counts; a read that fails its checksum is reported as corrupt rather
// than returned. Used by the HTTP chunk node (chunk-node.ts), the storage-node worker
// threads (chunk-worker.ts) and, for reads, the gateway thread itself.
import { createHash } from "node:crypto";
import { close, fstat, open as openFd, read } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";

/** Largest chunk a node accepts: a shard is at most this (shard size is ≤ 4 MiB by config). */
export const maxChunkSizeBytes = 16 * 1024 * 1024;
export const chunkIdPattern = /^[A-Za-z0-9._-]{1,200}$/;
/**
 * Header of a chunk file. CRC-32 (zlib's, native: ≈ 0.3 ms per MiB here against sha256's
 * ≈ 0.8) detects the corruption a scrubber is for — torn writes, flipped bits, garbage —
 * which is all a chunk checksum has to; integrity against tampering is not its job (the
 * HTTP chunk protocol carries a sha256 of its own across the network).
 */
export const chunkHeaderBytes = 8;
const chunkMagic = 0x4c534331; // "LSC1"
/** Chunk files written before the CRC header: the first 32 bytes are the sha256 of the rest. */
const legacySha256Bytes = 32;

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
    if (expectedSha256 !== undefined && createHash("sha256").update(data).digest("hex") !== expectedSha256)
      throw new ChecksumMismatch(`chunk ${id} does not match its x-chunk-sha256`);
    const header = Buffer.allocUnsafe(chunkHeaderBytes);
    header.writeUInt32BE(chunkMagic, 0);
    header.writeUInt32BE(crc32(data), 4);
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
      await fh.writev([header, data], 0);
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
   * Reads and verifies a chunk. The data is a view past the header of a buffer that owns
   * its memory alone, so a worker can transfer it without copying. `dataBytes`, when the
   * caller knows the chunk's length (a shard's is fixed by its segment), saves the fstat:
   * one open, one read and one close, through the callback API (no FileHandle per read).
   */
  async get(id: string, dataBytes?: number): Promise<ChunkRead> {
    let fd: number;
    try {
      fd = await fdOpen(this.where(id).file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
      throw e;
    }
    try {
      if (dataBytes !== undefined && dataBytes <= maxChunkSizeBytes) {
        // One byte more than expected: a read that fills it means a longer file (an older
        // format, or damage), read whole below. A regular file reads short only at its end.
        const want = chunkHeaderBytes + dataBytes;
        const buf = takeReadBuffer(want + 1);
        const got = await fdRead(fd, buf, 0, want + 1, 0);
        if (got <= want) return verifyChunk(buf.subarray(0, got));
        releaseReadBuffer(buf);
      }
      const size = await fdSize(fd);
      if (size < chunkHeaderBytes || size > maxChunkSizeBytes + legacySha256Bytes)
        return { state: "corrupt", why: `chunk file of ${size} bytes` };
      // Not zero-filled: every byte is read over, or the chunk is reported short below.
      const buf = Buffer.allocUnsafeSlow(size);
      let got = 0;
      while (got < size) {
        const n = await fdRead(fd, buf, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      if (got !== size) return { state: "corrupt", why: "chunk file shrank while read" };
      return verifyChunk(buf);
    } finally {
      await fdClose(fd);
    }
  }

  async delete(id: string): Promise<void> {
    await rm(this.where(id).file, { force: true });
  }
}

/**
 * Idle read buffers kept for the next read of the same size (a shard's length repeats for
 * every full stripe): a new 1 MiB ArrayBuffer per shard read kept V8's GC threads busy
 * with external memory (≈ a third of a large GET's CPU). Bounds the memory held idle.
 */
export const maxPooledReadBytes = 32 * 1024 * 1024;
const readPool = new Map<number, ArrayBuffer[]>();
let pooledReadBytes = 0;
/** Buffers handed out by takeReadBuffer and not given back: only these may come back. */
const lent = new WeakSet<ArrayBuffer>();

function takeReadBuffer(bytes: number): Buffer {
  const list = readPool.get(bytes);
  let ab = list?.pop();
  if (ab) {
    pooledReadBytes -= bytes;
    if (list?.length === 0) readPool.delete(bytes);
  } else ab = Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;
  lent.add(ab);
  // Not zero-filled on reuse either: the read overwrites what is used (the rest is cut off).
  return Buffer.from(ab);
}

/**
 * Gives a chunk's memory back for reuse, for a caller that is done with every view of it
 * (the GET path, once the socket has taken the bytes). Anything not from a pooled read,
 * or given back twice, is ignored; a buffer never given back is simply collected.
 */
export function releaseReadBuffer(view: Uint8Array): void {
  const ab = view.buffer;
  if (!(ab instanceof ArrayBuffer) || !lent.has(ab)) return;
  lent.delete(ab);
  if (ab.byteLength > maxPooledReadBytes) return;
  // Over the bound, the sizes pooled longest ago go first (a short last stripe's size
  // rarely comes again; a full shard's does).
  for (const [size, list] of readPool) {
    if (pooledReadBytes + ab.byteLength <= maxPooledReadBytes) break;
    list.pop();
    pooledReadBytes -= size;
    if (list.length === 0) readPool.delete(size);
  }
  const list = readPool.get(ab.byteLength);
  if (list) list.push(ab);
  else readPool.set(ab.byteLength, [ab]);
  pooledReadBytes += ab.byteLength;
}

const fdOpen = (path: string) =>
  new Promise<number>((resolve, reject) => openFd(path, "r", (e, fd) => (e ? reject(e) : resolve(fd))));
const fdRead = (fd: number, buf: Buffer, off: number, len: number, pos: number) =>
  new Promise<number>((resolve, reject) =>
    read(fd, buf, off, len, pos, (e, n) => (e ? reject(e) : resolve(n))),
  );
const fdSize = (fd: number) =>
  new Promise<number>((resolve, reject) => fstat(fd, (e, st) => (e ? reject(e) : resolve(st.size))));
const fdClose = (fd: number) =>
  new Promise<void>((resolve, reject) => close(fd, (e) => (e ? reject(e) : resolve())));

/** The data of a whole chunk file, or why it is corrupt. */
export function verifyChunk(file: Buffer): ChunkRead {
  if (file.length >= chunkHeaderBytes && file.readUInt32BE(0) === chunkMagic) {
    const data = file.subarray(chunkHeaderBytes);
    if (crc32(data) === file.readUInt32BE(4)) return { state: "ok", data };
  }
  // Not (or not validly) in the CRC format: a chunk of the older sha256 format, or corrupt.
  if (file.length >= legacySha256Bytes) {
    const data = file.subarray(legacySha256Bytes);
    if (createHash("sha256").update(data).digest().compare(file.subarray(0, legacySha256Bytes)) === 0)
      return { state: "ok", data };
  }
  return { state: "corrupt", why: "checksum mismatch" };
}

export class ChecksumMismatch extends Error {}
