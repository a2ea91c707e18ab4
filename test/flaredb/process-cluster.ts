// Real processes for the acceptance scenarios: `photon flaredb-pd` and N × `photon flaredb` on
// loopback (free ports), each with its own data dir, killed by id when the test ends.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FlareClient } from "../../src/flaredb/client.ts";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";

export interface ProcessCluster {
  dir: string;
  pdAddress: string;
  pd: PhotonProcess;
  stores: Array<{ proc: PhotonProcess; address: string; index: number }>;
  client: FlareClient;
  startStore(index: number): Promise<void>;
  close(): Promise<void>;
}

export interface ProcessClusterOptions {
  stores: number;
  storeDownMs: number;
  regionSplitBytes: number;
  loadSplitWritesPerSec: number;
  /** "photon": the photon binary; "role": test/flaredb/role-process.ts (same role, loads less). */
  launcher?: "photon" | "role";
}

const START_TIMEOUT_MS = 60_000;

export async function startProcessCluster(o: ProcessClusterOptions): Promise<ProcessCluster> {
  const dir = mkdtempSync(join(tmpdir(), "flaredb-proc-"));
  const procs: PhotonProcess[] = [];
  const launch = (args: string[]): PhotonProcess =>
    o.launcher === "photon" ? spawnPhoton(args) : spawnRole(args);
  const pd = launch([
    "flaredb-pd",
    "--port",
    "0",
    "--data-dir",
    join(dir, "pd"),
    "--log-level",
    "warn",
    "--store-down-ms",
    String(o.storeDownMs),
    "--region-split-bytes",
    String(o.regionSplitBytes),
    "--load-split-writes-per-sec",
    String(o.loadSplitWritesPerSec),
    "--bootstrap-wait-ms",
    "20000",
  ]);
  procs.push(pd);
  const cluster: ProcessCluster = {
    dir,
    pdAddress: "",
    pd,
    stores: [],
    client: undefined as unknown as FlareClient,
    async startStore(index: number) {
      const proc = launch([
        "flaredb",
        "--port",
        "0",
        "--raft-port",
        "0",
        "--metrics-port",
        "-1",
        "--pd",
        cluster.pdAddress,
        "--heartbeat-ms",
        "500",
        "--data-dir",
        join(dir, `store${index}`),
        "--log-level",
        process.env.FLAREDB_TEST_LOG ?? "warn",
      ]);
      procs.push(proc);
      const m = await proc.waitFor(/flaredb serving (\{.*\})/, START_TIMEOUT_MS);
      const address = (JSON.parse(m[1]!) as { store: string }).store;
      const at = cluster.stores.findIndex((s) => s.index === index);
      const entry = { proc, address, index };
      if (at >= 0) cluster.stores[at] = entry;
      else cluster.stores.push(entry);
    },
    async close() {
      cluster.client?.close();
      await Promise.all(procs.map((p) => p.kill("SIGKILL")));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const m = await pd.waitFor(/flaredb-pd serving (\{.*\})/, START_TIMEOUT_MS);
    cluster.pdAddress = (JSON.parse(m[1]!) as { pd: string }).pd;
    await Promise.all(Array.from({ length: o.stores }, (_, i) => cluster.startStore(i)));
    cluster.client = new FlareClient({ pd: [cluster.pdAddress], timeoutMs: 5_000 });
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

/** The light launcher: the same role through role-process.ts, with spawnPhoton's interface. */
function spawnRole(args: string[]): PhotonProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "role-process.ts"), ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    output: () => out,
    async waitFor(re, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const m = out.match(re);
        if (m) return m;
        if (child.exitCode !== null)
          throw new Error(`process exited before printing ${re}:\n${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${re} in output:\n${out.slice(-2000)}`);
    },
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
