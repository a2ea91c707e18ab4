// The YCSB core workloads as pure generators (no I/O; randomness seeded): which operation comes
// next and on which key. Request keys follow YCSB's scrambled Zipfian (θ = 0.99; the popular
// items hashed across the keyspace, so hot keys are not neighbours), scans start at such a key
// and read a uniform 1..MAX_SCAN_LENGTH pairs, inserts append new keys after the loaded ones.

/** YCSB's default Zipfian constant. */
export const ZIPFIAN_THETA = 0.99;
/** Longest scan of workload E ("short ranges"; YCSB's default is 100, we keep them short). */
export const MAX_SCAN_LENGTH = 10;
/** Value bytes of every record (YCSB writes 10 × 100-byte fields; one 256-byte value here). */
export const VALUE_BYTES = 256;

export type WorkloadName = "A" | "B" | "C" | "E";

export interface WorkloadMix {
  read: number;
  update: number;
  scan: number;
  insert: number;
  description: string;
}

export const WORKLOADS: Record<WorkloadName, WorkloadMix> = {
  A: { read: 0.5, update: 0.5, scan: 0, insert: 0, description: "50/50 read/update" },
  B: { read: 0.95, update: 0.05, scan: 0, insert: 0, description: "95/5 read/update" },
  C: { read: 1, update: 0, scan: 0, insert: 0, description: "read only" },
  E: {
    read: 0,
    update: 0,
    scan: 0.95,
    insert: 0.05,
    description: `scans of 1–${MAX_SCAN_LENGTH}, 5 % inserts`,
  },
};

export type Operation =
  | { type: "read"; key: string }
  | { type: "update"; key: string }
  /** `length` records from `key`; `end` is the key `length` records on (records are dense). */
  | { type: "scan"; key: string; end: string; length: number }
  | { type: "insert"; key: string };

/** The record key of item `i`: fixed width, so key order is item order. */
export const recordKey = (i: number): string => `user${String(i).padStart(12, "0")}`;

/** A seeded PRNG (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gray et al.'s Zipfian generator over [0, items), as in YCSB's ZipfianGenerator. */
export class Zipfian {
  private readonly zetan: number;
  private readonly alpha: number;
  private readonly eta: number;
  private readonly half: number;

  constructor(
    private readonly items: number,
    theta = ZIPFIAN_THETA,
  ) {
    let z = 0;
    for (let i = 1; i <= items; i++) z += 1 / i ** theta;
    this.zetan = z;
    const zeta2 = 1 + 1 / 2 ** theta;
    this.alpha = 1 / (1 - theta);
    this.eta = (1 - (2 / items) ** (1 - theta)) / (1 - zeta2 / z);
    this.half = 1 + 0.5 ** theta;
  }

  next(u: number): number {
    const uz = u * this.zetan;
    if (uz < 1) return 0;
    if (uz < this.half) return Math.min(1, this.items - 1);
    return Math.min(this.items - 1, Math.floor(this.items * (this.eta * u - this.eta + 1) ** this.alpha));
  }
}

/** FNV-1a over the 4 bytes of a 32-bit integer: spreads Zipfian ranks across the keyspace. */
export function fnv1a32(n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 4; i++) {
    h ^= (n >>> (i * 8)) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The operation stream of one client: a workload's mix over `records` loaded records. */
export class OperationStream {
  private readonly random: () => number;
  private readonly zipf: Zipfian;
  private inserted = 0;

  constructor(
    private readonly mix: WorkloadMix,
    private readonly records: number,
    seed: number,
    /** First item number this client inserts at (distinct per client, above the loaded ones). */
    private readonly insertBase: number,
    zipf?: Zipfian,
  ) {
    this.random = seededRandom(seed);
    this.zipf = zipf ?? new Zipfian(records);
  }

  private pickItem(): number {
    return fnv1a32(this.zipf.next(this.random())) % this.records;
  }

  private pick(): string {
    return recordKey(this.pickItem());
  }

  next(): Operation {
    const u = this.random();
    const m = this.mix;
    if (u < m.read) return { type: "read", key: this.pick() };
    if (u < m.read + m.update) return { type: "update", key: this.pick() };
    if (u < m.read + m.update + m.scan) {
      const item = this.pickItem();
      const length = 1 + Math.floor(this.random() * MAX_SCAN_LENGTH);
      return { type: "scan", key: recordKey(item), end: recordKey(item + length), length };
    }
    return { type: "insert", key: recordKey(this.insertBase + this.inserted++) };
  }
}

/** The q-quantile of ascending `sorted` (0 when empty). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
