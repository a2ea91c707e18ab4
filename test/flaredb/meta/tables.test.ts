import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { z } from "zod";
import { ApiError } from "../../../src/core/errors.ts";
import { compareBytes } from "../../../src/flaredb/engine/byte-order.ts";
import { MemoryKv } from "../../../src/flaredb/engine/kv.ts";
import { defineTable } from "../../../src/flaredb/meta/table.ts";
import { tableIn } from "../../../src/flaredb/meta/table-ops.ts";
import { decodeTuple, encodeTuple, type TupleValue } from "../../../src/flaredb/meta/tuple-codec.ts";
import { TxnError } from "../../../src/flaredb/txn/errors.ts";
import { LocalRouter } from "../../../src/flaredb/txn/local-router.ts";
import { runTxn, TxnClient } from "../../../src/flaredb/txn/txn-client.ts";

const users = defineTable({
  name: "users",
  schema: z.object({
    org: z.string(),
    id: z.number().int(),
    email: z.string().email(),
    age: z.number().int().min(0),
  }),
  primaryKey: ["org", "id"],
  indexes: { byEmail: { fields: ["email"], unique: true }, byAge: { fields: ["age"] } },
});

function setup() {
  const clock = { now: 1_000_000 };
  const router = new LocalRouter({
    kv: new MemoryKv(),
    nowMs: () => clock.now,
    // Region edges inside the users table, so rows and indexes span regions.
    splitKeys: [encodeTuple(["t", "users", "r", "b"]), encodeTuple(["t", "users", "i"])],
  });
  return new TxnClient(router, {
    sleep: async (ms) => {
      clock.now += ms;
    },
  });
}

const tuple = fc.array(
  fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 4 }),
    fc.uint8Array({ maxLength: 4 }),
  ),
  { maxLength: 3 },
);

function rank(v: TupleValue): number {
  return v === null
    ? 0
    : v === false
      ? 1
      : v === true
        ? 2
        : typeof v === "number"
          ? 3
          : typeof v === "string"
            ? 4
            : 5;
}

function compareTuples(a: readonly TupleValue[], b: readonly TupleValue[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const r = rank(x) - rank(y);
    if (r !== 0) return Math.sign(r);
    let c = 0;
    if (typeof x === "number" && typeof y === "number") c = x === y ? 0 : x < y ? -1 : 1;
    else if (typeof x === "string" && typeof y === "string")
      c = compareBytes(new TextEncoder().encode(x), new TextEncoder().encode(y));
    else if (x instanceof Uint8Array && y instanceof Uint8Array) c = compareBytes(x, y);
    if (c !== 0) return c;
  }
  return Math.sign(a.length - b.length);
}

describe("tuple codec", () => {
  it("byte order of encoded tuples is tuple order, and tuples decode back", () => {
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        assert.equal(Math.sign(compareBytes(encodeTuple(a), encodeTuple(b))), compareTuples(a, b));
        assert.deepEqual(
          decodeTuple(encodeTuple(a)),
          a.map((v) => (Object.is(v, -0) ? 0 : v)),
        );
      }),
      { numRuns: 3000 },
    );
  });
});

describe("metadata tables", () => {
  it("puts, gets and scans rows in primary-key order with prefixes and pages", async () => {
    const db = setup();
    await runTxn(db, async (tx) => {
      const t = tableIn(users, tx);
      for (const [org, id] of [
        ["c", 2],
        ["a", 10],
        ["a", 9],
        ["b", 1],
        ["a", 100],
      ] as const) {
        await t.put({ org, id, email: `${org}${id}@x.io`, age: id });
      }
    });
    const tx = await db.begin();
    const t = tableIn(users, tx);
    assert.equal((await t.get({ org: "a", id: 9 }))?.email, "a9@x.io");
    assert.equal(await t.get({ org: "a", id: 8 }), null);
    const all = (await t.scan({ limit: 100 })).map((r) => `${r.org}${r.id}`);
    assert.deepEqual(all, ["a9", "a10", "a100", "b1", "c2"]);
    const page1 = await t.scan({ prefix: ["a"], limit: 2 });
    const page2 = await t.scan({ prefix: ["a"], limit: 2, after: ["a", page1[1]!.id] });
    assert.deepEqual(
      [...page1, ...page2].map((r) => r.id),
      [9, 10, 100],
    );
    assert.deepEqual(
      (await t.scan({ limit: 2, reverse: true })).map((r) => r.org),
      ["c", "b"],
    );
  });

  it("keeps secondary indexes in step with updates and deletes", async () => {
    const db = setup();
    await runTxn(db, async (tx) => {
      const t = tableIn(users, tx);
      await t.put({ org: "a", id: 1, email: "one@x.io", age: 30 });
      await t.put({ org: "a", id: 2, email: "two@x.io", age: 30 });
    });
    await runTxn(db, async (tx) => {
      const t = tableIn(users, tx);
      await t.put({ org: "a", id: 1, email: "uno@x.io", age: 31 });
      assert.equal(await t.delete({ org: "a", id: 2 }), true);
      assert.equal(await t.delete({ org: "a", id: 2 }), false);
    });
    const t = tableIn(users, await db.begin());
    assert.deepEqual(await t.lookup("byEmail", ["one@x.io"]), []);
    assert.deepEqual(
      (await t.lookup("byEmail", ["uno@x.io"])).map((r) => r.id),
      [1],
    );
    assert.deepEqual(await t.lookup("byAge", [30]), []);
    assert.deepEqual(
      (await t.lookup("byAge", [31])).map((r) => r.id),
      [1],
    );
  });

  it("a unique index refuses a second row with the same value (AlreadyExists), also in a racing txn", async () => {
    const db = setup();
    await runTxn(db, async (tx) => tableIn(users, tx).insert({ org: "a", id: 1, email: "me@x.io", age: 1 }));
    await assert.rejects(
      () => runTxn(db, async (tx) => tableIn(users, tx).put({ org: "b", id: 7, email: "me@x.io", age: 1 })),
      (e: unknown) =>
        e instanceof ApiError && e.code === "AlreadyExists" && /unique index byEmail/.test(e.message),
    );
    await assert.rejects(
      () =>
        runTxn(db, async (tx) => tableIn(users, tx).insert({ org: "a", id: 1, email: "other@x.io", age: 1 })),
      (e: unknown) => e instanceof ApiError && e.code === "AlreadyExists",
    );
    // Two txns that both checked the value was free: the second to commit conflicts.
    const t1 = await db.begin();
    const t2 = await db.begin();
    await tableIn(users, t1).put({ org: "x", id: 1, email: "race@x.io", age: 1 });
    await tableIn(users, t2).put({ org: "y", id: 1, email: "race@x.io", age: 1 });
    await t1.commit();
    await assert.rejects(
      () => t2.commit(),
      (e: unknown) => e instanceof TxnError && e.code === "Conflict",
    );
  });

  it("rejects rows that do not match the schema with an actionable InvalidArgument", async () => {
    const db = setup();
    await assert.rejects(
      () => runTxn(db, async (tx) => tableIn(users, tx).put({ org: "a", id: 1, email: "nope", age: 1 })),
      (e: unknown) => e instanceof ApiError && e.code === "InvalidArgument" && /email/.test(e.message),
    );
    assert.throws(
      () => defineTable({ name: "Bad Name", schema: z.object({ a: z.string() }), primaryKey: ["a"] }),
      /must match/,
    );
  });

  it("indexes agree with the rows after random concurrent updates (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(5), fc.nat(3), fc.boolean()), { minLength: 1, maxLength: 25 }),
        async (ops) => {
          const db = setup();
          // Interleave pairs of txns so some conflict and retry.
          for (let i = 0; i < ops.length; i += 2) {
            await Promise.all(
              ops.slice(i, i + 2).map(([id, age, del]) =>
                runTxn(db, async (tx) => {
                  const t = tableIn(users, tx);
                  if (del) await t.delete({ org: "o", id });
                  else await t.put({ org: "o", id, email: `u${id}@x.io`, age });
                }),
              ),
            );
          }
          const t = tableIn(users, await db.begin());
          const rows = await t.scan({ limit: 100 });
          for (let age = 0; age <= 3; age++) {
            const want = rows.filter((r) => r.age === age).map((r) => r.id);
            assert.deepEqual(
              (await t.lookup("byAge", [age])).map((r) => r.id),
              want,
            );
          }
          for (const r of rows) assert.deepEqual(await t.lookup("byEmail", [r.email]), [r]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
