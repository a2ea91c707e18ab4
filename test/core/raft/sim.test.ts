import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_SIM_OPTIONS, type SimOptions } from "../../../src/core/raft/sim/options.ts";
import { runSimulation } from "../../../src/core/raft/sim/simulation.ts";

/** Seeds in the CI run; each is ~2 s of virtual time with every fault kind enabled. */
const CI_SEEDS = 500;

const opts = (seed: number, extra: Partial<SimOptions> = {}): SimOptions => ({
  ...DEFAULT_SIM_OPTIONS,
  seed,
  // One seed in five runs a five-member group.
  nodes: seed % 5 === 0 ? 5 : 3,
  ...extra,
});

test(`${CI_SEEDS} seeds with every fault enabled keep Raft safe and the history linearizable`, () => {
  const failures: string[] = [];
  let ops = 0;
  let elections = 0;
  let unknown = 0;
  let notConverged = 0;
  for (let seed = 1; seed <= CI_SEEDS; seed++) {
    const r = runSimulation(opts(seed));
    if (r.violation) failures.push(`seed ${seed}: ${r.violation.kind}: ${r.violation.message}`);
    if (r.linearizability === "unknown") unknown++;
    if (!r.stats.converged) notConverged++;
    ops += r.stats.opsOk;
    elections += r.stats.elections;
  }
  assert.deepEqual(failures, []);
  // The runs must actually do something, or "no violation" means nothing.
  assert.ok(ops > CI_SEEDS * 30, `only ${ops} completed client operations`);
  assert.ok(elections > CI_SEEDS, `only ${elections} elections`);
  assert.ok(unknown < CI_SEEDS / 100, `${unknown} histories were too hard to check`);
  // Liveness: after the faults stop, the group should heal (a stuck follower shows up here).
  assert.ok(notConverged <= CI_SEEDS / 50, `${notConverged} seeds did not converge after the quiet phase`);
});

const BUG_BUDGET_SEEDS = 60;

for (const [bug, kinds] of [
  [
    "voteTwiceInTerm",
    [
      "electionSafety",
      "leaderCompleteness",
      "stateMachineSafety",
      "logMatching",
      "linearizability",
      "assertion",
    ],
  ],
  [
    "voteWithoutLogCheck",
    ["leaderCompleteness", "stateMachineSafety", "logMatching", "linearizability", "assertion"],
  ],
  ["readIndexWithoutConfirm", ["linearizability"]],
] as const) {
  test(`the checkers catch the injected bug ${bug} within ${BUG_BUDGET_SEEDS} seeds`, () => {
    const readMode = bug === "readIndexWithoutConfirm" ? "safe" : DEFAULT_SIM_OPTIONS.readMode;
    for (let seed = 1; seed <= BUG_BUDGET_SEEDS; seed++) {
      const r = runSimulation(opts(seed, { bug, readMode }));
      if (r.violation) {
        assert.ok((kinds as readonly string[]).includes(r.violation.kind), `unexpected ${r.violation.kind}`);
        return;
      }
    }
    assert.fail(`no seed in 1..${BUG_BUDGET_SEEDS} detected ${bug}`);
  });
}

test("a seed replays exactly: same trace, same statistics", () => {
  const a = runSimulation(opts(7, { trace: true }));
  const b = runSimulation(opts(7, { trace: true }));
  assert.ok(a.trace.length > 5);
  assert.deepEqual(a.trace, b.trace);
  assert.deepEqual(a.stats, b.stats);
  const c = runSimulation(opts(8, { trace: true }));
  assert.notDeepEqual(a.trace, c.trace, "different seeds explore different runs");
});

test("a failing seed replays to the same violation", () => {
  const find = () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = runSimulation(opts(seed, { bug: "voteTwiceInTerm", trace: true }));
      if (r.violation) return r;
    }
    throw new Error("no failing seed");
  };
  const first = find();
  const again = runSimulation(first.options);
  assert.deepEqual(again.violation, first.violation);
  assert.deepEqual(again.trace, first.trace);
});
