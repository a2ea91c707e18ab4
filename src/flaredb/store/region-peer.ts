// One replica of one region on this store: its Raft node and log, its descriptor (key range,
// epoch, peers), the proposals and reads waiting on it, and its statistics. The apply step
// runs inside the store's batch transaction; everything it must do afterwards (create the
// right half of a split, destroy a removed replica) is returned as a follow-up.

import { ApiError } from "../../core/errors.ts";
import {
  applyConfChangeTo,
  decodeConfChange,
  type Entry,
  RaftNode,
  type Snapshot,
} from "../../core/raft/index.ts";
import { b64ToKey, keyToB64, type RegionDescriptor } from "../api.ts";
import { applyCommand } from "../engine/apply.ts";
import { commandKeys, decodeValidatedCommand } from "../engine/commands.ts";
import { toWire } from "../wire-codec.ts";
import { decodeBatchEntry, decodeCommandEntry as decodeBinaryEntry } from "./command-entry.ts";
import { storageRange } from "./engine-binding.ts";
import { GroupLog } from "./group-log.ts";
import { keyInRegion } from "./key-range.ts";
import { LmdbKv } from "./kv-view.ts";
import type { StoreDb } from "./store-db.ts";

/** Raft timing: 100 ms ticks, elections after 1–2 s, heartbeats every 200 ms. */
export const TICK_MS = 100;
export const ELECTION_TICKS = 10;
export const HEARTBEAT_TICKS = 2;
/** Compact a region's log once this many applied entries sit in it. */
export const COMPACT_LOG_ENTRIES = 2_000;
/** Write keys sampled per statistics window for the load-split key. */
export const LOAD_SAMPLE_KEYS = 512;
/** Keys scanned at most when measuring a region's real size and middle key. */
export const MAX_SIZE_SCAN_KEYS = 500_000;

/** A replicated entry of a region's log. */
export type RegionEntry =
  | { t: "c"; k: string[]; c: string; n: number }
  | { t: "s"; key: string; id: number; v: number };

export interface Pending {
  term: number;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface ApplyContext {
  db: StoreDb;
  storeId: string;
  /** The replica of a region on this store, if any. */
  peerOf(id: number): RegionPeer | undefined;
}

export type FollowUp =
  | { type: "created"; log: GroupLog; region: RegionDescriptor; parentLeader: boolean }
  | { type: "destroy"; id: number };

export interface RegionSnapshotImage {
  region: RegionDescriptor;
  pairs: Array<[string, string]>;
  /** The region's applied GC safe point travels with its data. */
  safePoint?: number;
}

export class RegionPeer {
  region: RegionDescriptor | undefined;
  applied: number;
  readonly node: RaftNode;
  readonly proposals = new Map<number, Pending>();
  /** Read-index requests in flight, by context: each answers a whole batch of reads. */
  readonly reads = new Map<
    string,
    { resolve: (i: number) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  /** Reads that arrived since the last read-index request; the next one covers them all. */
  readQueue: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  readonly appliedWaiters: Array<{
    index: number;
    resolve: () => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  }> = [];
  lead = "";
  /** Whether this replica leads its group (from the Readies' soft state). */
  leading = false;
  destroyed = false;
  /** When a leader last sent this replica an append, heartbeat or snapshot (MultiRaftOptions.now). */
  heardFromLeaderMs = Number.NEGATIVE_INFINITY;
  /** The highest GC safe point this replica applied: reads and prewrites below it are refused. */
  safePoint = 0;
  // statistics
  writes = 0;
  reads_ = 0;
  sampleKeys: string[] = [];
  sizeEstimateBytes = 0;
  measured:
    | { sizeBytes: number; keys: number; middleKey: string | undefined; atEstimate: number }
    | undefined;

  constructor(
    readonly id: number,
    readonly log: GroupLog,
    region: RegionDescriptor | undefined,
    applied: number,
    private readonly ctx: ApplyContext,
    random: () => number,
  ) {
    this.region = region;
    this.applied = applied;
    this.safePoint = ctx.db.regions.get(id)?.safePoint ?? 0;
    this.node = new RaftNode({
      groupId: String(id),
      id: ctx.storeId,
      storage: log,
      random,
      electionTicks: ELECTION_TICKS,
      heartbeatTicks: HEARTBEAT_TICKS,
      readOnlyOption: "leaseBased",
      checkQuorum: true,
      preVote: true,
      ...(applied > 0 ? { applied: Math.max(applied, log.firstIndex() - 1) } : {}),
    });
    log.makeSnapshot = () => this.snapshotImage();
  }

  get isLeader(): boolean {
    return this.node.status().role === "leader";
  }

  /** The region's data at the applied index, for a follower that fell behind the log. */
  private snapshotImage(): Snapshot | undefined {
    const state = this.ctx.db.regions.get(this.id);
    if (!state) return undefined;
    let term: number;
    try {
      term = this.log.term(state.applied);
    } catch {
      return undefined;
    }
    const pairs: Array<[string, string]> = [];
    const kv = new LmdbKv(this.ctx.db.data);
    for (const [s, e] of this.ranges(state.region)) {
      for (const [k, v] of kv.scan(s, e, Number.MAX_SAFE_INTEGER, false))
        pairs.push([keyToB64(k), keyToB64(v)]);
    }
    const image: RegionSnapshotImage = {
      region: state.region,
      pairs,
      ...(state.safePoint ? { safePoint: state.safePoint } : {}),
    };
    return {
      metadata: { index: state.applied, term, confState: { voters: state.region.peers, learners: [] } },
      data: new TextEncoder().encode(JSON.stringify(image)),
    };
  }

  ranges(r: RegionDescriptor): Array<[Uint8Array | undefined, Uint8Array | undefined]> {
    return [storageRange(b64ToKey(r.start), r.end ? b64ToKey(r.end) : undefined)];
  }

  /** Loads a snapshot from the leader: replaces the region's key range and its descriptor. */
  stageSnapshot(snap: Snapshot): void {
    const image = JSON.parse(new TextDecoder().decode(snap.data)) as RegionSnapshotImage;
    const kv = new LmdbKv(this.ctx.db.data);
    for (const [s, e] of this.ranges(image.region)) {
      for (const [k] of [...kv.scan(s, e, Number.MAX_SAFE_INTEGER, false)]) kv.delete(k);
    }
    for (const [k, v] of image.pairs) kv.put(b64ToKey(k), b64ToKey(v));
    this.log.stageSnapshot({
      index: snap.metadata.index,
      term: snap.metadata.term,
      voters: [...snap.metadata.confState.voters],
      learners: [...snap.metadata.confState.learners],
    });
    this.safePoint = image.safePoint ?? 0;
    this.ctx.db.regions.putSync(this.id, {
      region: image.region,
      applied: snap.metadata.index,
      ...(this.safePoint ? { safePoint: this.safePoint } : {}),
    });
    this.region = image.region;
    this.applied = snap.metadata.index;
    this.sizeEstimateBytes = snap.data.length;
    this.measured = undefined;
  }

  /** Applies committed entries inside the batch transaction; returns results by index. */
  stageApply(entries: readonly Entry[], results: Map<number, unknown>, followUps: FollowUp[]): void {
    const kv = new LmdbKv(this.ctx.db.data);
    let changed = false;
    for (const e of entries) {
      if (e.index <= this.applied) continue;
      this.applied = e.index;
      changed = true;
      if (!this.region) continue;
      if (e.type === "confChange") {
        const cc = decodeConfChange(e.data);
        const next = applyConfChangeTo({ voters: this.region.peers, learners: [] }, cc);
        this.region = {
          ...this.region,
          peers: [...next.voters],
          epoch: { ...this.region.epoch, confVer: this.region.epoch.confVer + 1 },
        };
        if (cc.type === "removeNode" && cc.nodeId === this.ctx.storeId)
          followUps.push({ type: "destroy", id: this.id });
        results.set(e.index, { ok: true });
        continue;
      }
      if (e.data.length === 0) continue; // a new leader's empty entry
      const bin = decodeBinaryEntry(e.data);
      if (bin) {
        results.set(e.index, this.applyOne(kv, bin.command, bin.nowMs));
        continue;
      }
      const many = decodeBatchEntry(e.data);
      if (many) {
        // All or nothing against a split: the keys were checked together when proposed.
        if (!many.commands.every((c) => this.keysInRegion(c))) {
          results.set(e.index, { error: epochStale(this.region) });
          continue;
        }
        results.set(e.index, { result: many.commands.map((c) => this.applyOne(kv, c, many.nowMs)) });
        continue;
      }
      let entry: RegionEntry;
      try {
        entry = JSON.parse(new TextDecoder().decode(e.data)) as RegionEntry;
      } catch {
        results.set(e.index, { error: { code: "Internal", message: "undecodable entry" } });
        continue;
      }
      if (entry.t === "c") {
        // A command entry written by an older store (JSON, base64 command).
        results.set(e.index, this.applyOne(kv, b64ToKey(entry.c), entry.n));
        continue;
      }
      if (entry.t === "s") {
        try {
          this.stageSplit(entry, e.index, results, followUps);
        } catch (err) {
          results.set(e.index, {
            error: { code: "Internal", message: `split failed: ${(err as Error).message}` },
          });
        }
      }
    }
    if (changed && this.region)
      this.ctx.db.regions.putSync(this.id, {
        region: this.region,
        applied: this.applied,
        ...(this.safePoint ? { safePoint: this.safePoint } : {}),
      });
  }

  /**
   * Applies one command (bytes the leader validated before proposing) with the stamped clock,
   * the region's range (so a gc stays inside it) and its applied GC safe point (so a prewrite
   * below it is refused). A command whose keys left the region (a split committed first) fails.
   */
  private keysInRegion(bytes: Uint8Array): boolean {
    const region = this.region!;
    return commandKeys(decodeValidatedCommand(bytes)).every((k) => keyInRegion(region, k));
  }

  private applyOne(kv: LmdbKv, bytes: Uint8Array, nowMs: number): unknown {
    const region = this.region!;
    try {
      const command = decodeValidatedCommand(bytes);
      const keys = commandKeys(command);
      if (!keys.every((k) => keyInRegion(region, k))) {
        // Proposed before a split moved the key elsewhere: the client must route again.
        return { error: epochStale(region) };
      }
      const result = applyCommand(kv, command, nowMs, {
        safePoint: this.safePoint,
        range: { start: b64ToKey(region.start), end: region.end ? b64ToKey(region.end) : undefined },
      });
      if (command.type === "gc" && result.ok && command.safePoint > this.safePoint)
        this.safePoint = command.safePoint;
      this.writes++;
      this.sizeEstimateBytes += bytes.length;
      const k = keys[0];
      if (k) {
        const key = keyToB64(k);
        if (this.sampleKeys.length < LOAD_SAMPLE_KEYS) this.sampleKeys.push(key);
        else this.sampleKeys[(this.writes * 7919) % LOAD_SAMPLE_KEYS] = key;
      }
      return { result: toWire(result) };
    } catch (err) {
      return { error: { code: "Internal", message: `apply failed: ${(err as Error).message}` } };
    }
  }

  private stageSplit(
    s: { key: string; id: number; v: number },
    index: number,
    results: Map<number, unknown>,
    followUps: FollowUp[],
  ): void {
    const r = this.region!;
    const key = b64ToKey(s.key);
    const inside =
      keyInRegion(r, key) && Buffer.compare(Buffer.from(key), Buffer.from(b64ToKey(r.start))) > 0;
    if (r.epoch.version !== s.v || !inside || this.ctx.peerOf(s.id)?.region) {
      results.set(index, { error: epochStale(r) });
      return;
    }
    const epoch = { confVer: r.epoch.confVer, version: r.epoch.version + 1 };
    const left: RegionDescriptor = { ...r, end: s.key, epoch };
    const right: RegionDescriptor = { id: s.id, start: s.key, end: r.end, epoch, peers: [...r.peers] };
    this.region = left;
    // A replica of the new region may already exist here, uninitialized (its leader wrote to
    // us first): it keeps its hard state (term and vote) and takes the founding log.
    const log = this.ctx.peerOf(s.id)?.log ?? new GroupLog(this.ctx.db, s.id);
    log.stageBootstrap(right.peers);
    this.ctx.db.regions.putSync(s.id, { region: right, applied: 1 });
    // The replica itself is built after the transaction commits, when its log is readable.
    followUps.push({
      type: "created",
      log,
      region: right,
      parentLeader: this.node.status().role === "leader",
    });
    this.sizeEstimateBytes = Math.floor(this.sizeEstimateBytes / 2);
    this.measured = undefined;
    this.sampleKeys = [];
    results.set(index, { left, right });
  }
}

export function epochStale(region: RegionDescriptor) {
  return new ApiError(
    "FailedPrecondition",
    `region ${region.id} changed (epoch ${region.epoch.confVer}/${region.epoch.version}); locate the key again`,
    {
      reason: "EpochStale",
      region,
    },
  ).toBody().error;
}
