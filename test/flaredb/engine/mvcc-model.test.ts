// The engine against a reference model of Percolator MVCC on one region: random interleavings
// of prewrite, commit, rollback, lock resolution, GC and snapshot reads.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { applyCommand } from "../../../src/flaredb/engine/apply.ts";
import type { CommandResult } from "../../../src/flaredb/engine/commands.ts";
import { MemoryKv } from "../../../src/flaredb/engine/kv.ts";
import { txnBatchGet, txnGet, txnScan } from "../../../src/flaredb/engine/read.ts";

const KEYS = ["a", "a\u0000", "b", "c", "cc"].map((s) => new TextEncoder().encode(s));
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
const enc = (s: string) => new TextEncoder().encode(s);

interface ModelTxn {
  startTs: number;
  writes: Map<number, string | null>; // key index → value (null: delete)
  state: "new" | "prewritten" | "committed" | "rolledBack";
}

class Model {
  ts = 0;
  /** key index → commits, oldest first. */
  commits = KEYS.map(() => [] as { commitTs: number; value: string | null }[]);
  locks = KEYS.map(() => undefined as ModelTxn | undefined);
  safePoint = 0;

  visible(k: number, ts: number): string | null {
    let v: string | null = null;
    for (const c of this.commits[k]!) if (c.commitTs <= ts) v = c.value;
    return v;
  }
}

type Action =
  | { t: "prewrite"; keys: number[]; vals: number[] }
  | { t: "commit"; txn: number }
  | { t: "rollback"; txn: number }
  | { t: "read"; key: number; back: number }
  | { t: "scan"; back: number; reverse: boolean; limit: number }
  | { t: "gc"; limit: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    t: fc.constant("prewrite" as const),
    keys: fc.uniqueArray(fc.nat(KEYS.length - 1), { minLength: 1, maxLength: 3 }),
    vals: fc.array(fc.nat(3), { minLength: 3, maxLength: 3 }),
  }),
  fc.record({ t: fc.constant("commit" as const), txn: fc.nat(20) }),
  fc.record({ t: fc.constant("rollback" as const), txn: fc.nat(20) }),
  fc.record({ t: fc.constant("read" as const), key: fc.nat(KEYS.length - 1), back: fc.nat(8) }),
  fc.record({
    t: fc.constant("scan" as const),
    back: fc.nat(8),
    reverse: fc.boolean(),
    limit: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ t: fc.constant("gc" as const), limit: fc.integer({ min: 1, max: 5 }) }),
);

function run(actions: Action[]): void {
  const kv = new MemoryKv();
  const m = new Model();
  const txns: ModelTxn[] = [];
  const apply = (c: Parameters<typeof applyCommand>[1]): CommandResult =>
    applyCommand(kv, c, 0, { safePoint: m.safePoint });
  for (const a of actions) {
    switch (a.t) {
      case "prewrite": {
        const t: ModelTxn = { startTs: ++m.ts, writes: new Map(), state: "new" };
        txns.push(t);
        a.keys.forEach((k, i) => {
          t.writes.set(k, a.vals[i] === 0 ? null : `t${t.startTs}v${a.vals[i]}`);
        });
        const keys = [...t.writes.keys()];
        const r = apply({
          type: "prewrite",
          primary: KEYS[keys[0]!]!,
          startTs: t.startTs,
          lockTtlMs: 1000,
          mutations: keys.map((k) => {
            const v = t.writes.get(k)!;
            return v === null
              ? { op: "delete" as const, key: KEYS[k]! }
              : { op: "put" as const, key: KEYS[k]!, value: enc(v) };
          }),
        });
        // A fresh start ts is above every commit, so only a lock can stop it.
        const locked = keys.some((k) => m.locks[k] !== undefined);
        assert.equal(r.ok, !locked, JSON.stringify(r));
        if (r.ok) {
          t.state = "prewritten";
          for (const k of keys) m.locks[k] = t;
        } else {
          assert.ok(r.errors.every((e) => e.kind === "locked"));
          t.state = "rolledBack";
        }
        break;
      }
      case "commit": {
        const t = txns[a.txn];
        if (!t) break;
        const commitTs = ++m.ts;
        const keys = [...t.writes.keys()].map((k) => KEYS[k]!);
        const r = apply({ type: "commit", keys, startTs: t.startTs, commitTs });
        if (t.state === "prewritten") {
          assert.ok(r.ok, JSON.stringify(r));
          t.state = "committed";
          for (const [k, v] of t.writes) {
            m.commits[k]!.push({ commitTs, value: v });
            m.locks[k] = undefined;
          }
        } else if (t.state === "committed") {
          // Unless GC collected the txn's records (nothing running is that old).
          if (t.startTs > m.safePoint) assert.ok(r.ok, "a repeated commit is a no-op");
        } else {
          assert.ok(!r.ok, "a txn never prewritten or rolled back cannot commit");
        }
        break;
      }
      case "rollback": {
        const t = txns[a.txn];
        if (!t) break;
        const r = apply({
          type: "rollback",
          keys: [...t.writes.keys()].map((k) => KEYS[k]!),
          startTs: t.startTs,
        });
        if (t.state === "committed") {
          if (t.startTs > m.safePoint) assert.ok(!r.ok && r.errors[0]!.kind === "alreadyCommitted");
          break;
        }
        assert.ok(r.ok);
        for (const k of t.writes.keys()) if (m.locks[k] === t) m.locks[k] = undefined;
        t.state = "rolledBack";
        // A prewrite that arrives late after the rollback must fail.
        const late = apply({
          type: "prewrite",
          primary: KEYS[[...t.writes.keys()][0]!]!,
          startTs: t.startTs,
          lockTtlMs: 1000,
          mutations: [...t.writes.keys()].map((k) => ({ op: "lock" as const, key: KEYS[k]! })),
        });
        assert.ok(!late.ok);
        break;
      }
      case "read": {
        const ts = Math.max(1, m.ts - a.back);
        const r = txnGet(kv, KEYS[a.key]!, ts, { safePoint: m.safePoint });
        if (ts < m.safePoint) {
          assert.ok(!r.ok && r.error.kind === "snapshotTooOld");
          break;
        }
        const lock = m.locks[a.key];
        if (lock && lock.startTs <= ts) {
          assert.ok(!r.ok && r.error.kind === "locked");
          assert.equal(r.error.locks[0]!.startTs, lock.startTs);
        } else {
          assert.ok(r.ok);
          assert.equal(dec(r.value), m.visible(a.key, ts), `key ${a.key} at ${ts}`);
        }
        const b = txnBatchGet(kv, [KEYS[a.key]!], ts, { safePoint: m.safePoint });
        assert.equal(b.ok, r.ok);
        break;
      }
      case "scan": {
        const ts = Math.max(m.safePoint, m.ts - a.back, 1);
        const r = txnScan(
          kv,
          { start: new Uint8Array(0), end: undefined, limit: a.limit, reverse: a.reverse },
          ts,
        );
        const order = KEYS.map((_, i) => i);
        if (a.reverse) order.reverse();
        const want: [string, string][] = [];
        let blocked = false;
        for (const k of order) {
          if (want.length >= a.limit) break;
          const lock = m.locks[k];
          if (lock && lock.startTs <= ts) {
            blocked = true;
            break;
          }
          const v = m.visible(k, ts);
          if (v !== null) want.push([dec(KEYS[k]!)!, v]);
        }
        if (blocked) {
          assert.ok(!r.ok && r.error.kind === "locked");
        } else {
          assert.ok(r.ok, JSON.stringify(r));
          assert.deepEqual(
            r.pairs.map(([k, v]) => [dec(k), dec(v)]),
            want,
          );
        }
        break;
      }
      case "gc": {
        // The safe point stays below every running txn, like the placement driver's.
        const running = txns.filter((t) => t.state === "prewritten").map((t) => t.startTs);
        const sp = Math.min(m.ts, ...running.map((s) => s - 1));
        if (sp < 1 || sp <= m.safePoint) break;
        m.safePoint = sp;
        let start: Uint8Array = new Uint8Array(0);
        for (let guard = 0; guard < 100; guard++) {
          const r = apply({ type: "gc", safePoint: sp, start, end: null, limit: a.limit });
          assert.ok(r.ok && r.type === "gc");
          if (r.next === null) break;
          start = r.next;
        }
        for (let k = 0; k < KEYS.length; k++) {
          for (let ts = sp; ts <= m.ts; ts++) {
            const r = txnGet(kv, KEYS[k]!, ts);
            if (r.ok)
              assert.equal(
                dec(r.value),
                m.visible(k, ts),
                "GC changed what a snapshot above the safe point sees",
              );
          }
        }
        break;
      }
    }
  }
}

describe("engine against the MVCC model", () => {
  it("prewrite, commit, rollback, reads, scans and GC agree with the model", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => run(actions)),
      { numRuns: 400 },
    );
  });
});
