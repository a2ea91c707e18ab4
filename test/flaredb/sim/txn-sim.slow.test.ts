// More and longer seeds than the regular run (not part of `npm test`).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runTxnSimulation } from "./txn-sim.ts";

const SEEDS = Number(process.env.FLAREDB_SLOW_SIM_SEEDS ?? 1500);

describe("flaredb transactions under faults (long simulation)", () => {
  it(`${SEEDS} seeds beyond the regular run, some with longer fault phases and more clients`, async () => {
    for (let i = 0; i < SEEDS; i++) {
      const seed = 10_000 + i;
      const long = i % 5 === 0;
      const o = { seed, steps: long ? 400 : 150, clients: long ? 8 : 5 };
      const r = await runTxnSimulation(o);
      assert.deepEqual(r.anomalies, [], `replay: runTxnSimulation(${JSON.stringify(o)})`);
    }
  });

  it("skipping the write-conflict check is caught on most seeds, not just a lucky one", async () => {
    let caught = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const r = await runTxnSimulation({
        seed,
        steps: 150,
        clients: 5,
        bugs: { skipWriteConflictCheck: true },
      });
      if (r.anomalies.length > 0) caught++;
    }
    assert.ok(caught >= 25, `caught on ${caught}/50 seeds`);
  });
});
