// Open descriptors of chunk files, shared and bounded: a volume server may hold thousands of
// chunks, and the process may not hold thousands of descriptors. A descriptor in use is
// never closed (closing it under a pending pread would let the number be reused by another
// file); idle ones are closed least-recently-used first when the pool is over its bound.
// Raw descriptors rather than FileHandles: the hot path calls fs.readSync/fs.read on them
// directly, without a promise per call (block-io.ts).
import { close, open, openSync } from "node:fs";

export const fdPoolDefaults = { maxOpen: 512 };

interface Entry {
  fd: number | undefined;
  opening: Promise<number> | undefined;
  users: number;
  /** forget() was called while in use: close when the last user releases. */
  doomed: boolean;
  /** Use counter value at the last acquire (least recently used are closed first). */
  lastUse: number;
}

export class FdPool {
  private readonly entries = new Map<string, Entry>();
  /** Counts acquires: a use stamp per entry instead of re-ordering a map on every request. */
  private clock = 0;

  constructor(private readonly maxOpen: number = fdPoolDefaults.maxOpen) {}

  /**
   * The descriptor of an existing file, opened read-write on first use and pinned until
   * `release(path, fd)`. `inline` opens synchronously (the caller runs on the event loop
   * anyway); otherwise the open runs on the thread pool and a promise comes back.
   */
  acquire(path: string, inline: boolean): number | Promise<number> {
    let e = this.entries.get(path);
    if (!e) {
      e = { fd: undefined, opening: undefined, users: 0, doomed: false, lastUse: 0 };
      this.entries.set(path, e);
      this.evict(); // only a new entry can take the pool over its bound
    }
    e.lastUse = ++this.clock;
    e.users++;
    if (e.fd !== undefined) return e.fd;
    const entry = e;
    if (!entry.opening && inline) {
      try {
        entry.fd = openSync(path, "r+");
        return entry.fd;
      } catch (err) {
        this.dropFailed(path, entry);
        throw err;
      }
    }
    entry.opening ??= new Promise<number>((resolve, reject) =>
      open(path, "r+", (err, fd) => {
        entry.opening = undefined;
        if (err) {
          this.dropFailed(path, entry);
          reject(err);
        } else {
          entry.fd = fd;
          resolve(fd);
        }
      }),
    );
    return entry.opening;
  }

  /** Ends one use begun by a successful acquire (a failed one has released already). */
  release(path: string): void {
    const e = this.entries.get(path) ?? this.doomed.get(path);
    if (!e || e.users === 0) return;
    e.users--;
    if (e.users === 0 && e.doomed) {
      this.doomed.delete(path);
      if (e.fd !== undefined) close(e.fd, () => undefined);
    }
  }

  /** Runs fn with the descriptor of path, released afterwards. */
  async use<T>(path: string, fn: (fd: number) => Promise<T> | T): Promise<T> {
    const fd = await this.acquire(path, false);
    try {
      return await fn(fd);
    } finally {
      this.release(path);
    }
  }

  private readonly doomed = new Map<string, Entry>();

  /** Closes the descriptor of a file about to be removed (at once, or when its users are done). */
  async forget(path: string): Promise<void> {
    const e = this.entries.get(path);
    if (!e) return;
    this.entries.delete(path);
    if (e.opening) await e.opening.catch(() => undefined);
    if (e.users > 0) {
      e.doomed = true;
      this.doomed.set(path, e);
      return;
    }
    if (e.fd !== undefined) {
      const fd = e.fd;
      await new Promise<void>((r) => close(fd, () => r()));
    }
  }

  async forgetPrefix(prefix: string): Promise<void> {
    for (const p of [...this.entries.keys()]) if (p.startsWith(prefix)) await this.forget(p);
  }

  get size(): number {
    return this.entries.size;
  }

  private dropFailed(path: string, e: Entry): void {
    if (this.entries.get(path) === e) this.entries.delete(path);
    e.users = 0;
  }

  /** Closes idle descriptors, least recently used first, until the pool is within its bound. */
  private evict(): void {
    const excess = this.entries.size - this.maxOpen;
    if (excess <= 0) return;
    const idle = [...this.entries]
      .filter(([, e]) => e.users === 0 && e.fd !== undefined)
      .sort((a, b) => a[1].lastUse - b[1].lastUse)
      .slice(0, Math.max(excess, Math.ceil(this.maxOpen / 8)));
    for (const [p, e] of idle) {
      this.entries.delete(p);
      close(e.fd!, () => undefined);
    }
  }

  async close(): Promise<void> {
    for (const p of [...this.entries.keys()]) await this.forget(p);
  }
}
