// The timestamp oracle: ts = physicalMs × 2^12 + logical, strictly increasing, safe integers
// until 2039. Allocation is batched (a client asks for n at once) and a high-water mark is
// persisted ahead of use, so a restarted placement driver starts above anything it handed out
// without a disk write per request.

export const LOGICAL_BITS = 12;
const LOGICAL_MAX = 2 ** LOGICAL_BITS;
/** Timestamps per request at most. */
export const MAX_TSO_BATCH = 4_096;
/** How far ahead of the clock the persisted high-water mark is moved. */
export const TSO_SAVE_WINDOW_MS = 3_000;

export class Tso {
  private physical = 0;
  private logical = 0;
  private saving: Promise<void> | undefined;

  constructor(
    private highWaterMs: number,
    private readonly now: () => number,
    private readonly save: (highWaterMs: number) => Promise<void>,
  ) {
    // Never reuse the window a previous incarnation may have used.
    this.physical = highWaterMs;
  }

  /** The first of `count` consecutive timestamps. */
  async next(count = 1): Promise<number> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_TSO_BATCH)
      throw new RangeError(`count must be 1..${MAX_TSO_BATCH}`);
    for (;;) {
      const now = this.now();
      if (now > this.physical) {
        this.physical = now;
        this.logical = 0;
      }
      if (this.logical + count > LOGICAL_MAX) {
        this.physical++;
        this.logical = 0;
      }
      if (this.physical < this.highWaterMs) {
        const first = this.physical * LOGICAL_MAX + this.logical;
        this.logical += count;
        return first;
      }
      await this.extend();
    }
  }

  private extend(): Promise<void> {
    this.saving ??= (async () => {
      const hw = Math.max(this.now(), this.physical) + TSO_SAVE_WINDOW_MS;
      await this.save(hw);
      this.highWaterMs = hw;
    })().finally(() => {
      this.saving = undefined;
    });
    return this.saving;
  }
}
