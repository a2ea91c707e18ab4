import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { LocalStore } from "../../../src/core/resource/local-store.ts";
import type { WatchEvent } from "../../../src/core/resource/store.ts";
import { code, thing } from "../../support/resource-fixtures.ts";
import { tempDir } from "../../support/temp-dir.ts";
import { backends } from "./store-backends.ts";

for (const backend of backends) {
  describe(`ResourceStore (${backend.name})`, () => {
    test("create assigns uid, revision and timestamps; a second create of the name is AlreadyExists", async () => {
      const { store, cleanup } = backend.open();
      try {
        const a = await store.create(thing("a", { x: 1 }));
        assert.ok(a.metadata.uid.length > 0);
        assert.equal(a.metadata.revision, 1);
        assert.ok(a.metadata.createdAt);
        await assert.rejects(store.create(thing("a")), (e) => code(e) === "AlreadyExists");
        assert.deepEqual((await store.get({ kind: "Thing", project: "p1", name: "a" }))?.spec, { x: 1 });
      } finally {
        await cleanup();
      }
    });

    test("a stale revision is rejected with Conflict and changes nothing", async () => {
      const { store, cleanup } = backend.open();
      try {
        const a = await store.create(thing("a", { v: 1 }));
        const b = await store.update({ ...a, spec: { v: 2 } }, { revision: a.metadata.revision });
        await assert.rejects(
          store.update({ ...a, spec: { v: 3 } }, { revision: a.metadata.revision }),
          (e) => code(e) === "Conflict",
        );
        await assert.rejects(
          store.delete({ kind: "Thing", project: "p1", name: "a" }, { revision: a.metadata.revision }),
          (e) => code(e) === "Conflict",
        );
        const now = await store.get({ kind: "Thing", project: "p1", name: "a" });
        assert.deepEqual(now?.spec, { v: 2 });
        assert.equal(now?.metadata.revision, b.metadata.revision);
        assert.equal(now?.metadata.uid, a.metadata.uid);
      } finally {
        await cleanup();
      }
    });

    test("lists page with limit and continue, stay inside the project, and filter by label", async () => {
      const { store, cleanup } = backend.open();
      try {
        for (let i = 0; i < 25; i++)
          await store.create(
            thing(`n${String(i).padStart(2, "0")}`, {}, "p1", { labels: { parity: i % 2 ? "odd" : "even" } }),
          );
        await store.create(thing("other", {}, "p2"));
        const seen: string[] = [];
        let cont: string | undefined;
        do {
          const page = await store.list("Thing", "p1", { limit: 7, ...(cont ? { continue: cont } : {}) });
          assert.ok(page.items.length <= 7);
          seen.push(...page.items.map((i) => i.metadata.name));
          cont = page.continue;
        } while (cont);
        assert.equal(seen.length, 25);
        assert.deepEqual(seen, [...seen].sort());
        const odd = await store.list("Thing", "p1", { labelSelector: "parity=odd" });
        assert.equal(odd.items.length, 12);
        const all = await store.list("Thing", undefined, {});
        assert.equal(all.items.length, 26);
        await assert.rejects(
          store.list("Thing", "p2", { continue: "garbage" }),
          (e) => code(e) === "InvalidArgument",
        );
      } finally {
        await cleanup();
      }
    });

    test("finalizers hold a deleted object until the last one is removed", async () => {
      const { store, cleanup } = backend.open();
      try {
        await store.create(thing("f", {}, "p1", { finalizers: ["test/cleanup"] }));
        const marked = await store.delete({ kind: "Thing", project: "p1", name: "f" });
        assert.ok(marked.metadata.deletionTimestamp);
        const still = await store.get({ kind: "Thing", project: "p1", name: "f" });
        assert.ok(still?.metadata.deletionTimestamp);
        await store.update({ ...still!, metadata: { ...still!.metadata, finalizers: [] } });
        assert.equal(await store.get({ kind: "Thing", project: "p1", name: "f" }), undefined);
      } finally {
        await cleanup();
      }
    });

    test("a watch from a revision replays what followed it, then streams live, in order", async () => {
      const { store, cleanup } = backend.open();
      try {
        await store.create({ ...thing("unrelated"), kind: "Other" });
        const a = await store.create(thing("a"));
        await store.update({ ...a, spec: { v: 2 } });
        await store.create(thing("b", {}, "p2"));
        const events: WatchEvent[] = [];
        const w = store.watch("Thing", "p1", (e) => events.push(e), {
          fromRevision: a.metadata.revision - 1,
        });
        await store.delete({ kind: "Thing", project: "p1", name: "a" });
        await new Promise((r) => setTimeout(r, 20));
        w.close();
        assert.deepEqual(
          events.map((e) => [e.type, e.object.metadata.name]),
          [
            ["ADDED", "a"],
            ["MODIFIED", "a"],
            ["DELETED", "a"],
          ],
        );
        const revs = events.map((e) => e.revision);
        assert.deepEqual(
          revs,
          [...revs].sort((x, y) => x - y),
        );
      } finally {
        await cleanup();
      }
    });

    test("oversized objects are refused with InvalidArgument", async () => {
      const { store, cleanup } = backend.open();
      try {
        await assert.rejects(
          store.create(thing("big", { blob: "x".repeat(1_100_000) })),
          (e) => code(e) === "InvalidArgument",
        );
        assert.equal(await store.get({ kind: "Thing", project: "p1", name: "big" }), undefined);
      } finally {
        await cleanup();
      }
    });
  });
}

describe("ResourceStore (lmdb) durability", () => {
  test("a data path whose last segment holds a dot opens as a directory", async () => {
    const dir = tempDir("photon.dotted.");
    const store = LocalStore.lmdb(join(dir.path, "store.v1"));
    try {
      assert.equal((await store.create(thing("a"))).metadata.revision, 1);
    } finally {
      await store.close();
      dir.remove();
    }
  });

  test("objects, revisions and watch history survive a reopen", async () => {
    const { store, reopen, cleanup } = backends[1]!.open();
    try {
      const a = await store.create(thing("a", { v: 1 }));
      await store.update({ ...a, spec: { v: 2 } });
      await store.close();
      const again = reopen();
      assert.deepEqual((await again.get({ kind: "Thing", project: "p1", name: "a" }))?.spec, { v: 2 });
      assert.equal(await again.revision(), 2);
      const events: WatchEvent[] = [];
      const w = again.watch("Thing", undefined, (e) => events.push(e), { fromRevision: 1 });
      await new Promise((r) => setTimeout(r, 20));
      w.close();
      assert.deepEqual(
        events.map((e) => e.revision),
        [2],
      );
      assert.equal((await again.create(thing("b"))).metadata.revision, 3);
    } finally {
      await cleanup();
    }
  });
});
