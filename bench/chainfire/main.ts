// `npm run bench -- chainfire [--seconds N] [--members 1]`: the same load generator against a
// chainfire member and an etcd 3.4 member (Debian etcd-server), both fsyncing, each in its
// own process on loopback. Prints ops/s and p50/p99 for both and the ratio chainfire/etcd.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
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
const VALUE = Buffer.alloc(256, 0x61);
const KEYSPACE = 10_000;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function waitForLine(child: ChildProcess, re: RegExp, timeoutMs = 20_000): Promise<string> {
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
  stop(): Promise<void>;
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
  return { name: "chainfire", endpoints, stop: () => Promise.all(children.map(stop)).then(() => undefined) };
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
  return { name: "etcd", endpoints, stop: () => Promise.all(children.map(stop)).then(() => undefined) };
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

interface Result {
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

async function load(
  endpoints: string[],
  inFlight: number,
  op: (c: ChainfireClient, i: number) => Promise<unknown>,
): Promise<Result> {
  // Several connections, as a real fleet of clients would have; each carries inFlight/4 calls.
  const clients = Array.from({ length: 4 }, (_, i) => new ChainfireClient(endpoints[i % endpoints.length]!));
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const worker = async (w: number) => {
    const c = clients[w % clients.length]!;
    while (performance.now() < end) {
      const t = performance.now();
      await op(c, n++);
      latencies.push(performance.now() - t);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  for (const c of clients) c.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { opsPerSec: latencies.length / elapsed, p50Ms: q(0.5), p99Ms: q(0.99) };
}

const workloads: Array<{
  name: string;
  inFlight: number;
  op: (c: ChainfireClient, i: number) => Promise<unknown>;
}> = [
  { name: "put 256B", inFlight: 16, op: (c, i) => c.put(`/bench/${i % KEYSPACE}`, VALUE) },
  { name: "put 256B", inFlight: 64, op: (c, i) => c.put(`/bench/${i % KEYSPACE}`, VALUE) },
  { name: "get linearizable", inFlight: 64, op: (c, i) => c.get(`/bench/${i % KEYSPACE}`) },
  {
    name: "get serializable",
    inFlight: 64,
    op: (c, i) => c.get(`/bench/${i % KEYSPACE}`, { serializable: true }),
  },
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
      const r = await load(target.endpoints, w.inFlight, w.op);
      results.set(`${target.name}|${w.name}|${w.inFlight}`, r);
      console.error(
        `${target.name.padEnd(9)} ${w.name.padEnd(17)} x${String(w.inFlight).padEnd(3)} ${r.opsPerSec.toFixed(0).padStart(7)} ops/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms`,
      );
    }
  } finally {
    await target.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
rows.push(
  "| workload | in flight | chainfire ops/s | etcd ops/s | ratio | chainfire p50/p99 ms | etcd p50/p99 ms |",
);
rows.push("|---|---|---|---|---|---|---|");
const none: Result = { opsPerSec: Number.NaN, p50Ms: Number.NaN, p99Ms: Number.NaN };
for (const w of selected) {
  const c = results.get(`chainfire|${w.name}|${w.inFlight}`) ?? none;
  const e = results.get(`etcd|${w.name}|${w.inFlight}`) ?? none;
  rows.push(
    `| ${w.name} | ${w.inFlight} | ${c.opsPerSec.toFixed(0)} | ${e.opsPerSec.toFixed(0)} | ${(c.opsPerSec / e.opsPerSec).toFixed(2)}× | ${c.p50Ms.toFixed(2)} / ${c.p99Ms.toFixed(2)} | ${e.p50Ms.toFixed(2)} / ${e.p99Ms.toFixed(2)} |`,
  );
}
console.log(
  `${memberCount} member(s), fsync on, ${seconds} s per workload, 4 connections spread over the members, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}\n`,
);
console.log(rows.join("\n"));
