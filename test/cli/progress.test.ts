// Progress bars: what a line says at each point of a transfer, and that nothing is drawn
// where no person watches (not a terminal).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatBytes, ProgressBar, renderBar } from "../../src/cli/progress.ts";

describe("progress bars", () => {
  test("a line shows the bar, percent, bytes, rate and time left", () => {
    assert.equal(
      renderBar("importing x", 512 * 1024, 1024 * 1024, 1000, 100),
      `importing x [${"#".repeat(20)}${".".repeat(20)}]  50% 512.0 KiB/1.0 MiB 512.0 KiB/s 1s left`,
    );
    assert.equal(renderBar("downloading y", 2048, undefined, 2000, 80), "downloading y 2.0 KiB 1.0 KiB/s");
    assert.equal(formatBytes(5 * 1024 ** 3), "5.0 GiB");
  });

  test("redraws at most every 100 ms, and never without a terminal", () => {
    const writes: string[] = [];
    let now = 0;
    const bar = new ProgressBar(
      "x",
      100,
      { isTTY: true, columns: 60, write: (t) => writes.push(t) },
      () => now,
    );
    bar.add(10);
    now = 50;
    bar.add(10);
    now = 150;
    bar.add(80);
    bar.finish();
    assert.equal(writes.length, 4); // two redraws, the final state, the newline
    assert.match(writes[2]!, /100%/);
    const silent = new ProgressBar("x", 100, undefined);
    silent.add(100);
    silent.finish();
  });
});
