// A flaredb cluster on loopback for benchmarks and tests: `photon flaredb-pd` and N ×
// `photon flaredb` (real processes, free ports, fsync on), each in its own data dir under `dir`.
// Resolves once a put through the client succeeds.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { FlareClient } from "../../src/flaredb/client.ts";
import { drain, retryUntil, stopChildren, waitForLine } from "./spawned-process.ts";

const photon = join(import.meta.dirname, "..", "..", "bin", "photon.js");

export interface FlaredbClusterOptions {
  dir: string;
  /** Stores (default 3). */
  stores?: number;
  /** Extra placement-driver flags, e.g. ["--region-split-bytes", "16777216"]. */
  pdArgs?: string[];
  /** Extra store flags, e.g. ["--heartbeat-ms", "500"]. */
  storeArgs?: string[];
  /** Node flags for the stores, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"]. */
  storeNodeArgs?: string[];
}

export interface FlaredbCluster {
  pdAddress: string;
  storeAddresses: string[];
  /** The PD and the stores, e.g. for CPU accounting. */
  pids: number[];
  /** Stops every process (SIGTERM, so profiles get written; never removes `dir`). */
  stop(): Promise<void>;
}

export async function startFlaredbCluster(o: FlaredbClusterOptions): Promise<FlaredbCluster> {
  const children: ChildProcess[] = [];
  const stop = () => stopChildren(children);
  try {
    const pd = spawn(
      process.execPath,
      [
        photon,
        "flaredb-pd",
        "--port",
        "0",
        "--data-dir",
        join(o.dir, "pd"),
        "--log-level",
        "warn",
        // Bootstrap only once every store joined, so the first region has all its replicas.
        "--bootstrap-wait-ms",
        "60000",
        ...(o.pdArgs ?? []),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(pd);
    const pdAddress = await waitForLine(pd, /flaredb-pd serving \{"pd":"([^"]+)"/);
    drain(pd);
    const storeAddresses: string[] = [];
    for (let i = 0; i < (o.stores ?? 3); i++) {
      const s = spawn(
        process.execPath,
        [
          ...(o.storeNodeArgs ?? []),
          photon,
          "flaredb",
          "--port",
          "0",
          "--raft-port",
          "0",
          "--metrics-port",
          "-1",
          "--pd",
          pdAddress,
          "--data-dir",
          join(o.dir, `s${i}`),
          "--log-level",
          "warn",
          ...(o.storeArgs ?? []),
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      children.push(s);
      const serving = await waitForLine(s, /flaredb serving (\{.*\})/);
      storeAddresses.push((JSON.parse(serving) as { store: string }).store);
      drain(s);
    }
    const c = new FlareClient({ pd: [pdAddress] });
    try {
      await retryUntil("flaredb", async () => {
        await c.put("probe", "1");
        return true;
      });
    } finally {
      c.close();
    }
    return { pdAddress, storeAddresses, pids: children.map((ch) => ch.pid!), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
