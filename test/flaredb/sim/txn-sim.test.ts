import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runTxnSimulation, type TxnSimResult } from "./txn-sim.ts";

export const SEEDS = Number(process.env.FLAREDB_SIM_SEEDS ?? 300);

function describeFailure(r: TxnSimResult): string {
  return `seed ${r.seed}: ${r.anomalies
    .slice(0, 3)
    .map((a) => `${a.kind}: ${a.message}`)
    .join("; ")} (replay: runTxnSimulation({ seed: ${r.seed}, steps: 150, clients: 5 }))`;
}

describe("flaredb transactions under faults (simulation)", () => {
  it(`${SEEDS} seeds of multi-region list-append txns keep snapshot isolation`, async () => {
    let committed = 0;
    let aborted = 0;
    let unknown = 0;
    let clientCrashes = 0;
    let storeCrashes = 0;
    let partitions = 0;
    let gcRounds = 0;
    let gcRemoved = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = await runTxnSimulation({ seed, steps: 150, clients: 5 });
      assert.deepEqual(r.anomalies, [], describeFailure(r));
      committed += r.stats.committed;
      aborted += r.stats.aborted;
      unknown += r.stats.unknown;
      clientCrashes += r.stats.clientCrashes;
      storeCrashes += r.stats.storeCrashes;
      partitions += r.stats.partitions;
      gcRounds += r.stats.gcRounds;
      gcRemoved += r.stats.gcRemoved;
    }
    // The faults and the load really happened.
    assert.ok(committed > SEEDS * 5, `committed ${committed}`);
    assert.ok(aborted > 0 && clientCrashes > 0 && storeCrashes > 0 && partitions > 0);
    assert.ok(gcRounds > SEEDS && gcRemoved > 0, `GC rounds ${gcRounds}, versions removed ${gcRemoved}`);
    console.log(
      `flaredb sim: ${SEEDS} seeds, committed ${committed}, aborted ${aborted}, unknown ${unknown}, client crashes ${clientCrashes}, store crashes ${storeCrashes}, partitions ${partitions}, GC rounds ${gcRounds} removing ${gcRemoved} versions`,
    );
  });

  it("a run replays exactly from its seed", async () => {
    const a = await runTxnSimulation({ seed: 7, steps: 100, clients: 3 });
    const b = await runTxnSimulation({ seed: 7, steps: 100, clients: 3 });
    assert.deepEqual(a.stats, b.stats);
    assert.deepEqual(a.history, b.history);
  });

  it("the checker catches an engine whose prewrite skips the write-conflict check", async () => {
    let caught = 0;
    for (let seed = 1; seed <= 20 && caught === 0; seed++) {
      const r = await runTxnSimulation({
        seed,
        steps: 100,
        clients: 4,
        bugs: { skipWriteConflictCheck: true },
      });
      if (r.anomalies.some((a) => a.kind === "lostUpdate" || a.kind === "G-single" || a.kind === "G0"))
        caught++;
    }
    assert.ok(caught > 0, "no seed exposed the lost updates");
  });

  it("the checker catches an engine whose reads ignore locks", async () => {
    let caught = 0;
    for (let seed = 1; seed <= 40 && caught === 0; seed++) {
      const r = await runTxnSimulation({ seed, steps: 100, clients: 4, bugs: { ignoreLocksOnRead: true } });
      if (r.anomalies.length > 0) caught++;
    }
    assert.ok(caught > 0, "no seed exposed reads that skip locks");
  });
});
