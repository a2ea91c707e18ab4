import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
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
