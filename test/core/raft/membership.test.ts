import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStorage } from "../../../src/core/raft/memory-storage.ts";
import { Fixture } from "./fixture.ts";

test("a learner is added, catches up without voting, then is promoted to voter", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.propose("a", "x");
  f.add("d", new MemoryStorage());
  f.raft("a").proposeConfChange({ type: "addLearner", nodeId: "d" });
  f.settle();
  f.tick(["a"], 3);
  assert.deepEqual(f.raft("a").confState().learners, ["d"]);
  assert.deepEqual(f.appliedTexts("d"), ["x"]);
  assert.equal(f.raft("a").status().progress.get("d")?.isLearner, true);
  // A learner never campaigns.
  f.tick(["d"], 50);
  assert.equal(f.raft("d").status().role, "follower");
  f.raft("a").proposeConfChange({ type: "promoteLearner", nodeId: "d" });
  f.settle();
  f.tick(["a"], 2);
  assert.deepEqual(f.raft("a").confState(), { voters: ["a", "b", "c", "d"], learners: [] });
  assert.deepEqual(f.raft("d").confState(), { voters: ["a", "b", "c", "d"], learners: [] });
});

test("only one membership change may be pending at a time", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.drop = (m) => m.type === "app";
  f.raft("a").proposeConfChange({ type: "addLearner", nodeId: "d" });
  assert.throws(
    () => f.raft("a").proposeConfChange({ type: "addLearner", nodeId: "e" }),
    (e: unknown) => (e as { reason?: string }).reason === "confChangePending",
  );
});

test("a removed voter no longer counts towards the quorum and stops campaigning", () => {
  const f = new Fixture(["a", "b", "c", "d"]);
  f.elect("a");
  f.raft("a").proposeConfChange({ type: "removeNode", nodeId: "d" });
  f.settle();
  f.tick(["a"], 2);
  assert.deepEqual(f.raft("a").confState().voters, ["a", "b", "c"]);
  assert.deepEqual(f.raft("d").confState().voters, ["a", "b", "c"]);
  // With d gone, a and b form a quorum of three.
  f.drop = (m) => m.to === "c" || m.from === "c" || m.to === "d" || m.from === "d";
  f.propose("a", "x");
  assert.deepEqual(f.appliedTexts("a"), ["x"]);
  const term = f.raft("d").status().term;
  f.tick(["d"], 60);
  assert.equal(f.raft("d").status().role, "follower");
  assert.equal(f.raft("d").status().term, term, "the removed node never campaigned");
});

test("a leader that removes itself steps down and the rest elect a new leader", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.raft("a").proposeConfChange({ type: "removeNode", nodeId: "a" });
  f.settle();
  assert.notEqual(f.raft("a").status().role, "leader");
  f.tick(["b", "c"], 40);
  const leaders = f.leaders();
  assert.equal(leaders.length, 1);
  assert.notEqual(leaders[0], "a");
});

test("a new voter that starts empty learns the group through a snapshot", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.propose("a", "x");
  f.add("d", new MemoryStorage());
  f.raft("a").proposeConfChange({ type: "addVoter", nodeId: "d" });
  f.settle();
  f.tick(["a"], 3);
  assert.ok(f.delivered.some((m) => m.type === "snap" && m.to === "d"));
  assert.deepEqual(f.raft("d").confState().voters, ["a", "b", "c", "d"]);
  assert.equal(f.raft("d").status().commit, f.raft("a").status().commit);
});

test("membership survives a restart through the log (changes after the snapshot)", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.raft("a").proposeConfChange({ type: "addLearner", nodeId: "z" });
  f.settle();
  const b2 = f.add("b", f.node("b").storage);
  f.settle();
  assert.deepEqual(b2.raft.confState().learners, ["z"]);
});
