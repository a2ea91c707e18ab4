// Lock resolution: a lock left by another txn is finished according to its primary — rolled
// forward if the primary committed, rolled back if it was rolled back or its TTL ran out (a
// crashed client). Locks of live txns are returned as pending: the caller waits and retries.

import type { LockInfo } from "../engine/commands.ts";
import type { RegionCalls } from "./region-calls.ts";

/** Finished txns whose outcome is remembered, so a hot lock is not checked again and again. */
export const MAX_CACHED_TXN_OUTCOMES = 4096;

type Outcome = { state: "committed"; commitTs: number } | { state: "rolledBack" };

export class LockResolver {
  private readonly outcomes = new Map<number, Outcome>();

  constructor(private readonly calls: RegionCalls) {}

  private remember(startTs: number, o: Outcome): void {
    if (this.outcomes.size >= MAX_CACHED_TXN_OUTCOMES) {
      const oldest = this.outcomes.keys().next().value;
      if (oldest !== undefined) this.outcomes.delete(oldest);
    }
    this.outcomes.set(startTs, o);
  }

  /** Resolves what it can; returns the locks whose txns are still running. */
  async resolve(locks: readonly LockInfo[]): Promise<LockInfo[]> {
    const byTxn = new Map<number, LockInfo[]>();
    for (const l of locks) {
      const list = byTxn.get(l.startTs) ?? [];
      list.push(l);
      byTxn.set(l.startTs, list);
    }
    const pending: LockInfo[] = [];
    for (const [startTs, txnLocks] of byTxn) {
      let outcome = this.outcomes.get(startTs);
      if (!outcome) {
        const primary = txnLocks[0]!.primary;
        // rollbackIfNotExist: a primary with no trace yet is stopped from ever committing, so a
        // secondary lock met before its primary's prewrite lands can be rolled back safely.
        const r = await this.calls.execute(primary, {
          type: "checkTxnStatus",
          primary,
          startTs,
          rollbackIfNotExist: true,
        });
        if (!r.ok || r.type !== "checkTxnStatus") {
          pending.push(...txnLocks);
          continue;
        }
        if (r.status.state === "locked") {
          pending.push(...txnLocks);
          continue;
        }
        outcome =
          r.status.state === "committed" ? { state: "committed", commitTs: r.status.commitTs } : r.status;
        this.remember(startTs, outcome);
      }
      const commitTs = outcome.state === "committed" ? outcome.commitTs : 0;
      await this.calls.grouped(
        txnLocks.map((l) => l.key),
        async (keys) => {
          await this.calls.execute(keys[0]!, { type: "resolveLock", keys, startTs, commitTs });
        },
      );
    }
    return pending;
  }
}
