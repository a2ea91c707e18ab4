// The SIGKILL scenario at length: five leader kills in a row under more clients, then a full
// restart; every acknowledged write checked key by key and the history checked linearizable.
import { test } from "node:test";
import { runSigkillScenario } from "./fault-scenario.ts";

for (const seed of [2, 3]) {
  test(`SIGKILL of the leader five times under load (seed ${seed})`, { timeout: 600_000 }, async () => {
    const r = await runSigkillScenario({
      rounds: 5,
      writesBetweenFaults: 100,
      writers: 6,
      registerClients: 8,
      registers: 4,
      seed,
    });
    console.log(
      `# elections after SIGKILL: ${r.electionsMs.join(", ")} ms; ${r.acked} acknowledged writes checked; ` +
        `${r.historyOps} register ops (${r.indeterminate} indeterminate) linearizable in ${r.checkerSteps} steps`,
    );
  });
}
