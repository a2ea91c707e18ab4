// The bounded slice of every-route.slow.test.ts that `npm test` runs: `photon up`, the
// coverage check against the live OpenAPI document (a route added without a CLI step fails
// here, not only in the slow suite), and the chains named in quickChains.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runChains } from "./every-route-runner.ts";
import { everyRouteCloud } from "./every-route-session.ts";
import { chains, opsOf, quickChains } from "./every-route-table.ts";

const { ctx: session, exercised } = everyRouteCloud("photon-every-route-quick-");

test(`the ${quickChains.join(" and ")} steps through the gateway and the CLI`, {
  timeout: 10 * 60_000,
}, async () => {
  const slice = Object.fromEntries(quickChains.map((n) => [n, chains[n]!]));
  assert.deepEqual(await runChains(slice, session(), 1), [], "steps that failed");
  const named = Object.values(slice).flatMap(opsOf);
  assert.deepEqual(
    named.filter((op) => !exercised.has(op)),
    [],
  );
});
