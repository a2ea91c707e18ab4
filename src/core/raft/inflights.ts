import assert from "node:assert/strict";

/**
 * The append messages sent to one follower and not yet acknowledged, oldest first. Bounded by
 * a count and by bytes: when full, the leader stops sending to that follower (flow control)
 * until acknowledgements free space. A ring buffer so the hot path does not allocate.
 */
export class Inflights {
  private start = 0;
  private count = 0;
  private bytes = 0;
  private readonly indexes: number[];
  private readonly sizes: number[];

  constructor(
    readonly maxCount: number,
    readonly maxBytes: number,
  ) {
    assert.ok(maxCount > 0, "inflight window must hold at least one message");
    this.indexes = new Array(maxCount).fill(0);
    this.sizes = new Array(maxCount).fill(0);
  }

  /** Records a message whose last entry is `index`. Indexes must increase. */
  add(index: number, sizeBytes: number): void {
    assert.ok(!this.full(), "cannot add to a full inflight window");
    const next = (this.start + this.count) % this.maxCount;
    if (this.count > 0) {
      const last = this.indexes[(next - 1 + this.maxCount) % this.maxCount]!;
      assert.ok(index > last, `inflight index ${index} not after ${last}`);
    }
    this.indexes[next] = index;
    this.sizes[next] = sizeBytes;
    this.count++;
    this.bytes += sizeBytes;
  }

  /** Frees every message whose last index is <= `to` (they are acknowledged). */
  freeLE(to: number): void {
    while (this.count > 0 && this.indexes[this.start]! <= to) {
      this.bytes -= this.sizes[this.start]!;
      this.start = (this.start + 1) % this.maxCount;
      this.count--;
    }
    if (this.count === 0) this.start = 0;
  }

  /** Frees the oldest message: lets one more through when acknowledgements may have been lost. */
  freeFirstOne(): void {
    if (this.count > 0) this.freeLE(this.indexes[this.start]!);
  }

  full(): boolean {
    return this.count === this.maxCount || (this.maxBytes > 0 && this.bytes >= this.maxBytes);
  }

  size(): number {
    return this.count;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
    this.bytes = 0;
  }
}
