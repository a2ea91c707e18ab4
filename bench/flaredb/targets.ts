// The three systems bench/flaredb compares, each as real processes on loopback with fsync on:
// flaredb (a placement driver + three `photon flaredb` stores), chainfire (three members) and
// etcd 3.4 (Debian etcd-server, three members). The launchers live in bench/support, shared
// with other benchmarks and tests; this file only names them for the YCSB driver.
import { startChainfireCluster } from "../support/chainfire-cluster.ts";
import { startEtcdCluster } from "../support/etcd-cluster.ts";
import { startFlaredbCluster } from "../support/flaredb-cluster.ts";

export type SystemName = "flaredb" | "chainfire" | "etcd";

export interface Target {
  name: SystemName;
  /** flaredb: the placement driver; etcd/chainfire: the members' client endpoints. */
  endpoints: string[];
  /** Server processes (their CPU time is accounted per workload). */
  pids: number[];
  stop(): Promise<void>;
}

export interface StartOptions {
  dir: string;
  /** flaredb stores write V8 CPU profiles here when they stop. */
  cpuProfDir?: string;
  /** flaredb: the placement driver's region split size. */
  regionSplitBytes?: number;
}

export async function startFlaredb(o: StartOptions): Promise<Target> {
  const c = await startFlaredbCluster({
    dir: o.dir,
    stores: 3,
    pdArgs: o.regionSplitBytes ? ["--region-split-bytes", String(o.regionSplitBytes)] : [],
    storeNodeArgs: o.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${o.cpuProfDir}`] : [],
  });
  // The placement driver is not on the data path; its CPU is counted too, for honesty.
  return { name: "flaredb", endpoints: [c.pdAddress], pids: c.pids, stop: c.stop };
}

export async function startChainfire(o: StartOptions): Promise<Target> {
  const c = await startChainfireCluster({ dir: o.dir, members: 3 });
  return { name: "chainfire", ...c };
}

export async function startEtcd(o: StartOptions): Promise<Target> {
  const c = await startEtcdCluster({ dir: o.dir, members: 3 });
  return { name: "etcd", ...c };
}

export const starters: Record<SystemName, (o: StartOptions) => Promise<Target>> = {
  flaredb: startFlaredb,
  chainfire: startChainfire,
  etcd: startEtcd,
};
