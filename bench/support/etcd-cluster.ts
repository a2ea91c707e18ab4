// A real etcd cluster (Debian etcd-server) on loopback for benchmarks and tests: N members on
// free ports, fsync on (etcd's default), each in its own data dir under `dir`.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { ChainfireClient } from "../../src/chainfire/client.ts";
import { freePort, retryUntil, stopChildren } from "./spawned-process.ts";

export interface KvCluster {
  /** host:port of each member's client (etcd v3 gRPC) endpoint. */
  endpoints: string[];
  /** The member processes, e.g. for CPU accounting. */
  pids: number[];
  /** Stops the members (never removes `dir`: the caller made it). */
  stop(): Promise<void>;
}

export interface EtcdClusterOptions {
  dir: string;
  /** Members (default 3). */
  members?: number;
  /** etcd's --quota-backend-bytes (default 8 GiB: 1 M records of 256 bytes exceed the 2 GiB default with history). */
  quotaBackendBytes?: number;
}

/** Resolves once a put through `endpoint` succeeds (a leader exists and the member serves). */
export async function waitWritable(endpoint: string): Promise<void> {
  const probe = new ChainfireClient(endpoint);
  try {
    await retryUntil(endpoint, async () => {
      await probe.put("probe", "1");
      return true;
    });
  } finally {
    probe.close();
  }
}

export async function startEtcdCluster(o: EtcdClusterOptions): Promise<KvCluster> {
  const n = o.members ?? 3;
  const ids = Array.from({ length: n }, (_, i) => i);
  const clients = await Promise.all(ids.map(() => freePort()));
  const peers = await Promise.all(ids.map(() => freePort()));
  const cluster = peers.map((p, i) => `e${i}=http://127.0.0.1:${p}`).join(",");
  const children: ChildProcess[] = ids.map((i) => {
    const c = `http://127.0.0.1:${clients[i]}`;
    const p = `http://127.0.0.1:${peers[i]}`;
    return spawn(
      "etcd",
      [
        `--data-dir=${join(o.dir, `e${i}`)}`,
        `--name=e${i}`,
        `--listen-client-urls=${c}`,
        `--advertise-client-urls=${c}`,
        `--listen-peer-urls=${p}`,
        `--initial-advertise-peer-urls=${p}`,
        `--initial-cluster=${cluster}`,
        `--quota-backend-bytes=${o.quotaBackendBytes ?? 8 * 2 ** 30}`,
        "--log-level=error",
        "--logger=zap",
      ],
      // Never an unread pipe: etcd logs slow requests, and a full pipe blocks its logger.
      { stdio: ["ignore", "ignore", "ignore"] },
    );
  });
  const stop = () => stopChildren(children);
  try {
    const endpoints = clients.map((c) => `127.0.0.1:${c}`);
    await waitWritable(endpoints[0]!);
    return { endpoints, pids: children.map((c) => c.pid!), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
