import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryKv } from "../../../src/flaredb/engine/kv.ts";
import { scanLocks } from "../../../src/flaredb/engine/read.ts";
import { collectGarbage } from "../../../src/flaredb/txn/gc-driver.ts";
import { LocalRouter } from "../../../src/flaredb/txn/local-router.ts";
import { runTxn, TxnClient } from "../../../src/flaredb/txn/txn-client.ts";

const e = (s: string) => new TextEncoder().encode(s);
const d = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

/** A txn whose client died right after committing its primary "a": its secondary "h" stays locked. */
async function halfCommitted(router: LocalRouter): Promise<void> {
  const startTs = await router.tso();
  for (const k of ["a", "h"]) {
    await router.execute(e(k), {
      type: "prewrite",
      primary: e("a"),
      startTs,
      lockTtlMs: 100,
      mutations: [{ op: "put", key: e(k), value: e(`${k}-from-dead-client`) }],
    });
  }
  await router.execute(e("a"), { type: "commit", keys: [e("a")], startTs, commitTs: await router.tso() });
}

function setup() {
  const clock = { now: 1_000_000 };
  const kv = new MemoryKv();
  const router = new LocalRouter({ kv, nowMs: () => clock.now, splitKeys: [e("g")] });
  const client = new TxnClient(router, {
    sleep: async (ms) => {
      clock.now += ms;
    },
  });
  return { kv, router, client };
}

describe("garbage collection", () => {
  it("resolves locks below the safe point before collecting, so a dead client's commit stays atomic", async () => {
    const { kv, router, client } = setup();
    await halfCommitted(router);
    // Later writes supersede the primary's commit record, which GC would then drop.
    await runTxn(client, async (tx) => tx.put(e("a"), e("newer")));
    const safePoint = await router.tso();
    const report = await collectGarbage({
      client,
      regions: router.regions,
      safePoint,
      scanLocks: async (start, maxTs, limit) =>
        scanLocks(kv, start, router.regionOf(start).end, maxTs, limit),
    });
    assert.equal(report.locksResolved, 1);
    assert.ok(report.versionsRemoved >= 1);
    const tx = await client.begin();
    assert.equal(d(await tx.get(e("h"))), "h-from-dead-client", "the secondary was rolled forward");
    assert.equal(d(await tx.get(e("a"))), "newer");
  });

  it("collecting without resolving first would lose that commit (why the driver has two phases)", async () => {
    const { router, client } = setup();
    await halfCommitted(router);
    await runTxn(client, async (tx) => tx.put(e("a"), e("newer")));
    const safePoint = await router.tso();
    for (const region of router.regions) {
      await router.execute(region.start.length ? region.start : new Uint8Array([0]), {
        type: "gc",
        safePoint,
        start: region.start,
        end: region.end ?? null,
        limit: 1000,
      });
    }
    const tx = await client.begin();
    // The primary's commit record is gone, so the secondary is rolled back: half a txn survives.
    assert.equal(await tx.get(e("h")), null);
  });

  it("refuses a safe point above a live transaction's lock", async () => {
    const { kv, router, client } = setup();
    const live = await client.begin();
    await router.execute(e("a"), {
      type: "prewrite",
      primary: e("a"),
      startTs: live.startTs,
      lockTtlMs: 60_000,
      mutations: [{ op: "put", key: e("a"), value: e("x") }],
    });
    await assert.rejects(
      () =>
        collectGarbage({
          client,
          regions: router.regions,
          safePoint: live.startTs + 1,
          scanLocks: async (start, maxTs, limit) =>
            scanLocks(kv, start, router.regionOf(start).end, maxTs, limit),
        }),
      /still holds a live lock/,
    );
  });
});
