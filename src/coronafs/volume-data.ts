// A volume's bytes: a stack of chunk layers, the volume's own top layer first. Reads take a
// chunk from the first layer that has it (zeros when none does: volumes are sparse); the
// first write to a chunk copies it up from below into the top layer (copy-on-write), so a
// clone of a snapshot or an image shares every chunk it has not written.
import { constants } from "node:fs";
import { open, rename } from "node:fs/promises";
import { KeyedMutex } from "../core/keyed-mutex.ts";
import { datasync, readAt, writeAt } from "./block-io.ts";
import { sliceParts } from "./byte-parts.ts";
import type { ChunkLayer } from "./chunk-layer.ts";
import { chunkPieces } from "./chunk-math.ts";
import type { FdPool } from "./fd-pool.ts";
import { MutationGate } from "./mutation-gate.ts";

export class VolumeData {
  /** Top-layer chunks written since the last flush: FLUSH fsyncs exactly these. */
  private dirty = new Set<number>();
  /** A chunk file was created since the last directory sync: the directory needs one too. */
  private dirDirty = false;
  /** The directory sync in progress (FUA and FLUSH wait for it rather than skip it). */
  private dirSyncing: Promise<void> | undefined;
  /** Flushes in progress: a later FLUSH also waits for them (they took chunks out of `dirty`). */
  private readonly flushing = new Set<Promise<void>>();
  private readonly chunkLocks = new KeyedMutex();
  readonly gate = new MutationGate();

  constructor(
    public sizeBytes: number,
    readonly chunkSizeBytes: number,
    /** Top first; layers[0] is this volume's own. */
    public layers: ChunkLayer[],
    private readonly fds: FdPool,
  ) {}

  get top(): ChunkLayer {
    return this.layers[0]!;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    await this.readInto(offset, out, false);
    return out;
  }

  /** Fills `into` with the bytes at offset. `inline`: chunk I/O on the event loop (block-io.ts). */
  async readInto(offset: number, into: Buffer, inline: boolean): Promise<void> {
    const cs = this.chunkSizeBytes;
    const at = offset % cs;
    // Most requests sit inside one chunk: no piece list, no Promise.all.
    if (at + into.length <= cs) return this.readPiece((offset - at) / cs, at, into, inline);
    await Promise.all(
      chunkPieces(offset, into.length, cs).map((p) =>
        this.readPiece(p.index, p.at, into.subarray(p.rangeOffset, p.rangeOffset + p.length), inline),
      ),
    );
  }

  private async readPiece(index: number, at: number, into: Buffer, inline: boolean): Promise<void> {
    const layer = this.layerWith(index);
    if (!layer) {
      into.fill(0); // never written: zeros
      return;
    }
    const path = layer.path(index);
    const acquired = this.fds.acquire(path, inline);
    // Inline with an open descriptor: no await at all (each one is a trip through the microtask queue).
    const fd = typeof acquired === "number" ? acquired : await acquired;
    try {
      const r = readAt(fd, into, at, inline);
      const got = typeof r === "number" ? r : await r;
      if (got < into.length) into.fill(0, got); // a short file reads as zeros past its end
    } finally {
      this.fds.release(path);
    }
  }

  /** Whether any layer stores chunk `index` (one that none does reads as zeros). */
  stored(index: number): boolean {
    return this.layerWith(index) !== undefined;
  }

  private layerWith(index: number): ChunkLayer | undefined {
    for (const l of this.layers) if (l.has(index)) return l;
    return undefined;
  }

  /**
   * Writes run concurrently with each other; callers that must not overlap a snapshot or an
   * attachment switch run them inside `gate.shared` (the volume server does, with fencing).
   * `data` may be the pieces a socket delivered the payload in; they are written with writev.
   */
  async write(offset: number, data: Buffer | Buffer[], fua: boolean, inline = false): Promise<void> {
    const parts = Array.isArray(data) ? data : [data];
    let length = 0;
    for (const p of parts) length += p.length;
    const cs = this.chunkSizeBytes;
    const at = offset % cs;
    if (at + length <= cs) {
      const index = (offset - at) / cs;
      await this.writePiece(index, at, parts, inline);
      if (fua) await this.syncChunks([index]);
      return;
    }
    const pieces = chunkPieces(offset, length, cs);
    await Promise.all(
      pieces.map((p) => this.writePiece(p.index, p.at, sliceParts(parts, p.rangeOffset, p.length), inline)),
    );
    if (fua) await this.syncChunks(pieces.map((p) => p.index));
  }

  private async writePiece(index: number, at: number, parts: Buffer[], inline: boolean): Promise<void> {
    if (!this.top.has(index)) await this.ensureTop(index);
    const path = this.top.path(index);
    const acquired = this.fds.acquire(path, inline);
    const fd = typeof acquired === "number" ? acquired : await acquired;
    try {
      const w = writeAt(fd, parts, at, inline);
      if (w) await w;
    } finally {
      this.fds.release(path);
    }
    this.dirty.add(index);
  }

  /**
   * Zeroes a range. Whole chunks become sparse (their blocks are released) unless the caller
   * asked for the space to stay allocated (NBD_CMD_FLAG_NO_HOLE); partial chunks get zeros.
   */
  async zero(offset: number, length: number, opts: { fua: boolean; noHole: boolean }): Promise<void> {
    const pieces = chunkPieces(offset, length, this.chunkSizeBytes);
    for (const p of pieces) {
      if (!p.whole || opts.noHole) {
        await this.writePiece(p.index, p.at, [Buffer.alloc(p.length)], false);
        continue;
      }
      const below = this.layers.slice(1).some((l) => l.has(p.index));
      if (!this.top.has(p.index) && !below) continue; // already zeros
      await this.chunkLocks.run(String(p.index), async () => {
        // Truncating to 0 and back releases the blocks; the file then reads as zeros and
        // still hides the chunk of any layer below.
        const fresh = !this.top.has(p.index);
        const fh = await open(this.top.path(p.index), constants.O_RDWR | constants.O_CREAT, 0o600);
        try {
          await fh.truncate(0);
          await fh.truncate(this.chunkSizeBytes);
        } finally {
          await fh.close();
        }
        if (fresh) {
          this.top.add(p.index);
          this.dirDirty = true;
        }
      });
      this.dirty.add(p.index);
    }
    if (opts.fua) await this.syncChunks(pieces.map((p) => p.index));
  }

  /**
   * Persists every write that completed before the call: fdatasync of the chunk files written
   * since the last flush, and of those an earlier flush still in progress took (one fsync per
   * chunk covers every write acknowledged before it, however many there were).
   */
  async flush(): Promise<void> {
    const indices = [...this.dirty];
    this.dirty = new Set();
    const earlier = [...this.flushing];
    const mine = this.syncChunks(indices).catch((e) => {
      for (const i of indices) this.dirty.add(i);
      throw e;
    });
    this.flushing.add(mine);
    try {
      await Promise.all([mine, ...earlier]);
    } finally {
      this.flushing.delete(mine);
    }
  }

  private async syncChunks(indices: number[]): Promise<void> {
    const unique = indices.length === 1 ? indices : [...new Set(indices)];
    await Promise.all(unique.map((i) => this.fds.use(this.top.path(i), datasync)));
    await this.syncDirIfDirty();
  }

  /** Makes the creation of every chunk file so far durable (or waits for the sync that does). */
  private async syncDirIfDirty(): Promise<void> {
    if (this.dirDirty) {
      this.dirDirty = false;
      const dir = this.top.dir;
      const s = syncDir(dir).catch((e) => {
        this.dirDirty = true;
        throw e;
      });
      this.dirSyncing = s;
      void s
        .finally(() => {
          if (this.dirSyncing === s) this.dirSyncing = undefined;
        })
        .catch(() => undefined);
    }
    if (this.dirSyncing) await this.dirSyncing;
  }

  /** Makes the top layer hold chunk `index`, copying it up from below if a lower layer has it. */
  private async ensureTop(index: number): Promise<void> {
    if (this.top.has(index)) return;
    await this.chunkLocks.run(String(index), async () => {
      if (this.top.has(index)) return;
      const top = this.top;
      const source = this.layers.slice(1).find((l) => l.has(index));
      const path = top.path(index);
      if (!source) {
        const fh = await open(path, constants.O_RDWR | constants.O_CREAT, 0o600);
        try {
          await fh.truncate(this.chunkSizeBytes);
        } finally {
          await fh.close();
        }
        this.dirDirty = true;
        top.add(index);
        return;
      }
      // The copy is durable before it is published by the rename: after a crash the top layer
      // holds either nothing (reads fall through to the source) or the whole copy.
      const bytes = Buffer.alloc(this.chunkSizeBytes);
      await this.fds.use(source.path(index), (fd) => readAt(fd, bytes, 0, false));
      const tmp = `${path}.tmp`;
      const fh = await open(tmp, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC, 0o600);
      try {
        await fh.write(bytes, 0, bytes.length, 0);
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
      this.dirDirty = true;
      top.add(index);
    });
  }

  /** Runs fn with no write in flight (snapshots, resize, layer switches). */
  quiesced<T>(fn: () => Promise<T>): Promise<T> {
    return this.gate.exclusively(fn);
  }
}

export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
