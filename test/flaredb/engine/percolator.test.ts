import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyCommand } from "../../../src/flaredb/engine/apply.ts";
import { MemoryKv } from "../../../src/flaredb/engine/kv.ts";
import { rawGet, rawScan, txnGet, txnScan } from "../../../src/flaredb/engine/read.ts";

const e = (s: string) => new TextEncoder().encode(s);
const d = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

function prewrite(kv: MemoryKv, keys: string[], startTs: number, nowMs = 0, ttl = 100) {
  return applyCommand(
    kv,
    {
      type: "prewrite",
      primary: e(keys[0]!),
      startTs,
      lockTtlMs: ttl,
      mutations: keys.map((k) => ({ op: "put" as const, key: e(k), value: e(`${k}@${startTs}`) })),
    },
    nowMs,
  );
}

describe("Percolator commands", () => {
  it("a lock within its TTL is reported locked; past it, checkTxnStatus rolls it back", () => {
    const kv = new MemoryKv();
    assert.ok(prewrite(kv, ["p", "s"], 10, 1000, 100).ok);
    const live = applyCommand(
      kv,
      { type: "checkTxnStatus", primary: e("p"), startTs: 10, rollbackIfNotExist: true },
      1099,
    );
    assert.ok(live.ok && live.type === "checkTxnStatus" && live.status.state === "locked");
    assert.equal(live.status.state === "locked" && live.status.expiresAtMs, 1100);
    const dead = applyCommand(
      kv,
      { type: "checkTxnStatus", primary: e("p"), startTs: 10, rollbackIfNotExist: true },
      1100,
    );
    assert.deepEqual(dead.ok && dead.type === "checkTxnStatus" && dead.status, { state: "rolledBack" });
    // The slow client's commit now fails, and the secondary is rolled back by resolveLock.
    const late = applyCommand(kv, { type: "commit", keys: [e("p")], startTs: 10, commitTs: 20 }, 1200);
    assert.ok(!late.ok && late.errors[0]!.kind === "txnAborted");
    const res = applyCommand(kv, { type: "resolveLock", keys: [e("s")], startTs: 10, commitTs: 0 }, 1200);
    assert.ok(res.ok && res.type === "resolveLock" && res.resolved === 1);
    assert.deepEqual(txnGet(kv, e("s"), 30), { ok: true, value: null });
  });

  it("a committed primary rolls its secondaries forward at its commit ts", () => {
    const kv = new MemoryKv();
    assert.ok(prewrite(kv, ["p", "s"], 10).ok);
    assert.ok(applyCommand(kv, { type: "commit", keys: [e("p")], startTs: 10, commitTs: 15 }, 0).ok);
    const st = applyCommand(
      kv,
      { type: "checkTxnStatus", primary: e("p"), startTs: 10, rollbackIfNotExist: true },
      1e9,
    );
    assert.deepEqual(st.ok && st.type === "checkTxnStatus" && st.status, {
      state: "committed",
      commitTs: 15,
    });
    const r = txnGet(kv, e("s"), 20);
    assert.ok(!r.ok && r.error.kind === "locked" && d(r.error.locks[0]!.primary) === "p");
    applyCommand(kv, { type: "resolveLock", keys: [e("s")], startTs: 10, commitTs: 15 }, 0);
    assert.equal(d((txnGet(kv, e("s"), 20) as { value: Uint8Array }).value), "s@10");
    assert.deepEqual(txnGet(kv, e("s"), 14), { ok: true, value: null });
  });

  it("a missing primary gets a rollback record so its late prewrite fails", () => {
    const kv = new MemoryKv();
    const st = applyCommand(
      kv,
      { type: "checkTxnStatus", primary: e("p"), startTs: 10, rollbackIfNotExist: false },
      0,
    );
    assert.ok(!st.ok && st.errors[0]!.kind === "txnNotFound");
    applyCommand(kv, { type: "checkTxnStatus", primary: e("p"), startTs: 10, rollbackIfNotExist: true }, 0);
    const late = prewrite(kv, ["p"], 10);
    assert.ok(!late.ok && late.errors[0]!.kind === "txnAborted");
  });

  it("a heartbeat extends the primary's TTL", () => {
    const kv = new MemoryKv();
    prewrite(kv, ["p"], 10, 0, 100);
    assert.ok(
      applyCommand(kv, { type: "txnHeartbeat", primary: e("p"), startTs: 10, lockTtlMs: 100 }, 90).ok,
    );
    const st = applyCommand(
      kv,
      { type: "checkTxnStatus", primary: e("p"), startTs: 10, rollbackIfNotExist: true },
      150,
    );
    assert.ok(st.ok && st.type === "checkTxnStatus" && st.status.state === "locked");
  });

  it("readers pass locks of younger txns and check-only locks", () => {
    const kv = new MemoryKv();
    prewrite(kv, ["a"], 10);
    assert.deepEqual(txnGet(kv, e("a"), 9), { ok: true, value: null });
    applyCommand(
      kv,
      {
        type: "prewrite",
        primary: e("b"),
        startTs: 11,
        lockTtlMs: 10,
        mutations: [{ op: "lock", key: e("b") }],
      },
      0,
    );
    assert.deepEqual(txnGet(kv, e("b"), 20), { ok: true, value: null });
    const r = txnGet(kv, e("a"), 20, { ignoreLocksOf: [10] });
    assert.deepEqual(r, { ok: true, value: null });
  });

  it("a scan that hits its work bound returns a resume key that continues exactly", () => {
    const kv = new MemoryKv();
    for (let i = 0; i < 30; i++) {
      const k = `k${String(i).padStart(2, "0")}`;
      prewrite(kv, [k], 100 + 2 * i);
      applyCommand(kv, { type: "commit", keys: [e(k)], startTs: 100 + 2 * i, commitTs: 101 + 2 * i }, 0);
    }
    for (const reverse of [false, true]) {
      const got: string[] = [];
      let start = new Uint8Array(0) as Uint8Array;
      let end: Uint8Array | undefined;
      for (let guard = 0; guard < 100; guard++) {
        const r = txnScan(kv, { start, end, limit: 7, reverse }, 1000);
        assert.ok(r.ok);
        got.push(...r.pairs.map(([k]) => d(k)!));
        if (r.resume === null) break;
        if (reverse) end = r.resume;
        else start = r.resume;
      }
      const want = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, "0")}`);
      assert.deepEqual(got, reverse ? want.reverse() : want);
    }
  });

  it("raw keys: TTL expiry, compare-and-set, scan, and GC of expired keys", () => {
    const kv = new MemoryKv();
    applyCommand(kv, { type: "rawPut", key: e("t"), value: e("1"), ttlMs: 50 }, 100);
    applyCommand(kv, { type: "rawPut", key: e("u"), value: e("2"), ttlMs: 0 }, 100);
    assert.equal(d(rawGet(kv, e("t"), 149)), "1");
    assert.equal(rawGet(kv, e("t"), 150), null);
    const cas1 = applyCommand(
      kv,
      { type: "rawCas", key: e("u"), expected: e("x"), value: e("3"), ttlMs: 0 },
      100,
    );
    assert.ok(cas1.ok && cas1.type === "rawCas" && !cas1.swapped && d(cas1.current) === "2");
    const cas2 = applyCommand(
      kv,
      { type: "rawCas", key: e("t"), expected: null, value: e("4"), ttlMs: 0 },
      200,
    );
    assert.ok(cas2.ok && cas2.type === "rawCas" && cas2.swapped, "an expired key counts as absent");
    applyCommand(kv, { type: "rawPut", key: e("v"), value: e("5"), ttlMs: 10 }, 200);
    const s = rawScan(kv, { start: new Uint8Array(0), end: undefined, limit: 10, reverse: true }, 300);
    assert.ok(s.ok);
    assert.deepEqual(
      s.pairs.map(([k, v]) => [d(k), d(v)]),
      [
        ["u", "2"],
        ["t", "4"],
      ],
    );
    const g = applyCommand(
      kv,
      { type: "gc", safePoint: 1, start: new Uint8Array(0), end: null, limit: 100 },
      300,
    );
    assert.ok(g.ok && g.type === "gc" && g.removed === 1);
    assert.equal(kv.size, 2);
  });
});
