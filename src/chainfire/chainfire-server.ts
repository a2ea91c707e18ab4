// One chainfire member: the durable MVCC store, the watch hub, the lease sweeper, the etcd v3
// gRPC API on the client port and HTTP /health, /metrics, /healthz, /readyz on another.
import { randomBytes } from "node:crypto";
import type { Server } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { StaticTokenAuth } from "../core/api/auth.ts";
import { ApiServer } from "../core/api/server.ts";
import { createRegistry } from "../core/metrics.ts";
import { isEtcdError } from "./etcd-errors.ts";
import { newMemberId } from "./grpc/cluster-service.ts";
import type { ServiceContext } from "./grpc/context.ts";
import { startGrpcServer, stopGrpcServer } from "./grpc/grpc-server.ts";
import { KvStore } from "./kv-store.ts";
import { LEASE_REVOKES_PER_SWEEP, LEASE_SWEEP_INTERVAL_MS, WATCH_PROGRESS_INTERVAL_MS } from "./limits.ts";
import { chainfireMetrics } from "./metrics.ts";
import { WatchHub } from "./watch-hub.ts";

export interface ChainfireServerOptions {
  dataDir: string;
  /** Address both ports bind to. */
  listen: string;
  /** etcd v3 gRPC; 0 picks a free port. */
  clientPort: number;
  /** Reserved for Raft between members (advertised in the member list). */
  peerPort: number;
  /** HTTP /health and /metrics; 0 picks a free port, -1 disables it. */
  httpPort: number;
  name: string;
  log: Logger;
  progressNotifyIntervalMs?: number;
  shutdownGraceMs?: number;
  nowMs?: () => number;
}

export class ChainfireServer {
  private constructor(
    readonly store: KvStore,
    private readonly hub: WatchHub,
    private readonly grpc: Server,
    private readonly http: ApiServer | undefined,
    private readonly sweeper: NodeJS.Timeout,
    readonly clientUrl: string,
    readonly httpUrl: string | undefined,
    private readonly graceMs: number,
  ) {}

  static async start(o: ChainfireServerOptions): Promise<ChainfireServer> {
    const log = o.log;
    const registry = createRegistry("chainfire");
    let storeRef: KvStore | undefined;
    let hubRef: WatchHub | undefined;
    const metrics = chainfireMetrics(
      registry,
      () => storeRef,
      () => hubRef,
    );
    const store = new KvStore({
      dataDir: o.dataDir,
      log,
      ...(o.nowMs ? { nowMs: o.nowMs } : {}),
      newIdentity: () => ({ clusterId: newMemberId(), memberId: newMemberId() }),
      onWrite: (s) => metrics.writeSeconds.observe(s),
      onApplied: (op, ok) => metrics.proposals.inc({ op, outcome: ok ? "ok" : "error" }),
    });
    storeRef = store;
    const hub = new WatchHub(store);
    hubRef = hub;
    const host = o.listen;
    const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
    let clientUrl = "";
    const ctx: ServiceContext = {
      store,
      hub,
      log,
      clientURLs: () => [clientUrl],
      raftTerm: () => 1,
      progressNotifyIntervalMs: o.progressNotifyIntervalMs ?? WATCH_PROGRESS_INTERVAL_MS,
    };
    const { server: grpc, port } = await startGrpcServer(ctx, host, o.clientPort);
    clientUrl = `http://${urlHost}:${port}`;
    await ensureSelfMember(store, o.name, [`http://${urlHost}:${o.peerPort}`]);

    let http: ApiServer | undefined;
    if (o.httpPort >= 0) {
      http = new ApiServer({
        name: "chainfire",
        logger: log,
        registry,
        // Only the built-in public endpoints are served here; no route needs a token.
        auth: new StaticTokenAuth(randomBytes(24).toString("base64url")),
        readiness: async () => undefined,
      });
      http.app.get("/health", async () => ({ health: "true", reason: "" }));
      http.app.get("/version", async () => ({ etcdserver: "3.4.23", etcdcluster: "3.4.0" }));
      await http.listen(host, o.httpPort);
    }

    const sweeper = setInterval(() => void sweepLeases(store, log), LEASE_SWEEP_INTERVAL_MS);
    sweeper.unref();
    log.info(
      { clientUrl, httpUrl: http?.url(), dataDir: o.dataDir, revision: store.revision },
      "chainfire: serving",
    );
    return new ChainfireServer(
      store,
      hub,
      grpc,
      http,
      sweeper,
      clientUrl,
      http?.url(),
      o.shutdownGraceMs ?? 5000,
    );
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await stopGrpcServer(this.grpc, this.graceMs);
    await this.http?.close();
    this.hub.close();
    await this.store.close();
  }
}

/** The first start records this member; later starts update its peer URLs if they moved. */
async function ensureSelfMember(store: KvStore, name: string, peerURLs: string[]): Promise<void> {
  const self = store.view.memberList().find((m) => m.id === store.identity.memberId);
  if (!self) {
    await store.propose({
      op: "memberAdd",
      member: { id: store.identity.memberId, name, peerURLs, clientURLs: [], isLearner: false },
    });
  } else if (self.peerURLs.join(",") !== peerURLs.join(",")) {
    await store.propose({ op: "memberUpdate", id: self.id, peerURLs });
  }
}

/** Revokes expired leases through the log, so the expiry is replicated like any write. */
async function sweepLeases(store: KvStore, log: Logger): Promise<void> {
  for (const id of store.lessor.expired(LEASE_REVOKES_PER_SWEEP)) {
    try {
      store.lessor.forget(id);
      await store.propose({ op: "leaseRevoke", id });
    } catch (err) {
      if (!isEtcdError(err)) log.error({ err, lease: id }, "chainfire: revoking an expired lease failed");
    }
  }
}
