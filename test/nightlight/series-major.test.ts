// The series-major range evaluation must give exactly what the step-by-step evaluator gives:
// every expression of the differential suite, over its synthetic data, at two step widths, both
// ways (same label sets, same step times, bit-identical values) — and the same errors.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  type EvalOptions,
  evaluateRangeQuery,
  type RangeResult,
} from "../../src/nightlight/promql/evaluator.ts";
import { parseQuery } from "../../src/nightlight/promql/parser.ts";
import { seriesMajorSupports } from "../../src/nightlight/promql/series-major.ts";
import { labelsKey } from "../../src/nightlight/tsdb/labels.ts";
import { Tsdb } from "../../src/nightlight/tsdb/tsdb.ts";
import { expressions, T0 } from "./promql-queries.ts";
import { syntheticSeries } from "./synthetic-data.ts";

function run(db: Tsdb, q: string, opts: EvalOptions): { ok: RangeResult[] } | { error: string } {
  try {
    const r = evaluateRangeQuery(
      { select: (m, mint, maxt) => db.select("system", m, mint, maxt) },
      parseQuery(q),
      opts,
    );
    return { ok: r.sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1)) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

test("series-major range evaluation matches step-by-step evaluation exactly", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nl-series-major-"));
  try {
    const db = await Tsdb.open({ dir, clock: () => 0, limits: { maxSamplesPerSecond: 1e12 } });
    const series = syntheticSeries({ startSec: T0, samples: 240, stepSec: 15, seed: 42 });
    for (let i = 0; i < series.length; i += 20) {
      const out = await db.write("system", series.slice(i, i + 20));
      assert.equal(out.status, 204, out.message);
    }
    let covered = 0;
    for (const q of expressions) {
      if (!seriesMajorSupports(parseQuery(q))) continue;
      covered++;
      for (const stepMs of [60_000, 7_000]) {
        const base = { startMs: (T0 + 600) * 1000, endMs: (T0 + 3900) * 1000, stepMs };
        const fast = run(db, q, base);
        const slow = run(db, q, { ...base, stepByStep: true });
        assert.deepEqual(fast, slow, `${q} (step ${stepMs} ms)`);
      }
    }
    // The subset is what dashboards are made of; most of the suite's expressions fall in it.
    assert.ok(covered >= 60, `only ${covered} expressions take the series-major path`);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
