// A VM's root disk on its worker: the image downloaded once into a local cache, then a qcow2
// overlay per VM backed by it — no full copy before first boot, and the VM's writes survive
// stop and start on this worker.
import { execFile } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { KeyedMutex } from "../core/keyed-mutex.ts";

const run = promisify(execFile);

export interface ImageRef {
  project: string;
  name: string;
  /** Changes when the image is replaced, so a cached copy of the old bytes is not reused. */
  uid: string;
  format: "raw" | "qcow2";
}

export type ImageSource = (project: string, name: string) => Promise<Readable>;

export class VmDisks {
  private readonly downloads = new KeyedMutex();

  constructor(
    private readonly dataDir: string,
    private readonly source: ImageSource,
  ) {}

  /** The local, read-only copy of an image (downloaded on first use). */
  async cachedImage(img: ImageRef): Promise<string> {
    const dir = join(this.dataDir, "images");
    const path = join(dir, `${img.project}--${img.name}--${img.uid}.${img.format}`);
    return this.downloads.run(path, async () => {
      if (existsSync(path)) return path;
      mkdirSync(dir, { recursive: true });
      const partial = `${path}.partial`;
      await pipeline(await this.source(img.project, img.name), createWriteStream(partial));
      renameSync(partial, path);
      return path;
    });
  }

  /** The VM's root disk, created as an overlay of the image the first time. */
  async rootDisk(vmDir: string, img: ImageRef): Promise<string> {
    const path = join(vmDir, "root.qcow2");
    if (existsSync(path)) return path;
    const base = await this.cachedImage(img);
    mkdirSync(vmDir, { recursive: true });
    await run("qemu-img", ["create", "-q", "-f", "qcow2", "-F", img.format, "-b", base, `${path}.partial`]);
    renameSync(`${path}.partial`, path);
    return path;
  }

  remove(vmDir: string): void {
    rmSync(vmDir, { recursive: true, force: true });
  }
}
