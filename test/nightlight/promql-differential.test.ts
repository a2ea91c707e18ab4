// Differential test against Prometheus 2.42: the same synthetic data in both (Prometheus from
// `promtool tsdb create-blocks-from openmetrics`, nightlight through remote_write), and every
// expression of promql-queries.ts evaluated as instant queries at three times and as a range
// query. Values must agree within 1e-9 relative, label sets exactly.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type PrometheusProcess, promGet, remoteWrite, startNightlight, startPrometheus } from "./harness.ts";
import { expressions, failingExpressions, rangeVectorExpressions, T0 } from "./promql-queries.ts";
import { syntheticSeries, toOpenMetrics } from "./synthetic-data.ts";

let dir: string;
let prom: PrometheusProcess;
let nl: Awaited<ReturnType<typeof startNightlight>>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "nl-diff-"));
  const series = syntheticSeries({ startSec: T0, samples: 240, stepSec: 15, seed: 42 });
  writeFileSync(join(dir, "data.om"), toOpenMetrics(series));
  execFileSync("promtool", [
    "tsdb",
    "create-blocks-from",
    "openmetrics",
    "-q",
    join(dir, "data.om"),
    join(dir, "prom", "data"),
  ]);
  prom = await startPrometheus(join(dir, "prom"), "global:\n  evaluation_interval: 1m\n");
  nl = await startNightlight(join(dir, "nl"));
  for (let i = 0; i < series.length; i += 20) {
    const r = await remoteWrite(nl.url, series.slice(i, i + 20));
    assert.equal(r.status, 204, r.body);
  }
});

after(async () => {
  await nl?.role.close();
  await prom?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function close(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return false;
  if (x === y) return true;
  const scale = Math.max(Math.abs(x), Math.abs(y));
  // Relative 1e-9; values that should be zero may differ by float noise of their inputs.
  return Math.abs(x - y) <= 1e-9 * scale || Math.abs(x - y) < 1e-9;
}

type Point = [number, string];
interface Result {
  metric: Record<string, string>;
  value?: Point;
  values?: Point[];
}

const key = (m: Record<string, string>) =>
  JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));

// biome-ignore lint/suspicious/noExplicitAny: Prometheus JSON is compared structurally.
type Answer = { status: number; json: any };

function compare(query: string, p: Answer, n: Answer): string | undefined {
  if (p.json.status === "error") {
    if (n.json.status !== "error") return `Prometheus failed (${p.json.error}) but nightlight succeeded`;
    if (n.json.errorType !== p.json.errorType)
      return `error types differ: ${p.json.errorType} vs ${n.json.errorType} (${n.json.error})`;
    return undefined;
  }
  if (n.json.status !== "success") return `nightlight failed: ${n.json.errorType}: ${n.json.error}`;
  const pd = p.json.data;
  const nd = n.json.data;
  if (pd.resultType !== nd.resultType) return `result types differ: ${pd.resultType} vs ${nd.resultType}`;
  if (pd.resultType === "scalar" || pd.resultType === "string") {
    if (pd.result[0] !== nd.result[0] || !close(pd.result[1], nd.result[1]))
      return `scalar differs: ${JSON.stringify(pd.result)} vs ${JSON.stringify(nd.result)}`;
    return undefined;
  }
  const pm = new Map<string, Result>((pd.result as Result[]).map((r) => [key(r.metric), r]));
  const nm = new Map<string, Result>((nd.result as Result[]).map((r) => [key(r.metric), r]));
  for (const k of pm.keys())
    if (!nm.has(k)) return `missing series ${k} (nightlight has ${[...nm.keys()].slice(0, 3).join(" ")})`;
  for (const k of nm.keys()) if (!pm.has(k)) return `extra series ${k}`;
  for (const [k, pr] of pm) {
    const nr = nm.get(k)!;
    const pp = pr.values ?? [pr.value!];
    const np = nr.values ?? [nr.value!];
    if (pp.length !== np.length) return `${k}: ${pp.length} points vs ${np.length}`;
    for (let i = 0; i < pp.length; i++) {
      if (pp[i]![0] !== np[i]![0]) return `${k}: timestamp ${pp[i]![0]} vs ${np[i]![0]}`;
      if (!close(pp[i]![1], np[i]![1])) return `${k} at ${pp[i]![0]}: ${pp[i]![1]} vs ${np[i]![1]}`;
    }
  }
  void query;
  return undefined;
}

test("nightlight answers ≥300 PromQL queries exactly like Prometheus 2.42", {
  timeout: 300_000,
}, async () => {
  const failures: string[] = [];
  let nonEmpty = 0;
  let errors = 0;
  let count = 0;
  const times = [T0 + 1800, T0 + 2401, T0 + 3700];
  for (const q of [...expressions, ...failingExpressions]) {
    for (const t of times) {
      const params = { query: q, time: String(t) };
      const [p, n] = await Promise.all([
        promGet(prom.url, "/api/v1/query", params, {}),
        promGet(nl.url, "/api/v1/query", params),
      ]);
      const diff = compare(q, p, n);
      count++;
      if (p.json.status === "error") errors++;
      else if (p.json.data.result.length > 0) nonEmpty++;
      if (diff) failures.push(`instant ${q} @${t}: ${diff}`);
    }
    const rp = { query: q, start: String(T0 + 600), end: String(T0 + 3900), step: "60" };
    const [p, n] = await Promise.all([
      promGet(prom.url, "/api/v1/query_range", rp, {}),
      promGet(nl.url, "/api/v1/query_range", rp),
    ]);
    const diff = compare(q, p, n);
    count++;
    if (p.json.status === "error") errors++;
    else if (p.json.data.result.length > 0) nonEmpty++;
    if (diff) failures.push(`range ${q}: ${diff}`);
  }
  for (const q of rangeVectorExpressions) {
    for (const t of times) {
      const params = { query: q, time: String(t) };
      const [p, n] = await Promise.all([
        promGet(prom.url, "/api/v1/query", params, {}),
        promGet(nl.url, "/api/v1/query", params),
      ]);
      const diff = compare(q, p, n);
      count++;
      if (p.json.status !== "error" && p.json.data.result.length > 0) nonEmpty++;
      if (diff) failures.push(`instant ${q} @${t}: ${diff}`);
    }
  }
  assert.ok(count >= 300, `${count} queries`);
  // Guard against a vacuous pass: most queries must return data, and the failing ones must fail.
  assert.ok(nonEmpty > count * 0.8, `only ${nonEmpty} of ${count} queries returned data`);
  assert.equal(errors, failingExpressions.length * 4);
  assert.deepEqual(failures, [], `${failures.length} of ${count} queries differ:\n${failures.join("\n")}`);
});
