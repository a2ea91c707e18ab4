// `npm run bench -- chainfire [--seconds N] [--members 1]`: the same load generator against a
// chainfire member and an etcd 3.4 member (Debian etcd-server), both fsyncing, each in its
// own process on loopback. Prints ops/s and p50/p99 for both and the ratio chainfire/etcd.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchResult, runBench } from "../../src/chainfire/bench-load.ts";
import { ChainfireClient } from "../../src/chainfire/client.ts";

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const strArg = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};
const seconds = arg("seconds", 5);
const memberCount = arg("members", 1);
/** `--targets chainfire` skips etcd (e.g. while profiling); `--only put` runs matching workloads. */
const targetNames = strArg("targets", "chainfire,etcd").split(",");
const only = strArg("only", "");
/** `--cpu-prof DIR`: chainfire members write V8 CPU profiles there when they stop. */
const cpuProfDir = strArg("cpu-prof", "");
const VALUE_BYTES = 256;
const KEYSPACE = 10_000;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function waitForLine(child: ChildProcess, re: RegExp, timeoutMs = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`no ${re} in ${buf}`)), timeoutMs);
    const on = (d: Buffer) => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[0]);
      }
    };
    child.stdout?.on("data", on);
    child.stderr?.on("data", on);
  });
}

interface Target {
  name: string;
  endpoints: string[];
  /** Member processes, for their CPU time. */
  pids: number[];
  stop(): Promise<void>;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU milliseconds (user + system) the processes have used so far, from /proc. */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the ")" that closes the command name: utime and stime are the 12th and 13th.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // The process is gone: it used no more.
    }
  }
  return (ticks * 1000) / USER_HZ;
}

async function startChainfire(dirs: string[]): Promise<Target> {
  const peers = await Promise.all(dirs.map(() => freePort()));
  const initialCluster = dirs.length > 1 ? peers.map((p, i) => `c${i}=http://127.0.0.1:${p}`).join(",") : "";
  const children = dirs.map((dir, i) =>
    spawn(
      process.execPath,
      [
        ...(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : []),
        "--import",
        "tsx",
        join(import.meta.dirname, "serve-chainfire.ts"),
        dir,
        ...(initialCluster ? [`c${i}`, String(peers[i]), initialCluster] : []),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    ),
  );
  const urls = await Promise.all(children.map((c) => waitForLine(c, /ENDPOINT (\S+)/)));
  const endpoints = urls.map((u) => u.replace("http://", ""));
  await waitWritable(endpoints[0]!);
  return {
    name: "chainfire",
    endpoints,
    pids: children.map((c) => c.pid ?? 0),
    stop: () => Promise.all(children.map(stop)).then(() => undefined),
  };
}

async function startEtcd(dirs: string[]): Promise<Target> {
  const clients = await Promise.all(dirs.map(() => freePort()));
  const peers = await Promise.all(dirs.map(() => freePort()));
  const cluster = peers.map((p, i) => `e${i}=http://127.0.0.1:${p}`).join(",");
  const children = dirs.map((dir, i) => {
    const c = `http://127.0.0.1:${clients[i]}`;
    const p = `http://127.0.0.1:${peers[i]}`;
    return spawn(
      "etcd",
      [
        `--data-dir=${dir}`,
        `--name=e${i}`,
        `--listen-client-urls=${c}`,
        `--advertise-client-urls=${c}`,
        `--listen-peer-urls=${p}`,
        `--initial-advertise-peer-urls=${p}`,
        `--initial-cluster=${cluster}`,
        "--log-level=error",
        "--logger=zap",
      ],
      // Never a pipe nobody reads: etcd logs a warning per slow request, and once a 64 KiB pipe
      // fills, its logger blocks every request behind it (that was the ">1 s gets" artefact).
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  });
  const endpoints = clients.map((c) => `127.0.0.1:${c}`);
  await waitWritable(endpoints[0]!);
  return {
    name: "etcd",
    endpoints,
    pids: children.map((c) => c.pid ?? 0),
    stop: () => Promise.all(children.map(stop)).then(() => undefined),
  };
}

async function waitWritable(endpoint: string): Promise<void> {
  const probe = new ChainfireClient(endpoint);
  try {
    for (let i = 0; ; i++) {
      try {
        await probe.put("probe", "1");
        return;
      } catch (err) {
        if (i > 200) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    probe.close();
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}

type Result = Pick<BenchResult, "opsPerSec" | "p50Ms" | "p99Ms"> & {
  /** Server CPU (all members, user + system) per operation. */
  cpuMsPerOp: number;
};

/** The same load generator as `photon chainfire bench`: 4 connections spread over the members. */
function load(endpoints: string[], w: (typeof workloads)[number]): Promise<BenchResult> {
  return runBench({
    endpoints,
    workload: w.workload,
    seconds,
    inFlight: w.inFlight,
    connections: 4,
    valueBytes: VALUE_BYTES,
    keys: KEYSPACE,
    serializable: w.serializable,
    keyPrefix: "/bench/",
  });
}

const workloads: Array<{ name: string; workload: "put" | "range"; inFlight: number; serializable: boolean }> =
  [
    { name: "put 256B", workload: "put", inFlight: 16, serializable: false },
    { name: "put 256B", workload: "put", inFlight: 64, serializable: false },
    { name: "get linearizable", workload: "range", inFlight: 64, serializable: false },
    { name: "get serializable", workload: "range", inFlight: 64, serializable: true },
  ];

const rows: string[] = [];
const results = new Map<string, Result>();
const starters = { chainfire: startChainfire, etcd: startEtcd };
const selected = workloads.filter((w) => !only || w.name.includes(only));
for (const start of targetNames.map((t) => starters[t as keyof typeof starters])) {
  const dirs = Array.from({ length: memberCount }, () => mkdtempSync(join(tmpdir(), "chainfire-bench-")));
  const target = await start(dirs);
  try {
    for (const w of selected) {
      const cpuBefore = cpuMs(target.pids);
      const loaderBefore = process.cpuUsage();
      const b = await load(target.endpoints, w);
      const r: Result = { ...b, cpuMsPerOp: (cpuMs(target.pids) - cpuBefore) / Math.max(1, b.ops) };
      // The load generator's own CPU per op: were it near a core's worth, it would be the limit.
      const loader = process.cpuUsage(loaderBefore);
      const loaderMsPerOp = (loader.user + loader.system) / 1000 / Math.max(1, b.ops);
      results.set(`${target.name}|${w.name}|${w.inFlight}`, r);
      console.error(
        `${target.name.padEnd(9)} ${w.name.padEnd(17)} x${String(w.inFlight).padEnd(3)} ${r.opsPerSec.toFixed(0).padStart(7)} ops/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  server CPU ${r.cpuMsPerOp.toFixed(3)} ms/op  load generator CPU ${loaderMsPerOp.toFixed(3)} ms/op`,
      );
    }
  } finally {
    await target.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
rows.push(
  "| workload | in flight | chainfire ops/s | etcd ops/s | ratio | chainfire p50/p99 ms | etcd p50/p99 ms | server CPU ms/op chainfire / etcd |",
);
rows.push("|---|---|---|---|---|---|---|---|");
const none: Result = { opsPerSec: Number.NaN, p50Ms: Number.NaN, p99Ms: Number.NaN, cpuMsPerOp: Number.NaN };
for (const w of selected) {
  const c = results.get(`chainfire|${w.name}|${w.inFlight}`) ?? none;
  const e = results.get(`etcd|${w.name}|${w.inFlight}`) ?? none;
  rows.push(
    `| ${w.name} | ${w.inFlight} | ${c.opsPerSec.toFixed(0)} | ${e.opsPerSec.toFixed(0)} | ${(c.opsPerSec / e.opsPerSec).toFixed(2)}× | ${c.p50Ms.toFixed(2)} / ${c.p99Ms.toFixed(2)} | ${e.p50Ms.toFixed(2)} / ${e.p99Ms.toFixed(2)} | ${c.cpuMsPerOp.toFixed(3)} / ${e.cpuMsPerOp.toFixed(3)} |`,
  );
}
console.log(
  `${memberCount} member(s), fsync on, ${seconds} s per workload, 4 connections spread over the members, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}\n`,
);
console.log(rows.join("\n"));
