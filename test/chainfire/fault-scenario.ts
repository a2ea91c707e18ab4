// The SIGKILL scenario shared by the fast and the slow fault tests: real member processes under
// write load, the leader SIGKILLed `rounds` times (a new leader within ELECTION_BOUND_MS each
// time; the killed member restarts from its disk), then every member killed and restarted.
// Afterwards: every acknowledged write is present (key by key, on every member) and the
// recorded client history is linearizable (the simulation's Porcupine-style checker).
import assert from "node:assert/strict";
import { kvPartition, kvRegisterModel } from "../../src/core/raft/sim/kv-model.ts";
import { checkLinearizable } from "../../src/core/raft/sim/linearizability.ts";
import { ACKED_PREFIX, FaultWorkload, type WorkloadOptions } from "./fault-workload.ts";
import { ProcessCluster, sleep } from "./process-cluster.ts";

/** The acceptance bound: a new leader this soon after the old one is SIGKILLed. */
export const ELECTION_BOUND_MS = 3_000;

export interface ScenarioOptions extends WorkloadOptions {
  rounds: number;
  /** Acknowledged writes to wait for between faults. */
  writesBetweenFaults: number;
}

export interface ScenarioReport {
  electionsMs: number[];
  acked: number;
  historyOps: number;
  indeterminate: number;
  checkerSteps: number;
}

async function ackedKeysOn(cluster: ProcessCluster, i: number, serializable: boolean): Promise<Set<string>> {
  const r = await cluster.procs[i]!.client.range(ACKED_PREFIX, {
    prefix: true,
    keysOnly: true,
    serializable,
  });
  return new Set(r.kvs.map((kv) => kv.key.toString()));
}

/** Waits until member i serves (serializably) every key in `want`. */
async function caughtUp(cluster: ProcessCluster, i: number, want: readonly string[]): Promise<string[]> {
  let missing: string[] = [...want];
  for (let attempt = 0; attempt < 100 && missing.length > 0; attempt++) {
    const have = await ackedKeysOn(cluster, i, true).catch(() => new Set<string>());
    missing = want.filter((k) => !have.has(k));
    if (missing.length) await sleep(100);
  }
  return missing;
}

export async function runSigkillScenario(o: ScenarioOptions): Promise<ScenarioReport> {
  const cluster = await ProcessCluster.start(3);
  const load = new FaultWorkload(cluster, o);
  const electionsMs: number[] = [];
  try {
    assert.ok((await cluster.waitLeader(20_000)) >= 0, "a leader is elected");
    load.start();
    await load.progress(o.writesBetweenFaults, 30_000);

    for (let round = 0; round < o.rounds; round++) {
      const leader = await cluster.waitLeader(10_000);
      assert.ok(leader >= 0, `round ${round}: a leader exists`);
      const killedAt = Date.now();
      cluster.kill(leader);
      const next = await cluster.waitLeader(10_000);
      const electionMs = Date.now() - killedAt;
      electionsMs.push(electionMs);
      assert.ok(next >= 0 && next !== leader, `round ${round}: a new leader is elected`);
      assert.ok(electionMs < ELECTION_BOUND_MS, `round ${round}: new leader after ${electionMs} ms`);
      await load.progress(o.writesBetweenFaults, 30_000);
      await cluster.restart(leader);
      await load.progress(o.writesBetweenFaults, 30_000);
    }
    await load.stop();

    // Key by key: every acknowledged write is on the leader, and on every member once caught up.
    const acked = [...load.acked];
    const leader = await cluster.waitLeader(10_000);
    const onLeader = await ackedKeysOn(cluster, leader, false);
    assert.deepEqual(
      acked.filter((k) => !onLeader.has(k)),
      [],
      "acknowledged writes missing on the leader",
    );
    for (let i = 0; i < cluster.size; i++) {
      assert.deepEqual(await caughtUp(cluster, i, acked), [], `acknowledged writes missing on member ${i}`);
    }

    // Every member down at once, then up again: the state is intact.
    for (let i = 0; i < cluster.size; i++) cluster.kill(i);
    await sleep(200);
    await Promise.all([0, 1, 2].map((i) => cluster.restart(i)));
    assert.ok((await cluster.waitLeader(20_000)) >= 0, "a leader after the full restart");
    for (let i = 0; i < cluster.size; i++) {
      assert.deepEqual(
        await caughtUp(cluster, i, acked),
        [],
        `after the full restart, member ${i} lost writes`,
      );
    }
    await load.readRegisters();

    const result = checkLinearizable(kvRegisterModel, load.history, kvPartition);
    assert.equal(result.outcome, "ok", `client history not linearizable: ${JSON.stringify(result)}`);
    return {
      electionsMs,
      acked: acked.length,
      historyOps: load.history.length,
      indeterminate: load.history.filter((h) => h.returnMs === Number.POSITIVE_INFINITY).length,
      checkerSteps: result.steps,
    };
  } finally {
    await load.stop();
    await cluster.close();
  }
}
