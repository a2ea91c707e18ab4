// Deterministic node-like synthetic metrics for the differential and bench suites: counters
// with resets, gauges (negative, fractional, large), histograms, series that start late or stop
// early, and info-style metrics. The same seed gives the same data.
import type { WriteSeries } from "../../src/nightlight/ingest/write-request.ts";

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  startSec: number;
  samples: number;
  stepSec: number;
  seed: number;
  instances?: number;
}

/** Timestamps are whole seconds with a little jitter, as real scrapes have. */
export function syntheticSeries(o: SyntheticOptions): WriteSeries[] {
  const rnd = mulberry32(o.seed);
  const n = o.samples;
  const instances = Array.from({ length: o.instances ?? 4 }, (_, i) => `i${i}`);
  const out: WriteSeries[] = [];
  const times = (from = 0, to = n) => {
    const ts: number[] = [];
    for (let i = from; i < to; i++) ts.push((o.startSec + i * o.stepSec + (i % 3 === 1 ? 1 : 0)) * 1000);
    return ts;
  };
  const add = (labels: Record<string, string>, ts: number[], vs: number[]) =>
    out.push({ labels: Object.entries(labels), ts, vs });
  const counter = (labels: Record<string, string>, maxInc: number, integer: boolean, resetAt?: number) => {
    const ts = times();
    let v = Math.floor(rnd() * 1000);
    const vs = ts.map((_, i) => {
      if (i === resetAt) v = 0;
      const inc = rnd() * maxInc;
      v += integer ? Math.floor(inc) : inc;
      return v;
    });
    add(labels, ts, vs);
  };
  for (const instance of instances)
    for (const method of ["GET", "POST"])
      for (const code of ["200", "500"])
        counter(
          { __name__: "http_requests_total", instance, job: "api", method, code },
          code === "200" ? 40 : 3,
          true,
          instance === "i1" && method === "GET" ? Math.floor(n * 0.6) : undefined,
        );
  for (const instance of instances)
    for (const cpu of ["0", "1"])
      for (const mode of ["idle", "user", "system"])
        counter(
          { __name__: "node_cpu_seconds_total", instance, job: "node", cpu, mode },
          mode === "idle" ? 15 : 4,
          false,
        );
  for (const instance of instances) {
    const ts = times();
    let v = 4e9 + rnd() * 1e9;
    add(
      { __name__: "node_memory_free_bytes", instance, job: "node" },
      ts,
      ts.map(() => {
        v += (rnd() - 0.52) * 5e7;
        return Math.round(v);
      }),
    );
  }
  for (const room of ["a", "b", "c"]) {
    const ts = times();
    let v = room === "c" ? -2 : 20;
    add(
      { __name__: "temperature_celsius", room, job: "sensors" },
      ts,
      ts.map(() => {
        v += (rnd() - 0.5) * 1.3;
        return Math.round(v * 1000) / 1000 + rnd() * 1e-4;
      }),
    );
  }
  const bounds = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
  for (const instance of instances) {
    const ts = times();
    const counts = bounds.map(() => 0);
    const series = bounds.map(() => [] as number[]);
    const sums: number[] = [];
    let sum = 0;
    for (let i = 0; i < ts.length; i++) {
      const obs = Math.floor(rnd() * 30);
      for (let k = 0; k < obs; k++) {
        const x = rnd() ** 2 * 3;
        sum += x;
        bounds.forEach((b, j) => {
          if (x <= Number(b === "+Inf" ? Number.POSITIVE_INFINITY : b)) counts[j]!++;
        });
      }
      for (let j = 0; j < bounds.length; j++) series[j]!.push(counts[j]!);
      sums.push(sum);
    }
    for (const [j, le] of bounds.entries())
      add({ __name__: "request_duration_seconds_bucket", instance, job: "api", le }, ts, series[j]!);
    add({ __name__: "request_duration_seconds_sum", instance, job: "api" }, ts, sums);
    add({ __name__: "request_duration_seconds_count", instance, job: "api" }, ts, series[bounds.length - 1]!);
  }
  for (const instance of instances)
    for (const queue of ["q1", "q2"]) {
      const ts = times();
      add(
        { __name__: "queue_depth", instance, job: "worker", queue },
        ts,
        ts.map(() => Math.floor(rnd() * 50) + rnd()),
      );
    }
  instances.forEach((instance, k) => {
    const ts = times();
    add(
      {
        __name__: "build_info",
        instance,
        job: "api",
        version: k % 2 === 0 ? "1.2.3" : "1.3.0",
        goversion: "go1.19",
      },
      ts,
      ts.map(() => 1),
    );
  });
  {
    const ts = times(0, Math.floor(n / 2));
    add(
      { __name__: "flaky_gauge", instance: "i0", job: "node" },
      ts,
      ts.map(() => rnd() * 10),
    );
    const late = times(Math.floor((n * 2) / 3), n);
    add(
      { __name__: "late_gauge", instance: "i0", job: "node" },
      late,
      late.map(() => rnd() * 10),
    );
  }
  return out;
}

/** The same series as an OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`. */
export function toOpenMetrics(series: WriteSeries[]): string {
  const lines: string[] = [];
  for (const s of series) {
    const name = s.labels.find(([n]) => n === "__name__")![1];
    const labels = s.labels
      .filter(([n]) => n !== "__name__")
      .map(([n, v]) => `${n}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
      .join(",");
    for (let i = 0; i < s.ts.length; i++) {
      const v = s.vs[i]!;
      const vt = Number.isNaN(v)
        ? "NaN"
        : v === Number.POSITIVE_INFINITY
          ? "+Inf"
          : v === Number.NEGATIVE_INFINITY
            ? "-Inf"
            : String(v);
      lines.push(`${name}{${labels}} ${vt} ${s.ts[i]! / 1000}`);
    }
  }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}
