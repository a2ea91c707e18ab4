import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { DecodePool, minWorkerDecodeBytes } from "../../src/nightlight/ingest/decode-pool.ts";
import { packSeries, unpackSeries } from "../../src/nightlight/ingest/packed-request.ts";
import { SnappyError, snappyCompress, snappyDecompress } from "../../src/nightlight/ingest/snappy.ts";
import { decodeWriteRequest, encodeWriteRequest } from "../../src/nightlight/ingest/write-request.ts";

test("snappy round-trips any bytes, repetitive or not", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 5000 }),
        fc
          .array(fc.constantFrom("up", '{job="node"}', "instance", "0.5"), { maxLength: 3000 })
          .map((a) => new TextEncoder().encode(a.join(""))),
      ),
      (bytes) => {
        assert.deepEqual(snappyDecompress(snappyCompress(bytes)), bytes);
      },
    ),
    { numRuns: 200 },
  );
});

test("snappy refuses truncated input and bodies that expand beyond the limit", () => {
  const c = snappyCompress(new Uint8Array(1000).fill(7));
  assert.throws(() => snappyDecompress(c.subarray(0, c.length - 1)), SnappyError);
  assert.throws(() => snappyDecompress(c, 100), /above the 100 limit/);
});

test("a WriteRequest round-trips labels, samples, stale markers, negative timestamps and metadata", () => {
  const req = {
    series: [
      {
        labels: [
          ["__name__", "node_cpu_seconds_total"],
          ["cpu", "0"],
          ["mode", "idle ünïcode"],
        ] as [string, string][],
        ts: [1_700_000_000_000, 1_700_000_015_000, -5000],
        vs: [1.5, 0, -2.25],
        stale: [1],
      },
    ],
    metadata: [{ type: "counter", family: "node_cpu_seconds_total", help: "Seconds.", unit: "" }],
  };
  const out = decodeWriteRequest(encodeWriteRequest(req));
  assert.deepEqual(out.series[0]!.labels, req.series[0]!.labels);
  assert.deepEqual(out.series[0]!.ts, req.series[0]!.ts);
  assert.deepEqual(out.series[0]!.stale, [1]);
  assert.equal(out.series[0]!.vs[0], 1.5);
  assert.equal(out.series[0]!.vs[2], -2.25);
  assert.deepEqual(out.metadata, req.metadata);
});

test("a decoded request packed for the worker hand-off unpacks to the same series and raw label keys", () => {
  const labelArb = fc.tuple(fc.stringMatching(/^[a-z_]{1,8}$/), fc.string({ maxLength: 12 }));
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          labels: fc.uniqueArray(labelArb, { minLength: 1, maxLength: 5, selector: ([n]) => n }),
          samples: fc.array(
            fc.tuple(fc.integer({ min: -1e12, max: 4e12 }), fc.double({ noNaN: true }), fc.boolean()),
            {
              maxLength: 6,
            },
          ),
        }),
        { maxLength: 8 },
      ),
      (input) => {
        const series = input.map(({ labels, samples }) => ({
          labels,
          ts: samples.map(([t]) => t),
          vs: samples.map(([, v]) => v),
          stale: samples.flatMap(([, , st], i) => (st ? [i] : [])),
        }));
        const decoded = decodeWriteRequest(encodeWriteRequest({ series })).series;
        const unpacked = unpackSeries(packSeries(decoded));
        assert.equal(unpacked.length, decoded.length);
        for (let i = 0; i < decoded.length; i++) {
          const d = decoded[i]!;
          const u = unpacked[i]!;
          assert.deepEqual(u.labels, d.labels);
          assert.deepEqual(Array.from(u.ts), Array.from(d.ts));
          assert.deepEqual(Array.from(u.vs), Array.from(d.vs));
          assert.deepEqual(u.stale ?? [], d.stale ?? []);
          // The same series is found by the same key whichever path decoded it.
          assert.equal(u.rawHash, d.rawHash);
          assert.deepEqual(
            Buffer.from(u.rawBuf!.subarray(u.rawStart!, u.rawEnd!)),
            Buffer.from(d.rawBuf!.subarray(d.rawStart!, d.rawEnd!)),
          );
        }
      },
    ),
    { numRuns: 200 },
  );
});

test("the decode worker answers like the inline decoder, bad bodies included", async () => {
  const pool = await DecodePool.start();
  try {
    const series = Array.from({ length: 300 }, (_, i) => ({
      labels: [
        ["__name__", "w"],
        ["i", String(i)],
      ] as [string, string][],
      ts: [1000, 2000],
      vs: [i, i + 0.5],
    }));
    const body = snappyCompress(encodeWriteRequest({ series }));
    assert.ok(body.length >= minWorkerDecodeBytes, "large enough for the worker");
    const inline = decodeWriteRequest(snappyDecompress(body));
    const viaWorker = await pool.decode(body);
    assert.equal(pool.decodedInWorker, 1);
    assert.deepEqual(
      viaWorker.series.map((s) => [s.labels, Array.from(s.ts), Array.from(s.vs)]),
      inline.series.map((s) => [s.labels, Array.from(s.ts), Array.from(s.vs)]),
    );
    const corrupt = new Uint8Array(body);
    corrupt[body.length >> 1]! ^= 0xff;
    corrupt[(body.length >> 1) + 1]! ^= 0xff;
    await assert.rejects(pool.decode(corrupt.subarray(0, body.length - 7)), (e: Error) =>
      ["SnappyError", "ProtoError", "RangeError"].includes(e.constructor.name),
    );
  } finally {
    await pool.close();
  }
});

test("a lazy pool loads its worker only once a large body comes, decoding inline meanwhile", async () => {
  const pool = DecodePool.lazy();
  try {
    const small = snappyCompress(
      encodeWriteRequest({ series: [{ labels: [["__name__", "s"]], ts: [1], vs: [1] }] }),
    );
    await pool.decode(small);
    assert.equal((pool as unknown as { worker?: unknown }).worker, undefined, "no worker for small bodies");
    const series = Array.from({ length: 300 }, (_, i) => ({
      labels: [
        ["__name__", "w"],
        ["i", String(i)],
      ] as [string, string][],
      ts: [1000],
      vs: [i],
    }));
    const body = snappyCompress(encodeWriteRequest({ series }));
    assert.equal((await pool.decode(body)).series.length, 300);
    assert.equal(pool.decodedInWorker, 0, "the first large body decodes inline while the worker loads");
    const end = Date.now() + 60_000;
    while (pool.decodedInWorker === 0 && Date.now() < end) {
      assert.equal((await pool.decode(body)).series.length, 300);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(pool.decodedInWorker > 0, "once loaded, the worker takes large bodies");
  } finally {
    await pool.close();
  }
});
