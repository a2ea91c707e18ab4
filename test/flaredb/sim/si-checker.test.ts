import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AnomalyKind, checkSnapshotIsolation, type TxnRecord } from "./si-checker.ts";

const r = (key: string, ...value: string[]) => ({ kind: "read" as const, key, value });
const a = (key: string, ...prev: string[]) => ({ kind: "append" as const, key, prev });
const ok = (id: string, beginMs: number, endMs: number, ...ops: TxnRecord["ops"]): TxnRecord => ({
  id,
  status: "committed",
  beginMs,
  endMs,
  ops,
});
const kinds = (h: TxnRecord[]) => checkSnapshotIsolation(h).map((x) => x.kind) as AnomalyKind[];

describe("snapshot-isolation checker", () => {
  it("accepts a serial history", () => {
    assert.deepEqual(
      kinds([
        ok("t1", 0, 1, r("x"), a("x")),
        ok("t2", 2, 3, r("x", "t1"), a("x", "t1")),
        ok("t3", 4, 5, r("x", "t1", "t2")),
      ]),
      [],
    );
  });

  it("accepts write skew (two rw edges), which SI allows", () => {
    assert.deepEqual(
      kinds([
        ok("t1", 0, 10, r("x"), r("y"), a("x")),
        ok("t2", 0, 10, r("x"), r("y"), a("y")),
        ok("t3", 20, 21, r("x", "t1"), r("y", "t2")),
      ]),
      [],
    );
  });

  it("catches a lost update: two concurrent txns extend the same version", () => {
    assert.ok(
      kinds([ok("t1", 0, 10, r("x"), a("x")), ok("t2", 0, 10, r("x"), a("x"))]).includes("lostUpdate"),
    );
  });

  it("catches an aborted read (G1a)", () => {
    const h: TxnRecord[] = [
      { id: "t1", status: "aborted", beginMs: 0, ops: [r("x"), a("x")] },
      ok("t2", 5, 6, r("x", "t1")),
    ];
    assert.ok(kinds(h).includes("G1a"));
  });

  it("catches circular information flow (G1c)", () => {
    // t1 writes x read by t2; t2 writes y read by t1: each saw the other.
    const h = [ok("t1", 0, 10, r("y", "t2"), a("x")), ok("t2", 0, 10, r("x", "t1"), a("y"))];
    assert.ok(kinds(h).includes("G1c"));
  });

  it("catches a write cycle (G0)", () => {
    // x orders t1 before t2, y orders t2 before t1.
    const h = [
      ok("t1", 0, 10, a("x"), a("y", "t2")),
      ok("t2", 0, 10, a("x", "t1"), a("y")),
      ok("t3", 20, 21, r("x", "t1", "t2"), r("y", "t2", "t1")),
    ];
    assert.ok(kinds(h).includes("G0"));
  });

  it("catches read skew (G-single)", () => {
    // t2 wrote x and y; t1 saw t2's y but not its x.
    const h = [
      ok("t0", 0, 1, a("x"), a("y")),
      ok("t2", 2, 5, r("x", "t0"), r("y", "t0"), a("x", "t0"), a("y", "t0")),
      ok("t1", 2, 6, r("x", "t0"), r("y", "t0", "t2")),
    ];
    assert.ok(kinds(h).includes("G-single"));
  });

  it("catches a stale read through real time (G-rt)", () => {
    // t2 began after t1's commit was acknowledged, yet did not see it.
    const h = [ok("t1", 0, 1, r("x"), a("x")), ok("t2", 5, 6, r("x")), ok("t3", 7, 8, r("x", "t1"))];
    assert.ok(kinds(h).some((k) => k === "G-single" || k === "G-rt"));
  });

  it("treats an unknown txn as committed once someone saw its write, and as absent otherwise", () => {
    const seen: TxnRecord[] = [
      { id: "t1", status: "unknown", beginMs: 0, ops: [r("x"), a("x")] },
      ok("t2", 5, 6, r("x", "t1")),
    ];
    assert.deepEqual(kinds(seen), []);
    const unseen: TxnRecord[] = [
      { id: "t1", status: "unknown", beginMs: 0, ops: [r("x"), a("x")] },
      ok("t2", 5, 6, r("x")),
    ];
    assert.deepEqual(kinds(unseen), []);
  });

  it("catches an acknowledged commit missing from the final read", () => {
    const h: TxnRecord[] = [ok("t1", 0, 1, r("x"), a("x")), { ...ok("f", 10, 11, r("x")), final: true }];
    assert.ok(kinds(h).includes("lostCommit"));
  });
});
