// Per-tenant limits and tenant isolation over the HTTP API: a project's token reaches its own
// project only, and each limit is answered with the status and the message a person can act on.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type {
  AccessRequest,
  Authenticator,
  Authorizer,
  Decision,
  Principal,
} from "../../src/core/api/auth.ts";
import { bearerToken } from "../../src/core/api/auth.ts";
import { ApiError } from "../../src/core/errors.ts";
import { promGet, remoteWrite, startNightlight, testToken } from "./harness.ts";

const t0 = 1_700_000_000_000;

/** The admin token (unrestricted) and one token per project, like iam's project-scoped tokens. */
class ProjectTokens implements Authenticator, Authorizer {
  async authenticate(req: { authorization: string | undefined }): Promise<Principal | undefined> {
    const token = bearerToken(req.authorization);
    if (token === undefined) return undefined;
    if (token === testToken) return { subject: "local:admin", name: "admin" };
    const m = /^project-(\w+)$/.exec(token);
    if (!m) throw new ApiError("Unauthenticated", "unknown token");
    return { subject: `user:${m[1]}`, name: m[1]!, project: m[1]! };
  }
  async authorize(p: Principal, req: AccessRequest): Promise<Decision> {
    const allowed = p.project === undefined || p.project === req.project;
    return { allowed, reason: allowed ? "ok" : "other project" };
  }
}

const gauge = (name: string, extra: [string, string][] = [], n = 1) => ({
  labels: [["__name__", name], ...extra] as [string, string][],
  ts: Array.from({ length: n }, (_, i) => t0 + i * 1000),
  vs: Array.from({ length: n }, (_, i) => i),
});

test("a project's token reads and writes its own project only", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nl-tenancy-"));
  const nl = await startNightlight(dir, {}, new ProjectTokens());
  try {
    assert.equal(
      (await remoteWrite(nl.url, [gauge("vm_cpu", [["vm", "a1"]])], { token: "project-alpha" })).status,
      204,
    );
    assert.equal(
      (await remoteWrite(nl.url, [gauge("vm_cpu", [["vm", "b1"]])], { token: "project-beta" })).status,
      204,
    );
    assert.equal((await remoteWrite(nl.url, [gauge("platform_metric")])).status, 204);
    const at = { query: '{__name__=~".+"}', time: String(t0 / 1000) };

    const alpha = await promGet(nl.url, "/api/v1/query", at, { token: "project-alpha" });
    assert.deepEqual(
      alpha.json.data.result.map((r: { metric: Record<string, string> }) => r.metric),
      [{ __name__: "vm_cpu", vm: "a1" }],
    );
    const names = await promGet(nl.url, "/api/v1/label/vm/values", {}, { token: "project-beta" });
    assert.deepEqual(names.json.data, ["b1"]);

    const reach = await promGet(nl.url, "/api/v1/query", at, { token: "project-alpha", project: "beta" });
    assert.equal(reach.status, 403);
    assert.match(reach.json.error, /confined to project "alpha"/);
    const write = await remoteWrite(nl.url, [gauge("x")], { token: "project-alpha", project: "system" });
    assert.equal(write.status, 403);

    // The replica API is for unrestricted (service) tokens: a project token cannot read through it.
    const replica = await fetch(`${nl.url}/internal/replica/tenants`, {
      headers: { authorization: "Bearer project-alpha" },
    });
    assert.equal(replica.status, 403);

    // The admin sees the system tenant by default and a project when it names one.
    const sys = await promGet(nl.url, "/api/v1/query", at, { token: testToken });
    assert.deepEqual(sys.json.data.result.length, 1);
    const asBeta = await promGet(nl.url, "/api/v1/query", at, { token: testToken, project: "beta" });
    assert.equal(asBeta.json.data.result[0].metric.vm, "b1");
  } finally {
    await nl.role.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("series, ingestion-rate and query-cost limits answer with clear errors, per tenant", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nl-limits-"));
  const nl = await startNightlight(dir, {
    maxSeriesPerTenant: 3,
    maxSamplesPerSecond: 5000,
    maxSamplesPerQuery: 1000,
  });
  try {
    const three = ["a", "b", "c"].map((i) => gauge("cardinality", [["id", i]]));
    assert.equal((await remoteWrite(nl.url, three)).status, 204);
    const fourth = await remoteWrite(nl.url, [gauge("cardinality", [["id", "d"]])]);
    assert.equal(fourth.status, 400, "a series beyond the cap is refused for good (not retried)");
    assert.match(fourth.body, /limit of 3 active series/);
    // Known series keep ingesting, and another tenant has its own budget.
    assert.equal((await remoteWrite(nl.url, [{ ...three[0]!, ts: [t0 + 5000], vs: [1] }])).status, 204);
    assert.equal(
      (await remoteWrite(nl.url, [gauge("cardinality", [["id", "d"]])], { project: "p2" })).status,
      204,
    );

    // Over the samples/s budget (5000/s, a 10 s burst): 429, which remote_write senders retry later.
    const burst = await remoteWrite(nl.url, [{ ...gauge("rate_test", [], 60_000) }], { project: "p3" });
    assert.equal(burst.status, 429);
    assert.match(burst.body, /ingestion limit of 5000 samples\/s/);

    // A query loading more samples than allowed: Prometheus's execution error (422).
    assert.equal((await remoteWrite(nl.url, [gauge("big", [], 2000)], { project: "p4" })).status, 204);
    const cost = await promGet(
      nl.url,
      "/api/v1/query",
      { query: "count_over_time(big[1h])", time: String(t0 / 1000 + 3000) },
      { token: testToken, project: "p4" },
    );
    assert.equal(cost.status, 422);
    assert.equal(cost.json.errorType, "execution");
    assert.match(cost.json.error, /too many samples/);

    const points = await promGet(nl.url, "/api/v1/query_range", {
      query: "cardinality",
      start: "0",
      end: "20000",
      step: "1",
    });
    assert.equal(points.status, 400);
    assert.match(points.json.error, /11,000 points/);
  } finally {
    await nl.role.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
