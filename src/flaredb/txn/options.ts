// Knobs of the transaction client, with their bounds. Time comes in through `sleep` and
// `nowMs` so the simulator can run the client on virtual time.

export interface TxnClientOptions {
  /** TTL of the locks a commit writes: a crashed client's locks become resolvable after it. */
  readonly lockTtlMs: number;
  /** Attempts per region call when the router throws (no leader, split, timeout). */
  readonly maxAttempts: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** How long a read or prewrite waits on live locks of other txns before LockConflictError. */
  readonly maxLockWaitMs: number;
  /** Wait for the secondary commits (true) or let them finish in the background (false). */
  readonly awaitSecondaries: boolean;
  /** Largest write buffer of one txn (keys), so a runaway txn fails clearly instead of OOMing. */
  readonly maxBufferedKeys: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_TXN_OPTIONS: Omit<TxnClientOptions, "sleep"> = {
  lockTtlMs: 3000,
  maxAttempts: 6,
  backoffMs: 10,
  maxBackoffMs: 500,
  maxLockWaitMs: 5000,
  awaitSecondaries: true,
  maxBufferedKeys: 100_000,
};
