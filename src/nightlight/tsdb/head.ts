// The in-memory head: every active series with its recent chunks (closed ones as bytes, the open
// one as an appender), indexed by tenant, label key and postings.
import { ChunkAppender, samplesPerChunk } from "./chunk.ts";
import type { Labels } from "./labels.ts";
import { Postings } from "./postings.ts";

export interface StoredChunk {
  bytes: Uint8Array;
  count: number;
  mint: number;
  maxt: number;
}

export type AppendOutcome = "ok" | "duplicate" | "out-of-order" | "conflict";

export class MemSeries {
  chunks: StoredChunk[] = [];
  app: ChunkAppender | undefined;
  lastT = Number.NEGATIVE_INFINITY;
  private lastV = 0;
  private lastStale = false;

  constructor(
    readonly id: number,
    readonly tenant: string,
    readonly labels: Labels,
    readonly key: string,
  ) {}

  append(t: number, v: number, stale: boolean): AppendOutcome {
    if (t <= this.lastT) {
      if (t < this.lastT) return "out-of-order";
      const same = stale
        ? this.lastStale
        : !this.lastStale && (v === this.lastV || (Number.isNaN(v) && Number.isNaN(this.lastV)));
      return same ? "duplicate" : "conflict";
    }
    if (!this.app || this.app.count >= samplesPerChunk) this.cut();
    this.app!.append(t, v, stale);
    this.lastT = t;
    this.lastV = v;
    this.lastStale = stale;
    return "ok";
  }

  setLast(t: number, v: number, stale: boolean): void {
    this.lastT = t;
    this.lastV = v;
    this.lastStale = stale;
  }

  /** Closes the open chunk (if any) and starts a new one. */
  cut(): void {
    if (this.app && this.app.count > 0) this.chunks.push(closeAppender(this.app));
    this.app = new ChunkAppender();
  }

  /** All chunks, the open one last (as a snapshot of its bytes). */
  allChunks(): StoredChunk[] {
    if (!this.app || this.app.count === 0) return this.chunks;
    return [...this.chunks, closeAppender(this.app)];
  }

  get mint(): number {
    return (
      this.chunks[0]?.mint ?? (this.app && this.app.count > 0 ? this.app.mint : Number.POSITIVE_INFINITY)
    );
  }

  get empty(): boolean {
    return this.chunks.length === 0 && (!this.app || this.app.count === 0);
  }
}

function closeAppender(app: ChunkAppender): StoredChunk {
  return { bytes: app.bytes(), count: app.count, mint: app.mint, maxt: app.maxt };
}

/** Wire-format label keys remembered per tenant (a cache; cleared when full). */
export const maxRawKeys = 2_000_000;

export class TenantHead {
  readonly byKey = new Map<string, MemSeries>();
  /** Series by the bytes their labels arrived as, to skip validation and sorting on hot writes. */
  readonly byRawKey = new Map<string, MemSeries>();

  cacheRawKey(raw: string, s: MemSeries): void {
    if (this.byRawKey.size >= maxRawKeys) this.byRawKey.clear();
    this.byRawKey.set(raw, s);
  }
  readonly byId = new Map<number, MemSeries>();
  postings = new Postings();

  add(s: MemSeries): void {
    this.byKey.set(s.key, s);
    this.byId.set(s.id, s);
    this.postings.add(s.id, s.labels);
  }

  /** Drops series for which `drop` holds and rebuilds the postings without them. */
  gc(drop: (s: MemSeries) => boolean): number {
    let removed = 0;
    for (const s of this.byId.values()) {
      if (drop(s)) {
        this.byId.delete(s.id);
        this.byKey.delete(s.key);
        removed++;
      }
    }
    if (removed > 0) {
      this.byRawKey.clear();
      this.postings = new Postings();
      for (const s of [...this.byId.values()].sort((a, b) => a.id - b.id)) this.postings.add(s.id, s.labels);
    }
    return removed;
  }

  get size(): number {
    return this.byId.size;
  }
}
