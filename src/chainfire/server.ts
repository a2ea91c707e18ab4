// `photon chainfire`: the role entry the CLI wires into `photon chainfire` and `photon up`.
import { join, resolve } from "node:path";
import { z } from "zod";
import { commonOptions, option } from "../core/config.ts";
import { defineRole } from "../core/role.ts";
import { ChainfireServer } from "./chainfire-server.ts";

export { ChainfireServer } from "./chainfire-server.ts";

const port = z.number().int().min(0).max(65535);

export const chainfireOptions = {
  ...commonOptions,
  clientPort: option(port, 2379, "etcd v3 gRPC client port (etcdctl --endpoints)"),
  peerPort: option(port, 2380, "port for Raft traffic between members"),
  metricsPort: option(
    z.number().int().min(-1).max(65535),
    2381,
    "HTTP port for /health, /metrics, /healthz, /readyz (-1: off)",
  ),
  name: option(z.string().min(1).max(63), "default", "this member's name in the member list"),
  initialCluster: option(
    z.string().max(4096),
    "",
    "founding members as name=peerURL,… (etcd's --initial-cluster); empty: one member without Raft",
  ),
  initialClusterState: option(
    z.enum(["new", "existing"]),
    "new",
    "new: found the cluster in --initial-cluster; existing: join it after `etcdctl member add`",
  ),
  watchProgressNotifyMs: option(
    z.number().int().min(100).max(86_400_000),
    600_000,
    "interval of progress notifications to watchers that ask for them",
  ),
};

export const chainfireRole = defineRole({
  name: "chainfire",
  description: "the coordination store: MVCC key-value, watches, leases, speaking the etcd v3 API",
  options: chainfireOptions,
  async start(config, deps) {
    const log = deps.log.child({ component: "chainfire" });
    const server = await ChainfireServer.start({
      dataDir: join(resolve(config.dataDir), "chainfire"),
      listen: config.listen,
      clientPort: config.clientPort,
      peerPort: config.peerPort,
      httpPort: config.metricsPort,
      name: config.name,
      ...(config.initialCluster ? { initialCluster: config.initialCluster } : {}),
      initialClusterState: config.initialClusterState,
      log,
      progressNotifyIntervalMs: config.watchProgressNotifyMs,
      shutdownGraceMs: config.shutdownGraceMs,
    });
    return {
      endpoints: { etcd: server.clientUrl, ...(server.httpUrl ? { metrics: server.httpUrl } : {}) },
      close: () => server.close(),
    };
  },
});
