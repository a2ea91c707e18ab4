import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { WriteSeries } from "../../src/nightlight/ingest/write-request.ts";
import { ChunkAppender } from "../../src/nightlight/tsdb/chunk.ts";
import { DecodedChunkCache } from "../../src/nightlight/tsdb/decoded-chunk-cache.ts";
import { makeMatcher } from "../../src/nightlight/tsdb/matcher.ts";
import { Tsdb } from "../../src/nightlight/tsdb/tsdb.ts";

function chunkOf(n: number, from: number): { bytes: Uint8Array; ts: number[]; vs: number[] } {
  const app = new ChunkAppender();
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < n; i++) {
    ts.push(from + i * 15_000);
    vs.push(from / 1000 + i * 0.25);
    app.append(ts[i]!, vs[i]!, i === n - 1);
  }
  return { bytes: app.bytes(), ts, vs };
}

test("a cached chunk decodes to the same samples as the codec, at any offset", () => {
  const cache = new DecodedChunkCache(1000);
  const c = chunkOf(100, 1_700_000_000_000);
  const key = {};
  for (let round = 0; round < 2; round++) {
    const ts = new Float64Array(103);
    const vs = new Float64Array(103);
    const st = new Uint8Array(103);
    assert.equal(cache.decodeInto(key, c.bytes, 100, ts, vs, 3, st), 103);
    assert.deepEqual([...ts.subarray(3)], c.ts);
    assert.deepEqual([...vs.subarray(3, 102)], c.vs.slice(0, 99));
    assert.equal(st[102], 1, "the stale marker comes back");
    assert.equal(st[101], 0);
  }
  assert.equal(cache.hits, 1);
  assert.equal(cache.misses, 1);
});

test("the cache holds at most its bound of samples, evicting the least recently used", () => {
  const cache = new DecodedChunkCache(250);
  const chunks = [0, 1, 2, 3].map((i) => ({ key: {}, ...chunkOf(100, i * 10_000_000) }));
  const into = (c: (typeof chunks)[number]) =>
    cache.decodeInto(
      c.key,
      c.bytes,
      100,
      new Float64Array(100),
      new Float64Array(100),
      0,
      new Uint8Array(100),
    );
  into(chunks[0]!);
  into(chunks[1]!);
  into(chunks[0]!); // 0 is now the most recently used
  into(chunks[2]!); // over 250: 1 goes
  assert.equal(cache.size, 2);
  assert.ok(cache.cachedSamples <= 250);
  const misses = cache.misses;
  into(chunks[0]!);
  assert.equal(cache.misses, misses, "0 stayed");
  into(chunks[1]!);
  assert.equal(cache.misses, misses + 1, "1 was evicted");
});

test("the cache holds at most its bound of chunks", () => {
  const cache = new DecodedChunkCache(1_000_000, 3);
  for (let i = 0; i < 10; i++) {
    const c = chunkOf(2, i * 1_000_000);
    cache.decodeInto({}, c.bytes, 2, new Float64Array(2), new Float64Array(2), 0, new Uint8Array(2));
  }
  assert.equal(cache.size, 3);
  assert.equal(cache.cachedSamples, 6);
});

test("queries see a chunk re-encoded by an out-of-order insert, not its cached old samples", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nl-dcc-"));
  try {
    const db = await Tsdb.open({ dir, clock: () => 0 });
    const t0 = 1_700_000_000_000;
    const at = (ts: number[], v: number): WriteSeries[] => [
      { labels: [["__name__", "m"]], ts, vs: ts.map(() => v) },
    ];
    // 130 samples at even steps: one closed chunk of 120 and the open one.
    const even = Array.from({ length: 130 }, (_, i) => t0 + i * 2_000);
    assert.equal((await db.write("p", at(even, 1))).status, 204);
    const sel = () => db.select("p", [makeMatcher("=", "__name__", "m")], 0, Number.MAX_SAFE_INTEGER)[0]!;
    assert.equal(sel().ts.length, 130);
    assert.equal(sel().ts.length, 130, "second query (cached closed chunk)");
    // A sample between two of the closed chunk's: the chunk is replaced.
    const odd = t0 + 10 * 2_000 + 1_000;
    const r = await db.write("p", at([odd], 2), { admitted: true, outOfOrder: true });
    assert.equal(r.status, 204);
    const s = sel();
    assert.equal(s.ts.length, 131);
    assert.equal(s.ts[11], odd);
    assert.equal(s.vs[11], 2);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
