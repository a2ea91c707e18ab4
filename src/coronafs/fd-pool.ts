// Open file handles of chunk files, shared and bounded: a volume server may hold thousands
// of chunks, and the process may not hold thousands of descriptors. Handles in use are never
// closed; idle ones are closed least-recently-used first when the pool is over its bound.
import { type FileHandle, open } from "node:fs/promises";

export const fdPoolDefaults = { maxOpen: 512 };

interface Entry {
  handle: Promise<FileHandle>;
  users: number;
}

export class FdPool {
  // Map iteration order is insertion order: re-inserting on use keeps it LRU.
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxOpen: number = fdPoolDefaults.maxOpen) {}

  /** Runs fn with a read-write handle of an existing file. */
  async use<T>(path: string, fn: (fh: FileHandle) => Promise<T>): Promise<T> {
    let e = this.entries.get(path);
    if (e) {
      this.entries.delete(path);
      this.entries.set(path, e);
    } else {
      const fresh: Entry = { handle: open(path, "r+"), users: 0 };
      e = fresh;
      this.entries.set(path, fresh);
      fresh.handle.catch(() => {
        if (this.entries.get(path) === fresh) this.entries.delete(path);
      });
    }
    e.users++;
    this.evict();
    try {
      return await fn(await e.handle);
    } finally {
      e.users--;
    }
  }

  /** Closes the handle of a file about to be removed or replaced. */
  async forget(path: string): Promise<void> {
    const e = this.entries.get(path);
    if (!e) return;
    this.entries.delete(path);
    const fh = await e.handle.catch(() => undefined);
    // A user still running keeps its handle until done; the close waits for nobody else.
    if (fh) await fh.close().catch(() => undefined);
  }

  async forgetPrefix(prefix: string): Promise<void> {
    for (const p of [...this.entries.keys()]) if (p.startsWith(prefix)) await this.forget(p);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    if (this.entries.size <= this.maxOpen) return;
    for (const [p, e] of this.entries) {
      if (this.entries.size <= this.maxOpen) return;
      if (e.users > 0) continue;
      this.entries.delete(p);
      void e.handle.then((fh) => fh.close()).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    for (const p of [...this.entries.keys()]) await this.forget(p);
  }
}
