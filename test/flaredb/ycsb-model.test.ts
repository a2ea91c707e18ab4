import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimate, regionShares, simulatePlacement } from "../../bench/flaredb/scale-model.ts";
import { OperationStream, recordKey, WORKLOADS, Zipfian } from "../../bench/flaredb/ycsb.ts";

describe("bench/flaredb: YCSB generators and the scale model", () => {
  it("Zipfian ranks stay in range and favour the first ones", () => {
    const z = new Zipfian(1_000);
    let zeros = 0;
    for (let i = 0; i < 10_000; i++) {
      const r = z.next((i + 0.5) / 10_000);
      assert.ok(r >= 0 && r < 1_000);
      if (r === 0) zeros++;
    }
    assert.ok(zeros > 1_000, `rank 0 drawn ${zeros} times`);
  });

  it("a workload's stream follows its mix and is reproducible from its seed", () => {
    const a = new OperationStream(WORKLOADS.B, 10_000, 7, 50_000);
    const b = new OperationStream(WORKLOADS.B, 10_000, 7, 50_000);
    let reads = 0;
    for (let i = 0; i < 20_000; i++) {
      const op = a.next();
      assert.deepEqual(op, b.next());
      if (op.type === "read") reads++;
      assert.ok(op.key >= recordKey(0) && op.key <= recordKey(9_999));
    }
    assert.ok(Math.abs(reads / 20_000 - 0.95) < 0.01);
    const e = new OperationStream(WORKLOADS.E, 100, 1, 1_000);
    const inserts = Array.from({ length: 2_000 }, () => e.next()).filter((o) => o.type === "insert");
    assert.equal(inserts[0]?.key, recordKey(1_000));
  });

  it("the placement driver's scheduler balances a cluster grown from 3 to 6 stores", () => {
    const p = simulatePlacement(6, 60);
    const replicas = new Map<string, number>();
    for (const r of p.regions) for (const s of r.peers) replicas.set(s, (replicas.get(s) ?? 0) + 1);
    assert.equal(replicas.size, 6);
    assert.ok(Math.max(...replicas.values()) / Math.min(...replicas.values()) <= 1.5);
    const uniform = estimate(p, regionShares(60_000, 60, false), "C", {
      readMs: 1,
      writeMs: 3,
      scanMs: 2,
      leaderWriteShare: 0.4,
      coresPerStore: 1,
    });
    // 6 stores of 1 core, 1 ms per read, leaders balanced: close to 6 000 reads/s.
    assert.ok(uniform.opsPerSec > 5_000 && uniform.opsPerSec <= 6_000, String(uniform.opsPerSec));
  });
});
