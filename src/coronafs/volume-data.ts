// A volume's bytes: a stack of chunk layers, the volume's own top layer first. Reads take a
// chunk from the first layer that has it (zeros when none does: volumes are sparse); the
// first write to a chunk copies it up from below into the top layer (copy-on-write), so a
// clone of a snapshot or an image shares every chunk it has not written.
import { constants } from "node:fs";
import { open, rename } from "node:fs/promises";
import { KeyedMutex } from "../core/keyed-mutex.ts";
import type { ChunkLayer } from "./chunk-layer.ts";
import { chunkPieces } from "./chunk-math.ts";
import type { FdPool } from "./fd-pool.ts";
import { MutationGate } from "./mutation-gate.ts";

export class VolumeData {
  /** Top-layer chunks written since the last flush: FLUSH fsyncs exactly these. */
  private dirty = new Set<number>();
  /** A chunk file was created since the last flush: the directory needs an fsync too. */
  private dirDirty = false;
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
    const out = Buffer.alloc(length);
    await Promise.all(
      chunkPieces(offset, length, this.chunkSizeBytes).map(async (p) => {
        const layer = this.layers.find((l) => l.has(p.index));
        if (!layer) return; // never written: zeros
        await this.fds.use(layer.path(p.index), async (fh) => {
          let got = 0;
          while (got < p.length) {
            const { bytesRead } = await fh.read(out, p.rangeOffset + got, p.length - got, p.at + got);
            if (bytesRead === 0) break; // a short file reads as zeros past its end
            got += bytesRead;
          }
        });
      }),
    );
    return out;
  }

  /**
   * Writes run concurrently with each other; callers that must not overlap a snapshot or an
   * attachment switch run them inside `gate.shared` (the volume server does, with fencing).
   */
  async write(offset: number, data: Buffer, fua: boolean): Promise<void> {
    {
      const pieces = chunkPieces(offset, data.length, this.chunkSizeBytes);
      await Promise.all(
        pieces.map(async (p) => {
          await this.ensureTop(p.index);
          await this.fds.use(this.top.path(p.index), async (fh) => {
            let put = 0;
            while (put < p.length) {
              const { bytesWritten } = await fh.write(data, p.rangeOffset + put, p.length - put, p.at + put);
              put += bytesWritten;
            }
          });
          this.dirty.add(p.index);
        }),
      );
      if (fua) await this.syncChunks(pieces.map((p) => p.index));
    }
  }

  /**
   * Zeroes a range. Whole chunks become sparse (their blocks are released) unless the caller
   * asked for the space to stay allocated (NBD_CMD_FLAG_NO_HOLE); partial chunks get zeros.
   */
  async zero(offset: number, length: number, opts: { fua: boolean; noHole: boolean }): Promise<void> {
    {
      const pieces = chunkPieces(offset, length, this.chunkSizeBytes);
      for (const p of pieces) {
        if (!p.whole || opts.noHole) {
          await this.writePiece(p.index, p.at, Buffer.alloc(p.length));
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
  }

  /** Persists every write that completed before the call: fsync of the touched chunk files. */
  async flush(): Promise<void> {
    const indices = [...this.dirty];
    this.dirty = new Set();
    const dir = this.dirDirty;
    this.dirDirty = false;
    try {
      await this.syncChunks(indices);
      if (dir) await syncDir(this.top.dir);
    } catch (e) {
      for (const i of indices) this.dirty.add(i);
      if (dir) this.dirDirty = true;
      throw e;
    }
  }

  private async syncChunks(indices: number[]): Promise<void> {
    await Promise.all(
      [...new Set(indices)].map((i) => this.fds.use(this.top.path(i), (fh) => fh.datasync())),
    );
    if (this.dirDirty) {
      this.dirDirty = false;
      await syncDir(this.top.dir);
    }
  }

  private async writePiece(index: number, at: number, data: Buffer): Promise<void> {
    await this.ensureTop(index);
    await this.fds.use(this.top.path(index), async (fh) => {
      let put = 0;
      while (put < data.length) put += (await fh.write(data, put, data.length - put, at + put)).bytesWritten;
    });
    this.dirty.add(index);
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
      await this.fds.use(source.path(index), async (fh) => {
        let got = 0;
        while (got < bytes.length) {
          const { bytesRead } = await fh.read(bytes, got, bytes.length - got, got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
      });
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
