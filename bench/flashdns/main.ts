// bench/flashdns: dnsperf with one query file against flashdns, NSD and Knot in one run, each
// with the same number of UDP server processes or workers (--processes). Phase 1 measures peak
// queries per second; phase 2 offers all three the same fixed rate and measures latency
// percentiles. Prints each side's CPU and the load average; repeats --runs times (rotating
// the order of the servers) and prints medians.
//   npm run bench -- flashdns [--seconds 10] [--queries 5000] [--seed 1] [--processes 1] [--runs 3]
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { ensureAdminToken } from "../../src/cli/local-admin.ts";
import { FlashdnsClient } from "../../src/flashdns/client.ts";
import { RRType, typeName } from "../../src/flashdns/wire/constants.ts";
import { dnsExchange } from "../../test/flashdns/dns-exchange.ts";
import { freePort } from "../../test/flashdns/free-port.ts";
import { type NsdProcess, startNsd } from "../../test/flashdns/nsd-process.ts";
import { generateQueries, generateZone } from "../../test/flashdns/zone-generator.ts";
import { tempDir } from "../../test/support/temp-dir.ts";
import { treeCpuSeconds } from "../support/proc-cpu.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    queries: { type: "string", default: "5000" },
    seed: { type: "string", default: "1" },
    processes: { type: "string", default: "1" },
    runs: { type: "string", default: "3" },
  },
});
const seconds = Math.max(2, Math.min(120, Number(values.seconds)));
const queryCount = Math.max(100, Math.min(100_000, Number(values.queries)));
const seed = Number(values.seed);
const processes = Math.max(1, Math.min(8, Number(values.processes)));
const runs = Math.max(1, Math.min(10, Number(values.runs)));
const run = promisify(execFile);
const dir = tempDir("photon-bench-dns-");
const children: ChildProcess[] = [];
const here = import.meta.dirname;
let nsd: NsdProcess | undefined;

interface Target {
  name: string;
  port: number;
  pid: number;
}

interface PerfResult {
  qps: number;
  completedPct: number;
  cpuSeconds: number;
  p50Ms?: number;
  p99Ms?: number;
}

async function waitForDns(port: number, zone: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await dnsExchange({ port, name: `${zone}.`, type: RRType.SOA, timeoutMs: 300 });
      if (r.answers.length === 1) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`no DNS answer on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startKnot(zoneName: string, zoneText: string): Promise<Target> {
  const kdir = join(dir.path, "knot");
  const port = await freePort();
  await run("mkdir", ["-p", kdir]);
  writeFileSync(join(kdir, `${zoneName}.zone`), zoneText);
  const conf = join(kdir, "knot.conf");
  writeFileSync(
    conf,
    [
      "server:",
      `    rundir: "${kdir}"`,
      `    listen: 127.0.0.1@${port}`,
      `    udp-workers: ${processes}`,
      "    tcp-workers: 1",
      "    background-workers: 1",
      "log:",
      "  - target: stderr",
      "    any: warning",
      "database:",
      `    storage: "${kdir}"`,
      "template:",
      "  - id: default",
      `    storage: "${kdir}"`,
      '    file: "%s.zone"',
      "zone:",
      `  - domain: ${zoneName}`,
      "",
    ].join("\n"),
  );
  const child = spawn("knotd", ["-c", conf], { stdio: ["ignore", "inherit", "inherit"] });
  children.push(child);
  await waitForDns(port, zoneName);
  return { name: "knot", port, pid: child.pid as number };
}

async function startFlashdns(zoneName: string, zoneText: string): Promise<Target> {
  const fdir = join(dir.path, "flashdns");
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(here, "..", "..", "bin", "photon.js"),
      "flashdns",
      "--data-dir",
      fdir,
      "--dns-port",
      String(port),
      "--port",
      "0",
      "--log-level",
      "info",
      "--dns-processes",
      String(processes),
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /"api":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`flashdns exited (${code}): ${out}`)));
    setTimeout(() => reject(new Error(`flashdns did not start: ${out}`)), 90_000).unref();
  });
  const client = new FlashdnsClient({ baseUrl: url, token: ensureAdminToken(fdir).token });
  await client.createZone("bench", "bench", { dnsName: zoneName });
  await client.importZone("bench", "bench", zoneText);
  await waitForDns(port, zoneName);
  return { name: "flashdns", port, pid: child.pid as number };
}

async function dnsperf(
  t: Target,
  queryFile: string,
  extra: string[],
): Promise<{ stdout: string; cpuSeconds: number }> {
  const before = treeCpuSeconds(t.pid);
  const r = await run(
    "dnsperf",
    [
      "-s",
      "127.0.0.1",
      "-p",
      String(t.port),
      "-d",
      queryFile,
      "-l",
      String(seconds),
      "-T",
      "1",
      "-c",
      "4",
      "-t",
      "2",
      ...extra,
    ],
    {
      maxBuffer: 1024 * 1024 * 1024,
    },
  );
  return { stdout: r.stdout, cpuSeconds: treeCpuSeconds(t.pid) - before };
}

async function peak(t: Target, queryFile: string): Promise<PerfResult> {
  const r = await dnsperf(t, queryFile, ["-q", "256"]);
  const qps = Number(/Queries per second:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? 0);
  const completedPct = Number(/Queries completed:\s+\d+ \(([\d.]+)%\)/.exec(r.stdout)?.[1] ?? 0);
  return { qps, completedPct, cpuSeconds: r.cpuSeconds };
}

async function latency(
  t: Target,
  queryFile: string,
  rate: number,
): Promise<{ p50Ms: number; p99Ms: number; cpuSeconds: number }> {
  const r = await dnsperf(t, queryFile, ["-q", "256", "-Q", String(Math.floor(rate)), "-v"]);
  const lat = [...r.stdout.matchAll(/^> \S+ \S+ \S+ ([\d.]+)$/gm)]
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const at = (p: number) => (lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0) * 1000;
  return { p50Ms: at(0.5), p99Ms: at(0.99), cpuSeconds: r.cpuSeconds };
}

async function main() {
  // The API serves the issue's types only, so the RFC 3597 test type is left out for all three.
  const generated = generateZone(seed, "bench.test.");
  const zone = {
    ...generated,
    text: generated.text
      .split("\n")
      .filter((l) => !l.includes("TYPE65280"))
      .join("\n"),
  };
  const skip = new Set([65_280, 99]);
  const queries = generateQueries(zone, queryCount * 2, seed + 1)
    .filter((q) => !skip.has(q.type) && !q.tcp)
    .slice(0, queryCount);
  const queryFile = join(dir.path, "queries.txt");
  writeFileSync(queryFile, `${queries.map((q) => `${q.name} ${typeName(q.type)}`).join("\n")}\n`);
  const zoneName = zone.origin.replace(/\.$/, "");
  const nsdDir = join(dir.path, "nsd");
  nsd = await startNsd({
    dir: nsdDir,
    port: await freePort(),
    zones: [{ name: zoneName, text: zone.text }],
    serverCount: processes,
  });
  const targets: Target[] = [
    { name: "nsd", port: nsd.port, pid: nsd.child.pid as number },
    await startKnot(zoneName, zone.text),
    await startFlashdns(zoneName, zone.text),
  ];
  console.log(
    `zone: ${zone.text.split("\n").length} lines; query file: ${queries.length} queries; ${seconds} s per phase; ${processes} UDP server process(es)/worker(s) each; ${runs} runs`,
  );
  for (const t of targets) await dnsperf(t, queryFile, ["-q", "64"]).catch(() => undefined); // warm-up (JIT, caches)
  const all: { load: number; rate: number; results: Map<string, PerfResult> }[] = [];
  const fmt = (n: number | undefined, d = 0) => (n === undefined ? "-" : n.toFixed(d));
  for (let run = 0; run < runs; run++) {
    // Rotating the order spreads the drift of a shared machine's load over all three.
    const order = targets.map((_, i) => targets[(i + run) % targets.length] as Target);
    const load = loadavg()[0] as number;
    const results = new Map<string, PerfResult>();
    for (const t of order) results.set(t.name, await peak(t, queryFile));
    // Latency at the same offered load for everyone: half of the slowest peak.
    const rate = Math.min(...[...results.values()].map((r) => r.qps)) * 0.5;
    for (const t of order) {
      const l = await latency(t, queryFile, rate);
      Object.assign(results.get(t.name) as PerfResult, { p50Ms: l.p50Ms, p99Ms: l.p99Ms });
    }
    all.push({ load, rate, results });
    console.log(
      `\nrun ${run + 1} (load average ${load.toFixed(1)} at the start)\n${"server".padEnd(10)} ${"peak qps".padStart(10)} ${"done %".padStart(7)} ${"cpu s".padStart(6)} ${"qps/cpu-s".padStart(10)} | at ${Math.floor(rate)} qps: ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)}`,
    );
    for (const t of targets) {
      const r = results.get(t.name) as PerfResult;
      console.log(
        `${t.name.padEnd(10)} ${fmt(r.qps).padStart(10)} ${fmt(r.completedPct, 1).padStart(7)} ${fmt(r.cpuSeconds, 1).padStart(6)} ${fmt(r.qps / Math.max(r.cpuSeconds / seconds, 0.01)).padStart(10)} | ${" ".repeat(String(Math.floor(rate)).length + 8)}${fmt(r.p50Ms, 3).padStart(7)} ${fmt(r.p99Ms, 3).padStart(7)}`,
      );
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2
      ? (s[(s.length - 1) / 2] as number)
      : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  };
  const of = (name: string, f: (r: PerfResult) => number) =>
    all.map((a) => f(a.results.get(name) as PerfResult));
  console.log(
    `\nmedians of ${runs} runs (load average ${all.map((a) => a.load.toFixed(1)).join(", ")}; ${processes} process(es) each)`,
  );
  console.log(
    `${"server".padEnd(10)} ${"peak qps".padStart(10)} ${"qps/cpu-s".padStart(10)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)}`,
  );
  for (const t of targets)
    console.log(
      `${t.name.padEnd(10)} ${fmt(median(of(t.name, (r) => r.qps))).padStart(10)} ${fmt(median(of(t.name, (r) => r.qps / Math.max(r.cpuSeconds / seconds, 0.01)))).padStart(10)} ${fmt(median(of(t.name, (r) => r.p50Ms ?? 0)), 3).padStart(7)} ${fmt(median(of(t.name, (r) => r.p99Ms ?? 0)), 3).padStart(7)}`,
    );
  // Ratios within each run (same load), then their median.
  for (const other of ["nsd", "knot"]) {
    const qps = median(
      all.map(
        (a) => (a.results.get("flashdns") as PerfResult).qps / (a.results.get(other) as PerfResult).qps,
      ),
    );
    const p99 = median(
      all.map(
        (a) =>
          ((a.results.get("flashdns") as PerfResult).p99Ms ?? 0) /
          Math.max((a.results.get(other) as PerfResult).p99Ms ?? 0, 0.001),
      ),
    );
    const cpu = median(
      all.map((a) => {
        const f = a.results.get("flashdns") as PerfResult;
        const o = a.results.get(other) as PerfResult;
        return f.qps / Math.max(f.cpuSeconds, 0.01) / (o.qps / Math.max(o.cpuSeconds, 0.01));
      }),
    );
    console.log(
      `flashdns / ${other} (median of per-run ratios): qps ${qps.toFixed(2)}x, qps per CPU-s ${cpu.toFixed(2)}x, p99 ${p99.toFixed(2)}x`,
    );
  }
}

try {
  await main();
} finally {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await nsd?.stop();
  await new Promise((r) => setTimeout(r, 500));
  dir.remove();
}
