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
import { Tsdb } from "../../src/nightlight/tsdb/tsdb.ts";

const series = (name: string, inst: string, from: number, n: number, stepMs = 15_000): WriteSeries => ({
  labels: [
    ["__name__", name],
    ["instance", inst],
  ],
  ts: Array.from({ length: n }, (_, i) => from + i * stepMs),
  vs: Array.from({ length: n }, (_, i) => i * 1.5),
});

const countSamples = (db: Tsdb, tenant: string, name: string) =>
  db
    .select(tenant, [makeMatcher("=", "__name__", name)], 0, Number.MAX_SAFE_INTEGER)
    .reduce((n, s) => n + s.ts.length, 0);

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), "nl-tsdb-"));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("samples written survive a restart through the write-ahead log", () =>
  withDir(async (dir) => {
    let db = await Tsdb.open({ dir, clock: () => 0 });
    const r = await db.write("p1", [series("up", "a", 1000, 500), series("up", "b", 1000, 10)]);
    assert.equal(r.status, 204);
    assert.equal(r.accepted, 510);
    await db.close();
    db = await Tsdb.open({ dir, clock: () => 0 });
    assert.equal(countSamples(db, "p1", "up"), 510);
    assert.equal(countSamples(db, "p2", "up"), 0, "another tenant sees nothing");
    await db.close();
  }));

test("blocks cut from the head, merged and checkpointed keep every sample across restarts", () =>
  withDir(async (dir) => {
    const range = 60_000 * 10;
    let db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    for (let k = 0; k < 12; k++) {
      const r = await db.write("p1", [
        series("m", "a", 1 + k * 200 * 15_000, 200),
        series("m", "b", 1 + k * 200 * 15_000, 200),
      ]);
      assert.equal(r.status, 204);
      await db.compact();
    }
    assert.ok(db.stats().blocks > 0, "blocks were cut");
    assert.equal(countSamples(db, "p1", "m"), 12 * 400);
    await db.close();
    db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    assert.equal(countSamples(db, "p1", "m"), 12 * 400);
    await db.write("p1", [series("m", "a", 1 + 12 * 200 * 15_000, 5)]);
    await db.compact(true);
    await db.close();
    db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    assert.equal(countSamples(db, "p1", "m"), 12 * 400 + 5);
    const sel = db.select("p1", [makeMatcher("=", "instance", "a")], 0, Number.MAX_SAFE_INTEGER);
    const ts = [...sel[0]!.ts];
    assert.deepEqual(
      ts,
      [...ts].sort((x, y) => x - y),
      "samples come back in time order",
    );
    await db.close();
  }));

test("retention drops blocks older than the window", () =>
  withDir(async (dir) => {
    const range = 60_000;
    const db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range, retentionMs: 5 * range });
    for (let k = 0; k < 40; k++) {
      await db.write("p1", [series("m", "a", 1 + k * 60_000, 120, 500)]);
      await db.compact();
    }
    const oldest = db.select("p1", [makeMatcher("=", "__name__", "m")], 0, Number.MAX_SAFE_INTEGER)[0]!
      .ts[0]!;
    assert.ok(oldest >= 40 * 60_000 - 8 * range, `oldest sample ${oldest} is within retention`);
    await db.close();
  }));

test("out-of-order and conflicting samples are refused with 400 while the rest are stored", () =>
  withDir(async (dir) => {
    const db = await Tsdb.open({ dir, clock: () => 0 });
    await db.write("p1", [series("m", "a", 100_000, 3)]);
    const r = await db.write("p1", [
      {
        labels: [
          ["__name__", "m"],
          ["instance", "a"],
        ],
        ts: [1000, 130_000, 140_000],
        vs: [1, 9, 9],
      },
    ]);
    assert.equal(r.status, 400);
    assert.equal(r.accepted, 1);
    assert.match(r.message!, /out of order/);
    assert.match(r.message!, /duplicate sample/);
    const dup = await db.write("p1", [
      {
        labels: [
          ["__name__", "m"],
          ["instance", "a"],
        ],
        ts: [140_000],
        vs: [9],
      },
    ]);
    assert.equal(dup.status, 204, "an identical resend is accepted silently");
    const bad = await db.write("p1", [{ labels: [["instance", "a"]], ts: [1], vs: [1] }]);
    assert.equal(bad.status, 400);
    assert.match(bad.message!, /metric name/);
    await db.close();
  }));

test("per-tenant limits refuse new series beyond the cap and samples beyond the rate", () =>
  withDir(async (dir) => {
    let now = 0;
    const db = await Tsdb.open({
      dir,
      clock: () => now,
      limits: { maxSeriesPerTenant: 2, maxSamplesPerSecond: 100, burstSeconds: 1 },
    });
    const r = await db.write("p1", [series("m", "a", 0, 1), series("m", "b", 0, 1), series("m", "c", 0, 1)]);
    assert.equal(r.status, 400);
    assert.match(r.message!, /limit of 2 active series/);
    assert.equal(db.activeSeries("p1"), 2);
    assert.equal((await db.write("p2", [series("m", "c", 0, 1)])).status, 204, "limits are per tenant");
    const flood = await db.write("p1", [series("m", "a", 1000, 200)]);
    assert.equal(flood.status, 429);
    now = 10_000;
    assert.equal((await db.write("p1", [series("m", "a", 1000, 50)])).status, 204);
    await db.close();
  }));

test("requests logged as received replay to the same head, mixed with sample records and checkpoints", () =>
  withDir(async (dir) => {
    const range = 60_000 * 10;
    const wired = async (db: Tsdb, s: WriteSeries[]) => {
      const wr = decodeWriteRequest(snappyDecompress(snappyCompress(encodeWriteRequest({ series: s }))));
      return db.write("p1", wr.series, { wire: snappyCompress(encodeWriteRequest({ series: s })) });
    };
    let db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    let expected = 0;
    for (let k = 0; k < 8; k++) {
      const from = 1 + k * 100 * 15_000;
      // A series that only lives in one round is dropped from the head later; its id is not reused.
      const r1 = await wired(db, [series("m", "a", from, 100), series("gone", `g${k}`, from, 3)]);
      // Sample records (scrapes) name series by id, including ones a logged request created.
      const r2 = await db.write("p1", [
        series("m", "scraped", from, 100),
        series("gone", `g${k}`, from + 3 * 15_000, 2),
      ]);
      assert.equal(r1.status, 204);
      assert.equal(r2.status, 204);
      expected += 100 + 3 + 100 + 2;
      // A retried request is refused the same way on replay (older than the series' last sample).
      assert.equal((await wired(db, [series("m", "a", from, 100)])).status, 400);
      await db.compact();
    }
    const before = db.select("p1", [makeMatcher("=~", "__name__", ".+")], 0, Number.MAX_SAFE_INTEGER);
    await db.close();
    db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    const after = db.select("p1", [makeMatcher("=~", "__name__", ".+")], 0, Number.MAX_SAFE_INTEGER);
    const total = (l: typeof before) => l.reduce((n, s) => n + s.ts.length, 0);
    assert.equal(total(before), expected);
    assert.equal(total(after), expected);
    const key = (l: typeof before) =>
      l.map((s) => `${JSON.stringify(s.labels)}:${[...s.ts].join(",")}:${[...s.vs].join(",")}`).sort();
    assert.deepEqual(key(after), key(before));
    await db.close();
  }));

test("series ids stay the same on replay after the newest series left the head", () =>
  withDir(async (dir) => {
    const range = 60_000 * 10;
    const wired = (db: Tsdb, s: WriteSeries[]) => {
      const body = snappyCompress(encodeWriteRequest({ series: s }));
      return db.write("p1", decodeWriteRequest(snappyDecompress(body)).series, { wire: body });
    };
    const base = 100 * range;
    let db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    await wired(db, [series("m", "a", base, 40)]);
    // The newest series holds only old samples: cut into a block, then dropped from the head.
    await wired(db, [series("old", "x", base - 10 * range, 2)]);
    await db.compact();
    await db.write("p1", [series("m", "a", base + 40 * 15_000, 200)]);
    await db.compact();
    await db.compact();
    // A request creates a series; a sample record (a scrape) then names it by id.
    await wired(db, [series("new", "y", base + 300 * 15_000, 1)]);
    await db.write("p1", [series("new", "y", base + 301 * 15_000, 1)]);
    assert.equal(countSamples(db, "p1", "new"), 2);
    await db.close();
    db = await Tsdb.open({ dir, clock: () => 0, blockRangeMs: range });
    assert.equal(countSamples(db, "p1", "new"), 2);
    await db.close();
  }));
