// The in-memory head: every active series with its recent chunks (closed ones as bytes, the open
// one as an appender), indexed by tenant, label key and postings.
import { ChunkAppender, decodeChunkInto, samplesPerChunk } from "./chunk.ts";
import type { Labels } from "./labels.ts";
import { Postings } from "./postings.ts";

export interface StoredChunk {
  bytes: Uint8Array;
  count: number;
  mint: number;
  maxt: number;
}

export type AppendOutcome = "ok" | "duplicate" | "out-of-order" | "conflict";

/** A sample older than its series' last one, for `MemSeries.insertOld`. */
export interface OldSample {
  t: number;
  v: number;
  stale: boolean;
}

/** Decoded samples of one chunk, as plain arrays (the out-of-order path only). */
interface Run {
  ts: number[];
  vs: number[];
  st: boolean[];
}

export class MemSeries {
  chunks: StoredChunk[] = [];
  app: ChunkAppender | undefined;
  lastT = Number.NEGATIVE_INFINITY;
  /** The label bytes this series was last found by (see `TenantHead.byRawHash`). */
  rawLabels: Uint8Array | undefined;
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

  /**
   * Inserts samples older than the last one (out of order) into the chunks whose time range they
   * fall in, re-encoding each such chunk once; chunks stay sorted and disjoint, so queries and
   * block cuts need no merging. An equal timestamp is a duplicate (same value) or a conflict.
   * Outcomes come back in the order of `samples`. A rare path: it decodes whole chunks.
   */
  insertOld(samples: readonly OldSample[]): AppendOutcome[] {
    const out: AppendOutcome[] = new Array(samples.length).fill("duplicate");
    const order = samples.map((_, i) => i).sort((a, b) => samples[a]!.t - samples[b]!.t || a - b);
    let k = 0;
    while (k < order.length) {
      const seg = this.segmentFor(samples[order[k]!]!.t);
      const nextMint = this.segmentMint(seg + 1);
      let end = k;
      while (end < order.length && samples[order[end]!]!.t < nextMint) end++;
      const old = this.decodeSegment(seg);
      const merged: Run = { ts: [], vs: [], st: [] };
      let i = 0;
      let inserted = false;
      const push = (t: number, v: number, st: boolean) => {
        merged.ts.push(t);
        merged.vs.push(v);
        merged.st.push(st);
      };
      for (let j = k; j < end; j++) {
        const idx = order[j]!;
        const s = samples[idx]!;
        while (i < old.ts.length && old.ts[i]! < s.t) {
          push(old.ts[i]!, old.vs[i]!, old.st[i]!);
          i++;
        }
        if (i < old.ts.length && old.ts[i]! === s.t) {
          out[idx] = sameSample(old.vs[i]!, old.st[i]!, s.v, s.stale) ? "duplicate" : "conflict";
          continue;
        }
        const n = merged.ts.length;
        if (n > 0 && merged.ts[n - 1] === s.t) {
          // The same timestamp twice in one write: the first one stands.
          out[idx] = sameSample(merged.vs[n - 1]!, merged.st[n - 1]!, s.v, s.stale)
            ? "duplicate"
            : "conflict";
          continue;
        }
        push(s.t, s.v, s.stale);
        out[idx] = "ok";
        inserted = true;
      }
      for (; i < old.ts.length; i++) push(old.ts[i]!, old.vs[i]!, old.st[i]!);
      if (inserted) this.replaceSegment(seg, merged);
      k = end;
    }
    return out;
  }

  /** Segments are the closed chunks, then the open appender; -1 when there is none. */
  private segmentCount(): number {
    return this.chunks.length + (this.app && this.app.count > 0 ? 1 : 0);
  }

  private segmentMint(seg: number): number {
    if (seg < 0 || seg >= this.segmentCount()) return Number.POSITIVE_INFINITY;
    return seg < this.chunks.length ? this.chunks[seg]!.mint : this.app!.mint;
  }

  /** The segment a sample at `t` belongs in: the last one starting at or before it, else the first. */
  private segmentFor(t: number): number {
    const n = this.segmentCount();
    if (n === 0) return -1;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segmentMint(mid) <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private decodeSegment(seg: number): Run {
    if (seg < 0) return { ts: [], vs: [], st: [] };
    const c = seg < this.chunks.length ? this.chunks[seg]! : closeAppender(this.app!);
    const ts: number[] = [];
    const vs: number[] = [];
    const st = new Uint8Array(c.count);
    decodeChunkInto(c.bytes, c.count, ts, vs, 0, st);
    return { ts, vs, st: Array.from(st, (x) => x === 1) };
  }

  /** Re-encodes a segment from `run`, in pieces of at most `samplesPerChunk` samples. */
  private replaceSegment(seg: number, run: Run): void {
    const pieces: ChunkAppender[] = [];
    for (let i = 0; i < run.ts.length; i += samplesPerChunk) {
      const app = new ChunkAppender();
      const end = Math.min(run.ts.length, i + samplesPerChunk);
      for (let j = i; j < end; j++) app.append(run.ts[j]!, run.vs[j]!, run.st[j]!);
      pieces.push(app);
    }
    if (seg >= 0 && seg < this.chunks.length) {
      this.chunks.splice(seg, 1, ...pieces.map(closeAppender));
      return;
    }
    // The open appender (or none yet): the last piece stays open, so later samples extend it.
    const last = pieces.pop()!;
    for (const p of pieces) this.chunks.push(closeAppender(p));
    this.app = last;
  }

  lastSample(): OldSample {
    return { t: this.lastT, v: this.lastV, stale: this.lastStale };
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

function sameSample(v1: number, st1: boolean, v2: number, st2: boolean): boolean {
  return st2 ? st1 : !st1 && (v1 === v2 || (Number.isNaN(v1) && Number.isNaN(v2)));
}

function closeAppender(app: ChunkAppender): StoredChunk {
  return { bytes: app.bytes(), count: app.count, mint: app.mint, maxt: app.maxt };
}

/** Wire-format label keys remembered per tenant (a cache; cleared when full). */
export const maxRawKeys = 2_000_000;

export class TenantHead {
  readonly byKey = new Map<string, MemSeries>();
  /**
   * Series by a hash of the bytes their labels arrived as (checked against `rawLabels`), to skip
   * parsing, validating and sorting labels on hot writes.
   */
  readonly byRawHash = new Map<number, MemSeries>();

  /** The series whose labels arrived as `buf[start, end)` last time, if it is cached. */
  findRaw(hash: number, buf: Uint8Array, start: number, end: number): MemSeries | undefined {
    const s = this.byRawHash.get(hash);
    const raw = s?.rawLabels;
    if (!raw || raw.length !== end - start) return undefined;
    for (let i = 0; i < raw.length; i++) if (raw[i] !== buf[start + i]) return undefined;
    return s;
  }

  cacheRaw(hash: number, buf: Uint8Array, start: number, end: number, s: MemSeries): void {
    if (this.byRawHash.size >= maxRawKeys) this.byRawHash.clear();
    // A copy (Buffer's `slice` would keep the whole request alive), as a plain Uint8Array.
    s.rawLabels = new Uint8Array(buf.subarray(start, end));
    this.byRawHash.set(hash, s);
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
      this.byRawHash.clear();
      this.postings = new Postings();
      for (const s of [...this.byId.values()].sort((a, b) => a.id - b.id)) this.postings.add(s.id, s.labels);
    }
    return removed;
  }

  get size(): number {
    return this.byId.size;
  }
}
