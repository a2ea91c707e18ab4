import assert from "node:assert/strict";
import { test } from "node:test";
import { Fixture } from "./fixture.ts";

test("a campaigning node becomes leader with a quorum and others follow it", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  assert.deepEqual(f.leaders(), ["a"]);
  assert.equal(f.raft("b").status().lead, "a");
  assert.equal(f.raft("a").status().term, 1);
});

test("election timeouts alone elect exactly one leader", () => {
  const f = new Fixture(["a", "b", "c", "d", "e"]);
  f.tick(undefined, 40);
  assert.equal(f.leaders().length, 1);
});

test("a single-node group elects itself and commits proposals", () => {
  const f = new Fixture(["a"]);
  f.elect("a");
  assert.deepEqual(f.leaders(), ["a"]);
  f.propose("a", "x");
  assert.deepEqual(f.appliedTexts("a"), ["x"]);
});
