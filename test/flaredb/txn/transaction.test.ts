import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryKv } from "../../../src/flaredb/engine/kv.ts";
import {
  LockConflictError,
  SnapshotTooOldError,
  TxnClosedError,
  WriteConflictError,
} from "../../../src/flaredb/txn/errors.ts";
import { LocalRouter } from "../../../src/flaredb/txn/local-router.ts";
import { runTxn, TxnClient } from "../../../src/flaredb/txn/txn-client.ts";

const e = (s: string) => new TextEncoder().encode(s);
const d = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

function setup(opts: { lockTtlMs?: number; maxLockWaitMs?: number } = {}) {
  const clock = { now: 1_000_000 };
  const kv = new MemoryKv();
  const router = new LocalRouter({ kv, nowMs: () => clock.now, splitKeys: [e("g"), e("p")] });
  const sleep = async (ms: number) => {
    clock.now += ms;
  };
  const client = new TxnClient(router, {
    sleep,
    lockTtlMs: opts.lockTtlMs ?? 3000,
    maxLockWaitMs: opts.maxLockWaitMs ?? 10_000,
  });
  return { clock, kv, router, client };
}

describe("transactions", () => {
  it("reads its own writes, commits across regions atomically, and earlier snapshots do not see it", async () => {
    const { client } = setup();
    const before = await client.snapshot();
    const tx = await client.begin();
    tx.put(e("a"), e("1"));
    tx.put(e("h"), e("2"));
    tx.put(e("z"), e("3"));
    assert.equal(d(await tx.get(e("h"))), "2");
    await tx.commit();
    const after = await client.begin();
    assert.deepEqual((await after.batchGet([e("a"), e("h"), e("z"), e("q")])).map(d), ["1", "2", "3", null]);
    assert.equal(await before.get(e("a")), null, "an older snapshot never sees a later commit");
    await assert.rejects(() => tx.get(e("a")), TxnClosedError);
  });

  it("of two concurrent writers of a key, the second to commit gets a WriteConflictError naming the winner", async () => {
    const { client } = setup();
    const t1 = await client.begin();
    const t2 = await client.begin();
    t1.put(e("k"), e("one"));
    t2.put(e("k"), e("two"));
    const c1 = await t1.commit();
    await assert.rejects(
      () => t2.commit(),
      (err: unknown) =>
        err instanceof WriteConflictError &&
        err.conflictStartTs === t1.startTs &&
        err.conflictCommitTs === c1 &&
        /write conflict on key 6b/.test(err.message),
    );
    const t3 = await client.begin();
    assert.equal(d(await t3.get(e("k"))), "one");
  });

  it("write skew is allowed under SI, and lockKey on the read keys prevents it", async () => {
    const { client } = setup();
    for (const guard of [false, true]) {
      const t1 = await client.begin();
      const t2 = await client.begin();
      await t1.get(e("x"));
      await t2.get(e("y"));
      if (guard) {
        t1.lockKey(e("y"));
        t2.lockKey(e("x"));
      }
      t1.put(e("x"), e("1"));
      t2.put(e("y"), e("1"));
      await t1.commit();
      if (guard) await assert.rejects(() => t2.commit(), WriteConflictError);
      else await t2.commit();
    }
  });

  it("a crashed client's locks block readers until their TTL, then are rolled back", async () => {
    const { client, router, clock } = setup();
    const t = await client.begin();
    // The client prewrote and died before committing.
    await router.execute(e("a"), {
      type: "prewrite",
      primary: e("a"),
      startTs: t.startTs,
      lockTtlMs: 3000,
      mutations: [{ op: "put", key: e("a"), value: e("x") }],
    });
    await router.execute(e("h"), {
      type: "prewrite",
      primary: e("a"),
      startTs: t.startTs,
      lockTtlMs: 3000,
      mutations: [{ op: "put", key: e("h"), value: e("y") }],
    });
    const started = clock.now;
    const reader = await client.begin();
    assert.equal(await reader.get(e("h")), null);
    assert.ok(clock.now - started >= 3000, "the reader waited out the TTL");
    const w = await client.begin();
    w.put(e("a"), e("new"));
    await w.commit();
  });

  it("a client that died after committing its primary is rolled forward by readers", async () => {
    const { client, router } = setup();
    const t = await client.begin();
    for (const k of ["a", "h"]) {
      await router.execute(e(k), {
        type: "prewrite",
        primary: e("a"),
        startTs: t.startTs,
        lockTtlMs: 3000,
        mutations: [{ op: "put", key: e(k), value: e(`${k}!`) }],
      });
    }
    const commitTs = await router.tso();
    await router.execute(e("a"), { type: "commit", keys: [e("a")], startTs: t.startTs, commitTs });
    const reader = await client.begin();
    assert.deepEqual(
      (await reader.scan(e(""), undefined, { limit: 10 })).map(([k, v]) => [d(k), d(v)]),
      [
        ["a", "a!"],
        ["h", "h!"],
      ],
    );
  });

  it("a live lock past the wait budget is a LockConflictError naming the holder", async () => {
    const { client, router } = setup({ maxLockWaitMs: 100 });
    const holder = await client.begin();
    await router.execute(e("k"), {
      type: "prewrite",
      primary: e("k"),
      startTs: holder.startTs,
      lockTtlMs: 60_000,
      mutations: [{ op: "put", key: e("k"), value: e("x") }],
    });
    const t = await client.begin();
    await assert.rejects(
      () => t.get(e("k")),
      (err: unknown) => err instanceof LockConflictError && err.lockTxn === holder.startTs,
    );
  });

  it("scans cross regions both ways and merge the write buffer", async () => {
    const { client } = setup();
    const keys = ["b", "f", "g", "m", "p", "r", "y"];
    await runTxn(client, async (tx) => {
      for (const k of keys) tx.put(e(k), e(k.toUpperCase()));
    });
    const tx = await client.begin();
    tx.delete(e("g"));
    tx.put(e("n"), e("N"));
    const fwd = (await tx.scan(e("c"), e("s"), { limit: 10 })).map(([k]) => d(k));
    assert.deepEqual(fwd, ["f", "m", "n", "p", "r"]);
    const rev = (await tx.scan(e(""), undefined, { limit: 4, reverse: true })).map(([k]) => d(k));
    assert.deepEqual(rev, ["y", "r", "p", "n"]);
  });

  it("concurrent read-modify-write increments lose no update (runTxn retries conflicts)", async () => {
    const { client } = setup();
    const inc = () =>
      runTxn(
        client,
        async (tx) => {
          const v = Number(d(await tx.get(e("ctr"))) ?? "0");
          tx.put(e("ctr"), e(String(v + 1)));
        },
        50,
      );
    await Promise.all(Array.from({ length: 8 }, inc));
    const tx = await client.begin();
    assert.equal(d(await tx.get(e("ctr"))), "8");
  });

  it("a snapshot keeps reading at its ts however many commits come after", async () => {
    const { client } = setup();
    await runTxn(client, async (tx) => tx.put(e("k"), e("v0")));
    const snap = await client.snapshot();
    for (let i = 1; i <= 20; i++) await runTxn(client, async (tx) => tx.put(e("k"), e(`v${i}`)));
    assert.equal(d(await snap.get(e("k"))), "v0");
    assert.throws(() => snap.put(e("k"), e("x")), /read-only/);
  });

  it("GC at the oldest open snapshot keeps it readable; older snapshots get SnapshotTooOld", async () => {
    const { client, router } = setup();
    await runTxn(client, async (tx) => tx.put(e("k"), e("v0")));
    const old = await client.snapshot();
    const older = old.startTs - 1;
    for (let i = 1; i <= 5; i++) await runTxn(client, async (tx) => tx.put(e("k"), e(`v${i}`)));
    const safePoint = client.oldestActiveTs();
    assert.equal(safePoint, old.startTs);
    const gc = await router.execute(e("k"), {
      type: "gc",
      safePoint: safePoint!,
      start: e(""),
      end: null,
      limit: 1000,
    });
    assert.ok(
      gc.ok && gc.type === "gc" && gc.removed === 0,
      "nothing at or below the oldest snapshot is collectable yet",
    );
    assert.equal(d(await old.get(e("k"))), "v0");
    old.rollback();
    assert.equal(client.oldestActiveTs(), undefined);
    const later = await client.begin();
    const gc2 = await router.execute(e("k"), {
      type: "gc",
      safePoint: later.startTs,
      start: e(""),
      end: null,
      limit: 1000,
    });
    assert.ok(gc2.ok && gc2.type === "gc" && gc2.removed === 5, "five superseded versions collected");
    assert.equal(d(await later.get(e("k"))), "v5");
    const stale = await client.snapshot(older);
    await assert.rejects(() => stale.get(e("k")), SnapshotTooOldError);
  });
});
