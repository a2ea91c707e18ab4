import type { Message, NodeId } from "../types.ts";
import type { Prng } from "./prng.ts";

export interface NetworkFaults {
  /** Probability a message is lost. */
  readonly dropRate: number;
  /** Probability a message is delivered twice. */
  readonly duplicateRate: number;
  /** Extra random delay, which reorders messages between the same pair. */
  readonly jitterMs: number;
  /** Probability a message is held back for a long time (a slow link or a stuck buffer). */
  readonly longDelayRate: number;
}

export const RELIABLE: NetworkFaults = { dropRate: 0, duplicateRate: 0, jitterMs: 0, longDelayRate: 0 };

/** Base one-way latency of the simulated network. */
export const BASE_LATENCY_MS = 1;
export const MAX_BASE_EXTRA_LATENCY_MS = 3;
export const LONG_DELAY_MIN_MS = 100;
export const LONG_DELAY_MAX_MS = 2000;

/**
 * An in-memory network on the virtual clock. It decides when (and whether, and how many
 * times) each message arrives; links can be cut one way (asymmetric partition) or both.
 * A cut link drops messages both when they are sent and when they would arrive.
 */
export class SimNetwork {
  private readonly cut = new Set<string>();
  sent = 0;
  dropped = 0;
  duplicated = 0;

  constructor(
    private readonly rng: Prng,
    public faults: NetworkFaults,
  ) {}

  private static link(from: NodeId, to: NodeId): string {
    return `${from}>${to}`;
  }

  cutLink(from: NodeId, to: NodeId): void {
    this.cut.add(SimNetwork.link(from, to));
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.cut.has(SimNetwork.link(from, to));
  }

  healAll(): void {
    this.cut.clear();
  }

  hasPartition(): boolean {
    return this.cut.size > 0;
  }

  /** Delivery times (relative delays) for a message: empty if it is lost. */
  schedule(m: Message): number[] {
    this.sent++;
    if (this.isCut(m.from, m.to) || this.rng.chance(this.faults.dropRate)) {
      this.dropped++;
      return [];
    }
    const copies = this.rng.chance(this.faults.duplicateRate) ? 2 : 1;
    if (copies === 2) this.duplicated++;
    const delays: number[] = [];
    for (let i = 0; i < copies; i++) {
      let d = BASE_LATENCY_MS + this.rng.int(MAX_BASE_EXTRA_LATENCY_MS + 1);
      if (this.faults.jitterMs > 0) d += this.rng.int(this.faults.jitterMs + 1);
      if (this.rng.chance(this.faults.longDelayRate))
        d += this.rng.between(LONG_DELAY_MIN_MS, LONG_DELAY_MAX_MS);
      delays.push(d);
    }
    return delays;
  }
}
