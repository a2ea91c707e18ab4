// The two roles of coronafs:
// - `photon coronafs-server`: a volume server (chunks on this node's disk, NBD on 10809, an
//   admin API the control plane calls);
// - `photon coronafs`: the control plane (Volume and VolumeSnapshot resources, placement,
//   attachments, failover, quota). With no volume server configured it starts one in its
//   own process: the same code, replication factor 1.
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { z } from "zod";
import { ApiServer } from "../core/api/server.ts";
import { commonOptions, option } from "../core/config.ts";
import { HttpClient } from "../core/http-client.ts";
import { createRegistry } from "../core/metrics.ts";
import { defineRole, type RunningRole } from "../core/role.ts";
import { CreditClient } from "../creditservice/client.ts";
import { LightningstorClient } from "../lightningstor/client.ts";
import { volumeKind } from "./api.ts";
import { validChunkSize } from "./chunk-math.ts";
import { Fleet } from "./fleet.ts";
import { Leadership } from "./leadership.ts";
import { coronafsRoutes } from "./routes.ts";
import { ServerLease } from "./server-lease.ts";
import { snapshotController } from "./snapshot-controller.ts";
import { type ImageSource, VolumeReconciler } from "./volume-controller.ts";
import { VolumeServer } from "./volume-server.ts";
import { VolumeServerClient } from "./volume-server-client.ts";
import { registerImageBodyParser, volumeServerRoutes } from "./volume-server-routes.ts";

export const coronafsServerOptions = {
  ...commonOptions,
  nbdPort: option(z.number().int().min(0).max(65535), 10809, "NBD port volumes are exported on"),
  apiPort: option(z.number().int().min(0).max(65535), 10810, "admin API port (the control plane calls it)"),
  maxOpenFiles: option(z.number().int().min(16).max(65_536), 512, "chunk files held open at once"),
  serverId: option(
    z.string().regex(/^[a-z0-9-]{1,63}$/),
    "local",
    "this server's id (as the control plane's --servers names it)",
  ),
  chainfire: option(
    z.string(),
    "",
    "chainfire endpoint for the liveness lease (default: photon up's chainfire)",
  ),
  leaseTtlSeconds: option(
    z.number().int().min(1).max(60),
    3,
    "liveness lease TTL: how fast a dead server is seen",
  ),
};

export const coronafsServerRole = defineRole({
  name: "coronafs-server",
  description: "a coronafs volume server: chunked volumes on this node's disk, exported over NBD",
  options: coronafsServerOptions,
  async start(config, deps): Promise<RunningRole> {
    const log = deps.log.child({ component: "coronafs-server" });
    const registry = createRegistry("coronafs_server");
    const server = await VolumeServer.start({
      dataDir: join(resolve(config.dataDir), "coronafs", "server"),
      log,
      nbdHost: config.listen,
      nbdPort: config.nbdPort,
      maxOpenFiles: config.maxOpenFiles,
      reportReplicaLost: async (url, report) => {
        await new HttpClient({ baseUrl: url, token: deps.serviceToken, timeoutMs: 10_000, attempts: 2 }).post(
          `/v1/internal/volumes/${report.volumeId}/replica-lost`,
          report,
          { idempotent: true },
        );
      },
      reportReplicaSynced: async (url, report) => {
        await new HttpClient({ baseUrl: url, token: deps.serviceToken, timeoutMs: 10_000, attempts: 2 }).post(
          `/v1/internal/volumes/${report.volumeId}/replica-synced`,
          report,
          { idempotent: true },
        );
      },
    });
    const chainfire = config.chainfire || deps.endpoints["chainfire.etcd"];
    const lease = chainfire
      ? new ServerLease(chainfire, config.serverId, server.nbdAddress(), config.leaseTtlSeconds, log)
      : undefined;
    try {
      await lease?.start();
    } catch (e) {
      await server.close();
      throw e;
    }
    const api = new ApiServer({ name: "coronafs-server", logger: log, registry, auth: deps.auth });
    registerImageBodyParser(api);
    api.add(
      ...volumeServerRoutes(server, async (apis, volumeId, snapshotId) => {
        for (const url of apis)
          await new VolumeServerClient(url, deps.serviceToken).snapshot(volumeId, snapshotId, []);
      }),
    );
    try {
      await api.listen(config.listen, config.apiPort);
    } catch (e) {
      await lease?.close();
      await server.close();
      throw e;
    }
    return {
      // "admin", not "api": these routes are for the control plane only (cluster permission
      // coronafs.servers.*), never a tenant's front door.
      endpoints: { admin: api.url(), nbd: server.nbdAddress() },
      async close() {
        await lease?.close();
        await api.close();
        await server.close();
      },
    };
  },
});

export const coronafsOptions = {
  ...commonOptions,
  port: option(z.number().int().min(0).max(65535), 7405, "HTTP port of the REST API"),
  servers: option(
    z.record(z.string().regex(/^[a-z0-9-]{1,63}$/), z.string().url()),
    {},
    "volume servers' admin APIs as id=url,… (none: run one in this process)",
  ),
  embeddedNbdPort: option(
    z.number().int().min(0).max(65535),
    10809,
    "NBD port of the in-process volume server",
  ),
  embeddedApiPort: option(
    z.number().int().min(0).max(65535),
    0,
    "admin API port of the in-process volume server",
  ),
  chunkSizeKib: option(
    z
      .number()
      .int()
      .refine((k) => validChunkSize(k * 1024), "a power of two from 64 to 65536"),
    1024,
    "chunk size of new volumes",
  ),
  chainfire: option(
    z.string(),
    "",
    "chainfire endpoint: volume servers' liveness leases decide failover (default: photon up's chainfire)",
  ),
  serverPollMs: option(z.number().int().min(100).max(60_000), 1000, "how often volume servers are checked"),
  serverDeadAfterMs: option(
    z.number().int().min(200).max(600_000),
    5000,
    "a volume server silent this long is down: its primaries fail over",
  ),
  resyncMs: option(z.number().int().min(100).max(3_600_000), 30_000, "how often every volume is re-checked"),
};

export const coronafsRole = defineRole({
  name: "coronafs",
  description: "coronafs control plane: volumes and snapshots, placement, attachment, failover, quota",
  options: coronafsOptions,
  async start(config, deps): Promise<RunningRole> {
    const log = deps.log.child({ component: "coronafs" });
    const registry = createRegistry("coronafs");
    const closers: Array<() => Promise<void> | void> = [];
    const closeAll = async () => {
      for (const c of closers.reverse()) await c();
    };
    try {
      const servers: Record<string, string> = { ...config.servers };
      const local = deps.endpoints["coronafs-server.admin"];
      if (Object.keys(servers).length === 0 && local) servers.local = local;
      let embedded: RunningRole | undefined;
      if (Object.keys(servers).length === 0) {
        embedded = await coronafsServerRole.start(
          {
            listen: config.listen,
            dataDir: config.dataDir,
            logLevel: config.logLevel,
            shutdownGraceMs: config.shutdownGraceMs,
            nbdPort: config.embeddedNbdPort,
            apiPort: config.embeddedApiPort,
            maxOpenFiles: coronafsServerOptions.maxOpenFiles.default,
            serverId: "local",
            chainfire: config.chainfire,
            leaseTtlSeconds: coronafsServerOptions.leaseTtlSeconds.default,
          },
          deps,
        );
        closers.push(() => embedded?.close());
        servers.local = embedded.endpoints.admin!;
      }
      const clock = Date.now;
      const store = await deps.openStore("coronafs");
      closers.push(() => store.close());
      const chainfire = config.chainfire || deps.endpoints["chainfire.etcd"];
      const fleet = new Fleet({
        servers,
        token: deps.serviceToken,
        log,
        clock,
        pollMs: config.serverPollMs,
        deadAfterMs: config.serverDeadAfterMs,
        chainfire,
      });
      closers.push(() => fleet.close());
      const creditUrl = deps.endpoints.creditservice;
      const credit = creditUrl
        ? new CreditClient(
            new HttpClient({ baseUrl: creditUrl, token: deps.serviceToken, timeoutMs: 10_000 }),
          )
        : undefined;
      const lsUrl = deps.endpoints.lightningstor;
      const ls = lsUrl ? new LightningstorClient({ baseUrl: lsUrl, token: deps.serviceToken }) : undefined;
      const images: ImageSource | undefined = ls && {
        describe: async (project, name) => {
          const img = await ls.getImage(project, name);
          if (img.status.phase !== "Ready" || !img.status.sha256 || img.status.sizeBytes === undefined)
            throw new Error(`image ${project}/${name} is ${img.status.phase}, not Ready`);
          return { sha256: img.status.sha256, sizeBytes: img.status.sizeBytes, format: img.spec.format };
        },
        open: (project, name) => ls.downloadImage(project, name),
      };
      const newToken = () => randomBytes(24).toString("base64url");
      const reconciler = new VolumeReconciler({
        store,
        fleet,
        log,
        registry,
        images,
        credit,
        chunkSizeBytes: config.chunkSizeKib * 1024,
        newToken,
        clock,
        resyncMs: config.resyncMs,
      });
      // With chainfire, the controllers run only on the elected control plane (one lease).
      const leadership = chainfire ? new Leadership(chainfire, log) : undefined;
      closers.push(() => leadership?.close());
      const isLeader = leadership ? () => leadership.leading : undefined;
      const volumes = reconciler.controller(isLeader);
      const snapshots = snapshotController({
        store,
        fleet,
        log,
        clock,
        resyncMs: config.resyncMs,
        ...(isLeader ? { isLeader } : {}),
      });
      // A server going down (or coming back) re-checks every volume: failover is level-triggered.
      fleet.onChange(() => {
        void store
          .list(volumeKind.kind, undefined, { limit: 1000 })
          .then((page) => {
            for (const v of page.items) volumes.enqueue(v);
          })
          .catch((err) => log.warn({ err }, "listing volumes after a fleet change failed"));
      });
      await fleet.start();
      const api = new ApiServer({ name: "coronafs", logger: log, registry, auth: deps.auth });
      api.add(...coronafsRoutes({ store, reconciler, credit, newToken, clock }));
      // The API listens before the controllers run: attachments they push name it as the
      // place primaries report failed replicas.
      await api.listen(config.listen, config.port);
      closers.push(() => api.close());
      reconciler.reportUrl = api.url();
      await volumes.start();
      closers.push(() => volumes.close());
      await snapshots.start();
      closers.push(() => snapshots.close());
      return {
        endpoints: {
          api: api.url(),
          ...(embedded ? { nbd: embedded.endpoints.nbd!, server: embedded.endpoints.admin! } : {}),
        },
        close: closeAll,
      };
    } catch (e) {
      await closeAll();
      throw e;
    }
  },
});
