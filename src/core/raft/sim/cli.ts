// `npm run sim -- --seed N [--seeds COUNT] [--nodes 3|5] [--steps TICKS] [--faults all|none|a,b]
//   [--read-mode safe|lease|mixed] [--clients N] [--keys N] [--bug NAME] [--trace]`
// Runs seeds seed .. seed+COUNT-1, prints one line per seed and exits 1 on any violation,
// with the command that replays the failing seed exactly.
import { parseArgs } from "node:util";
import {
  BUG_NAMES,
  type BugName,
  DEFAULT_SIM_OPTIONS,
  parseFaults,
  replayCommand,
  type SimOptions,
} from "./options.ts";
import { runSimulation, type SimResult } from "./simulation.ts";

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

export function formatResult(r: SimResult): string {
  const s = r.stats;
  const head = r.violation
    ? `VIOLATION ${r.violation.kind} at ${r.violation.atMs}ms: ${r.violation.message}`
    : "ok";
  return (
    `seed ${r.options.seed}: ${head} | reads=${s.readMode} ops=${s.opsOk}+${s.opsIndeterminate}? ` +
    `elections=${s.elections} term=${s.maxTerm} commit=${s.maxCommit} msgs=${s.messages} dropped=${s.dropped} ` +
    `crashes=${s.crashes} partitions=${s.partitions} conf=${s.confChanges} snaps=${s.snapshotsInstalled} ` +
    `transfers=${s.transfers} lin=${r.linearizability} converged=${s.converged ? "yes" : "no"}`
  );
}

function main(): number {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      seeds: { type: "string" },
      nodes: { type: "string" },
      steps: { type: "string" },
      faults: { type: "string" },
      "read-mode": { type: "string" },
      clients: { type: "string" },
      keys: { type: "string" },
      bug: { type: "string" },
      trace: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(
      "usage: npm run sim -- --seed N [--seeds COUNT] [--nodes 3|5] [--steps TICKS] [--faults all|none|drop,dup,reorder,partition,crash,membership,transfer] [--read-mode safe|lease|mixed] [--clients N] [--keys N] [--bug voteWithoutLogCheck|voteTwiceInTerm|commitOldTermByCounting|readIndexWithoutConfirm|leaseWithoutExpiry] [--trace]",
    );
    return 0;
  }
  const nodes = positiveInt("nodes", values.nodes, DEFAULT_SIM_OPTIONS.nodes);
  if (nodes !== 3 && nodes !== 5) throw new Error("--nodes must be 3 or 5");
  const readMode = values["read-mode"] ?? DEFAULT_SIM_OPTIONS.readMode;
  if (readMode !== "safe" && readMode !== "lease" && readMode !== "mixed")
    throw new Error("--read-mode must be safe, lease or mixed");
  if (values.bug !== undefined && !(BUG_NAMES as readonly string[]).includes(values.bug)) {
    throw new Error(`--bug must be one of ${BUG_NAMES.join(", ")}`);
  }
  const base: Omit<SimOptions, "seed"> = {
    nodes,
    steps: positiveInt("steps", values.steps, DEFAULT_SIM_OPTIONS.steps),
    faults: values.faults === undefined ? DEFAULT_SIM_OPTIONS.faults : parseFaults(values.faults),
    readMode,
    clients: positiveInt("clients", values.clients, DEFAULT_SIM_OPTIONS.clients),
    keys: Math.max(1, positiveInt("keys", values.keys, DEFAULT_SIM_OPTIONS.keys)),
    ...(values.bug ? { bug: values.bug as BugName } : {}),
    trace: values.trace === true,
  };
  const first = positiveInt("seed", values.seed, DEFAULT_SIM_OPTIONS.seed);
  const count = Math.max(1, positiveInt("seeds", values.seeds, 1));
  const started = performance.now();
  const failed: SimResult[] = [];
  let notConverged = 0;
  // What the seeds exercised, summed: evidence that "no violation" covered something.
  const totals = {
    elections: 0,
    crashes: 0,
    partitions: 0,
    confChanges: 0,
    snapshotsInstalled: 0,
    transfers: 0,
    opsOk: 0,
    opsIndeterminate: 0,
  };
  for (let seed = first; seed < first + count; seed++) {
    const r = runSimulation({ ...base, seed });
    if (base.trace) for (const line of r.trace) console.log(`  ${line}`);
    console.log(formatResult(r));
    if (r.violation) failed.push(r);
    else if (!r.stats.converged) notConverged++;
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r.stats[k];
  }
  const secs = (performance.now() - started) / 1000;
  // Timing goes to stderr so that stdout of a replay is byte-for-byte identical.
  console.error(
    `${count} seed(s) in ${secs.toFixed(1)}s (${(count / secs).toFixed(1)} seeds/s), ${failed.length} failed, ${notConverged} did not converge`,
  );
  console.error(
    `totals: ${Object.entries(totals)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`,
  );
  for (const r of failed) console.error(`replay seed ${r.options.seed}: ${replayCommand(r.options)} --trace`);
  return failed.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
}
