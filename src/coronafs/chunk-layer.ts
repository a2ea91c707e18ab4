// One layer of chunk files in a directory: file "<index>" holds chunk <index> of whatever
// volume or snapshot stacks the layer. A volume writes only to its own top layer; lower
// layers belong to snapshots and images and are never written again (copy-on-write).
import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

const chunkFile = /^\d+$/;

export class ChunkLayer {
  private constructor(
    readonly id: string,
    readonly dir: string,
    private readonly chunks: Set<number>,
  ) {}

  static async open(root: string, id: string): Promise<ChunkLayer> {
    const dir = join(root, id);
    await mkdir(dir, { recursive: true });
    const chunks = new Set<number>();
    for (const name of await readdir(dir)) {
      if (chunkFile.test(name)) chunks.add(Number(name));
      // Leftover temp files of an interrupted copy-up are removed; their chunk was never published.
      else if (name.endsWith(".tmp")) await rm(join(dir, name), { force: true });
    }
    return new ChunkLayer(id, dir, chunks);
  }

  has(index: number): boolean {
    return this.chunks.has(index);
  }

  add(index: number): void {
    this.chunks.add(index);
  }

  path(index: number): string {
    // On every request: plain concatenation (dir is already normalized by join).
    return `${this.dir}/${index}`;
  }

  get chunkCount(): number {
    return this.chunks.size;
  }

  indices(): number[] {
    return [...this.chunks];
  }

  async destroy(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
