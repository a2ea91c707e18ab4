// The heavier sweep: more seeds, longer runs, five-member groups, more clients. Not part of
// `npm test`; run with `node scripts/run-tests.mjs --slow raft` or directly with node --test.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_SIM_OPTIONS, type SimOptions } from "../../../src/core/raft/sim/options.ts";
import { runSimulation } from "../../../src/core/raft/sim/simulation.ts";

const sweeps: { name: string; seeds: number; first: number; opts: Partial<SimOptions> }[] = [
  { name: "3 members, long runs", seeds: 1000, first: 10_000, opts: { nodes: 3, steps: 600 } },
  { name: "5 members", seeds: 1000, first: 20_000, opts: { nodes: 5, steps: 400 } },
  {
    name: "many clients on two keys, lease reads",
    seeds: 500,
    first: 30_000,
    opts: { clients: 8, keys: 2, readMode: "lease" },
  },
];

for (const s of sweeps) {
  test(`simulation sweep: ${s.name} (${s.seeds} seeds)`, () => {
    const failures: string[] = [];
    let notConverged = 0;
    for (let seed = s.first; seed < s.first + s.seeds; seed++) {
      const r = runSimulation({ ...DEFAULT_SIM_OPTIONS, ...s.opts, seed });
      if (r.violation) failures.push(`seed ${seed}: ${r.violation.kind}: ${r.violation.message}`);
      else if (!r.stats.converged) notConverged++;
    }
    assert.deepEqual(failures, []);
    assert.ok(notConverged <= s.seeds / 50, `${notConverged} seeds did not converge`);
  });
}

test("a lease that never expires is caught (stale reads from a deposed leader)", () => {
  // Rare by nature: CheckQuorum deposes an isolated leader soon after its lease would expire.
  for (let seed = 1; seed <= 400; seed++) {
    const r = runSimulation({
      ...DEFAULT_SIM_OPTIONS,
      seed,
      bug: "leaseWithoutExpiry",
      readMode: "lease",
      faults: new Set(["partition"]),
      clients: 8,
      keys: 1,
    });
    if (r.violation) {
      assert.equal(r.violation.kind, "linearizability");
      return;
    }
  }
  assert.fail("no seed in 1..400 caught leaseWithoutExpiry");
});
