// Every operation of every component through the gateway and the CLI, as a person runs them:
// `photon up` once, then spawned `photon` processes (a context that knows only the gateway)
// for each step of every-route-table.ts, output asserted. Fails when the live OpenAPI
// document has an operation no step names, and when a named one was not run.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";
import { tempDir } from "../support/temp-dir.ts";
import { coverageGaps } from "./every-route-coverage.ts";
import { liveOperations, type RunContext, runChains } from "./every-route-runner.ts";
import { gatewaySession } from "./every-route-session.ts";
import { chains, opsOf } from "./every-route-table.ts";

const dir = tempDir("photon-every-route-");
let up: PhotonProcess;
let ctx: RunContext;
const exercised = new Set<string>();

before(async () => {
  up = spawnPhoton(["up", "--ephemeral-ports", "--log-level", "warn"], { cwd: dir.path });
  await up.waitFor(/Ctrl-C stops it/, 180_000);
  ctx = await gatewaySession(dir.path, exercised);
});
after(async () => {
  await up?.kill("SIGINT");
  dir.remove();
});

test("every operation of the live OpenAPI document has a step in every-route-table.ts", async () => {
  const { missing, stale } = coverageGaps(await liveOperations(ctx), chains);
  assert.deepEqual(missing, [], "operations without a CLI step in test/e2e/every-route-table.ts");
  assert.deepEqual(stale, [], "steps name operations the cloud no longer serves");
});

test("every step of every component succeeds through the gateway and the CLI", {
  timeout: 45 * 60_000,
}, async (t) => {
  const failures = await runChains(chains, ctx, 2, (name, ms, err) =>
    t.diagnostic(`${name}: ${err ? "FAILED" : "ok"} in ${Math.round(ms / 1000)} s`),
  );
  assert.deepEqual(failures, [], "steps that failed");
  const named = Object.values(chains).flatMap(opsOf);
  assert.deepEqual(
    named.filter((op) => !exercised.has(op)),
    [],
    "named in a step but not run",
  );
});
