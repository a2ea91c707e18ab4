// The dashboard's range queries without HTTP, for profiling
// (`node --cpu-prof --import tsx bench/nightlight/query-profile.ts`): node-like series written
// into a Tsdb, then each query evaluated over the last hour at a 15 s step.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { WriteSeries } from "../../src/nightlight/ingest/write-request.ts";
import { evaluateRangeQuery } from "../../src/nightlight/promql/evaluator.ts";
import { parseQuery } from "../../src/nightlight/promql/parser.ts";
import { Tsdb } from "../../src/nightlight/tsdb/tsdb.ts";

const { values: args } = parseArgs({
  options: {
    instances: { type: "string", default: "80" },
    steps: { type: "string", default: "1000" },
    repeat: { type: "string", default: "3" },
  },
});
const instances = Number(args.instances);
const steps = Number(args.steps);
const stepMs = 15_000;
const t0 = 1_700_000_000_000;
const les = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];

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

const dir = mkdtempSync(join(tmpdir(), "nl-qprof-"));
try {
  const db = await Tsdb.open({ dir, clock: Date.now, limits: { maxSamplesPerSecond: 1e12 } });
  const all: [string, string][][] = [];
  for (let i = 0; i < instances; i++) {
    const base: [string, string][] = [
      ["instance", `10.0.${i >> 8}.${i & 255}:9100`],
      ["job", "bench"],
    ];
    for (let p = 0; p < 10; p++)
      all.push([["__name__", "bench_requests_total"], ...base, ["path", `/api/v${p}`]]);
    for (let g = 0; g < 5; g++) all.push([["__name__", "bench_gauge"], ...base, ["kind", `g${g}`]]);
    for (const le of les) all.push([["__name__", "bench_latency_seconds_bucket"], ...base, ["le", le]]);
  }
  for (let s = 0; s < steps; s += 100) {
    const series: WriteSeries[] = all.map((labels, j) => ({
      labels,
      ts: Array.from({ length: 100 }, (_, k) => t0 + (s + k) * stepMs),
      vs: Array.from({ length: 100 }, (_, k) =>
        j % 25 < 10 || j % 25 >= 15 ? (s + k) * (1 + (j % 7)) : 50 + ((j + k) % 10),
      ),
    }));
    await db.write("system", series);
  }
  const end = t0 + (steps - 1) * stepMs;
  for (const q of dashboard) {
    const expr = parseQuery(q);
    const times: number[] = [];
    for (let r = 0; r < Number(args.repeat); r++) {
      // CPU time, not wall time: steadier on a shared machine.
      const a = process.cpuUsage();
      evaluateRangeQuery({ select: (m, mint, maxt) => db.select("system", m, mint, maxt) }, expr, {
        startMs: end - 3_600_000,
        endMs: end,
        stepMs,
      });
      const d = process.cpuUsage(a);
      times.push((d.user + d.system) / 1000);
    }
    console.log(
      `${Math.min(...times)
        .toFixed(1)
        .padStart(8)} ms CPU  ${q}`,
    );
  }
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
