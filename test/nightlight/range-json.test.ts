// The range-query answer is written as one string; it must be exactly the JSON that serializing
// Prometheus's object shape gives (labels with quotes and unicode, fractional times, NaN, ±Inf).
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMatrixJson } from "../../src/nightlight/prom-api.ts";
import { formatFloat } from "../../src/nightlight/promql/value.ts";
import { labelsToObject } from "../../src/nightlight/tsdb/labels.ts";

test("range results render to the same JSON as serializing the objects", () => {
  const series = [
    {
      labels: [
        ["__name__", "up"],
        ["path", 'a"b\\c\n✓'],
      ] as [string, string][],
      ts: [1_700_000_000_000, 1_700_000_000_500, 1_700_000_015_123],
      vs: [1, Number.NaN, Number.POSITIVE_INFINITY],
    },
    { labels: [] as [string, string][], ts: [5], vs: [-1e-300] },
    { labels: [["a", "b"]] as [string, string][], ts: [], vs: [] },
  ];
  const expected = JSON.stringify({
    status: "success",
    data: {
      resultType: "matrix",
      result: series.map((s) => ({
        metric: labelsToObject(s.labels),
        values: s.ts.map((t, i) => [t / 1000, formatFloat(s.vs[i]!)]),
      })),
    },
  });
  assert.equal(renderMatrixJson(series), expected);
  assert.equal(renderMatrixJson([]), '{"status":"success","data":{"resultType":"matrix","result":[]}}');
});
