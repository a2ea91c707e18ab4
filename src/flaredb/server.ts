// The two flaredb roles: `photon flaredb` (a store holding regions) and `photon flaredb-pd`
// (the placement driver, run with the control plane; its state in chainfire when one is given).
import { join, resolve } from "node:path";
import { z } from "zod";
import { commonOptions, option } from "../core/config.ts";
import { defineRole } from "../core/role.ts";
import { FLAREDB_PD_PORT, FLAREDB_STORE_PORT } from "./api.ts";
import { defaultPlacementConfig } from "./pd/cluster-view.ts";
import { PlacementDriver } from "./pd/pd-server.ts";
import { LmdbPdStorage } from "./pd/pd-storage.ts";
import { DEFAULT_HEARTBEAT_MS, FlareStore } from "./store/store-server.ts";

export { PlacementDriver } from "./pd/pd-server.ts";
export { FlareStore } from "./store/store-server.ts";

const port = z.number().int().min(0).max(65535);
const addresses = (s: string) =>
  s
    .split(",")
    .map((a) => a.trim().replace(/^https?:\/\//, ""))
    .filter(Boolean);

export const flaredbStoreOptions = {
  ...commonOptions,
  port: option(port, FLAREDB_STORE_PORT, "data API port (HTTP/2)"),
  raftPort: option(port, FLAREDB_STORE_PORT + 1, "port for Raft traffic between stores"),
  metricsPort: option(
    z.number().int().min(-1).max(65535),
    FLAREDB_STORE_PORT + 20,
    "HTTP port for /metrics, /healthz, /readyz (-1: off)",
  ),
  pd: option(
    z.string().max(4096),
    "",
    `placement driver addresses host:port,… (default: photon up's, else 127.0.0.1:${FLAREDB_PD_PORT})`,
  ),
  heartbeatMs: option(
    z.number().int().min(100).max(60_000),
    DEFAULT_HEARTBEAT_MS,
    "interval of heartbeats to the placement driver",
  ),
};

export const flaredbRole = defineRole({
  name: "flaredb",
  description: "a flaredb store: range-sharded regions, each a Raft group, over LMDB",
  options: flaredbStoreOptions,
  async start(config, deps) {
    const pd = addresses(config.pd || deps.endpoints["flaredb-pd.pd"] || `127.0.0.1:${FLAREDB_PD_PORT}`);
    const store = await FlareStore.start({
      dataDir: join(resolve(config.dataDir), "flaredb"),
      host: config.listen,
      port: config.port,
      raftPort: config.raftPort,
      metricsPort: config.metricsPort,
      pd,
      log: deps.log.child({ component: "flaredb" }),
      heartbeatMs: config.heartbeatMs,
    });
    return {
      endpoints: { store: store.address, ...(store.metricsUrl ? { metrics: store.metricsUrl } : {}) },
      close: () => store.close(),
    };
  },
});

export const flaredbPdOptions = {
  ...commonOptions,
  port: option(port, FLAREDB_PD_PORT, "placement driver port (HTTP/2)"),
  chainfire: option(
    z.string().max(4096),
    "",
    "chainfire (etcd v3) endpoints for the driver's state (default: photon up's chainfire, else local LMDB)",
  ),
  maxReplicas: option(
    z.number().int().min(1).max(7),
    defaultPlacementConfig.maxReplicas,
    "replicas per region",
  ),
  storeDownMs: option(
    z.number().int().min(500).max(3_600_000),
    defaultPlacementConfig.storeDownMs,
    "a store silent this long is down; its replicas move",
  ),
  regionSplitBytes: option(
    z.number().int().min(1024),
    defaultPlacementConfig.regionSplitBytes,
    "split regions larger than this",
  ),
  loadSplitWritesPerSec: option(
    z.number().min(1),
    defaultPlacementConfig.loadSplitWritesPerSec,
    "split regions written faster than this",
  ),
  bootstrapWaitMs: option(
    z.number().int().min(0).max(600_000),
    defaultPlacementConfig.bootstrapWaitMs,
    "wait this long for maxReplicas stores before bootstrapping with fewer",
  ),
};

export const flaredbPdRole = defineRole({
  name: "flaredb-pd",
  description: "the flaredb placement driver: heartbeats, splits, balancing, re-replication, timestamps",
  options: flaredbPdOptions,
  async start(config, deps) {
    const chainfire = addresses(config.chainfire || deps.endpoints["chainfire.etcd"] || "");
    // The chainfire client (gRPC) loads only when it is used.
    const storage = chainfire.length
      ? new (await import("./pd/chainfire-pd-storage.ts")).ChainfirePdStorage(chainfire)
      : new LmdbPdStorage(join(resolve(config.dataDir), "flaredb-pd"));
    const pd = await PlacementDriver.start({
      host: config.listen,
      port: config.port,
      log: deps.log.child({ component: "flaredb-pd" }),
      storage,
      config: {
        maxReplicas: config.maxReplicas,
        storeDownMs: config.storeDownMs,
        regionSplitBytes: config.regionSplitBytes,
        loadSplitWritesPerSec: config.loadSplitWritesPerSec,
        bootstrapWaitMs: config.bootstrapWaitMs,
      },
    });
    return { endpoints: { pd: pd.address }, close: () => pd.close() };
  },
});
