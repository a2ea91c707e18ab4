import assert from "node:assert/strict";
import { test } from "node:test";
import { Fixture } from "./fixture.ts";

test("leadership moves to an up-to-date follower with TimeoutNow", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.propose("a", "x");
  f.raft("a").transferLeadership("b");
  f.settle();
  assert.deepEqual(f.leaders(), ["b"]);
  assert.ok(f.delivered.some((m) => m.type === "timeoutNow" && m.to === "b"));
});

test("a lagging transferee is caught up first, then takes over", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.drop = (m) => m.to === "c";
  for (let i = 0; i < 3; i++) f.propose("a", `x${i}`);
  f.heal();
  f.raft("a").transferLeadership("c");
  f.settle();
  assert.deepEqual(f.leaders(), ["c"]);
  assert.deepEqual(f.appliedTexts("c").slice(0, 3), ["x0", "x1", "x2"]);
});

test("proposals are refused while a transfer is in progress, and it is abandoned after an election timeout", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.isolate("c");
  f.propose("a", "x");
  f.raft("a").transferLeadership("c");
  f.settle();
  assert.throws(
    () => f.raft("a").propose(new Uint8Array(1)),
    (e: unknown) => (e as { reason?: string }).reason === "transferring",
  );
  f.drop = (m) => m.to === "c" || m.from === "c";
  f.tick(["a", "b"], 11);
  assert.deepEqual(f.leaders(), ["a"]);
  assert.doesNotThrow(() => f.raft("a").propose(new Uint8Array(1)));
});

test("a follower forwards a transfer request to the leader", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.raft("c").transferLeadership("c");
  f.settle();
  assert.deepEqual(f.leaders(), ["c"]);
});
