// The three systems bench/flaredb compares, each as real processes on loopback with fsync on:
// flaredb (a placement driver + three `photon flaredb` stores), chainfire (three members) and
// etcd 3.4 (Debian etcd-server, three members). Each start returns the client endpoints, the
// server pids (for CPU accounting) and a stop that removes nothing but its own processes.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { ChainfireClient } from "../../src/chainfire/client.ts";
import { FlareClient } from "../../src/flaredb/client.ts";

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

const photon = join(import.meta.dirname, "..", "..", "bin", "photon.js");
const serveChainfire = join(import.meta.dirname, "..", "chainfire", "serve-chainfire.ts");
/** How long a member or store may take to come up on a loaded machine. */
const START_TIMEOUT_MS = 120_000;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function waitForLine(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`no ${re} in ${buf.slice(-2000)}`)), START_TIMEOUT_MS);
    const on = (d: Buffer) => {
      if (buf.length < 200_000) buf += d.toString();
      const m = re.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[0]);
      }
    };
    child.stdout?.on("data", on);
    child.stderr?.on("data", on);
    child.once("exit", (code) => reject(new Error(`exited (${code}) before ${re}: ${buf.slice(-2000)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    // SIGTERM lets a profiled store write its profile; SIGKILL after a grace.
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

/** Keeps reading a child's output (a full pipe would block its logger) without storing it. */
function drain(child: ChildProcess): void {
  child.stdout?.on("data", () => undefined);
  child.stderr?.on("data", () => undefined);
}

async function retry(what: string, f: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      if (await f()) return;
    } catch (err) {
      if (Date.now() > until) throw err;
    }
    if (Date.now() > until) throw new Error(`${what}: not ready within ${START_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startFlaredb(o: StartOptions): Promise<Target> {
  const children: ChildProcess[] = [];
  const stopAll = () => Promise.all(children.map(stop)).then(() => undefined);
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
        "--bootstrap-wait-ms",
        "60000",
        ...(o.regionSplitBytes ? ["--region-split-bytes", String(o.regionSplitBytes)] : []),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(pd);
    const pdAddress = await waitForLine(pd, /flaredb-pd serving \{"pd":"([^"]+)"/);
    drain(pd);
    for (let i = 0; i < 3; i++) {
      const s = spawn(
        process.execPath,
        [
          ...(o.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${o.cpuProfDir}`] : []),
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
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      children.push(s);
      await waitForLine(s, /flaredb serving (\{.*\})/);
      drain(s);
    }
    const c = new FlareClient({ pd: [pdAddress] });
    try {
      await retry("flaredb", async () => {
        await c.put("probe", "1");
        return true;
      });
    } finally {
      c.close();
    }
    return {
      name: "flaredb",
      endpoints: [pdAddress],
      // The placement driver is not on the data path; its CPU is counted too, for honesty.
      pids: children.map((ch) => ch.pid!),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function waitWritable(endpoint: string): Promise<void> {
  const probe = new ChainfireClient(endpoint);
  try {
    await retry(endpoint, async () => {
      await probe.put("probe", "1");
      return true;
    });
  } finally {
    probe.close();
  }
}

export async function startChainfire(o: StartOptions): Promise<Target> {
  const peers = await Promise.all([0, 1, 2].map(() => freePort()));
  const initialCluster = peers.map((p, i) => `c${i}=http://127.0.0.1:${p}`).join(",");
  const children = [0, 1, 2].map((i) =>
    spawn(
      process.execPath,
      ["--import", "tsx", serveChainfire, join(o.dir, `c${i}`), `c${i}`, String(peers[i]), initialCluster],
      { stdio: ["ignore", "pipe", "pipe"] },
    ),
  );
  const stopAll = () => Promise.all(children.map(stop)).then(() => undefined);
  try {
    const urls = await Promise.all(children.map((c) => waitForLine(c, /ENDPOINT (\S+)/)));
    for (const c of children) drain(c);
    const endpoints = urls.map((u) => u.replace("http://", ""));
    await waitWritable(endpoints[0]!);
    return { name: "chainfire", endpoints, pids: children.map((c) => c.pid!), stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export async function startEtcd(o: StartOptions): Promise<Target> {
  const clients = await Promise.all([0, 1, 2].map(() => freePort()));
  const peers = await Promise.all([0, 1, 2].map(() => freePort()));
  const cluster = peers.map((p, i) => `e${i}=http://127.0.0.1:${p}`).join(",");
  const children = [0, 1, 2].map((i) => {
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
        // 1 M records of 256 bytes fit the default 2 GiB quota; fsync stays on (the default).
        "--quota-backend-bytes=8589934592",
        "--log-level=error",
        "--logger=zap",
      ],
      // Never an unread pipe: etcd logs slow requests, and a full pipe blocks its logger.
      { stdio: ["ignore", "ignore", "ignore"] },
    );
  });
  const stopAll = () => Promise.all(children.map(stop)).then(() => undefined);
  try {
    const endpoints = clients.map((c) => `127.0.0.1:${c}`);
    await waitWritable(endpoints[0]!);
    return { name: "etcd", endpoints, pids: children.map((c) => c.pid!), stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export const starters: Record<SystemName, (o: StartOptions) => Promise<Target>> = {
  flaredb: startFlaredb,
  chainfire: startChainfire,
  etcd: startEtcd,
};
