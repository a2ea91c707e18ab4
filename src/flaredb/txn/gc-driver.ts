// One round of garbage collection at a safe point, the way TiKV's GC worker does it: first every
// lock of a txn that started at or below the safe point is resolved (rolled forward from its
// primary's commit record, or rolled back), then each region drops the versions no snapshot at
// or above the safe point can see. The order matters: a committed txn's secondary lock is rolled
// forward from its primary's commit record, and GC could otherwise remove that record.

import { ApiError } from "../../core/errors.ts";
import type { ScanLocksResult } from "../engine/read.ts";
import type { RegionRange } from "./region-scan.ts";
import type { TxnClient } from "./txn-client.ts";

/** Locks fetched per scanLocks call and physical entries per gc command. */
export const GC_LOCK_BATCH = 256;
export const GC_ENTRY_BATCH = 4096;

export interface GcRound {
  readonly client: TxnClient;
  /** Every region, as the router knows them (a region split mid-round is covered by its parent's range). */
  readonly regions: readonly RegionRange[];
  /** Below every running txn and snapshot (see TxnClient.oldestActiveTs), from the placement driver. */
  readonly safePoint: number;
  /** The engine's scanLocks on the region holding `start`, on its leader, from `start` to the region end. */
  readonly scanLocks: (start: Uint8Array, maxTs: number, limit: number) => Promise<ScanLocksResult>;
}

export interface GcReport {
  readonly locksResolved: number;
  readonly versionsRemoved: number;
}

/** A key the router sends to the region starting at `start` (keys are never empty). */
function routingKey(start: Uint8Array): Uint8Array {
  return start.length > 0 ? start : new Uint8Array([0]);
}

export async function collectGarbage(round: GcRound): Promise<GcReport> {
  const { client, safePoint } = round;
  let locksResolved = 0;
  for (const region of round.regions) {
    let from: Uint8Array | null = region.start;
    while (from !== null) {
      const res = await round.scanLocks(from, safePoint, GC_LOCK_BATCH);
      if (res.locks.length > 0) {
        const live = await client.resolveLocks(res.locks);
        if (live.length > 0) {
          // A txn at or below the safe point is still running: the safe point is too high.
          throw new ApiError(
            "FailedPrecondition",
            `GC at ${safePoint}: txn ${live[0]!.startTs} still holds a live lock; the safe point must stay below running txns`,
          );
        }
        locksResolved += res.locks.length;
      }
      from = res.resume;
    }
  }
  let versionsRemoved = 0;
  for (const region of round.regions) {
    let from: Uint8Array | null = region.start;
    while (from !== null) {
      const r = await client.calls.execute(routingKey(region.start), {
        type: "gc",
        safePoint,
        start: from,
        end: region.end ?? null,
        limit: GC_ENTRY_BATCH,
      });
      if (!r.ok || r.type !== "gc")
        throw new ApiError("Internal", `gc on a region failed: ${JSON.stringify(r)}`);
      versionsRemoved += r.removed;
      from = r.next;
    }
  }
  return { locksResolved, versionsRemoved };
}
