// Reed–Solomon over GF(256): field laws, and any k of k+m shards rebuild the data.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { encode, gfInv, gfMul, reconstruct } from "../../src/lightningstor/reed-solomon.ts";

describe("GF(256)", () => {
  it("every non-zero element times its inverse is one", () => {
    for (let a = 1; a < 256; a++) assert.equal(gfMul(a, gfInv(a)), 1);
  });
  it("multiplication distributes over xor", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        (a, b, c) => gfMul(a, b ^ c) === (gfMul(a, b) ^ gfMul(a, c)),
      ),
    );
  });
});

describe("Reed–Solomon erasure code", () => {
  it("any k of k+m shards rebuild all shards (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer(),
        (k, m, size, seed) => {
          let x = seed >>> 0 || 1;
          const rnd = () => {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            return (x >>> 0) % 256;
          };
          // Odd offsets exercise the unaligned (byte-at-a-time) path, even ones the two-byte path.
          const offset = seed & 1;
          const data = Array.from({ length: k }, () =>
            Buffer.from([0, ...Array.from({ length: size }, rnd)]).subarray(1 - offset, 1 - offset + size),
          );
          const all = [...data, ...encode({ k, m }, data)];
          const lost = new Set<number>();
          while (lost.size < m) lost.add(rnd() % (k + m));
          const rebuilt = reconstruct(
            { k, m },
            all.map((s, i) => (lost.has(i) ? undefined : s)),
          );
          for (const [i, s] of rebuilt.entries()) assert.deepEqual(Buffer.from(s), all[i]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("k = 1 is replication: every parity shard is a copy", () => {
    const d = Buffer.from("replicate me");
    for (const p of encode({ k: 1, m: 2 }, [d])) assert.deepEqual(p, d);
  });

  it("more than m losses cannot be rebuilt", () => {
    const data = [Buffer.from("ab"), Buffer.from("cd")];
    const all = [...data, ...encode({ k: 2, m: 1 }, data)];
    assert.throws(() => reconstruct({ k: 2, m: 1 }, [all[0], undefined, undefined]), /only 1 of the 2/);
  });

  it("4+2 over 1 MiB shards rebuilds two lost data shards", () => {
    const data = Array.from({ length: 4 }, (_, i) => Buffer.alloc(1 << 20, i * 37 + 1));
    const all = [...data, ...encode({ k: 4, m: 2 }, data)];
    const rebuilt = reconstruct({ k: 4, m: 2 }, [undefined, all[1], undefined, all[3], all[4], all[5]]);
    assert.deepEqual(Buffer.from(rebuilt[0] as Uint8Array), data[0]);
    assert.deepEqual(Buffer.from(rebuilt[2] as Uint8Array), data[2]);
  });
});
