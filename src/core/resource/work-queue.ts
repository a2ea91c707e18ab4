// A de-duplicating work queue for controllers: a key queued twice is reconciled once; a key
// being reconciled and queued again runs once more afterwards; failures come back with
// per-key exponential backoff. Bounded: beyond maxKeys new keys are refused (resync catches them).
import { type BackoffPolicy, backoffDelayMs } from "../backoff.ts";

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly order: string[] = [];
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, unknown>();
  private waiters: Array<() => void> = [];
  private shutDown = false;

  constructor(
    private readonly backoff: BackoffPolicy,
    private readonly timers: Timers = realTimers,
    private readonly random: () => number = Math.random,
    readonly maxKeys = 100_000,
  ) {}

  add(key: string): void {
    if (this.shutDown) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key) || this.queued.size >= this.maxKeys) return;
    this.queued.add(key);
    this.order.push(key);
    this.waiters.shift()?.();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.shutDown || this.delayed.has(key)) return;
    this.delayed.set(
      key,
      this.timers.setTimeout(() => {
        this.delayed.delete(key);
        this.add(key);
      }, delayMs),
    );
  }

  /** Requeues a key after a failure, with backoff growing per consecutive failure. */
  retry(key: string): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const delay = Math.max(1, backoffDelayMs(n, this.random(), this.backoff));
    this.addAfter(key, delay);
    return delay;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Next key to work on, or undefined once shut down. */
  async next(): Promise<string | undefined> {
    while (!this.shutDown && this.order.length === 0) await new Promise<void>((r) => this.waiters.push(r));
    if (this.shutDown) return undefined;
    const key = this.order.shift()!;
    this.queued.delete(key);
    this.active.add(key);
    return key;
  }

  done(key: string): void {
    this.active.delete(key);
    if (this.dirty.delete(key)) this.add(key);
  }

  get length(): number {
    return this.order.length;
  }

  shutdown(): void {
    this.shutDown = true;
    for (const h of this.delayed.values()) this.timers.clearTimeout(h);
    this.delayed.clear();
    for (const w of this.waiters) w();
    this.waiters = [];
  }
}
