// Property-based tests of the two guarantees every backend gives: optimistic concurrency
// (a write at a stale revision never lands) and watch ordering (events arrive once, in
// revision order, and replaying them rebuilds the store).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ApiError } from "../../../src/core/errors.ts";
import type { AnyResource } from "../../../src/core/resource/model.ts";
import type { ResourceStore, WatchEvent } from "../../../src/core/resource/store.ts";
import { backends } from "./store-backends.ts";

const names = ["a", "b", "c"] as const;
type Op =
  | { t: "create"; name: string; v: number }
  | { t: "update"; name: string; v: number; stale: boolean }
  | { t: "delete"; name: string; stale: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant("create" as const), name: fc.constantFrom(...names), v: fc.integer() }),
  fc.record({
    t: fc.constant("update" as const),
    name: fc.constantFrom(...names),
    v: fc.integer(),
    stale: fc.boolean(),
  }),
  fc.record({ t: fc.constant("delete" as const), name: fc.constantFrom(...names), stale: fc.boolean() }),
);

const obj = (name: string, v: number, revision = 0): AnyResource => ({
  apiVersion: "test/v1",
  kind: "Thing",
  metadata: {
    name,
    project: "p",
    uid: "",
    revision,
    labels: {},
    annotations: {},
    createdAt: "",
    updatedAt: "",
  },
  spec: { v },
  status: {},
});
const key = (name: string) => ({ kind: "Thing", project: "p", name });
const codeOf = (e: unknown) => (e instanceof ApiError ? e.code : `unexpected ${String(e)}`);

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return codeOf(e);
  }
}

/** Runs ops against the store and a plain model; their answers and final states must agree. */
async function runAgainstModel(store: ResourceStore, ops: Op[]): Promise<void> {
  const model = new Map<string, { v: number; rev: number }>();
  for (const op of ops) {
    const cur = model.get(op.name);
    let got: string;
    let want: string;
    if (op.t === "create") {
      got = await outcome(store.create(obj(op.name, op.v)));
      want = cur ? "AlreadyExists" : "ok";
    } else if (op.t === "update") {
      const rev = cur ? (op.stale ? cur.rev - 1 : cur.rev) : 5;
      got = await outcome(store.update(obj(op.name, op.v, rev), { revision: rev }));
      want = !cur ? "NotFound" : op.stale && rev !== 0 ? "Conflict" : "ok";
    } else {
      const rev = cur ? (op.stale ? cur.rev - 1 : cur.rev) : undefined;
      got = await outcome(store.delete(key(op.name), rev === undefined ? {} : { revision: rev }));
      want = !cur ? "NotFound" : op.stale && rev !== 0 ? "Conflict" : "ok";
    }
    assert.equal(got, want, `${JSON.stringify(op)}`);
    if (got === "ok") {
      const after = await store.get(key(op.name));
      if (op.t === "delete") model.delete(op.name);
      else
        model.set(op.name, {
          v: op.t === "create" || op.t === "update" ? op.v : 0,
          rev: after!.metadata.revision,
        });
    }
  }
  for (const n of names) {
    const stored = await store.get(key(n));
    assert.deepEqual(stored ? (stored.spec as { v: number }).v : undefined, model.get(n)?.v);
  }
}

for (const backend of backends) {
  describe(`store properties (${backend.name})`, () => {
    test("optimistic concurrency: the store answers every sequence of writes as the model does", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), async (ops) => {
          const { store, cleanup } = backend.open();
          try {
            await runAgainstModel(store, ops);
          } finally {
            await cleanup();
          }
        }),
        { numRuns: backend.name === "lmdb" ? 40 : 150 },
      );
    });

    test("concurrent writers at one revision: exactly one wins, the rest get Conflict", async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 20 }), async (writers) => {
          const { store, cleanup } = backend.open();
          try {
            const base = await store.create(obj("a", 0));
            const results = await Promise.all(
              Array.from({ length: writers }, (_, i) =>
                outcome(
                  store.update(obj("a", i + 1, base.metadata.revision), { revision: base.metadata.revision }),
                ),
              ),
            );
            assert.equal(results.filter((r) => r === "ok").length, 1);
            assert.equal(results.filter((r) => r === "Conflict").length, writers - 1);
          } finally {
            await cleanup();
          }
        }),
        { numRuns: backend.name === "lmdb" ? 20 : 60 },
      );
    });

    test("watch ordering: events arrive once each, in revision order, and replaying them rebuilds the store", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(opArb, { maxLength: 30 }),
          fc.integer({ min: 0, max: 30 }),
          async (ops, splitAt) => {
            const { store, cleanup } = backend.open();
            try {
              await store.create({ ...obj("marker", 0), kind: "Marker" });
              const live: WatchEvent[] = [];
              const w1 = store.watch("Thing", "p", (e) => live.push(e), { fromRevision: 1 });
              const concurrent = ops
                .slice(0, splitAt)
                .map((op) =>
                  outcome(
                    op.t === "create"
                      ? store.create(obj(op.name, op.v))
                      : op.t === "update"
                        ? store
                            .get(key(op.name))
                            .then((c) =>
                              c ? store.update(obj(op.name, op.v, c.metadata.revision)) : undefined,
                            )
                        : store.delete(key(op.name)),
                  ),
                );
              await Promise.all(concurrent);
              for (const op of ops.slice(splitAt)) {
                if (op.t === "create") await outcome(store.create(obj(op.name, op.v)));
                else if (op.t === "update") {
                  const c = await store.get(key(op.name));
                  if (c) await outcome(store.update(obj(op.name, op.v, c.metadata.revision)));
                } else await outcome(store.delete(key(op.name)));
              }
              await new Promise((r) => setTimeout(r, 5));
              // A watcher that starts late replays the same history from the store's log.
              const replayed: WatchEvent[] = [];
              const w2 = store.watch("Thing", "p", (e) => replayed.push(e), { fromRevision: 1 });
              await new Promise((r) => setTimeout(r, 5));
              w1.close();
              w2.close();
              const revs = live.map((e) => e.revision);
              assert.deepEqual(
                revs,
                [...new Set(revs)].sort((a, b) => a - b),
                "strictly increasing, no duplicates",
              );
              assert.deepEqual(
                replayed.map((e) => e.revision),
                revs,
                "replay equals live",
              );
              const rebuilt = new Map<string, unknown>();
              for (const e of live) {
                if (e.type === "DELETED") rebuilt.delete(e.object.metadata.name);
                else rebuilt.set(e.object.metadata.name, e.object.spec);
              }
              for (const n of names) assert.deepEqual(rebuilt.get(n), (await store.get(key(n)))?.spec);
              const last = live.at(-1)?.revision ?? 1;
              assert.equal(await store.revision(), last);
            } finally {
              await cleanup();
            }
          },
        ),
        { numRuns: backend.name === "lmdb" ? 30 : 100 },
      );
    });
  });
}
