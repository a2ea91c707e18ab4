// The pure parts of replication: quorum sizes, waiting for a quorum, merging replicas' samples,
// and which replica scrapes a target.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeReplicaSeries } from "../../src/nightlight/replication/merge-series.ts";
import { awaitQuorum, quorumSizes } from "../../src/nightlight/replication/quorum.ts";
import { scrapeOwner } from "../../src/nightlight/replication/scrape-owner.ts";
import type { SelectedSeries } from "../../src/nightlight/tsdb/tsdb.ts";

test("read and write quorums overlap for every replica count", () => {
  assert.deepEqual(quorumSizes(1), { replicas: 1, write: 1, read: 1 });
  assert.deepEqual(quorumSizes(3), { replicas: 3, write: 2, read: 2 });
  for (let n = 1; n <= 9; n++) {
    const q = quorumSizes(n);
    assert.ok(q.read + q.write > n, `n=${n}`);
    assert.ok(n - q.write >= Math.floor((n - 1) / 2), `n=${n} tolerates ⌊(n−1)/2⌋ losses`);
  }
  assert.throws(() => quorumSizes(0), RangeError);
});

test("a quorum resolves as soon as enough attempts succeed, failures and rejections count as no", async () => {
  const never = new Promise<boolean>(() => {});
  assert.equal(await awaitQuorum([Promise.resolve(true), Promise.resolve(true), never], 2), 2);
  assert.equal(
    await awaitQuorum([Promise.resolve(false), Promise.reject(new Error("x")), Promise.resolve(true)], 2),
    1,
  );
  assert.equal(await awaitQuorum([], 1), 0);
});

const series = (ts: number[], vs: number[], stale: number[] = []): SelectedSeries => ({
  labels: [
    ["__name__", "m"],
    ["i", "a"],
  ],
  ts: Float64Array.from(ts),
  vs: Float64Array.from(vs),
  stale: Uint8Array.from(ts.map((_, i) => (stale.includes(i) ? 1 : 0))),
});

test("replica answers merge into one series per label set with one sample per timestamp", () => {
  const a = series([1, 2, 4], [10, 20, 40]);
  const b = series([1, 3, 4, 5], [10, 30, 40, 50], [3]);
  const other: SelectedSeries = { ...series([1], [7]), labels: [["__name__", "other"]] };
  const merged = mergeReplicaSeries([[a], [b, other]]);
  assert.equal(merged.length, 2);
  const m = merged.find((s) => s.labels[0]![1] === "m")!;
  assert.deepEqual([...m.ts], [1, 2, 3, 4, 5]);
  assert.deepEqual([...m.vs], [10, 20, 30, 40, 50]);
  assert.deepEqual([...m.stale], [0, 0, 0, 0, 1]);
  // Identical answers come back as they are.
  assert.equal(mergeReplicaSeries([[a], [series([1, 2, 4], [10, 20, 40])]])[0], a);
});

test("every replica names the same scrape owner, and losing one moves only its targets", () => {
  const all = ["http://a:9090", "http://b:9090", "http://c:9090"];
  const targets = Array.from({ length: 300 }, (_, i) => `system|node|http://10.0.0.${i}:9100/metrics`);
  const owners = targets.map((t) => scrapeOwner(t, all)!);
  for (const r of all) assert.ok(owners.filter((o) => o === r).length > 50, `${r} owns a fair share`);
  const survivors = all.slice(0, 2);
  targets.forEach((t, i) => {
    const now = scrapeOwner(t, survivors)!;
    if (owners[i] !== all[2]) assert.equal(now, owners[i]);
    else assert.ok(survivors.includes(now));
  });
  assert.equal(scrapeOwner("x", []), undefined);
});
