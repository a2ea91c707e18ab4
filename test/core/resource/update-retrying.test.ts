// updateRetrying: a write that lost a race is decided again on the winner's object; nothing to
// change writes nothing; a resource that never stops changing is reported busy.
import assert from "node:assert/strict";
import { test } from "node:test";
import { LocalStore } from "../../../src/core/resource/local-store.ts";
import type { AnyResource } from "../../../src/core/resource/model.ts";
import { conflictAttempts, updateRetrying } from "../../../src/core/resource/update-retrying.ts";
import { code, thing } from "../../support/resource-fixtures.ts";

const key = { kind: "Thing", project: "p1", name: "a" };

test("a lost race is decided again on what the other writer wrote", async () => {
  const store = LocalStore.memory();
  await store.create(thing("a", { n: 1 }));
  let raced = false;
  const out = await updateRetrying(
    store,
    async () => (await store.get(key)) as AnyResource,
    async (cur) => {
      if (!raced) {
        raced = true; // another writer gets in between this read and this write
        await store.update({ ...cur, spec: { n: 10 } }, { revision: cur.metadata.revision });
      }
      return { ...cur, spec: { n: (cur.spec as { n: number }).n + 1 } };
    },
    "busy",
  );
  assert.deepEqual(out.spec, { n: 11 }, "the other writer's change is kept");
});

test("nothing to change writes nothing; a resource that keeps changing is reported busy", async () => {
  const store = LocalStore.memory();
  const a = await store.create(thing("a", { n: 1 }));
  const same = await updateRetrying(
    store,
    async () => (await store.get(key)) as AnyResource,
    () => undefined,
    "busy",
  );
  assert.equal(same.metadata.revision, a.metadata.revision);
  let decisions = 0;
  await assert.rejects(
    updateRetrying(
      store,
      async () => (await store.get(key)) as AnyResource,
      async (cur) => {
        decisions++;
        await store.update({ ...cur, spec: { n: decisions } }, { revision: cur.metadata.revision });
        return { ...cur, spec: { n: -1 } };
      },
      "the thing keeps changing; retry",
    ),
    (e) => code(e) === "Unavailable" && /keeps changing/.test((e as Error).message),
  );
  assert.equal(decisions, conflictAttempts);
});
