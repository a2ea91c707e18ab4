import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type KvOp, kvPartition, kvRegisterModel } from "../../../src/core/raft/sim/kv-model.ts";
import { checkLinearizable, type TimedOp } from "../../../src/core/raft/sim/linearizability.ts";

const put = (callMs: number, returnMs: number, value: string, key = "k"): TimedOp<KvOp> => ({
  callMs,
  returnMs,
  op: { key, kind: "put", value, ...(returnMs === Infinity ? {} : { output: "ok" as const }) },
});
const get = (callMs: number, returnMs: number, output: string | null, key = "k"): TimedOp<KvOp> => ({
  callMs,
  returnMs,
  op: { key, kind: "get", output },
});
const cas = (
  callMs: number,
  returnMs: number,
  expected: string | null,
  value: string,
  output?: boolean,
): TimedOp<KvOp> => ({
  callMs,
  returnMs,
  op: { key: "k", kind: "cas", expected, value, ...(output === undefined ? {} : { output }) },
});

const check = (ops: TimedOp<KvOp>[]) => checkLinearizable(kvRegisterModel, ops, kvPartition).outcome;

test("a sequential history that follows the register's rules is linearizable", () => {
  assert.equal(check([put(0, 1, "a"), get(2, 3, "a"), put(4, 5, "b"), get(6, 7, "b")]), "ok");
});

test("a read of the initial value after a completed write is not linearizable", () => {
  assert.equal(check([put(0, 10, "a"), get(20, 30, null)]), "violation");
});

test("a read concurrent with a write may see either value", () => {
  assert.equal(check([put(0, 10, "a"), get(5, 15, "a")]), "ok");
  assert.equal(check([put(0, 10, "a"), get(5, 15, null)]), "ok");
});

test("two reads cannot see a write, then not see it (no going back in time)", () => {
  // The write is concurrent with both reads, but the first read already saw it.
  assert.equal(check([put(0, 100, "a"), get(10, 20, "a"), get(30, 40, null)]), "violation");
});

test("concurrent writes may linearize in either order, but reads must agree on one", () => {
  const w = [put(0, 50, "a"), put(0, 50, "b")];
  assert.equal(check([...w, get(60, 70, "a"), get(80, 90, "a")]), "ok");
  assert.equal(check([...w, get(60, 70, "b"), get(80, 90, "a")]), "violation");
});

test("an indeterminate write may take effect late, or never", () => {
  assert.equal(check([put(0, Infinity, "a"), get(10, 20, null), get(30, 40, "a")]), "ok");
  assert.equal(check([put(0, Infinity, "a"), get(10, 20, null)]), "ok");
  // …but once seen it stays visible.
  assert.equal(check([put(0, Infinity, "a"), get(10, 20, "a"), get(30, 40, null)]), "violation");
});

test("a read of a value nobody wrote is not linearizable", () => {
  assert.equal(check([put(0, 10, "a"), get(20, 30, "zzz")]), "violation");
});

test("compare-and-set succeeds only against the current value", () => {
  assert.equal(check([put(0, 1, "a"), cas(2, 3, "a", "b", true), get(4, 5, "b")]), "ok");
  assert.equal(check([put(0, 1, "a"), cas(2, 3, "x", "b", true)]), "violation");
  assert.equal(check([put(0, 1, "a"), cas(2, 3, "x", "b", false), get(4, 5, "a")]), "ok");
  // Two successful CAS from the same expected value cannot both happen.
  assert.equal(check([put(0, 1, "a"), cas(2, 10, "a", "b", true), cas(2, 10, "a", "c", true)]), "violation");
});

test("keys are checked independently", () => {
  const ops = [put(0, 1, "a", "k1"), put(0, 1, "b", "k2"), get(2, 3, "a", "k1"), get(2, 3, "b", "k2")];
  assert.equal(check(ops), "ok");
  const bad = [put(0, 1, "a", "k1"), get(2, 3, "a", "k2")];
  const r = checkLinearizable(kvRegisterModel, bad, kvPartition);
  assert.equal(r.outcome, "violation");
  assert.equal(r.outcome === "violation" ? r.partition : "", "k2");
});

test("a search that exceeds its step budget answers unknown rather than hanging", () => {
  const ops: TimedOp<KvOp>[] = [];
  for (let i = 0; i < 40; i++) ops.push(put(0, 1000, `v${i}`));
  ops.push(get(2000, 2001, "nope"));
  assert.equal(checkLinearizable(kvRegisterModel, ops, kvPartition, 10_000).outcome, "unknown");
});

// Property: run a real atomic register, give every operation an interval around the instant
// it took effect, and the history is linearizable; corrupt one read and it is not (when the
// corrupted value could never have been seen).
test("histories of a real atomic register are linearizable; a read of an unwritten value is not", () => {
  const opArb = fc.record({
    kind: fc.constantFrom("put", "get", "cas"),
    before: fc.integer({ min: 0, max: 30 }),
    after: fc.integer({ min: 0, max: 30 }),
    indeterminate: fc.boolean(),
    pickExpected: fc.integer({ min: 0, max: 3 }),
  });
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 1, maxLength: 14 }), (specs) => {
      let state: string | null = null;
      const written: (string | null)[] = [null];
      const ops: TimedOp<KvOp>[] = specs.map((s, i) => {
        const at = i * 10;
        const callMs = at - s.before;
        const returnMs = s.indeterminate && s.kind !== "get" ? Infinity : at + s.after;
        if (s.kind === "put") {
          const value = `v${i}`;
          state = value;
          written.push(value);
          return {
            callMs,
            returnMs,
            op: { key: "k", kind: "put", value, ...(returnMs === Infinity ? {} : { output: "ok" as const }) },
          };
        }
        if (s.kind === "get") return { callMs, returnMs, op: { key: "k", kind: "get", output: state } };
        const expected = written[s.pickExpected % written.length] ?? null;
        const value = `v${i}`;
        const swapped = state === expected;
        if (swapped) {
          state = value;
          written.push(value);
        }
        return {
          callMs,
          returnMs,
          op: {
            key: "k",
            kind: "cas",
            expected,
            value,
            ...(returnMs === Infinity ? {} : { output: swapped }),
          },
        };
      });
      assert.equal(check(ops), "ok");
      const gi = ops.findIndex((o) => o.op.kind === "get");
      if (gi >= 0) {
        const bad = ops.slice();
        bad[gi] = { ...ops[gi]!, op: { key: "k", kind: "get", output: "never-written" } };
        assert.equal(check(bad), "violation");
      }
    }),
    { numRuns: 300, seed: 42 },
  );
});
