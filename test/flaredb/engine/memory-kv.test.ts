import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compareBytes } from "../../../src/flaredb/engine/byte-order.ts";
import { MemoryKv } from "../../../src/flaredb/engine/kv.ts";

const k = fc.uint8Array({ maxLength: 3, max: 4 });
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("MemoryKv", () => {
  it("behaves like a sorted map for get, put, delete and both scan directions", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), k, k)),
        k,
        fc.option(k, { nil: undefined }),
        fc.nat(10),
        fc.boolean(),
        (ops, start, end, limit, reverse) => {
          const kv = new MemoryKv();
          const model = new Map<string, [Uint8Array, Uint8Array]>();
          for (const [isPut, key, value] of ops) {
            if (isPut) {
              kv.put(key, value);
              model.set(hex(key), [key, value]);
            } else {
              kv.delete(key);
              model.delete(hex(key));
            }
          }
          for (const [key, value] of model.values()) assert.deepEqual(kv.get(key), value);
          let want = [...model.values()]
            .filter(
              ([key]) => compareBytes(key, start) >= 0 && (end === undefined || compareBytes(key, end) < 0),
            )
            .sort((a, b) => compareBytes(a[0], b[0]));
          if (reverse) want.reverse();
          want = want.slice(0, limit);
          assert.deepEqual([...kv.scan(start, end, limit, reverse)], want);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
