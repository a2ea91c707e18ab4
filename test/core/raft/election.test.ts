import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStorage } from "../../../src/core/raft/memory-storage.ts";
import { RaftNode } from "../../../src/core/raft/raft-node.ts";
import { Fixture, seededRandom } from "./fixture.ts";

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

test("a candidate without a quorum does not become leader", () => {
  const f = new Fixture(["a", "b", "c"], { preVote: false });
  f.isolate("a");
  f.elect("a");
  assert.equal(f.raft("a").status().role, "candidate");
  assert.deepEqual(f.leaders(), []);
});

test("a node votes at most once per term", () => {
  const f = new Fixture(["a", "b", "c"], { preVote: false, checkQuorum: false });
  // b and c campaign in the same term; a can only help one of them.
  f.drop = (m) => m.type === "vote" && m.to !== "a";
  f.raft("b").campaign();
  f.raft("c").campaign();
  f.settle();
  assert.equal(f.leaders().length, 1);
  assert.equal(f.raft("a").status().vote, f.leaders()[0]);
});

test("a node with a stale log cannot win an election (the election restriction)", () => {
  const f = new Fixture(["a", "b", "c"], { preVote: false, checkQuorum: false });
  f.elect("a");
  f.isolate("c");
  f.propose("a", "x");
  f.heal();
  // c missed "x": a and b refuse it their votes.
  f.drop = (m) => m.from === "a" && m.type !== "voteResp";
  f.elect("c");
  assert.notEqual(f.raft("c").status().role, "leader");
  f.heal();
  f.elect("b");
  assert.equal(f.raft("b").status().role, "leader");
});

test("a leader that sees a higher term steps down", () => {
  const f = new Fixture(["a", "b", "c"], { preVote: false, checkQuorum: false });
  f.elect("a");
  f.elect("b");
  assert.equal(f.raft("a").status().role, "follower");
  assert.equal(f.raft("a").status().lead, "b");
  assert.equal(f.raft("a").status().term, 2);
});

test("randomized election timeouts come from the injected random source", () => {
  const ticksToCampaign = (seed: number) => {
    const raft = new RaftNode({
      groupId: "g",
      id: "a",
      storage: MemoryStorage.bootstrap({ voters: ["a", "b", "c"], learners: [] }),
      random: seededRandom(seed),
    });
    for (let t = 1; t <= 100; t++) {
      raft.tick();
      if (raft.status().role !== "follower") return t;
    }
    return -1;
  };
  assert.equal(ticksToCampaign(1), ticksToCampaign(1));
  const seen = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(ticksToCampaign));
  assert.ok(seen.size > 1, "timeouts should vary with the random source");
  for (const t of seen) assert.ok(t >= 10 && t < 20, `timeout ${t} outside [electionTicks, 2*electionTicks)`);
});

test("a restarted node keeps its term and vote", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  const storage = f.node("b").storage;
  const before = f.raft("b").status();
  const b2 = f.add("b", storage);
  assert.equal(b2.raft.status().term, before.term);
  assert.equal(b2.raft.status().vote, before.vote);
  assert.equal(b2.raft.status().commit, before.commit);
});

test("a restart with `applied` set does not hand out already-applied entries again", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.propose("a", "x");
  f.propose("a", "y");
  const applied = f.raft("b").status().applied;
  const b2 = f.add("b", f.node("b").storage, { applied });
  f.settle();
  assert.deepEqual(b2.applied, []);
  assert.equal(b2.raft.status().applied, applied);
});
