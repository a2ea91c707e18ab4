// Real processes, bounded: three members under write load, the leader SIGKILLed once (new
// leader within 3 s), then every member killed and restarted. No acknowledged write may be
// lost (key by key, on every member) and the client history must be linearizable.
// sigkill.slow.test.ts runs the same scenario with more rounds and more clients.
import { test } from "node:test";
import { runSigkillScenario } from "./fault-scenario.ts";

test("SIGKILL of the leader under write load, then of every member: no acknowledged write lost, history linearizable", async () => {
  const r = await runSigkillScenario({
    rounds: 1,
    writesBetweenFaults: 30,
    writers: 3,
    registerClients: 4,
    registers: 3,
    seed: 1,
  });
  console.log(
    `# elections after SIGKILL: ${r.electionsMs.join(", ")} ms; ${r.acked} acknowledged writes checked; ` +
      `${r.historyOps} register ops (${r.indeterminate} indeterminate) linearizable in ${r.checkerSteps} steps`,
  );
});
