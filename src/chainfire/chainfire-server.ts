// One chainfire member: the durable MVCC store, the watch hub, the lease sweeper, the etcd v3
// gRPC API on the client port and HTTP /health, /metrics, /healthz, /readyz on another.
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { StaticTokenAuth } from "../core/api/auth.ts";
import { ApiServer } from "../core/api/server.ts";
import { createRegistry } from "../core/metrics.ts";
import { isEtcdError } from "./etcd-errors.ts";
import { newMemberId } from "./grpc/cluster-service.ts";
import type { RaftView, ServiceContext } from "./grpc/context.ts";
import { type GrpcServer, startGrpcServer, stopGrpcServer } from "./grpc/grpc-server.ts";
import { KvStore } from "./kv-store.ts";
import { LEASE_REVOKES_PER_SWEEP, LEASE_SWEEP_INTERVAL_MS, WATCH_PROGRESS_INTERVAL_MS } from "./limits.ts";
import { chainfireMetrics } from "./metrics.ts";
import { clusterIdFrom, type InitialMember, parseInitialCluster, RaftReplication } from "./replication.ts";
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
  /**
   * "name=peerURL,…": the founding members of a replicated cluster (etcd's --initial-cluster).
   * Empty: a single member that commits by its own fsync, without Raft.
   */
  initialCluster?: string;
  /** "existing": join a running cluster (after `member add`) instead of founding one. */
  initialClusterState?: "new" | "existing";
  /** Raft log entries between snapshots (replicated mode). */
  snapshotEveryEntries?: number;
  log: Logger;
  progressNotifyIntervalMs?: number;
  shutdownGraceMs?: number;
  nowMs?: () => number;
}

export class ChainfireServer {
  private constructor(
    readonly store: KvStore,
    private readonly hub: WatchHub,
    private readonly grpc: GrpcServer,
    private readonly http: ApiServer | undefined,
    private readonly sweeper: NodeJS.Timeout,
    private readonly replication: RaftReplication | undefined,
    readonly clientUrl: string,
    readonly httpUrl: string | undefined,
    private readonly graceMs: number,
  ) {}

  static async start(o: ChainfireServerOptions): Promise<ChainfireServer> {
    const log = o.log;
    const registry = createRegistry("chainfire");
    let storeRef: KvStore | undefined;
    let hubRef: WatchHub | undefined;
    let raftRef: RaftView | undefined;
    const metrics = chainfireMetrics(
      registry,
      () => storeRef,
      () => hubRef,
      () => raftRef,
    );
    // Labelled children looked up once per (op, outcome), not hashed on every applied entry.
    const proposalChildren = new Map<string, ReturnType<typeof metrics.proposals.labels>>();
    const proposalCounter = (op: string, ok: boolean) => {
      const key = `${op}|${ok}`;
      let c = proposalChildren.get(key);
      if (!c) {
        c = metrics.proposals.labels(op, ok ? "ok" : "error");
        // Bounded by the command ops (a fixed set) times two outcomes.
        proposalChildren.set(key, c);
      }
      return c;
    };
    const members = o.initialCluster ? parseInitialCluster(o.initialCluster) : [];
    const self = members.find((m) => m.name === o.name);
    if (members.length > 0 && !self) {
      throw new Error(`member name "${o.name}" is not in the initial cluster ${o.initialCluster}`);
    }
    const store = new KvStore({
      dataDir: o.dataDir,
      log,
      ...(o.nowMs ? { nowMs: o.nowMs } : {}),
      newIdentity: () =>
        self
          ? { clusterId: clusterIdFrom(members), memberId: self.id }
          : { clusterId: newMemberId(), memberId: newMemberId() },
      onWrite: (s) => metrics.writeSeconds.observe(s),
      onApplied: (op, ok) => proposalCounter(op, ok).inc(),
      replicated: self !== undefined,
    });
    storeRef = store;
    const hub = new WatchHub(store);
    hubRef = hub;
    const host = o.listen;
    const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
    let clientUrl = "";
    let replication: RaftReplication | undefined;
    if (self) {
      replication = await RaftReplication.start({
        store,
        self,
        members,
        dataDir: o.dataDir,
        listen: host,
        peerPort: o.peerPort,
        log,
        ...(o.snapshotEveryEntries ? { snapshotEveryEntries: o.snapshotEveryEntries } : {}),
        join: o.initialClusterState === "existing",
        onLogSync: (s) => metrics.walSyncSeconds.observe(s),
        onLeaderChange: (leading) => {
          metrics.leaderChanges.inc();
          log.info({ leading }, "chainfire: leadership changed");
        },
      });
      store.replicate(replication);
    }
    raftRef = replication ?? localRaftView(store);
    const ctx: ServiceContext = {
      store,
      hub,
      log,
      clientURLs: () => [clientUrl],
      raft: raftRef,
      ...(replication
        ? { membership: (type, id) => (replication as RaftReplication).changeMembership(type, id) }
        : {}),
      progressNotifyIntervalMs: o.progressNotifyIntervalMs ?? WATCH_PROGRESS_INTERVAL_MS,
    };
    const { server: grpc, port } = await startGrpcServer(ctx, host, o.clientPort);
    clientUrl = `http://${urlHost}:${port}`;
    if (replication && self)
      void publishMembership(store, replication, members, self.id, o.name, () => [clientUrl], log);
    else await ensureSelfMember(store, o.name, [`http://${urlHost}:${o.peerPort}`]);

    let http: ApiServer | undefined;
    if (o.httpPort >= 0) {
      http = new ApiServer({
        name: "chainfire",
        logger: log,
        registry,
        // Only the built-in public endpoints are served here; no route needs a token.
        auth: new StaticTokenAuth(randomBytes(24).toString("base64url")),
        readiness: async () => (replication && replication.leader() === "0" ? "no raft leader" : undefined),
      });
      http.app.get("/health", async () => ({ health: "true", reason: "" }));
      http.app.get("/version", async () => ({ etcdserver: "3.4.23", etcdcluster: "3.4.0" }));
      await http.listen(host, o.httpPort);
    }

    const sweeper = setInterval(() => {
      // Only the leader expires leases; everyone else's deadlines are only a fallback.
      if (!replication || replication.isLeader) void sweepLeases(store, log);
    }, LEASE_SWEEP_INTERVAL_MS);
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
      replication,
      clientUrl,
      http?.url(),
      o.shutdownGraceMs ?? 5000,
    );
  }

  /** True when this member leads its Raft group (always, when it runs alone). */
  get isLeader(): boolean {
    return this.replication ? this.replication.isLeader : true;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await stopGrpcServer(this.grpc, this.graceMs);
    await this.http?.close();
    await this.replication?.close();
    this.hub.close();
    await this.store.close();
  }
}

/** Raft facts of a member that runs alone: it always leads, in term 1. */
function localRaftView(store: KvStore): RaftView {
  return {
    term: () => 1,
    leader: () => store.identity.memberId,
    commitIndex: () => store.appliedIndex,
    appliedIndex: () => store.appliedIndex,
    keepAlive: async (id) => {
      const lease = store.view.lease(id);
      return lease ? store.lessor.renew(id, lease.ttlSeconds) : 0;
    },
  };
}

/**
 * Once a leader exists: the founding members are recorded (by whoever proposes first; the
 * rest get "already exists"), then this member publishes its name and client URLs.
 */
async function publishMembership(
  store: KvStore,
  replication: RaftReplication,
  members: InitialMember[],
  selfId: string,
  name: string,
  clientURLs: () => string[],
  log: Logger,
): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    if (store.isClosed) return;
    try {
      for (const m of members) {
        if (store.view.memberList().some((x) => x.id === m.id)) continue;
        await store
          .propose({
            op: "memberAdd",
            member: { id: m.id, name: "", peerURLs: [m.peerURL], clientURLs: [], isLearner: false },
          })
          .catch((err) => {
            if (!(isEtcdError(err) && /already exist/.test(err.message))) throw err;
          });
      }
      await store.propose({ op: "memberAttrs", id: selfId, name, clientURLs: clientURLs() });
      return;
    } catch (err) {
      if (attempt % 10 === 9) log.warn({ err }, "chainfire: publishing membership is still failing");
      await new Promise((r) => setTimeout(r, 500));
    }
    if (replication.leader() === "0") continue;
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
