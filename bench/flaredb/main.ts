// `npm run bench -- flaredb [options]`: YCSB-style workloads A (50/50 read/update), B (95/5),
// C (read only) and E (short scans, 5 % inserts) over the same records against flaredb (three
// stores + a placement driver), chainfire (three members) and etcd 3.4 (three members), all
// real processes on loopback with fsync on, in one run. Each system is loaded with batches
// (flaredb batch put / etcd v3 txns of the same size), then each workload runs for a bounded time
// from several load-generator processes. Prints ops/s, p50/p99, the CPU seconds the servers and
// the clients used, and the ratios to etcd.
//
//   --records N       records loaded (default 1 000 000; --records 20000 for a quick run)
//   --seconds N       measured seconds per workload (default 10)
//   --procs N         load-generator processes (default 2)
//   --inflight N      calls outstanding per process (default 32)
//   --batch N         pairs per load batch (default 128, etcd's --max-txn-ops)
//   --load-inflight N batches outstanding per load process (default 8)
//   --systems a,b     subset of flaredb,chainfire,etcd
//   --workloads A,C   subset of A,B,C,E
//   --cpu-prof DIR    flaredb stores write V8 CPU profiles there
//   --region-split-mib N  flaredb's region split size (default 16, less for small runs)
//   --load-timeout S  give up loading a system after S seconds (default 900)
//   --rounds N        run the workloads N times (default 1) and report each figure's median.
//                     All systems stay up and loaded side by side, and every round runs each
//                     workload on each system back to back, so the systems compared in a round
//                     saw the same machine load (the machine is shared).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { treeCpuSeconds } from "../support/proc-cpu.ts";
import { type SystemName, starters, type Target } from "./targets.ts";
import { quantile, WORKLOADS, type WorkloadName } from "./ycsb.ts";

const args = process.argv.slice(2);
const str = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};
const num = (name: string, dflt: number) => {
  const v = Number(str(name, String(dflt)));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number`);
  return v;
};
const records = Math.floor(num("records", 1_000_000));
const seconds = num("seconds", 10);
const procs = Math.floor(num("procs", 2));
const inFlight = Math.floor(num("inflight", 32));
const batch = Math.min(1024, Math.floor(num("batch", 128)));
const loadInFlight = Math.floor(num("load-inflight", 8));
const loadTimeoutS = num("load-timeout", 900);
const systems = str("systems", "flaredb,chainfire,etcd").split(",") as SystemName[];
const workloads = str("workloads", "A,B,C,E").split(",") as WorkloadName[];
const cpuProfDir = str("cpu-prof", "");
const rounds = Math.floor(num("rounds", 1));
/**
 * flaredb's region split size: 16 MiB, or less for a small run, so that even a quick run has
 * ~16 regions whose leaders the placement driver spreads over the three stores (one region
 * would put every read on one store). TiKV splits at 96 MiB; with 1 M records (≈ 300 MB) the
 * default would leave ~5 regions.
 */
const regionSplitBytes = Math.floor(
  num("region-split-mib", Math.min(16, Math.max(0.25, (records * 300) / 16 / 2 ** 20))) * 2 ** 20,
);
for (const s of systems) if (!(s in starters)) throw new Error(`--systems: unknown system ${s}`);
for (const w of workloads) if (!(w in WORKLOADS)) throw new Error(`--workloads: unknown workload ${w}`);

const workerPath = join(import.meta.dirname, "worker.ts");
const load1 = () => loadavg()[0]!.toFixed(1);

interface RunOutput {
  ops: number;
  errors: number;
  firstError: string;
  seconds: number;
  cpuSeconds: number;
  latencies: number[];
  routing?: Record<string, number>;
}

interface Figure {
  opsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  serverCpu: number;
  clientCpu: number;
  load: string;
}

function spawnWorker(job: Record<string, unknown>): { child: ChildProcess; lines: AsyncIterator<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", workerPath, JSON.stringify(job)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const queue: string[] = [];
  const waiting: Array<(l: IteratorResult<string>) => void> = [];
  let buf = "";
  let ended = false;
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiting.shift();
      if (w) w({ value: line, done: false });
      else queue.push(line);
    }
  });
  child.once("exit", () => {
    ended = true;
    for (const w of waiting.splice(0)) w({ value: undefined, done: true });
  });
  const lines: AsyncIterator<string> = {
    next: () =>
      queue.length
        ? Promise.resolve({ value: queue.shift()!, done: false })
        : ended
          ? Promise.resolve({ value: undefined, done: true })
          : new Promise((r) => waiting.push(r)),
  };
  return { child, lines };
}

async function nextLine(w: { lines: AsyncIterator<string> }, what: string): Promise<string> {
  const r = await w.lines.next();
  if (r.done) throw new Error(`a load generator exited before ${what}`);
  return r.value;
}

async function loadRecords(t: Target): Promise<void> {
  const t0 = performance.now();
  const per = Math.ceil(records / procs);
  const ws = Array.from({ length: procs }, (_, i) =>
    spawnWorker({
      mode: "load",
      system: t.name,
      endpoints: t.endpoints,
      records,
      worker: i,
      inFlight: loadInFlight,
      batch,
      from: i * per,
      to: Math.min(records, (i + 1) * per),
    }),
  );
  const timer = setTimeout(() => {
    for (const w of ws) w.child.kill("SIGKILL");
  }, loadTimeoutS * 1000);
  try {
    const outs = await Promise.all(ws.map((w) => nextLine(w, "finishing its load")));
    const errors = outs.reduce((n, l) => n + (JSON.parse(l) as { errors: number }).errors, 0);
    const s = (performance.now() - t0) / 1000;
    console.error(
      `${t.name}: loaded ${records} records in ${s.toFixed(1)} s (${(records / s).toFixed(0)}/s, ${errors} retried batches; load average ${load1()})`,
    );
  } finally {
    clearTimeout(timer);
  }
}

async function runWorkload(t: Target, w: WorkloadName): Promise<Figure> {
  const ws = Array.from({ length: procs }, (_, i) =>
    spawnWorker({
      mode: "run",
      system: t.name,
      endpoints: t.endpoints,
      records,
      worker: i,
      inFlight,
      workload: w,
      seconds,
    }),
  );
  try {
    for (const x of ws) {
      const l = await nextLine(x, "READY");
      if (l !== "READY") throw new Error(`load generator: ${l}`);
    }
    const cpu0 = t.pids.reduce((s, p) => s + treeCpuSeconds(p), 0);
    for (const x of ws) x.child.stdin!.write("go\n");
    const outs = (await Promise.all(ws.map((x) => nextLine(x, "its result")))).map(
      (l) => JSON.parse(l) as RunOutput,
    );
    const serverCpu = t.pids.reduce((s, p) => s + treeCpuSeconds(p), 0) - cpu0;
    const lat = outs.flatMap((o) => o.latencies).sort((a, b) => a - b);
    const ops = outs.reduce((s, o) => s + o.ops / o.seconds, 0);
    const errors = outs.reduce((s, o) => s + o.errors, 0);
    if (errors)
      console.error(`${t.name} ${w}: ${errors} errors, e.g. ${outs.find((o) => o.firstError)?.firstError}`);
    const routing: Record<string, number> = {};
    for (const o of outs)
      for (const [k, v] of Object.entries(o.routing ?? {})) routing[k] = (routing[k] ?? 0) + v;
    if (Object.keys(routing).length)
      console.error(`${t.name} ${w}: client routing ${JSON.stringify(routing)}`);
    return {
      opsPerSec: ops,
      p50: quantile(lat, 0.5),
      p99: quantile(lat, 0.99),
      errors,
      serverCpu,
      clientCpu: outs.reduce((s, o) => s + o.cpuSeconds, 0),
      load: load1(),
    };
  } finally {
    for (const x of ws) if (x.child.exitCode === null) x.child.kill("SIGKILL");
  }
}

const results = new Map<string, Figure[]>();
console.error(
  `bench/flaredb: ${records} records, ${seconds} s per workload, ${rounds} round(s), ${procs} × ${inFlight} in flight, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
const targets: Array<{ t: Target; dir: string }> = [];
try {
  for (const name of systems) {
    const dir = mkdtempSync(join(tmpdir(), `ycsb-${name}-`));
    if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
    const t = await starters[name]({
      dir,
      regionSplitBytes,
      ...(cpuProfDir && name === "flaredb" ? { cpuProfDir } : {}),
    }).catch((err: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    });
    try {
      await loadRecords(t);
    } catch (err) {
      // One system that cannot load in time (chainfire at 1 M on a loaded machine) must not
      // throw away the others' figures: it is left out of the rounds and says why.
      console.error(`${name}: left out of this run: ${(err as Error).message}`);
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    targets.push({ t, dir });
  }
  for (let round = 1; round <= rounds; round++) {
    for (const w of workloads) {
      for (const { t } of targets) {
        const f = await runWorkload(t, w);
        results.set(`${t.name}|${w}`, [...(results.get(`${t.name}|${w}`) ?? []), f]);
        console.error(
          `round ${round} ${t.name.padEnd(9)} ${w} ${f.opsPerSec.toFixed(0).padStart(7)} ops/s  p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms  server CPU ${f.serverCpu.toFixed(1)} s  client CPU ${f.clientCpu.toFixed(1)} s  load ${f.load}`,
        );
      }
    }
  }
} finally {
  for (const { t, dir } of targets) {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median of a list (the mean of the middle two for an even count). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const rows = [
  "| workload | system | ops/s | p50 ms | p99 ms | vs etcd | server CPU ms/op | client CPU ms/op | load avg |",
  "|---|---|---|---|---|---|---|---|---|",
];
for (const w of workloads) {
  const etcd = results.get(`etcd|${w}`);
  for (const s of systems) {
    const fs = results.get(`${s}|${w}`);
    if (!fs) continue;
    // Ratios are taken per round (same machine load), then their median.
    const ratio = etcd ? `${median(fs.map((f, i) => f.opsPerSec / etcd[i]!.opsPerSec)).toFixed(2)}×` : "—";
    const perOp = (cpu: (f: Figure) => number) =>
      median(fs.map((f) => (cpu(f) * 1000) / (f.opsPerSec * seconds))).toFixed(3);
    rows.push(
      `| ${w} ${WORKLOADS[w].description} | ${s} | ${median(fs.map((f) => f.opsPerSec)).toFixed(0)} | ${median(fs.map((f) => f.p50)).toFixed(2)} | ${median(fs.map((f) => f.p99)).toFixed(2)} | ${ratio} | ${perOp((f) => f.serverCpu)} | ${perOp((f) => f.clientCpu)} | ${fs.map((f) => f.load).join(", ")} |`,
    );
  }
}
console.log(
  `\n${records} records × 256 B, ${seconds} s per workload, medians of ${rounds} round(s), ${procs} load generators × ${inFlight} in flight, 3 replicas each, fsync on; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}\n`,
);
console.log(rows.join("\n"));
