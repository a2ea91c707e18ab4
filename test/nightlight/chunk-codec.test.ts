import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ChunkAppender, decodeChunk } from "../../src/nightlight/tsdb/chunk.ts";
import { floatWords, isStaleNaN, staleNaN } from "../../src/nightlight/tsdb/stale.ts";

const sameBits = (a: number, b: number) => {
  const [ah, al] = floatWords(a);
  const [bh, bl] = floatWords(b);
  // V8 may rewrite NaN payloads in plain arrays; every other value must round-trip bit for bit.
  return Number.isNaN(a) ? Number.isNaN(b) : ah === bh && al === bl;
};
const STALE = Symbol("stale");

test("any sequence of rising timestamps and floats round-trips bit for bit", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -1e12, max: 1e13 }),
      fc.array(
        fc.tuple(
          fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 1e11 }), fc.constant(15000)),
          fc.oneof(
            fc.double(),
            fc.integer().map((x) => x * 1.0),
            fc.constant<number | typeof STALE>(STALE),
            fc.constant(0),
          ),
        ),
        { minLength: 1, maxLength: 300 },
      ),
      (start, steps) => {
        const app = new ChunkAppender();
        const ts: number[] = [];
        const vs: (number | typeof STALE)[] = [];
        let t = start;
        for (const [d, v] of steps) {
          t += d;
          if (v === STALE) app.append(t, 0, true);
          else app.append(t, v);
          ts.push(t);
          vs.push(v);
        }
        const out = decodeChunk(app.bytes(), app.count);
        assert.deepEqual([...out.ts], ts);
        for (let i = 0; i < vs.length; i++) {
          const v = vs[i]!;
          assert.equal(out.stale[i], v === STALE ? 1 : 0);
          if (v !== STALE) assert.ok(sameBits(v, out.vs[i]!), `value ${i}: ${v} vs ${out.vs[i]}`);
        }
        assert.equal(app.mint, ts[0]);
        assert.equal(app.maxt, ts.at(-1));
      },
    ),
    { numRuns: 500 },
  );
});

test("a stale marker survives encoding and is told apart from an ordinary NaN", () => {
  const app = new ChunkAppender();
  app.append(1000, 1);
  app.append(2000, 0, true);
  app.append(3000, Number.NaN);
  const { stale } = decodeChunk(app.bytes(), 3);
  assert.deepEqual([...stale], [0, 1, 0]);
  assert.equal(isStaleNaN(staleNaN), true);
  assert.equal(isStaleNaN(Number.NaN), false);
});

test("regular scrapes of a slowly changing gauge compress to a few bits per sample", () => {
  const app = new ChunkAppender();
  for (let i = 0; i < 120; i++) app.append(1_700_000_000_000 + i * 15_000, 100 + (i % 3));
  assert.ok(app.bytes().length < 120 * 2.5, `${app.bytes().length} bytes`);
});
