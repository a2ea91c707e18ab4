// bench/nightlight: nightlight against Prometheus 2.42 in one run, on the same pre-encoded
// remote_write load. Prints ingestion samples/s (and each server's CPU), bytes per sample in
// persisted blocks, and range-query latency (p50/p90) for a typical dashboard set, with ratios.
//   npm run bench -- nightlight [--instances 100] [--steps 1000] [--shards 8] [--repeat 5]
//     [--warmup-fraction 0.05] [--prometheus-first] [--profile-dir d]
// Like with like: both servers get the same pre-encoded requests from the same 8 senders in this
// process; the first `--warmup-fraction` of each sender's requests is sent untimed (start-up:
// V8's JIT and nightlight's decode worker, Go's runtime), and ingestion is reported both for the
// timed rest (steady state) and from the first request (with start-up). Each server is queried
// only once its own CPU has settled after its first block (compaction, WAL checkpoint, GC).
// `--prometheus-first` swaps which server runs first, so runs can alternate under drifting load.
import { type ChildProcess, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { snappyCompress } from "../../src/nightlight/ingest/snappy.ts";
import { encodeWriteRequest, type WriteSeries } from "../../src/nightlight/ingest/write-request.ts";
import { blockSampleCount, indexFile } from "../../src/nightlight/tsdb/block.ts";

const { values: args } = parseArgs({
  options: {
    instances: { type: "string", default: "100" },
    steps: { type: "string", default: "1000" },
    shards: { type: "string", default: "8" },
    repeat: { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
    "warmup-fraction": { type: "string", default: "0.05" },
    "prometheus-first": { type: "boolean", default: false },
    /** Write a CPU profile of the nightlight server (node --cpu-prof) into this directory. */
    "profile-dir": { type: "string" },
  },
});
const instances = Number(args.instances);
const steps = Number(args.steps);
const shards = Number(args.shards);
const repeat = Number(args.repeat);
const warmupFraction = Number(args["warmup-fraction"]);
const stepMs = 15_000;
const timestampsPerRequest = 4;
const t0 = Math.floor((Date.now() - steps * stepMs) / stepMs) * stepMs;
const clkTck = 100;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SeriesGen {
  labels: [string, string][];
  next: () => number;
}

function makeSeries(): SeriesGen[] {
  const rnd = rng(7);
  const out: SeriesGen[] = [];
  const les = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
  for (let i = 0; i < instances; i++) {
    const base: [string, string][] = [
      ["instance", `10.0.${i >> 8}.${i & 255}:9100`],
      ["job", "bench"],
    ];
    for (let p = 0; p < 10; p++) {
      let v = Math.floor(rnd() * 1e5);
      out.push({
        labels: [["__name__", "bench_requests_total"], ...base, ["path", `/api/v${p}`]],
        next: () => (v += Math.floor(rnd() * 100)),
      });
    }
    for (let g = 0; g < 5; g++) {
      let v = 50 + rnd() * 50;
      out.push({
        labels: [["__name__", "bench_gauge"], ...base, ["kind", `g${g}`]],
        next: () => (v = Math.round((v + (rnd() - 0.5) * 2) * 100) / 100),
      });
    }
    const counts = les.map(() => 0);
    let tick = 0;
    let lastTick = -1;
    const advance = () => {
      if (tick === lastTick) return;
      lastTick = tick;
      for (let k = 0; k < 20; k++) {
        const x = rnd() * rnd() * 3;
        les.forEach((le, j) => {
          if (le === "+Inf" || x <= Number(le)) counts[j]!++;
        });
      }
    };
    les.forEach((le, j) => {
      out.push({
        labels: [["__name__", "bench_latency_seconds_bucket"], ...base, ["le", le]],
        next: () => {
          if (j === 0) {
            tick++;
            advance();
          }
          return counts[j]!;
        },
      });
    });
  }
  return out;
}

/** Pre-encoded request bodies per shard, in time order (a series always lives in one shard). */
function buildLoad(): {
  bodies: Buffer[][];
  samplesPerBody: number[][];
  samples: number;
  series: number;
} {
  const all = makeSeries();
  const bodies: Buffer[][] = Array.from({ length: shards }, () => []);
  const samplesPerBody: number[][] = Array.from({ length: shards }, () => []);
  const byShard: SeriesGen[][] = Array.from({ length: shards }, () => []);
  for (const [i, s] of all.entries()) byShard[i % shards]!.push(s);
  let samples = 0;
  for (let step = 0; step < steps; step += timestampsPerRequest) {
    for (let sh = 0; sh < shards; sh++) {
      let inBody = 0;
      const series: WriteSeries[] = byShard[sh]!.map((g) => {
        const ts: number[] = [];
        const vs: number[] = [];
        for (let k = step; k < Math.min(steps, step + timestampsPerRequest); k++) {
          ts.push(t0 + k * stepMs);
          vs.push(g.next());
        }
        samples += ts.length;
        inBody += ts.length;
        return { labels: g.labels, ts, vs };
      });
      bodies[sh]!.push(Buffer.from(snappyCompress(encodeWriteRequest({ series }))));
      samplesPerBody[sh]!.push(inBody);
    }
  }
  return { bodies, samplesPerBody, samples, series: all.length };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clkTck;
}

async function waitReady(url: string, proc: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`${url} exited`);
    try {
      const r = await fetch(url);
      if (r.status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready`);
}

interface Target {
  name: string;
  url: string;
  proc: ChildProcess;
  headers: Record<string, string>;
  blocksDir: string;
}

async function startNightlight(dir: string): Promise<Target> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [
      ...(args["profile-dir"] ? ["--cpu-prof", `--cpu-prof-dir=${args["profile-dir"]}`] : []),
      "bin/photon.js",
      "nightlight",
      "--data-dir",
      dir,
      "--port",
      String(port),
      "--listen",
      "127.0.0.1",
      "--no-scrape-platform",
      // Prometheus checks whether to compact its head once a minute: the same cadence here.
      "--compact-interval-seconds",
      "60",
      "--max-samples-per-second",
      "1000000000",
      "--log-level",
      "warn",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/readyz`, proc);
  const token = readFileSync(join(dir, "admin-token"), "utf8").trim();
  return {
    name: "nightlight",
    url,
    proc,
    headers: { authorization: `Bearer ${token}` },
    blocksDir: join(dir, "nightlight", "blocks"),
  };
}

async function startPrometheus(dir: string): Promise<Target> {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "prometheus.yml"), "global:\n  scrape_interval: 15s\n");
  const proc = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--web.enable-remote-write-receiver",
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/-/ready`, proc);
  return { name: "prometheus", url, proc, headers: {}, blocksDir: join(dir, "data") };
}

interface IngestResult {
  /** The timed part: every request after each sender's warm-up ones. */
  seconds: number;
  cpu: number;
  samples: number;
  /** From the first request (warm-up included). */
  allSeconds: number;
  allCpu: number;
  errors: number;
}

async function ingest(t: Target, bodies: Buffer[][], samplesPerBody: number[][]): Promise<IngestResult> {
  let errors = 0;
  const send = async (body: Buffer) => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${t.url}/api/v1/write`, {
        method: "POST",
        headers: {
          ...t.headers,
          "content-type": "application/x-protobuf",
          "content-encoding": "snappy",
          "x-prometheus-remote-write-version": "0.1.0",
        },
        body,
      });
      await res.arrayBuffer();
      if (res.status < 300) return;
      if (res.status !== 429 && res.status < 500) {
        errors++;
        return;
      }
      if (attempt > 20) throw new Error(`${t.name}: ${res.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const warm = bodies.map((list) => Math.floor(list.length * warmupFraction));
  const cpuAll0 = cpuSeconds(t.proc.pid!);
  const startAll = performance.now();
  // Warm-up: each sender's first requests, in order (per-series order is kept across the phases).
  await Promise.all(
    bodies.map(async (list, sh) => {
      for (const body of list.slice(0, warm[sh])) await send(body);
    }),
  );
  const cpu0 = cpuSeconds(t.proc.pid!);
  const start = performance.now();
  await Promise.all(
    bodies.map(async (list, sh) => {
      for (const body of list.slice(warm[sh])) await send(body);
    }),
  );
  const end = performance.now();
  const cpu1 = cpuSeconds(t.proc.pid!);
  let samples = 0;
  for (const [sh, counts] of samplesPerBody.entries()) for (const n of counts.slice(warm[sh])) samples += n;
  return {
    seconds: (end - start) / 1000,
    cpu: cpu1 - cpu0,
    samples,
    allSeconds: (end - startAll) / 1000,
    allCpu: cpu1 - cpuAll0,
    errors,
  };
}

/**
 * Waits until the server has used under 5 % of a core for a whole second (at most 30 s): after
 * its first block it may still be compacting, checkpointing its WAL or collecting garbage, and
 * the queries should find each server at rest.
 */
async function settle(t: Target): Promise<number> {
  const start = performance.now();
  let prev = cpuSeconds(t.proc.pid!);
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuSeconds(t.proc.pid!);
    if (now - prev < 0.05) break;
    prev = now;
  }
  return (performance.now() - start) / 1000;
}

/** Bytes and samples of the persisted blocks (not the WAL or the head). */
function blockStats(t: Target): { bytes: number; samples: number } {
  let bytes = 0;
  let samples = 0;
  if (!existsSync(t.blocksDir)) return { bytes, samples };
  const du = (p: string): number => {
    const st = statSync(p);
    if (!st.isDirectory()) return st.size;
    return readdirSync(p).reduce((n, f) => n + du(join(p, f)), 0);
  };
  for (const d of readdirSync(t.blocksDir)) {
    const p = join(t.blocksDir, d);
    if (t.name === "prometheus") {
      if (!existsSync(join(p, "meta.json"))) continue;
      samples += JSON.parse(readFileSync(join(p, "meta.json"), "utf8")).stats.numSamples;
      bytes += du(p);
    } else {
      if (d.endsWith(".tmp") || !existsSync(join(p, indexFile))) continue;
      samples += blockSampleCount(p);
      bytes += du(p);
    }
  }
  return { bytes, samples };
}

const dashboard = [
  "sum(rate(bench_requests_total[5m]))",
  "sum by (instance) (rate(bench_requests_total[5m]))",
  "topk(5, sum by (path) (rate(bench_requests_total[5m])))",
  "histogram_quantile(0.99, sum by (le) (rate(bench_latency_seconds_bucket[5m])))",
  "histogram_quantile(0.5, sum by (le, instance) (rate(bench_latency_seconds_bucket[5m])))",
  "avg by (kind) (bench_gauge)",
  'max_over_time(bench_gauge{kind="g0"}[10m])',
  'rate(bench_requests_total{instance="10.0.0.1:9100"}[1m])',
];

async function queryLatencies(t: Target): Promise<{ ms: number[]; cpu: number }> {
  const end = (t0 + (steps - 1) * stepMs) / 1000;
  const start = end - 3600;
  const cpu0 = cpuSeconds(t.proc.pid!);
  const ms: number[] = [];
  for (let r = 0; r < repeat; r++) {
    for (const q of dashboard) {
      const u = new URL("/api/v1/query_range", t.url);
      u.searchParams.set("query", q);
      u.searchParams.set("start", String(start));
      u.searchParams.set("end", String(end));
      u.searchParams.set("step", "15");
      const s = performance.now();
      const res = await fetch(u, { headers: t.headers });
      const body = (await res.json()) as { status: string; error?: string };
      if (body.status !== "success") throw new Error(`${t.name} ${q}: ${body.error}`);
      ms.push(performance.now() - s);
    }
  }
  return { ms, cpu: cpuSeconds(t.proc.pid!) - cpu0 };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

async function stop(t: Target): Promise<void> {
  if (t.proc.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    t.proc.once("exit", () => resolve());
    t.proc.kill("SIGTERM");
    setTimeout(() => t.proc.kill("SIGKILL"), 20_000).unref();
  });
}

async function waitForBlocks(t: Target, minSamples: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (blockStats(t).samples < minSamples && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 1000));
}

const dir = mkdtempSync(join(tmpdir(), "bench-nightlight-"));
try {
  console.log(`building load: ${instances} instances, ${steps} steps of 15s …`);
  const load = buildLoad();
  console.log(
    `${load.series} series, ${load.samples} samples, ${load.bodies.flat().length} requests over ${shards} shards`,
  );
  const results: Record<string, Record<string, number>> = {};
  const order = args["prometheus-first"]
    ? (["prometheus", "nightlight"] as const)
    : (["nightlight", "prometheus"] as const);
  for (const which of order) {
    const t =
      which === "nightlight"
        ? await startNightlight(join(dir, "nl"))
        : await startPrometheus(join(dir, "prom"));
    try {
      const ing = await ingest(t, load.bodies, load.samplesPerBody);
      // Both cut the oldest 2h of a head spanning > 3h into a block; Prometheus checks once a minute.
      await waitForBlocks(t, 1, 120_000);
      const settleSec = await settle(t);
      const blocks = blockStats(t);
      const q = await queryLatencies(t);
      results[which] = {
        samplesPerSec: ing.samples / ing.seconds,
        ingestCpuSec: ing.cpu,
        ingestCpuUsPerSample: (ing.cpu * 1e6) / ing.samples,
        samplesPerSecWithStartup: load.samples / ing.allSeconds,
        ingestCpuSecWithStartup: ing.allCpu,
        timedSamples: ing.samples,
        settleSec,
        ingestErrors: ing.errors,
        bytesPerSample: blocks.samples > 0 ? blocks.bytes / blocks.samples : Number.NaN,
        blockSamples: blocks.samples,
        queryP50Ms: pct(q.ms, 0.5),
        queryP90Ms: pct(q.ms, 0.9),
        queryCpuSec: q.cpu,
      };
      console.log(which, results[which]);
    } finally {
      await stop(t);
    }
  }
  const n = results.nightlight!;
  const p = results.prometheus!;
  const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
  console.log(
    `\norder: ${order.join(" then ")}; ${n.timedSamples} of ${load.samples} samples timed (each sender's first ${warmupFraction * 100}% of requests are the warm-up)`,
  );
  console.log("| metric | nightlight | Prometheus 2.42 | ratio (nightlight/Prometheus) |");
  console.log("|---|---|---|---|");
  console.log(
    `| remote_write ingestion, samples/s | ${f(n.samplesPerSec!, 0)} | ${f(p.samplesPerSec!, 0)} | ${f(n.samplesPerSec! / p.samplesPerSec!)} |`,
  );
  console.log(
    `| server CPU during ingestion, s | ${f(n.ingestCpuSec!)} | ${f(p.ingestCpuSec!)} | ${f(n.ingestCpuSec! / p.ingestCpuSec!)} |`,
  );
  console.log(
    `| ingestion incl. start-up (first ${warmupFraction * 100}% untimed above), samples/s | ${f(n.samplesPerSecWithStartup!, 0)} | ${f(p.samplesPerSecWithStartup!, 0)} | ${f(n.samplesPerSecWithStartup! / p.samplesPerSecWithStartup!)} |`,
  );
  console.log(
    `| server CPU incl. start-up, s | ${f(n.ingestCpuSecWithStartup!)} | ${f(p.ingestCpuSecWithStartup!)} | ${f(n.ingestCpuSecWithStartup! / p.ingestCpuSecWithStartup!)} |`,
  );
  console.log(
    `| bytes per sample in blocks | ${f(n.bytesPerSample!, 3)} | ${f(p.bytesPerSample!, 3)} | ${f(n.bytesPerSample! / p.bytesPerSample!)} |`,
  );
  console.log(
    `| dashboard range query p50, ms | ${f(n.queryP50Ms!)} | ${f(p.queryP50Ms!)} | ${f(n.queryP50Ms! / p.queryP50Ms!)} |`,
  );
  console.log(
    `| dashboard range query p90, ms | ${f(n.queryP90Ms!)} | ${f(p.queryP90Ms!)} | ${f(n.queryP90Ms! / p.queryP90Ms!)} |`,
  );
  console.log(
    `| server CPU during queries, s | ${f(n.queryCpuSec!)} | ${f(p.queryCpuSec!)} | ${f(n.queryCpuSec! / p.queryCpuSec!)} |`,
  );
} finally {
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
}
