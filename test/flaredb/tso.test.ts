import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LOGICAL_BITS, TSO_SAVE_WINDOW_MS, Tso } from "../../src/flaredb/pd/tso.ts";

describe("timestamp oracle", () => {
  it("hands out strictly increasing timestamps, batches included, even when the clock stands still", async () => {
    let saved = 0;
    const tso = new Tso(
      0,
      () => 1_000,
      async (hw) => {
        saved = hw;
      },
    );
    let last = -1;
    for (let i = 0; i < 3_000; i++) {
      const n = (i % 7) + 1;
      const t = await tso.next(n);
      assert.ok(t > last, `${t} after ${last}`);
      last = t + n - 1;
    }
    assert.ok(saved >= 1_000 + TSO_SAVE_WINDOW_MS);
  });

  it("a restarted oracle starts above everything the previous one could hand out", async () => {
    let hw = 0;
    const save = async (v: number) => {
      hw = v;
    };
    const first = new Tso(0, () => 5_000, save);
    const before = await first.next(10);
    // The clock went backwards across the restart.
    const persisted = hw;
    const second = new Tso(persisted, () => 4_000, save);
    const after = await second.next();
    assert.ok(after > before + 10);
    assert.ok(after >= persisted * 2 ** LOGICAL_BITS);
  });

  it("rejects a batch outside its bounds", async () => {
    const tso = new Tso(
      0,
      () => 1,
      async () => undefined,
    );
    await assert.rejects(tso.next(0), RangeError);
    await assert.rejects(tso.next(1e9), RangeError);
  });
});
