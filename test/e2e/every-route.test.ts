// The bounded slice of every-route.slow.test.ts that `npm test` runs: `photon up`, the
// coverage check against the live OpenAPI document (a route added without a CLI step fails
// here, not only in the slow suite), and the chains named in quickChains.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";
import { tempDir } from "../support/temp-dir.ts";
import { coverageGaps } from "./every-route-coverage.ts";
import { liveOperations, type RunContext, runChains } from "./every-route-runner.ts";
import { gatewaySession } from "./every-route-session.ts";
import { chains, opsOf, quickChains } from "./every-route-table.ts";

const dir = tempDir("photon-every-route-quick-");
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

test(`the ${quickChains.join(" and ")} steps through the gateway and the CLI`, {
  timeout: 10 * 60_000,
}, async () => {
  const slice = Object.fromEntries(quickChains.map((n) => [n, chains[n]!]));
  assert.deepEqual(await runChains(slice, ctx, 1), [], "steps that failed");
  const named = Object.values(slice).flatMap(opsOf);
  assert.deepEqual(
    named.filter((op) => !exercised.has(op)),
    [],
  );
});
