// The heavy variant of failover.test.ts: the photon binary itself, more writers, writes and
// regions. Not in `npm test`; run with node --import tsx --test test/flaredb/failover.slow.test.ts.
import { test } from "node:test";
import { runFailover } from "./failover-scenario.ts";

test("five photon flaredb processes under heavier load: balanced splits, SIGKILL → re-replication within 30 s, no acknowledged write lost", {
  timeout: 600_000,
}, async () => {
  const r = await runFailover({
    writers: 16,
    valueBytes: 1024,
    writesBeforeKill: 4_000,
    writesAfterKill: 1_500,
    minRegions: 15,
    regionSplitBytes: 128 * 1024,
    storeDownMs: 5_000,
    launcher: "photon",
  });
  console.log(
    `# ${r.acked} acknowledged writes checked; ${r.regionsBeforeKill} regions before the kill (${r.balanceBefore}); ` +
      `re-replicated in ${r.reReplicatedMs} ms; ${r.regionsAfter} regions after (${r.balanceAfter}); phases ${JSON.stringify(r.phasesMs)}`,
  );
});
