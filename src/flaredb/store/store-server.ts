// A flaredb store: the regions it holds (MultiRaft over one LMDB environment), the data API
// over HTTP/2, the heartbeat to the placement driver (and the operators it answers with), and
// /metrics on a plain HTTP port.
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { Logger } from "pino";
import { ApiError } from "../../core/errors.ts";
import { createRegistry, Gauge } from "../../core/metrics.ts";
import {
  b64ToKey,
  type ExecuteBatchRequest,
  type ExecuteRequest,
  executeBatchRequestSchema,
  executeRequestSchema,
  type HeartbeatReply,
  type ReadRequest,
  type RegionDescriptor,
  readRequestSchema,
  type StoreHeartbeat,
  type StoreInfo,
} from "../api.ts";
import { H2JsonClient } from "../rpc/h2-json-client.ts";
import { H2JsonServer } from "../rpc/h2-json-server.ts";
import { parseBody } from "../rpc/parse-body.ts";
import { encodeBatchEntry, encodeCommandEntry } from "./command-entry.ts";
import { parseCommandBytes, parseRead, readKeys, runRead } from "./engine-binding.ts";
import { compareKeys, keyInRegion } from "./key-range.ts";
import { LmdbKv } from "./kv-view.ts";
import { MultiRaft } from "./multi-raft.ts";
import type { RegionPeer } from "./region-peer.ts";
import { measureRegion, regionStats } from "./region-stats.ts";
import { StoreDb } from "./store-db.ts";

/** Default interval of store heartbeats to the placement driver. */
export const DEFAULT_HEARTBEAT_MS = 1_000;

export interface FlareStoreOptions {
  dataDir: string;
  host: string;
  /** Data API port (0: any). */
  port: number;
  /** Raft transport port (0: any). */
  raftPort: number;
  /** HTTP port for /metrics, /healthz, /readyz (-1: off, 0: any). */
  metricsPort: number;
  /** Placement driver addresses (host:port). */
  pd: string[];
  log: Logger;
  heartbeatMs?: number;
  now?: () => number;
  random?: () => number;
}

export class FlareStore {
  private raft!: MultiRaft;
  private rpc!: H2JsonServer;
  private http: Server | undefined;
  private readonly pdClient = new H2JsonClient();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatRunning = false;
  private lastHeartbeat = 0;
  private readonly stores = new Map<string, StoreInfo>();
  private storeId!: string;
  private closed = false;
  readonly registry = createRegistry("flaredb-store");
  private readonly gauges = {
    qps: new Gauge({
      name: "flaredb_region_qps",
      help: "operations per second by region and kind",
      labelNames: ["region", "kind"],
      registers: [this.registry],
    }),
    size: new Gauge({
      name: "flaredb_region_size_bytes",
      help: "approximate bytes held by the region",
      labelNames: ["region"],
      registers: [this.registry],
    }),
    leader: new Gauge({
      name: "flaredb_region_leader",
      help: "1 if this store leads the region",
      labelNames: ["region"],
      registers: [this.registry],
    }),
    lag: new Gauge({
      name: "flaredb_region_raft_lag_entries",
      help: "entries a follower is behind the leader",
      labelNames: ["region", "store"],
      registers: [this.registry],
    }),
    regions: new Gauge({
      name: "flaredb_store_regions",
      help: "replicas held by this store",
      registers: [this.registry],
    }),
  };

  private constructor(
    private readonly o: FlareStoreOptions,
    private readonly db: StoreDb,
  ) {}

  static async start(o: FlareStoreOptions): Promise<FlareStore> {
    const db = new StoreDb(join(o.dataDir, "store"));
    const s = new FlareStore(o, db);
    try {
      await s.init();
    } catch (err) {
      await s.close();
      throw err;
    }
    return s;
  }

  get id(): string {
    return this.storeId;
  }
  get address(): string {
    return `${this.o.host}:${this.rpc.port}`;
  }
  get raftAddress(): string {
    return `${this.o.host}:${this.raft.raftPort}`;
  }
  get metricsUrl(): string | undefined {
    const a = this.http?.address();
    return a && typeof a === "object" ? `http://${this.o.host}:${a.port}` : undefined;
  }

  private async init(): Promise<void> {
    this.storeId = (this.db.meta.get("storeId") as string | undefined) ?? (await this.allocateId());
    this.rpc = await H2JsonServer.start({
      host: this.o.host,
      port: this.o.port,
      log: this.o.log,
      handlers: {
        "/v1/execute": (b) => this.execute(parseBody(executeRequestSchema, b)),
        "/v1/execute-batch": (b) => this.executeBatch(parseBody(executeBatchRequestSchema, b)),
        "/v1/read": (b) => this.read(parseBody(readRequestSchema, b)),
        "/v1/status": () => this.status(),
      },
    });
    this.raft = await MultiRaft.start({
      db: this.db,
      storeId: this.storeId,
      log: this.o.log,
      host: this.o.host,
      raftPort: this.o.raftPort,
      random: this.o.random ?? Math.random,
      now: this.o.now ?? Date.now,
    });
    if (this.o.metricsPort >= 0) {
      this.http = createServer((req, res) => {
        if (req.url === "/metrics") {
          this.refreshGauges();
          void this.registry.metrics().then((text) => {
            res.writeHead(200, { "content-type": this.registry.contentType });
            res.end(text);
          });
          return;
        }
        if (req.url === "/healthz" || req.url === "/readyz") {
          const ok = !this.raft.fatal;
          res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
          res.end(JSON.stringify({ status: ok ? "ok" : "failed" }));
          return;
        }
        res.writeHead(404).end();
      });
      await new Promise<void>((resolve, reject) => {
        this.http!.once("error", reject);
        this.http!.listen(this.o.metricsPort, this.o.host, () => resolve());
      });
    }
    this.o.log.info(
      { storeId: this.storeId, address: this.address, raft: this.raftAddress },
      "flaredb store started",
    );
    const every = this.o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), every);
    this.heartbeatTimer.unref();
    void this.heartbeat();
  }

  private async allocateId(): Promise<string> {
    for (let attempt = 0; !this.closed; attempt++) {
      for (const pd of this.o.pd) {
        try {
          const { id } = await this.pdClient.call<{ id: number }>(pd, "/pd/v1/alloc-id", {});
          const storeId = `s${id}`;
          await this.db.meta.put("storeId", storeId);
          return storeId;
        } catch (err) {
          if (attempt % 10 === 0)
            this.o.log.warn({ err, pd }, "flaredb store: placement driver unreachable; retrying");
        }
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error("closed before a store id was allocated");
  }

  // ---- data API ----

  private routed(
    req: { regionId: number; epoch: { version: number } },
    keys: Uint8Array[],
    leaderOnly = true,
  ): RegionPeer & { region: RegionDescriptor } {
    const p = this.raft.peerFor(req.regionId);
    if (!p?.region) {
      throw new ApiError("FailedPrecondition", `region ${req.regionId} is not on store ${this.storeId}`, {
        reason: "RegionNotFound",
        regionId: req.regionId,
      });
    }
    const region = p.region;
    if (leaderOnly && !p.isLeader) {
      const leader = p.lead || undefined;
      throw new ApiError(
        "FailedPrecondition",
        `region ${p.id}: store ${this.storeId} is not the leader${leader ? ` (${leader} is)` : ""}`,
        {
          reason: "NotLeader",
          regionId: p.id,
          leader,
          leaderAddress: leader ? this.stores.get(leader)?.address : undefined,
        },
      );
    }
    if (req.epoch.version !== region.epoch.version) {
      throw new ApiError(
        "FailedPrecondition",
        `region ${p.id}: epoch ${req.epoch.version} is stale (now ${region.epoch.version}); locate the key again`,
        { reason: "EpochStale", region },
      );
    }
    for (const k of keys) {
      if (!keyInRegion(region, k)) {
        throw new ApiError(
          "FailedPrecondition",
          `region ${p.id}: a key is outside [${region.start}, ${region.end})`,
          { reason: "KeyNotInRegion", region },
        );
      }
    }
    return p as RegionPeer & { region: RegionDescriptor };
  }

  private async execute(req: ExecuteRequest): Promise<unknown> {
    const cmd = parseCommandBytes(req.cmd);
    const p = this.routed(req, cmd.keys);
    const result = await this.raft.propose(p, encodeCommandEntry((this.o.now ?? Date.now)(), cmd.bytes));
    return { result };
  }

  private async executeBatch(req: ExecuteBatchRequest): Promise<unknown> {
    const cmds = req.cmds.map(parseCommandBytes);
    const p = this.routed(
      req,
      cmds.flatMap((c) => c.keys),
    );
    // One Raft entry for the whole batch: one append, one message per follower, one apply.
    const out = (await this.raft.propose(
      p,
      encodeBatchEntry(
        (this.o.now ?? Date.now)(),
        cmds.map((c) => c.bytes),
      ),
    )) as Array<{
      result?: unknown;
      error?: { code: string; message: string; details?: Record<string, unknown> };
    }>;
    const failed = out.find((r) => r.error);
    if (failed?.error)
      throw new ApiError(failed.error.code as "Internal", failed.error.message, failed.error.details);
    return { results: out.map((r) => r.result) };
  }

  private async read(req: ReadRequest): Promise<unknown> {
    const q = parseRead(req.read);
    const keys = readKeys(q);
    const p = this.routed(req, keys);
    if (q.op === "scan" || q.op === "rawScan") {
      // A scan must lie inside the region: the client clamps it and continues in the next one.
      const r = p.region;
      const startOk =
        q.start.length === 0
          ? r.start === ""
          : r.start === "" || compareKeys(q.start, b64ToKey(r.start)) >= 0;
      const endOk = q.end === undefined ? r.end === "" : !r.end || compareKeys(q.end, b64ToKey(r.end)) <= 0;
      if (!startOk) {
        throw new ApiError(
          "FailedPrecondition",
          `region ${p.id}: the scan starts before the region; clamp it`,
          { reason: "KeyNotInRegion", region: r },
        );
      }
      if (!endOk)
        throw new ApiError(
          "FailedPrecondition",
          `region ${p.id}: the scan ends beyond the region; clamp it`,
          { reason: "KeyNotInRegion", region: r },
        );
    }
    await this.raft.readIndex(p);
    p.reads_++;
    return { result: runRead(new LmdbKv(this.db.data), q, (this.o.now ?? Date.now)(), p.safePoint) };
  }

  status() {
    return {
      storeId: this.storeId,
      address: this.address,
      raftAddress: this.raftAddress,
      regions: [...this.raft.peers.values()]
        .filter((p) => p.region)
        .map((p) => {
          const st = p.node.status();
          return {
            region: p.region!,
            role: st.role,
            leader: p.lead,
            applied: p.applied,
            commit: st.commit,
            term: st.term,
          };
        }),
    };
  }

  // ---- placement driver heartbeat ----

  private async heartbeat(): Promise<void> {
    if (this.heartbeatRunning || this.closed || !this.raft) return;
    this.heartbeatRunning = true;
    try {
      const now = Date.now();
      const elapsed = this.lastHeartbeat ? now - this.lastHeartbeat : 1000;
      this.lastHeartbeat = now;
      const splitBytes = this.splitBytes;
      const regions = [];
      for (const p of this.raft.peers.values()) {
        if (!p.region || p.destroyed) continue;
        if (p.isLeader) measureRegion(p, this.db, Math.max(splitBytes / 8, 4096));
        regions.push(regionStats(p, elapsed));
        p.writes = 0;
        p.reads_ = 0;
        p.sampleKeys = [];
      }
      this.lastStats = regions;
      const hb: StoreHeartbeat = {
        storeId: this.storeId,
        address: this.address,
        raftAddress: this.raftAddress,
        regions,
      };
      let reply: HeartbeatReply | undefined;
      const sentAt = Date.now();
      for (const pd of this.o.pd) {
        try {
          reply = await this.pdClient.call<HeartbeatReply>(pd, "/pd/v1/heartbeat", hb);
          break;
        } catch (err) {
          // One miss is noise; missing for several periods is how a live store gets drained.
          const silentMs = Date.now() - this.lastHeartbeatOkMs;
          const level = silentMs > 3 * (this.o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS) ? "warn" : "debug";
          this.o.log[level]({ err, pd, silentMs }, "flaredb store: heartbeat failed");
        }
      }
      if (reply) {
        const tookMs = Date.now() - now;
        if (tookMs > 2 * (this.o.heartbeatMs ?? DEFAULT_HEARTBEAT_MS))
          this.o.log.warn(
            { tookMs, statsMs: sentAt - now, regions: regions.length },
            "flaredb store: a heartbeat round was slow",
          );
        this.lastHeartbeatOkMs = Date.now();
      }
      // The reply's work (bootstraps, destroys, conf changes: LMDB transactions that queue
      // behind the Ready loop's fsyncs) runs beside the heartbeats, never in front of them: a
      // store whose obeying took longer than store-down-ms looked dead and was drained. Replies
      // are level-triggered (the PD repeats what is still to do), so one arriving while the last
      // is still being obeyed only updates the store addresses.
      if (reply) this.obeyInBackground(reply);
    } catch (err) {
      this.o.log.warn({ err }, "flaredb store: heartbeat round failed");
    } finally {
      this.heartbeatRunning = false;
    }
  }

  private lastStats: StoreHeartbeat["regions"] = [];
  private lastHeartbeatOkMs = Date.now();

  private splitBytes = 64 * 1024 * 1024;

  private obeying = false;

  private obeyInBackground(reply: HeartbeatReply): void {
    if (reply.regionSplitBytes) this.splitBytes = reply.regionSplitBytes;
    for (const s of reply.stores) {
      this.stores.set(s.id, s);
      this.raft.setStoreAddress(s.id, s.raftAddress);
    }
    if (this.obeying || this.closed) return;
    this.obeying = true;
    this.obey(reply)
      .catch((err) => this.o.log.warn({ err }, "flaredb store: obeying the placement driver failed"))
      .finally(() => {
        this.obeying = false;
      });
  }

  private async obey(reply: HeartbeatReply): Promise<void> {
    for (const r of reply.create) await this.raft.bootstrap(r);
    for (const id of reply.destroy) await this.raft.destroyStale(id);
    for (const op of reply.operators) {
      const p = this.raft.peerFor(op.regionId);
      if (!p?.region || !p.isLeader) continue;
      try {
        switch (op.type) {
          case "addPeer":
            if (!p.region.peers.includes(op.storeId))
              this.raft.proposeConfChange(p, { type: "addVoter", nodeId: op.storeId });
            break;
          case "removePeer":
            if (op.storeId === this.storeId) {
              const other = p.region.peers.find(
                (s) => s !== this.storeId && this.stores.get(s)?.state === "up",
              );
              if (other) this.raft.transferLeader(p, other);
            } else if (p.region.peers.includes(op.storeId)) {
              this.raft.proposeConfChange(p, { type: "removeNode", nodeId: op.storeId });
            }
            break;
          case "transferLeader":
            if (op.storeId !== this.storeId) this.raft.transferLeader(p, op.storeId);
            break;
          case "split":
            void this.raft
              .propose(p, { t: "s", key: op.splitKey, id: op.newRegionId, v: p.region.epoch.version })
              .catch((err) => this.o.log.debug({ err, region: p.id }, "flaredb store: split not applied"));
            break;
        }
      } catch (err) {
        this.o.log.debug({ err, op }, "flaredb store: operator refused");
      }
    }
  }

  private refreshGauges(): void {
    this.gauges.qps.reset();
    this.gauges.size.reset();
    this.gauges.leader.reset();
    this.gauges.lag.reset();
    let n = 0;
    for (const r of this.lastStats) {
      const id = String(r.region.id);
      n++;
      this.gauges.qps.set({ region: id, kind: "write" }, r.writesPerSec);
      this.gauges.qps.set({ region: id, kind: "read" }, r.readsPerSec);
      this.gauges.size.set({ region: id }, r.sizeBytes);
      this.gauges.leader.set({ region: id }, r.leader ? 1 : 0);
      for (const [store, lag] of Object.entries(r.lagByStore))
        this.gauges.lag.set({ region: id, store }, lag);
    }
    this.gauges.regions.set(n);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    while (this.heartbeatRunning || this.obeying) await new Promise((r) => setTimeout(r, 5));
    this.pdClient.close();
    await this.rpc?.close();
    await this.raft?.close();
    if (this.http) {
      this.http.closeAllConnections();
      await new Promise<void>((r) => this.http!.close(() => r()));
    }
    await this.db.close();
  }
}
