// Real processes, bounded (< 90 s): five stores under sequential-key write load split and
// balance; SIGKILL of one store → its regions re-replicate within 30 s; no acknowledged write
// lost. failover.slow.test.ts runs more writes and more regions.
import { test } from "node:test";
import { runFailover } from "./failover-scenario.ts";

test("five stores: splits stay balanced, a SIGKILLed store's regions re-replicate within 30 s, no acknowledged write lost", {
  timeout: 180_000,
}, async () => {
  const r = await runFailover({
    writers: 8,
    valueBytes: 512,
    writesBeforeKill: 500,
    writesAfterKill: 200,
    minRegions: 6,
    regionSplitBytes: 24 * 1024,
    storeDownMs: 4_000,
  });
  console.log(
    `# ${r.acked} acknowledged writes checked; ${r.regionsBeforeKill} regions before the kill (${r.balanceBefore}); ` +
      `re-replicated in ${r.reReplicatedMs} ms; ${r.regionsAfter} regions after (${r.balanceAfter}); phases ${JSON.stringify(r.phasesMs)}`,
  );
});
