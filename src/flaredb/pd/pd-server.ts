// The placement driver: learns stores and regions from store heartbeats, bootstraps the first
// region, answers with the operators the scheduler decides (repair, split, balance), locates
// keys for clients, allocates ids and timestamps. Its durable state (ids, TSO high-water
// mark, region descriptors) lives in chainfire or, for a single node, in local LMDB.
import type { Logger } from "pino";
import { z } from "zod";
import { ApiError } from "../../core/errors.ts";
import {
  b64,
  b64ToKey,
  type HeartbeatReply,
  type LocateReply,
  type Operator,
  type RegionDescriptor,
  type RegionView,
  type StoreHeartbeat,
  type StoreInfo,
  storeHeartbeatSchema,
} from "../api.ts";
import { H2JsonServer } from "../rpc/h2-json-server.ts";
import { parseBody } from "../rpc/parse-body.ts";
import { compareKeys, holdsKeyBelow, keyInRegion } from "../store/key-range.ts";
import {
  type ClusterView,
  defaultPlacementConfig,
  leaderCounts,
  type PlacementConfig,
  type RegionRecord,
  replicaCounts,
  storeIsUp,
} from "./cluster-view.ts";
import type { PdStorage } from "./pd-storage.ts";
import { schedule } from "./scheduler.ts";
import { MAX_TSO_BATCH, Tso } from "./tso.ts";

/** Ids reserved per write of the allocator's ceiling. */
const ID_BATCH = 10_000;
/** Manual operators queued per region at most. */
const MAX_MANUAL_OPS = 8;

export interface PlacementDriverOptions {
  host: string;
  port: number;
  log: Logger;
  storage: PdStorage;
  config?: Partial<PlacementConfig>;
  now?: () => number;
}

const regionIdBody = z.object({ regionId: z.number().int().min(1) });

export class PlacementDriver {
  readonly view: ClusterView = { stores: new Map(), regions: new Map(), manual: new Map() };
  readonly cfg: PlacementConfig;
  private readonly now: () => number;
  private rpc!: H2JsonServer;
  private tso!: Tso;
  private nextId = 1;
  private idCeiling = 0;
  private extending: Promise<void> | undefined;
  private persistChain: Promise<void> = Promise.resolve();
  private readonly pendingCreate = new Map<string, RegionDescriptor[]>();
  private readonly startedAtMs: number;

  private constructor(private readonly o: PlacementDriverOptions) {
    this.cfg = { ...defaultPlacementConfig, ...o.config };
    this.now = o.now ?? Date.now;
    this.startedAtMs = this.now();
  }

  static async start(o: PlacementDriverOptions): Promise<PlacementDriver> {
    const pd = new PlacementDriver(o);
    const s = o.storage;
    pd.nextId = (await s.getNumber("nextId")) ?? 1;
    pd.idCeiling = pd.nextId;
    await pd.extendIds();
    pd.tso = new Tso((await s.getNumber("tsoHighWater")) ?? 0, pd.now, (hw) =>
      s.putNumber("tsoHighWater", hw),
    );
    for (const r of await s.loadRegions())
      pd.view.regions.set(r.id, { region: r, leader: undefined, stats: undefined, pending: undefined });
    pd.rpc = await H2JsonServer.start({
      host: o.host,
      port: o.port,
      log: o.log,
      handlers: {
        "/pd/v1/alloc-id": async () => ({ id: await pd.allocIdAsync() }),
        "/pd/v1/heartbeat": (b) => pd.heartbeat(parseBody(storeHeartbeatSchema, b)),
        "/pd/v1/locate": (b) => {
          const q = parseBody(z.object({ key: b64, before: z.boolean().default(false) }), b);
          return pd.locate(q.key, q.before);
        },
        "/pd/v1/regions": () => ({ regions: pd.regions() }),
        "/pd/v1/stores": () => ({ stores: pd.stores() }),
        "/pd/v1/tso": async (b) => {
          const { count } = parseBody(
            z.object({ count: z.number().int().min(1).max(MAX_TSO_BATCH).default(1) }),
            b ?? {},
          );
          return { ts: await pd.tso.next(count), count };
        },
        "/pd/v1/split": (b) => pd.requestSplit(parseBody(regionIdBody.extend({ key: b64.optional() }), b)),
        "/pd/v1/move": (b) =>
          pd.requestMove(parseBody(regionIdBody.extend({ from: z.string(), to: z.string() }), b)),
        "/pd/v1/transfer-leader": (b) =>
          pd.requestTransfer(parseBody(regionIdBody.extend({ to: z.string() }), b)),
      },
    });
    o.log.info({ address: pd.address }, "flaredb placement driver started");
    return pd;
  }

  get address(): string {
    return `${this.o.host}:${this.rpc.port}`;
  }

  // ---- ids ----

  private async extendIds(): Promise<void> {
    this.extending ??= (async () => {
      const ceiling = Math.max(this.idCeiling, this.nextId) + ID_BATCH;
      await this.o.storage.putNumber("nextId", ceiling);
      this.idCeiling = ceiling;
    })().finally(() => {
      this.extending = undefined;
    });
    return this.extending;
  }

  private allocId(): number {
    if (this.nextId >= this.idCeiling) throw new ApiError("Unavailable", "id allocator exhausted; retry");
    const id = this.nextId++;
    if (this.idCeiling - this.nextId < ID_BATCH / 2)
      void this.extendIds().catch((err) => this.o.log.warn({ err }, "pd: reserving ids failed"));
    return id;
  }

  private async allocIdAsync(): Promise<number> {
    while (this.nextId >= this.idCeiling) await this.extendIds();
    return this.allocId();
  }

  // ---- heartbeats ----

  private persist(r: RegionDescriptor): void {
    this.persistChain = this.persistChain
      .then(() => this.o.storage.putRegion(r))
      .catch((err) => this.o.log.warn({ err, region: r.id }, "pd: persisting a region failed"));
  }

  heartbeat(hb: StoreHeartbeat): HeartbeatReply {
    const now = this.now();
    const storeId = hb.storeId;
    const prev = this.view.stores.get(storeId);
    if (prev && now - prev.lastHeartbeatMs > this.cfg.storeDownMs)
      this.o.log.warn(
        { store: storeId, silentMs: now - prev.lastHeartbeatMs },
        "pd: a store heartbeats again after being silent past store-down-ms",
      );
    this.view.stores.set(storeId, {
      id: storeId,
      address: hb.address,
      raftAddress: hb.raftAddress,
      lastHeartbeatMs: now,
    });
    const destroy: number[] = [];
    const held = new Set<number>();
    for (const st of hb.regions) {
      const r = st.region;
      held.add(r.id);
      const rec = this.view.regions.get(r.id);
      if (!rec) {
        this.view.regions.set(r.id, {
          region: r,
          leader: st.leader ? storeId : undefined,
          stats: st.leader ? st : undefined,
          pending: undefined,
        });
        this.persist(r);
        continue;
      }
      const cur = rec.region.epoch;
      const newer =
        r.epoch.version > cur.version || (r.epoch.version === cur.version && r.epoch.confVer > cur.confVer);
      const older =
        r.epoch.version < cur.version || (r.epoch.version === cur.version && r.epoch.confVer < cur.confVer);
      if (newer) {
        const old = rec.region;
        rec.region = r;
        this.persist(r);
        if (r.epoch.version > old.epoch.version) this.inferSplitSibling(rec, old);
      }
      if (!older) {
        if (st.leader) {
          // A new leader ends whatever the old one was asked to do.
          if (rec.leader !== storeId) rec.pending = undefined;
          rec.leader = storeId;
          rec.stats = st;
        } else if (rec.leader === storeId) rec.leader = undefined;
      } else if (!st.leader && r.epoch.confVer < cur.confVer && !rec.region.peers.includes(storeId)) {
        destroy.push(r.id);
      }
    }
    this.maybeBootstrap(now);
    const create = (this.pendingCreate.get(storeId) ?? []).filter((r) => !held.has(r.id));
    if (create.length === 0) this.pendingCreate.delete(storeId);
    else this.pendingCreate.set(storeId, create);
    // Right after a restart every store looks down until it reports: do not repair yet.
    const warm = now - this.startedAtMs >= Math.min(this.cfg.storeDownMs, 5_000);
    let operators: Operator[] = [];
    if (warm) {
      try {
        operators = schedule(this.view, storeId, now, this.cfg, () => this.allocId());
      } catch (err) {
        this.o.log.warn({ err }, "pd: scheduling failed");
      }
    }
    for (const op of operators) this.o.log.info({ op, store: storeId }, "pd: operator");
    return { stores: this.stores(), operators, create, destroy, regionSplitBytes: this.cfg.regionSplitBytes };
  }

  /** A split's right half exists before its leader reports: derive it from the split we asked for. */
  private inferSplitSibling(rec: RegionRecord, old: RegionDescriptor): void {
    const op = rec.pending?.op;
    if (op?.type !== "split" || this.view.regions.has(op.newRegionId)) return;
    if (rec.region.end === old.end) return;
    const right: RegionDescriptor = {
      id: op.newRegionId,
      start: rec.region.end,
      end: old.end,
      epoch: rec.region.epoch,
      peers: [...rec.region.peers],
    };
    this.view.regions.set(right.id, {
      region: right,
      leader: undefined,
      stats: undefined,
      pending: undefined,
    });
    this.persist(right);
  }

  private maybeBootstrap(now: number): void {
    if (this.view.regions.size > 0 || this.pendingCreate.size > 0) return;
    const up = [...this.view.stores.keys()].filter((s) => storeIsUp(this.view, s, now, this.cfg)).sort();
    // Wait for enough stores to place every replica, but not forever: a one-store cloud
    // (photon up) starts with one replica and gains more as stores join.
    if (
      up.length === 0 ||
      (up.length < this.cfg.maxReplicas && now - this.startedAtMs < this.cfg.bootstrapWaitMs)
    )
      return;
    const region: RegionDescriptor = {
      id: this.allocId(),
      start: "",
      end: "",
      epoch: { confVer: 1, version: 1 },
      peers: up.slice(0, this.cfg.maxReplicas),
    };
    this.view.regions.set(region.id, { region, leader: undefined, stats: undefined, pending: undefined });
    this.persist(region);
    for (const s of region.peers) this.pendingCreate.set(s, [region]);
    this.o.log.info({ region }, "pd: bootstrapped the first region");
  }

  // ---- queries ----

  stores(): StoreInfo[] {
    const now = this.now();
    const replicas = replicaCounts(this.view);
    const leaders = leaderCounts(this.view);
    return [...this.view.stores.values()].map((s) => ({
      id: s.id,
      address: s.address,
      raftAddress: s.raftAddress,
      state: storeIsUp(this.view, s.id, now, this.cfg) ? "up" : "down",
      lastHeartbeatMs: s.lastHeartbeatMs,
      regionCount: replicas.get(s.id) ?? 0,
      leaderCount: leaders.get(s.id) ?? 0,
    }));
  }

  regions(): RegionView[] {
    return [...this.view.regions.values()]
      .sort((a, b) =>
        a.region.start === b.region.start
          ? 0
          : a.region.start === ""
            ? -1
            : b.region.start === ""
              ? 1
              : compareKeys(b64ToKey(a.region.start), b64ToKey(b.region.start)),
      )
      .map((r) => ({
        region: r.region,
        ...(r.leader ? { leader: r.leader } : {}),
        sizeBytes: r.stats?.sizeBytes ?? 0,
        keys: r.stats?.keys ?? 0,
        writesPerSec: r.stats?.writesPerSec ?? 0,
        readsPerSec: r.stats?.readsPerSec ?? 0,
        lagByStore: r.stats?.lagByStore ?? {},
      }));
  }

  /** The region holding key, or with `before` the one holding the keys just below it ("" = the end). */
  locate(keyB64: string, before = false): LocateReply {
    const key = b64ToKey(keyB64);
    let best: RegionRecord | undefined;
    for (const r of this.view.regions.values()) {
      if (!(before ? holdsKeyBelow(r.region, key) : keyInRegion(r.region, key))) continue;
      // Overlaps exist briefly (a split's halves before the parent's new epoch arrives): the newest wins.
      if (!best || r.region.epoch.version > best.region.epoch.version) best = r;
    }
    if (!best)
      throw new ApiError("Unavailable", "no region holds this key yet (cluster bootstrapping?); retry", {
        reason: "RegionNotFound",
      });
    return { region: best.region, ...(best.leader ? { leader: best.leader } : {}), stores: this.stores() };
  }

  private queue(regionId: number, ...ops: Operator[]): { queued: Operator[] } {
    if (!this.view.regions.has(regionId)) throw new ApiError("NotFound", `region ${regionId} not found`);
    const q = this.view.manual.get(regionId) ?? [];
    if (q.length + ops.length > MAX_MANUAL_OPS)
      throw new ApiError("FailedPrecondition", `region ${regionId} already has ${q.length} operators queued`);
    q.push(...ops);
    this.view.manual.set(regionId, q);
    return { queued: ops };
  }

  private requestSplit(b: { regionId: number; key?: string | undefined }) {
    const rec = this.view.regions.get(b.regionId);
    const key = b.key ?? rec?.stats?.sizeSplitKey ?? rec?.stats?.loadSplitKey;
    if (!key)
      throw new ApiError("FailedPrecondition", `region ${b.regionId}: no split key known yet; pass --key`);
    if (rec && !keyInRegion(rec.region, b64ToKey(key)))
      throw new ApiError("InvalidArgument", `the split key is outside region ${b.regionId}`);
    return this.queue(b.regionId, { type: "split", regionId: b.regionId, splitKey: key, newRegionId: 0 });
  }

  private requestMove(b: { regionId: number; from: string; to: string }) {
    const rec = this.view.regions.get(b.regionId);
    if (!rec) throw new ApiError("NotFound", `region ${b.regionId} not found`);
    if (!rec.region.peers.includes(b.from))
      throw new ApiError("InvalidArgument", `store ${b.from} holds no replica of region ${b.regionId}`);
    if (rec.region.peers.includes(b.to))
      throw new ApiError("InvalidArgument", `store ${b.to} already holds region ${b.regionId}`);
    if (!this.view.stores.has(b.to)) throw new ApiError("NotFound", `store ${b.to} not found`);
    const ops: Operator[] = [{ type: "addPeer", regionId: b.regionId, storeId: b.to }];
    if (rec.leader === b.from) ops.push({ type: "transferLeader", regionId: b.regionId, storeId: b.to });
    ops.push({ type: "removePeer", regionId: b.regionId, storeId: b.from });
    return this.queue(b.regionId, ...ops);
  }

  private requestTransfer(b: { regionId: number; to: string }) {
    return this.queue(b.regionId, { type: "transferLeader", regionId: b.regionId, storeId: b.to });
  }

  async close(): Promise<void> {
    await this.rpc?.close();
    await this.persistChain;
    await this.o.storage.close();
  }
}
