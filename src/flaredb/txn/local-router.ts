// A RegionRouter that runs the engine in-process over one KvWriter, with regions given by split
// keys: for tests, the metadata layer's unit tests and a single embedded store. Commands run
// synchronously; the `read`/`execute` promises only keep the RegionRouter shape.

import { type ApplyOptions, applyCommand } from "../engine/apply.ts";
import { compareBytes } from "../engine/byte-order.ts";
import { type Command, type CommandResult, commandKeys } from "../engine/commands.ts";
import type { KvWriter } from "../engine/kv.ts";
import { txnBatchGet, txnGet } from "../engine/read.ts";
import { type RegionRange, regionHolds, regionStartsScan, scanInRegion } from "./region-scan.ts";
import type { ReadRequest, ReadResponse, RegionRouter } from "./router.ts";

export interface LocalRouterOptions {
  readonly kv: KvWriter;
  /** Wall clock for lock TTLs and raw-key expiry. */
  readonly nowMs: () => number;
  /** Region boundaries (user keys); none = one region. */
  readonly splitKeys?: readonly Uint8Array[];
  readonly apply?: ApplyOptions;
}

export class LocalRouter implements RegionRouter {
  readonly regions: RegionRange[];
  private lastTs = 0;
  /** The highest GC safe point applied (one for all regions: they share the KvWriter). */
  private safePoint = 0;

  constructor(private readonly o: LocalRouterOptions) {
    const splits = [...(o.splitKeys ?? [])].sort(compareBytes);
    this.regions = [];
    let start = new Uint8Array(0) as Uint8Array;
    for (const s of splits) {
      this.regions.push({ start, end: s });
      start = s;
    }
    this.regions.push({ start, end: undefined });
  }

  regionOf(key: Uint8Array): RegionRange {
    return this.regions.find((r) => regionHolds(r, key))!;
  }

  async groupByRegion(keys: readonly Uint8Array[]): Promise<Uint8Array[][]> {
    const groups = new Map<RegionRange, Uint8Array[]>();
    for (const k of keys) {
      const r = this.regionOf(k);
      const g = groups.get(r) ?? [];
      g.push(k);
      groups.set(r, g);
    }
    return [...groups.values()];
  }

  async execute(key: Uint8Array, cmd: Command): Promise<CommandResult> {
    const r = this.regionOf(key);
    for (const k of commandKeys(cmd)) {
      if (!regionHolds(r, k)) throw new Error("command keys span regions; group them again");
    }
    const result = applyCommand(this.o.kv, cmd, this.o.nowMs(), {
      ...this.o.apply,
      safePoint: this.safePoint,
    });
    if (cmd.type === "gc" && result.ok) this.safePoint = Math.max(this.safePoint, cmd.safePoint);
    return result;
  }

  async read<R extends ReadRequest>(req: R): Promise<ReadResponse<R>> {
    const opts = {
      ignoreLocksOf: req.ignoreLocksOf ?? [],
      bugs: this.o.apply?.bugs ?? {},
      safePoint: this.safePoint,
    };
    const kv = this.o.kv;
    switch (req.op) {
      case "get":
        return txnGet(kv, req.key, req.ts, opts) as ReadResponse<R>;
      case "batchGet":
        return txnBatchGet(kv, req.keys, req.ts, opts) as ReadResponse<R>;
      case "scan": {
        const r = this.regions.find((x) => regionStartsScan(x, req))!;
        return scanInRegion(kv, r, req, req.ts, opts) as ReadResponse<R>;
      }
    }
    throw new Error("unknown read");
  }

  async tso(): Promise<number> {
    // Physical-ish and strictly increasing, like the placement driver's oracle.
    this.lastTs = Math.max(this.lastTs + 1, this.o.nowMs() * 1024);
    return this.lastTs;
  }
}
