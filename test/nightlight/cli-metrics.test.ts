import assert from "node:assert/strict";
import { test } from "node:test";
import { queryRows, sparkline } from "../../src/cli/commands/metrics.ts";

test("a sparkline scales values between their min and max and leaves gaps for NaN", () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█");
  assert.equal(sparkline([1, Number.NaN, 1]), "▄ ▄");
  assert.equal(sparkline(Array.from({ length: 500 }, (_, i) => i)).length, 60);
});

test("query results become rows: vectors with values, matrices with a trend", () => {
  assert.deepEqual(
    queryRows({ resultType: "vector", result: [{ metric: { __name__: "up", job: "x" }, value: [1, "1"] }] }),
    [{ series: 'up{job="x"}', value: "1" }],
  );
  const rows = queryRows({
    resultType: "matrix",
    result: [
      {
        metric: { job: "x" },
        values: [
          [1, "1"],
          [2, "3"],
        ],
      },
    ],
  });
  assert.deepEqual(rows, [{ series: '{job="x"}', value: "3", trend: "▁█" }]);
});
