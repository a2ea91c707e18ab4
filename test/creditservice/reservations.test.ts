// Reservations over real HTTP against a real creditservice on LMDB.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ApiError } from "../../src/core/errors.ts";
import { CreditClient } from "../../src/creditservice/client.ts";
import { creditserviceRole } from "../../src/creditservice/server.ts";
import { type StartedRole, startTestRole } from "../support/start-role.ts";

let svc: StartedRole;
let client: CreditClient;

before(async () => {
  svc = await startTestRole(creditserviceRole);
  client = new CreditClient({ baseUrl: svc.url, token: svc.token });
});
after(() => svc.cleanup());

const raw = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  fetch(`${svc.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${svc.token}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body } : {}),
  });

describe("creditservice reservations", () => {
  test("50 parallel reservations against a limit of 10: exactly 10 succeed", async () => {
    await client.setLimits("race", { vcpu: 10 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => client.reserve("race", `req-${i}`, { vcpu: 1 })),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const exceeded = results.filter(
      (r) => r.status === "rejected" && (r.reason as ApiError).code === "QuotaExceeded",
    ).length;
    assert.equal(ok, 10);
    assert.equal(exceeded, 40);
    const q = await client.getQuota("race");
    assert.equal(q.status.reservations.length, 10);
  });

  test("reserve, commit and release-usage move usage; retries with the same request id are harmless", async () => {
    await client.setLimits("flow", { vcpu: 4, memory_mib: 4096 });
    await client.reserve("flow", "vm-1", { vcpu: 2, memory_mib: 2048 });
    await client.reserve("flow", "vm-1", { vcpu: 2, memory_mib: 2048 });
    await client.commit("flow", "vm-1");
    await client.commit("flow", "vm-1");
    let q = await client.getQuota("flow");
    assert.deepEqual(q.status.used, { vcpu: 2, memory_mib: 2048 });
    assert.equal(q.status.reservations.length, 0);
    await client.releaseUsage("flow", "vm-1-delete", { vcpu: 2, memory_mib: 2048 });
    await client.releaseUsage("flow", "vm-1-delete", { vcpu: 2, memory_mib: 2048 });
    q = await client.getQuota("flow");
    assert.deepEqual(q.status.used, { vcpu: 0, memory_mib: 0 });
  });

  test("withReservation releases the reservation when the create fails", async () => {
    await client.setLimits("wr", { vcpu: 1 });
    await assert.rejects(
      client.withReservation("wr", "fail-1", { vcpu: 1 }, async () => Promise.reject(new Error("boom"))),
      /boom/,
    );
    assert.equal((await client.getQuota("wr")).status.reservations.length, 0);
    const made = await client.withReservation("wr", "ok-1", { vcpu: 1 }, async () => "vm");
    assert.equal(made, "vm");
    assert.deepEqual((await client.getQuota("wr")).status.used, { vcpu: 1 });
  });

  test("quota CRUD: create, read, update with a stale revision (Conflict), delete", async () => {
    let res = await raw(
      "POST",
      "/v1/projects/crud/quotas",
      JSON.stringify({ metadata: { name: "default" }, spec: { limits: { vcpu: 3 } } }),
    );
    assert.equal(res.status, 201);
    // The controller fills in status once after creation; wait for it so the revision settles.
    let current = await client.getQuota("crud");
    for (let i = 0; i < 100 && current.status.conditions.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      current = await client.getQuota("crud");
    }
    res = await raw(
      "PUT",
      "/v1/projects/crud/quotas/default",
      JSON.stringify({
        metadata: { name: "default", revision: current.metadata.revision },
        spec: { limits: { vcpu: 5 } },
      }),
    );
    assert.equal(res.status, 200);
    res = await raw(
      "PUT",
      "/v1/projects/crud/quotas/default",
      JSON.stringify({
        metadata: { name: "default", revision: current.metadata.revision },
        spec: { limits: { vcpu: 6 } },
      }),
    );
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "Conflict");
    assert.equal((await client.getQuota("crud")).spec.limits.vcpu, 5);
    res = await raw(
      "POST",
      "/v1/projects/crud/quotas",
      JSON.stringify({ metadata: { name: "other" }, spec: { limits: {} } }),
    );
    assert.equal(res.status, 400);
    res = await raw("DELETE", "/v1/projects/crud/quotas/default");
    assert.equal(res.status, 200);
    assert.equal((await raw("GET", "/v1/projects/crud/quotas/default")).status, 404);
  });

  const bad: Array<[string, string, string, string | undefined, number]> = [
    ["malformed JSON", "POST", "/v1/projects/bad/reservations", "{not json", 400],
    [
      "an unknown field",
      "POST",
      "/v1/projects/bad/reservations",
      JSON.stringify({ requestId: "a", amounts: { vcpu: 1 }, extra: true }),
      400,
    ],
    [
      "an unknown resource class",
      "POST",
      "/v1/projects/bad/reservations",
      JSON.stringify({ requestId: "a", amounts: { gpus: 1 } }),
      400,
    ],
    [
      "a wrong type",
      "POST",
      "/v1/projects/bad/reservations",
      JSON.stringify({ requestId: "a", amounts: { vcpu: "two" } }),
      400,
    ],
    [
      "a negative quantity",
      "POST",
      "/v1/projects/bad/reservations",
      JSON.stringify({ requestId: "a", amounts: { vcpu: -1 } }),
      400,
    ],
    [
      "a fractional quantity",
      "POST",
      "/v1/projects/bad/reservations",
      JSON.stringify({ requestId: "a", amounts: { vcpu: 0.5 } }),
      400,
    ],
    [
      "a huge quantity",
      "POST",
      "/v1/projects/bad/reservations",
      JSON.stringify({ requestId: "a", amounts: { vcpu: 1e18 } }),
      400,
    ],
    [
      "no amounts",
      "POST",
      "/v1/projects/bad/reservations",
      JSON.stringify({ requestId: "a", amounts: {} }),
      400,
    ],
    [
      "a bad request id",
      "POST",
      "/v1/projects/bad/reservations",
      JSON.stringify({ requestId: "a b/c", amounts: { vcpu: 1 } }),
      400,
    ],
    [
      "a huge credit",
      "POST",
      "/v1/projects/bad/credits",
      JSON.stringify({ requestId: "c", amountMilli: 1e20 }),
      400,
    ],
    [
      "a negative limit",
      "POST",
      "/v1/projects/bad/quotas",
      JSON.stringify({ metadata: { name: "default" }, spec: { limits: { vcpu: -5 } } }),
      400,
    ],
    ["a bad project name", "GET", "/v1/projects/Not_A_Name/quotas/default", undefined, 400],
    [
      "an oversized body",
      "POST",
      "/v1/projects/bad/reservations",
      JSON.stringify({ requestId: "a", amounts: { vcpu: 1 }, pad: "x".repeat(2_000_000) }),
      413,
    ],
  ];
  for (const [what, method, path, body, status] of bad) {
    test(`${what} gets ${status} with the standard error body and changes nothing`, async () => {
      const res = await raw(method, path, body);
      assert.equal(res.status, status);
      const parsed = (await res.json()) as { error: { code: string; message: string } };
      assert.ok(parsed.error.code && parsed.error.message.length > 5, JSON.stringify(parsed));
      const q = await client.getQuota("bad").catch(() => undefined);
      assert.equal(q?.status.reservations.length ?? 0, 0);
      assert.equal(q?.status.balanceMilli ?? 0, 0);
    });
  }

  test("credit is added once per request id and lands in the ledger", async () => {
    await client.addCredit("cred", "topup-1", 5000, "welcome");
    await client.addCredit("cred", "topup-1", 5000, "welcome");
    assert.equal((await client.getQuota("cred")).status.balanceMilli, 5000);
    const ledger = await client.ledger("cred");
    assert.equal(ledger.items.length, 1);
    assert.equal(ledger.items[0]!.spec.amountMilli, 5000);
    const res = await raw("DELETE", `/v1/projects/cred/ledger/${ledger.items[0]!.metadata.name}`);
    assert.equal(res.status, 404, "the ledger is append-only");
  });
});
