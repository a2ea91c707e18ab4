// Lockout with backoff against password guessing: a few free failures per account, then
// each further failure doubles the wait, up to a cap. Pure; the caller passes the time.
export interface LockoutPolicy {
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Accounts tracked at once; the stalest entry goes first when full. */
  maxEntries: number;
}

export const defaultLockout: LockoutPolicy = {
  freeAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  maxEntries: 100_000,
};

interface Entry {
  failures: number;
  lockedUntilMs: number;
}

export class Lockout {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly policy: LockoutPolicy = defaultLockout) {}

  /** Milliseconds the account must still wait, or 0. */
  waitMs(account: string, nowMs: number): number {
    const e = this.entries.get(account);
    return e ? Math.max(0, e.lockedUntilMs - nowMs) : 0;
  }

  failed(account: string, nowMs: number): void {
    const e = this.entries.get(account) ?? { failures: 0, lockedUntilMs: 0 };
    this.entries.delete(account); // re-insert: Map order is the staleness order
    e.failures++;
    const over = e.failures - this.policy.freeAttempts;
    if (over > 0)
      e.lockedUntilMs =
        nowMs + Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** Math.min(over - 1, 30));
    this.entries.set(account, e);
    while (this.entries.size > this.policy.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
  }

  succeeded(account: string): void {
    this.entries.delete(account);
  }
}
