// What the transaction client needs from the distribution layer: route a command or a read to
// the region that holds a key, and hand out timestamps. The store side runs the engine
// (`applyCommand` through raft, `txnGet`/`txnBatchGet`/`txnScan` after a ReadIndex) and the
// region-caching client retries not-leader and stale-epoch errors underneath this interface.

import type { Command, CommandResult } from "../engine/commands.ts";
import type { BatchGetResult, GetResult, ScanResult } from "../engine/read.ts";

export type ReadRequest =
  | {
      readonly op: "get";
      readonly key: Uint8Array;
      readonly ts: number;
      readonly ignoreLocksOf?: readonly number[];
    }
  /** All keys in one region (the client groups them with groupByRegion). */
  | {
      readonly op: "batchGet";
      readonly keys: readonly Uint8Array[];
      readonly ts: number;
      readonly ignoreLocksOf?: readonly number[];
    }
  /**
   * A scan of the one region holding `start` (forward) or the key just below `end` (reverse),
   * clamped to that region. When the region ends inside [start, end) and the engine returned no
   * resume key, the router sets `resume` to the region's end (forward) or start (reverse), so the
   * client continues in the next region.
   */
  | {
      readonly op: "scan";
      readonly start: Uint8Array;
      readonly end: Uint8Array | undefined;
      readonly limit: number;
      readonly reverse: boolean;
      readonly ts: number;
      readonly ignoreLocksOf?: readonly number[];
    };

export type ReadResponse<R extends ReadRequest> = R["op"] extends "get"
  ? GetResult
  : R["op"] extends "batchGet"
    ? BatchGetResult
    : ScanResult;

export interface RegionRouter {
  /**
   * Splits keys into groups, one per region, as the router currently believes. If a region
   * split since, execute() throws and the client groups again.
   */
  groupByRegion(keys: readonly Uint8Array[]): Promise<Uint8Array[][]>;
  /**
   * Applies `cmd` (whose keys all lie in the region holding `key`) through that region's raft
   * log and returns the engine's result. Throws when the outcome is unknown (timeout, lost
   * leader) or the keys are no longer in one region; every command is safe to retry.
   */
  execute(key: Uint8Array, cmd: Command): Promise<CommandResult>;
  /** A snapshot read (linearizable: served by the leader after a ReadIndex). */
  read<R extends ReadRequest>(req: R): Promise<ReadResponse<R>>;
  /** A fresh timestamp from the TSO, greater than any handed out before. */
  tso(): Promise<number>;
}
