// The ResourceStore contract (the same checks test/core/resource runs on memory and LMDB),
// here on ChainfireStore against a chainfire member.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ChainfireStore } from "../../src/chainfire/client.ts";
import type { AnyResource } from "../../src/core/resource/model.ts";
import type { WatchEvent } from "../../src/core/resource/store.ts";
import { code, thing } from "../support/resource-fixtures.ts";
import { type Member, startMember } from "./harness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("ResourceStore (chainfire)", () => {
  let m: Member;
  let store: ChainfireStore;
  // Each test uses its own kind so they share one member without seeing each other.
  let n = 0;
  const kind = () => `Thing${++n}`;
  const k = (t: AnyResource, kd: string): AnyResource => ({ ...t, kind: kd });
  before(async () => {
    m = await startMember();
    store = ChainfireStore.connect(m.endpoint);
  });
  after(async () => {
    await store.close();
    await m.close();
  });

  test("create assigns uid, revision and timestamps; a second create of the name is AlreadyExists", async () => {
    const kd = kind();
    const a = await store.create(k(thing("a", { x: 1 }), kd));
    assert.ok(a.metadata.uid.length > 0);
    assert.equal(a.metadata.revision, await store.revision());
    assert.ok(a.metadata.createdAt);
    await assert.rejects(store.create(k(thing("a"), kd)), (e) => code(e) === "AlreadyExists");
    const got = await store.get({ kind: kd, project: "p1", name: "a" });
    assert.deepEqual(got?.spec, { x: 1 });
    assert.equal(got?.metadata.revision, a.metadata.revision);
  });

  test("a stale revision is rejected with Conflict and changes nothing", async () => {
    const kd = kind();
    const a = await store.create(k(thing("a", { v: 1 }), kd));
    const b = await store.update({ ...a, spec: { v: 2 } }, { revision: a.metadata.revision });
    await assert.rejects(
      store.update({ ...a, spec: { v: 3 } }, { revision: a.metadata.revision }),
      (e) => code(e) === "Conflict",
    );
    await assert.rejects(
      store.delete({ kind: kd, project: "p1", name: "a" }, { revision: a.metadata.revision }),
      (e) => code(e) === "Conflict",
    );
    const now = await store.get({ kind: kd, project: "p1", name: "a" });
    assert.deepEqual(now?.spec, { v: 2 });
    assert.equal(now?.metadata.revision, b.metadata.revision);
    assert.equal(now?.metadata.uid, a.metadata.uid);
  });

  test("concurrent writers at one revision: exactly one wins, the rest get Conflict", async () => {
    const kd = kind();
    const a = await store.create(k(thing("a", { v: 0 }), kd));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        store.update({ ...a, spec: { v: i + 1 } }, { revision: a.metadata.revision }),
      ),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    assert.ok(
      results
        .filter((r) => r.status === "rejected")
        .every((r) => code((r as PromiseRejectedResult).reason) === "Conflict"),
    );
  });

  test("lists page with limit and continue, stay inside the project, and filter by label", async () => {
    const kd = kind();
    for (let i = 0; i < 25; i++) {
      await store.create(
        k(
          thing(`n${String(i).padStart(2, "0")}`, {}, "p1", { labels: { parity: i % 2 ? "odd" : "even" } }),
          kd,
        ),
      );
    }
    await store.create(k(thing("other", {}, "p2"), kd));
    const seen: string[] = [];
    let cont: string | undefined;
    do {
      const page = await store.list(kd, "p1", { limit: 7, ...(cont ? { continue: cont } : {}) });
      assert.ok(page.items.length <= 7);
      seen.push(...page.items.map((i) => i.metadata.name));
      cont = page.continue;
    } while (cont);
    assert.equal(seen.length, 25);
    assert.deepEqual(seen, [...seen].sort());
    assert.equal((await store.list(kd, "p1", { labelSelector: "parity=odd" })).items.length, 12);
    assert.equal((await store.list(kd, undefined, {})).items.length, 26);
    await assert.rejects(store.list(kd, "p2", { continue: "garbage" }), (e) => code(e) === "InvalidArgument");
  });

  test("finalizers hold a deleted object until the last one is removed", async () => {
    const kd = kind();
    await store.create(k(thing("f", {}, "p1", { finalizers: ["test/cleanup"] }), kd));
    const marked = await store.delete({ kind: kd, project: "p1", name: "f" });
    assert.ok(marked.metadata.deletionTimestamp);
    const still = await store.get({ kind: kd, project: "p1", name: "f" });
    assert.ok(still?.metadata.deletionTimestamp);
    await store.update({ ...still!, metadata: { ...still!.metadata, finalizers: [] } });
    assert.equal(await store.get({ kind: kd, project: "p1", name: "f" }), undefined);
  });

  test("a watch from a revision replays what followed it, then streams live, in order", async () => {
    const kd = kind();
    await store.create({ ...thing("unrelated"), kind: `${kd}x` });
    const a = await store.create(k(thing("a"), kd));
    await store.update({ ...a, spec: { v: 2 } });
    await store.create(k(thing("b", {}, "p2"), kd));
    const events: WatchEvent[] = [];
    const w = store.watch(kd, "p1", (e) => events.push(e), { fromRevision: a.metadata.revision - 1 });
    await store.delete({ kind: kd, project: "p1", name: "a" });
    const deadline = Date.now() + 3000;
    while (events.length < 3 && Date.now() < deadline) await sleep(10);
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
  });

  test("a watch from a compacted revision ends with FailedPrecondition (Compacted)", async () => {
    const kd = kind();
    const a = await store.create(k(thing("a"), kd));
    await store.update({ ...a, spec: { v: 2 } });
    await store.client().compact(await store.revision());
    const err = await new Promise<Error>((resolve) =>
      store.watch(kd, "p1", () => undefined, { fromRevision: 1, onError: resolve }),
    );
    assert.equal(code(err), "FailedPrecondition");
  });

  test("oversized objects are refused with InvalidArgument", async () => {
    const kd = kind();
    await assert.rejects(
      store.create(k(thing("big", { blob: "x".repeat(1_100_000) }), kd)),
      (e) => code(e) === "InvalidArgument",
    );
    assert.equal(await store.get({ kind: kd, project: "p1", name: "big" }), undefined);
  });
});
