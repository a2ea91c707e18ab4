import assert from "node:assert/strict";
import { test } from "node:test";
import { Fixture } from "./fixture.ts";

test("with PreVote an isolated node does not inflate its term", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  const term = f.raft("a").status().term;
  f.isolate("c");
  f.tick(["c"], 100);
  assert.equal(f.raft("c").status().term, term);
  assert.equal(f.raft("c").status().role, "preCandidate");
});

test("with PreVote a rejoining node does not disrupt the leader", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.isolate("c");
  f.tick(["c"], 100);
  f.heal();
  f.tick(undefined, 5);
  assert.deepEqual(f.leaders(), ["a"]);
  assert.equal(f.raft("c").status().lead, "a");
});

test("without PreVote a rejoining node forces a new term", () => {
  const f = new Fixture(["a", "b", "c"], { preVote: false, checkQuorum: false });
  f.elect("a");
  const term = f.raft("a").status().term;
  f.isolate("c");
  f.tick(["c"], 25);
  assert.ok(f.raft("c").status().term > term);
  f.heal();
  f.tick(undefined, 30);
  assert.ok(f.raft("a").status().term > term, "the old leader was deposed by the higher term");
});

test("CheckQuorum: a leader cut off from the quorum steps down after an election timeout", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.isolate("a");
  f.tick(["a"], 25);
  assert.equal(f.raft("a").status().role, "follower");
});

test("CheckQuorum: followers that hear from a leader ignore a disruptive vote request", () => {
  const f = new Fixture(["a", "b", "c"], { preVote: false });
  f.elect("a");
  const term = f.raft("a").status().term;
  // c campaigns without waiting: b just heard from the leader, so it ignores the request.
  f.tick(undefined, 1);
  f.drop = (m) => m.from === "a" || m.to === "a";
  f.elect("c");
  assert.equal(f.raft("b").status().term, term);
  assert.equal(f.raft("b").status().lead, "a");
  assert.notEqual(f.raft("c").status().role, "leader");
});

test("a pre-candidate that wins the pre-vote becomes leader in the next term", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.isolate("a");
  f.tick(["b", "c"], 40);
  const leaders = f.leaders().filter((l) => l !== "a");
  assert.equal(leaders.length, 1);
  assert.equal(f.raft(leaders[0]!).status().term, 2);
});
