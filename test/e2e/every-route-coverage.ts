// Which operations of the live OpenAPI document the every-route table does not name (a new
// route without a CLI step fails the test), and which it names that the cloud no longer serves.
import type { Step } from "./every-route-runner.ts";
import { opsOf } from "./every-route-table.ts";

export function coverageGaps(
  live: ReadonlyArray<{ operationId: string; method: string; path: string }>,
  chains: Record<string, Step[]>,
): { missing: string[]; stale: string[] } {
  const named = new Set(Object.values(chains).flatMap(opsOf));
  named.add("postOauthToken"); // the session's own `photon login` (every-route-session.ts)
  const liveIds = new Set(live.map((o) => o.operationId));
  return {
    missing: live
      .filter((o) => !named.has(o.operationId))
      .map((o) => `${o.operationId} (${o.method} ${o.path})`),
    stale: [...named].filter((id) => !liveIds.has(id)),
  };
}
