// Decoded samples of immutable chunks, least recently used first out. Dashboards re-run the same
// range queries every refresh over mostly the same closed chunks, and decoding Gorilla bits was
// the largest part of a query's CPU; a hit is a copy of typed arrays instead. Keys are objects
// that stand for one chunk's bytes for as long as they live (a block's chunk reference, a closed
// head chunk): such bytes never change, so an entry is never stale, only unused.
import { decodeChunkInto } from "./chunk.ts";

/** Decoded samples the cache holds at most (17 bytes each: ≈ 34 MiB). */
export const maxCachedDecodedSamples = 2_000_000;
/** Entries it holds at most: each costs ~0.3 KiB beside its samples, and chunks can be tiny. */
export const maxCachedChunks = 50_000;

interface Decoded {
  ts: Float64Array;
  vs: Float64Array;
  stale: Uint8Array;
}

export class DecodedChunkCache {
  private readonly entries = new Map<object, Decoded>();
  private samples = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxSamples = maxCachedDecodedSamples,
    private readonly maxChunks = maxCachedChunks,
  ) {}

  /** Decodes the chunk behind `key` into the arrays at `offset` (from the cache when it can). */
  decodeInto(
    key: object,
    bytes: Uint8Array,
    count: number,
    ts: Float64Array,
    vs: Float64Array,
    offset: number,
    stale: Uint8Array,
  ): number {
    let d = this.entries.get(key);
    if (d) {
      this.hits++;
      // Most recently used goes last.
      this.entries.delete(key);
      this.entries.set(key, d);
    } else {
      this.misses++;
      d = { ts: new Float64Array(count), vs: new Float64Array(count), stale: new Uint8Array(count) };
      decodeChunkInto(bytes, count, d.ts, d.vs, 0, d.stale);
      if (count <= this.maxSamples) {
        this.entries.set(key, d);
        this.samples += count;
        for (const [k, old] of this.entries) {
          if (this.samples <= this.maxSamples && this.entries.size <= this.maxChunks) break;
          this.entries.delete(k);
          this.samples -= old.ts.length;
        }
      }
    }
    ts.set(d.ts, offset);
    vs.set(d.vs, offset);
    stale.set(d.stale, offset);
    return offset + count;
  }

  get size(): number {
    return this.entries.size;
  }

  get cachedSamples(): number {
    return this.samples;
  }

  clear(): void {
    this.entries.clear();
    this.samples = 0;
  }
}
