// The entry point of the transaction protocol: begin transactions against a RegionRouter,
// and run a function as a transaction with retries on retryable conflicts.

import type { LockInfo } from "../engine/commands.ts";
import { TxnError } from "./errors.ts";
import { LockResolver } from "./lock-resolver.ts";
import { DEFAULT_TXN_OPTIONS, type TxnClientOptions } from "./options.ts";
import { RegionCalls } from "./region-calls.ts";
import type { RegionRouter } from "./router.ts";
import { Transaction } from "./transaction.ts";

export class TxnClient {
  readonly calls: RegionCalls;
  private readonly resolver: LockResolver;

  constructor(router: RegionRouter, options: Partial<TxnClientOptions> & Pick<TxnClientOptions, "sleep">) {
    this.calls = new RegionCalls(router, { ...DEFAULT_TXN_OPTIONS, ...options });
    this.resolver = new LockResolver(this.calls);
  }

  /** Start ts → how many open txns use it (a snapshot may be opened twice at one ts). */
  private readonly active = new Map<number, number>();

  private track(startTs: number): (startTs: number) => void {
    this.active.set(startTs, (this.active.get(startTs) ?? 0) + 1);
    return (ts) => {
      const n = (this.active.get(ts) ?? 1) - 1;
      if (n <= 0) this.active.delete(ts);
      else this.active.set(ts, n);
    };
  }

  /** A read-write transaction at a fresh start ts. */
  async begin(): Promise<Transaction> {
    const ts = await this.calls.tso();
    return new Transaction(this.calls, this.resolver, ts, false, this.track(ts));
  }

  /**
   * A read-only snapshot at `ts` (default: now). It never expires by itself: long scans and
   * exports read at the same ts for as long as GC's safe point stays below it. Release it with
   * rollback() (commit() works too) so it stops holding the safe point back.
   */
  async snapshot(ts?: number): Promise<Transaction> {
    const at = ts ?? (await this.calls.tso());
    return new Transaction(this.calls, this.resolver, at, true, this.track(at));
  }

  /** Resolves locks of other txns (roll forward, roll back or expire); returns those still live. */
  resolveLocks(locks: readonly LockInfo[]): Promise<LockInfo[]> {
    return this.resolver.resolve(locks);
  }

  /**
   * The oldest start ts among this client's open transactions and snapshots: what it reports to
   * the placement driver so the GC safe point stays below it. Undefined when none are open.
   */
  oldestActiveTs(): number | undefined {
    let min: number | undefined;
    for (const ts of this.active.keys()) if (min === undefined || ts < min) min = ts;
    return min;
  }
}

/** Most attempts runTxn makes before it gives up and reports the last conflict. */
export const DEFAULT_TXN_RUN_ATTEMPTS = 10;

/**
 * Runs `fn` in a transaction and commits it; a retryable TxnError (write conflict, lock
 * conflict, aborted) runs it again in a new transaction, so `fn` must be safe to re-run.
 */
export async function runTxn<T>(
  client: TxnClient,
  fn: (tx: Transaction) => Promise<T>,
  maxAttempts = DEFAULT_TXN_RUN_ATTEMPTS,
): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0) await client.calls.o.sleep(client.calls.backoff(attempt - 1));
    const tx = await client.begin();
    try {
      const out = await fn(tx);
      await tx.commit();
      return out;
    } catch (e) {
      tx.rollback();
      if (!(e instanceof TxnError) || !e.retryable) throw e;
      last = e;
    }
  }
  throw last;
}
