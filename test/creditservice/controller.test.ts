// The quota controller re-derives status from the world on every reconcile: drift injected
// behind its back (an expired reservation left in status, wrong conditions) converges.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { silentLogger } from "../../src/core/log.ts";
import { LocalStore } from "../../src/core/resource/local-store.ts";
import type { ResourceStore } from "../../src/core/resource/store.ts";
import type { QuotaStatus } from "../../src/creditservice/api.ts";
import { QuotaBook, type QuotaResource } from "../../src/creditservice/quota-book.ts";
import { quotaController } from "../../src/creditservice/quota-controller.ts";

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("did not converge");
    await sleep(20);
  }
}

function setup(meterIntervalMs = 60_000) {
  const store = LocalStore.memory();
  let now = Date.parse("2026-01-01T00:00:00Z");
  const clock = () => now;
  const book = new QuotaBook({ store, defaults: {}, defaultTtlSeconds: 60, clock, log: silentLogger });
  const controller = quotaController({
    store,
    book,
    defaults: {},
    log: silentLogger,
    clock,
    meterIntervalMs,
    resyncMs: 100,
  });
  return {
    store,
    book,
    controller,
    advance: (ms: number) => (now += ms),
    get: async () => (await book.quota("p")) as QuotaResource,
  };
}

describe("quota controller", () => {
  test("an expired reservation injected into status is removed, and conditions say why", async () => {
    const { store, book, controller, get } = setup();
    await book.quota("p");
    const q = await get();
    const drift: QuotaStatus = {
      ...q.status,
      reservations: [
        {
          id: "ghost",
          amounts: { vcpu: 4 },
          createdAt: "2020-01-01T00:00:00Z",
          expiresAt: "2020-01-01T00:05:00Z",
        },
      ],
      conditions: [],
    };
    await store.update({ ...q, status: drift });
    await controller.start();
    try {
      await eventually(async () => {
        const s = (await get()).status;
        return s.reservations.length === 0 && s.conditions.length === 2;
      });
      const s = (await get()).status;
      const within = s.conditions.find((c) => c.type === "WithinLimits");
      assert.equal(within?.status, "True");
      assert.match(within!.reason, /^[A-Z]/);
      assert.ok(within!.message.length > 0);
    } finally {
      await controller.close();
      await store.close();
    }
  });

  test("usage above a lowered limit is reported with a reason, and clears when the limit is raised", async () => {
    const { store, book, controller, get } = setup();
    await book.mutate("p", (q) => ({ status: { ...q.status, used: { vcpu: 8 } }, result: undefined }));
    const q = await get();
    await store.update({ ...q, spec: { limits: { vcpu: 4 }, enforceCredit: false } });
    await controller.start();
    try {
      await eventually(async () =>
        (await get()).status.conditions.some(
          (c) => c.type === "WithinLimits" && c.reason === "UsageAboveLimit",
        ),
      );
      const cur = await get();
      await store.update({ ...cur, spec: { limits: { vcpu: 16 }, enforceCredit: false } });
      await eventually(async () =>
        (await get()).status.conditions.some((c) => c.type === "WithinLimits" && c.status === "True"),
      );
    } finally {
      await controller.close();
      await store.close();
    }
  });

  test("metering charges usage into the append-only ledger at the rate card's price", async () => {
    const { store, book, controller, get, advance } = setup(1000);
    await store.create({
      apiVersion: "creditservice/v1",
      kind: "RateCard",
      metadata: {
        name: "default",
        uid: "",
        revision: 0,
        labels: {},
        annotations: {},
        createdAt: "",
        updatedAt: "",
      },
      spec: { ratesMilliPerHour: { vcpu: 3_600_000 } },
      status: {},
    });
    await book.mutate("p", (q) => ({
      status: { ...q.status, used: { vcpu: 2 }, balanceMilli: 100_000 },
      result: undefined,
    }));
    await controller.start();
    try {
      await eventually(async () => (await get()).status.meteredAt !== undefined);
      advance(10_000);
      controller.enqueue(await get());
      // 2 vcpu × 1000 millicredits per second × 10 s = 20,000 millicredits.
      await eventually(async () => (await get()).status.balanceMilli === 80_000);
      const ledger = await store.list("LedgerEntry", "p");
      assert.equal(ledger.items.length, 1);
      assert.equal((ledger.items[0]!.spec as { amountMilli: number }).amountMilli, -20_000);
    } finally {
      await controller.close();
      await store.close();
    }
  });

  test("a credit whose ledger line a crash left unwritten gets its line from the controller", async () => {
    const { store, controller, get } = setup();
    // The ledger refuses one write, as if the process died right after the balance changed.
    let refuse = true;
    const faulty: ResourceStore = Object.create(store);
    faulty.create = (obj) => {
      if (obj.kind === "LedgerEntry" && refuse) {
        refuse = false;
        return Promise.reject(new Error("crash before the ledger line"));
      }
      return store.create(obj);
    };
    const crashing = new QuotaBook({
      store: faulty,
      defaults: {},
      defaultTtlSeconds: 60,
      clock: Date.now,
      log: silentLogger,
    });
    await assert.rejects(
      crashing.credit("p", { requestId: "r-1", amountMilli: 5000, description: "top-up" }),
    );
    const half = (await get()).status;
    assert.equal(half.balanceMilli, 5000, "the balance is the one atomic write");
    assert.equal(half.unrecordedCredits.length, 1);
    assert.equal((await store.list("LedgerEntry", "p")).items.length, 0);

    await controller.start();
    try {
      await eventually(async () => (await get()).status.unrecordedCredits.length === 0);
      const ledger = await store.list("LedgerEntry", "p");
      assert.equal(ledger.items.length, 1);
      assert.deepEqual(ledger.items[0]!.spec, {
        type: "credit",
        amountMilli: 5000,
        balanceAfterMilli: 5000,
        description: "top-up",
        requestId: "r-1",
      });
      // The caller's retry of the same request changes nothing more.
      const healthy = new QuotaBook({
        store,
        defaults: {},
        defaultTtlSeconds: 60,
        clock: Date.now,
        log: silentLogger,
      });
      await healthy.credit("p", { requestId: "r-1", amountMilli: 5000, description: "top-up" });
      assert.equal((await get()).status.balanceMilli, 5000);
      assert.equal((await store.list("LedgerEntry", "p")).items.length, 1);
    } finally {
      await controller.close();
      await store.close();
    }
  });
});
