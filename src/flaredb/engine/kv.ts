// The engine's only view of storage: one region's slice of the store-wide ordered keyspace.
// The store runs each apply or read inside one LMDB transaction and hands the engine these
// interfaces over it; tests and the simulator use MemoryKv.

import { compareBytes } from "./byte-order.ts";

export interface KvReader {
  get(key: Uint8Array): Uint8Array | undefined;
  /**
   * Pairs with start ≤ key < end (end undefined: no upper bound), ascending; with `reverse`
   * descending from just below `end`. At most `limit` pairs. The iterable should be lazy: the
   * engine stops consuming it early.
   */
  scan(
    start: Uint8Array,
    end: Uint8Array | undefined,
    limit: number,
    reverse: boolean,
  ): Iterable<[Uint8Array, Uint8Array]>;
}

export interface KvWriter extends KvReader {
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

/** A sorted in-memory KvWriter (binary search over parallel arrays). For tests and simulation. */
export class MemoryKv implements KvWriter {
  private keys: Uint8Array[] = [];
  private vals: Uint8Array[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Index of the first key ≥ k. */
  private lowerBound(k: Uint8Array): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.keys[mid]!, k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const i = this.lowerBound(key);
    return i < this.keys.length && compareBytes(this.keys[i]!, key) === 0 ? this.vals[i] : undefined;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    const i = this.lowerBound(key);
    if (i < this.keys.length && compareBytes(this.keys[i]!, key) === 0) {
      this.vals[i] = value.slice();
      return;
    }
    this.keys.splice(i, 0, key.slice());
    this.vals.splice(i, 0, value.slice());
  }

  delete(key: Uint8Array): void {
    const i = this.lowerBound(key);
    if (i < this.keys.length && compareBytes(this.keys[i]!, key) === 0) {
      this.keys.splice(i, 1);
      this.vals.splice(i, 1);
    }
  }

  *scan(
    start: Uint8Array,
    end: Uint8Array | undefined,
    limit: number,
    reverse: boolean,
  ): Iterable<[Uint8Array, Uint8Array]> {
    let n = 0;
    if (!reverse) {
      // Re-seek after every yield: the consumer may write between steps.
      let from = start;
      let inclusive = true;
      while (n < limit) {
        let i = this.lowerBound(from);
        if (!inclusive && i < this.keys.length && compareBytes(this.keys[i]!, from) === 0) i++;
        if (i >= this.keys.length) return;
        const k = this.keys[i]!;
        if (end !== undefined && compareBytes(k, end) >= 0) return;
        n++;
        yield [k, this.vals[i]!];
        from = k;
        inclusive = false;
      }
      return;
    }
    let below: Uint8Array | undefined = end;
    while (n < limit) {
      const i = (below === undefined ? this.keys.length : this.lowerBound(below)) - 1;
      if (i < 0) return;
      const k = this.keys[i]!;
      if (compareBytes(k, start) < 0) return;
      n++;
      yield [k, this.vals[i]!];
      below = k;
    }
  }

  /** Every pair, in order: snapshots of a simulated replica. */
  entries(): [Uint8Array, Uint8Array][] {
    return this.keys.map((k, i) => [k, this.vals[i]!]);
  }

  static from(entries: Iterable<[Uint8Array, Uint8Array]>): MemoryKv {
    const kv = new MemoryKv();
    for (const [k, v] of entries) kv.put(k, v);
    return kv;
  }
}
