// Every operation of every component through the gateway and the CLI, as a person runs them:
// `photon up` once, then spawned `photon` processes (a context that knows only the gateway)
// for each step of every-route-table.ts, output asserted. Fails when the live OpenAPI
// document has an operation no step names, and when a named one was not run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runChains } from "./every-route-runner.ts";
import { everyRouteCloud } from "./every-route-session.ts";
import { chains, opsOf } from "./every-route-table.ts";

const { ctx: session, exercised } = everyRouteCloud("photon-every-route-");

test("every step of every component succeeds through the gateway and the CLI", {
  timeout: 45 * 60_000,
}, async (t) => {
  const failures = await runChains(chains, session(), 2, (name, ms, err) =>
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
