// The out-of-order path: a replica stores a series' batch k after batch k+1 (forwards overtaking
// each other, or a backfill after a restart), within a bounded window; the samples survive WAL
// replay, checkpoints and block cuts, and queries see them sorted, one per timestamp. A single
// server still refuses client samples older than the series' last one, as Prometheus does.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { snappyCompress, snappyDecompress } from "../../src/nightlight/ingest/snappy.ts";
import {
  decodeWriteRequest,
  encodeWriteRequest,
  type WriteSeries,
} from "../../src/nightlight/ingest/write-request.ts";
import { makeMatcher } from "../../src/nightlight/tsdb/matcher.ts";
import { outOfOrderWindowMs, type SelectedSeries, Tsdb } from "../../src/nightlight/tsdb/tsdb.ts";
import { freePort, startNightlight, testToken } from "./harness.ts";

const t0 = 1_700_000_000_000;
const seriesCount = 6;
const samplesPerBatch = 50;

/** Batch k of every series: `samplesPerBatch` samples a second apart; value = sample number. */
function batch(k: number, name = "ooo_test"): WriteSeries[] {
  return Array.from({ length: seriesCount }, (_, s) => ({
    labels: [
      ["__name__", name],
      ["series", `s${s}`],
    ],
    ts: Array.from({ length: samplesPerBatch }, (_, i) => t0 + (k * samplesPerBatch + i) * 1000),
    vs: Array.from({ length: samplesPerBatch }, (_, i) => k * samplesPerBatch + i + s / 10),
  }));
}

/** Every series must hold batches 0..n-1 exactly: sorted, no duplicates, the right values. */
function assertComplete(found: readonly SelectedSeries[], batches: number, what: string): void {
  assert.equal(found.length, seriesCount, `${what}: series`);
  for (const f of found) {
    const s = Number(f.labels.find(([n]) => n === "series")![1].slice(1));
    assert.equal(f.ts.length, batches * samplesPerBatch, `${what}: samples of s${s}`);
    for (let i = 0; i < f.ts.length; i++) {
      assert.equal(f.ts[i], t0 + i * 1000, `${what}: s${s} sample ${i} time`);
      assert.equal(f.vs[i], i + s / 10, `${what}: s${s} sample ${i} value`);
    }
  }
}

const selectAll = (db: Tsdb, name = "ooo_test") =>
  db.select("p", [makeMatcher("=", "__name__", name)], 0, Number.MAX_SAFE_INTEGER);

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), "nl-ooo-"));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wire = (series: WriteSeries[]) => snappyCompress(encodeWriteRequest({ series }));

test("a replica write of batch k after k+1 is stored; a client write of it is refused as out of order", () =>
  withDir(async (dir) => {
    const db = await Tsdb.open({ dir, clock: () => 0 });
    for (const k of [0, 2, 3]) assert.equal((await db.write("p", batch(k))).status, 204);
    const client = await db.write("p", batch(1));
    assert.equal(client.status, 400);
    assert.match(client.message ?? "", /out of order sample/);
    const replica = await db.write("p", batch(1), { admitted: true, outOfOrder: true, wire: wire(batch(1)) });
    assert.deepEqual(replica, { status: 204, accepted: seriesCount * samplesPerBatch });
    assertComplete(selectAll(db), 4, "after the reordered write");
    // The same batch again (a sender's retry, or a backfill) is a duplicate, not a second copy.
    const again = await db.write("p", batch(1), { admitted: true, outOfOrder: true });
    assert.deepEqual(again, { status: 204, accepted: 0 });
    // A different value at a stored time is refused, as in order.
    const changed = batch(1).map((s) => ({ ...s, vs: Array.from(s.vs, (v) => v + 1) }));
    const conflict = await db.write("p", changed, { admitted: true, outOfOrder: true });
    assert.equal(conflict.status, 400);
    assert.match(conflict.message ?? "", /different value/);
    assertComplete(selectAll(db), 4, "after duplicates and conflicts");
    assert.equal(db.stats().samplesOutOfOrder, seriesCount * samplesPerBatch);
    await db.close();
  }));

test("out-of-order samples are bounded by the window behind the newest sample", () =>
  withDir(async (dir) => {
    const db = await Tsdb.open({ dir, clock: () => 0 });
    const at = (t: number, v: number): WriteSeries[] => [{ labels: [["__name__", "w"]], ts: [t], vs: [v] }];
    await db.write("p", at(t0 + outOfOrderWindowMs + 10_000, 1));
    const tooOld = await db.write("p", at(t0 + 5_000, 2), { admitted: true, outOfOrder: true });
    assert.equal(tooOld.status, 400);
    assert.match(tooOld.message ?? "", /out-of-order window/);
    const inWindow = await db.write("p", at(t0 + 20_000, 3), { admitted: true, outOfOrder: true });
    assert.equal(inWindow.status, 204);
    assert.deepEqual(Array.from(selectAll(db, "w")[0]!.ts), [t0 + 20_000, t0 + outOfOrderWindowMs + 10_000]);
    await db.close();
  }));

test("out-of-order samples survive WAL replay, checkpoints and block cuts, sorted", () =>
  withDir(async (dir) => {
    // Ten batches of 50 samples per series, spread over chunks; every odd batch arrives late:
    // through the wire record (as forwarded), or as a logged sample batch (as backfill writes).
    const range = 4 * 60_000;
    let db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    for (const k of [0, 2, 4, 6, 8, 9]) await db.write("p", batch(k));
    for (const k of [7, 1, 5]) {
      const out = await db.write("p", batch(k), { admitted: true, outOfOrder: true, wire: wire(batch(k)) });
      assert.equal(out.status, 204);
    }
    assert.equal((await db.write("p", batch(3), { admitted: true, outOfOrder: true })).status, 204);
    assertComplete(selectAll(db), 10, "before the restart");
    await db.close();
    db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    assertComplete(selectAll(db), 10, "after WAL replay");
    // Batches 10–11 push the head past 1.5 block ranges: older chunks go to blocks, the WAL is
    // rotated to a checkpoint; then a late batch 10 copy lands beside them.
    await db.write("p", batch(11));
    assert.equal(
      (await db.write("p", batch(10), { admitted: true, outOfOrder: true, wire: wire(batch(10)) })).status,
      204,
    );
    await db.compact();
    assert.ok(db.stats().blocks > 0, "blocks were cut");
    assertComplete(selectAll(db), 12, "after the block cut");
    // Older than the newest block: refused (it would overlap the block).
    const intoBlock = await db.write(
      "p",
      batch(0).map((s) => ({ ...s, vs: Array.from(s.vs, (v) => v + 1) })),
      {
        admitted: true,
        outOfOrder: true,
      },
    );
    assert.equal(intoBlock.status, 400);
    assert.match(intoBlock.message ?? "", /persisted blocks/);
    await db.close();
    db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    assertComplete(selectAll(db), 12, "after the checkpoint and a restart");
    await db.compact(true);
    assertComplete(selectAll(db), 12, "all in blocks");
    await db.close();
  }));

test("a replica that got batch k+1 before k, and one restarted without k, end up with both", async () => {
  const root = mkdtempSync(join(tmpdir(), "nl-ooo-repl-"));
  const ports = [await freePort(), await freePort(), await freePort()];
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const start = (i: number) =>
    startNightlight(join(root, `r${i}`), {
      port: ports[i],
      peers: urls.filter((_, j) => j !== i),
      replicaProbeSeconds: 60,
    });
  const running: ({ role: { close(): Promise<void> } } | undefined)[] = [];
  // A write as a peer forwards it: stored by that replica only, out-of-order samples allowed.
  const forward = async (i: number, k: number) => {
    const res = await fetch(`${urls[i]}/api/v1/write`, {
      method: "POST",
      headers: {
        "content-type": "application/x-protobuf",
        authorization: `Bearer ${testToken}`,
        "x-nightlight-replica": "1",
        "x-photon-project": "p",
      },
      body: wire(batch(k)),
    });
    assert.equal(res.status, 204, await res.text());
  };
  const local = async (i: number) => {
    const res = await fetch(`${urls[i]}/internal/replica/select`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${testToken}`,
        "x-photon-project": "p",
      },
      body: JSON.stringify({
        matchers: [{ type: "=", name: "__name__", value: "ooo_test" }],
        mint: 0,
        maxt: 9e15,
      }),
    });
    assert.equal(res.status, 200);
    const wr = decodeWriteRequest(snappyDecompress(new Uint8Array(await res.arrayBuffer())));
    return wr.series.map((s) => ({
      labels: s.labels,
      ts: Float64Array.from(s.ts),
      vs: Float64Array.from(s.vs),
      stale: new Uint8Array(s.ts.length),
    }));
  };
  try {
    for (let i = 0; i < 3; i++) running[i] = await start(i);
  } catch (err) {
    for (const r of running) await r?.role.close();
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  try {
    // Replicas 0 and 1 got batches 0, 1, 2 in order; replica 2 got 0, then 2 before 1.
    for (const i of [0, 1]) for (const k of [0, 1, 2]) await forward(i, k);
    for (const k of [0, 2, 1]) await forward(2, k);
    assertComplete(await local(2), 3, "replica 2 after the reorder");
    // Replica 2 then gets batch 4 but dies before batch 3 reaches it; the others get both.
    for (const i of [0, 1]) for (const k of [3, 4]) await forward(i, k);
    await forward(2, 4);
    await running[2]!.role.close();
    running[2] = undefined;
    running[2] = await start(2);
    assertComplete(await local(2), 5, "replica 2 after its restart and backfill");
  } finally {
    for (const r of running) await r?.role.close();
    rmSync(root, { recursive: true, force: true });
  }
});
