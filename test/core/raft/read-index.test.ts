import assert from "node:assert/strict";
import { test } from "node:test";
import type { ReadState } from "../../../src/core/raft/types.ts";
import { Fixture } from "./fixture.ts";

function readStatesOf(f: Fixture, id: string, run: () => void): ReadState[] {
  const out: ReadState[] = [];
  const orig = f.processReady.bind(f);
  f.processReady = (nid: string) => {
    const rd = orig(nid);
    if (rd && nid === id) out.push(...rd.readStates);
    return rd;
  };
  run();
  f.processReady = orig;
  return out;
}

test("the leader answers ReadIndex after a quorum confirms it with a heartbeat round", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.propose("a", "x");
  f.delivered.length = 0;
  const rs = readStatesOf(f, "a", () => {
    f.raft("a").readIndex("r1");
    f.settle();
  });
  assert.deepEqual(rs, [{ index: f.raft("a").status().commit, requestCtx: "r1" }]);
  assert.ok(f.delivered.some((m) => m.type === "heartbeat" && m.context?.endsWith("r1")));
});

test("a leader cut off from the quorum cannot confirm a read", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.isolate("a");
  const rs = readStatesOf(f, "a", () => {
    f.raft("a").readIndex("r1");
    f.settle();
    f.tick(["a"], 3);
  });
  assert.deepEqual(rs, []);
});

test("a follower forwards ReadIndex to the leader and gets the read index back", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.propose("a", "x");
  const rs = readStatesOf(f, "c", () => {
    f.raft("c").readIndex("r2");
    f.settle();
  });
  assert.deepEqual(rs, [{ index: f.raft("a").status().commit, requestCtx: "r2" }]);
});

test("followers may use the same ctx for their reads without colliding at the leader", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  const got: string[] = [];
  const orig = f.processReady.bind(f);
  f.processReady = (id: string) => {
    const rd = orig(id);
    for (const rs of rd?.readStates ?? []) got.push(`${id}:${rs.requestCtx}`);
    return rd;
  };
  f.raft("a").readIndex("r1");
  f.raft("b").readIndex("r1");
  f.raft("c").readIndex("r1");
  f.settle();
  assert.deepEqual(got.sort(), ["a:r1", "b:r1", "c:r1"]);
});

test("a follower without a known leader refuses ReadIndex", () => {
  const f = new Fixture(["a", "b", "c"]);
  assert.throws(() => f.raft("b").readIndex("r"), { name: "ReadIndexDroppedError" });
});

test("a new leader holds reads until it has committed an entry of its term", () => {
  const f = new Fixture(["a", "b", "c"], { preVote: false, checkQuorum: false });
  f.elect("a");
  // Nothing gets through, so a's first entry of the term is not committed yet.
  f.drop = (m) => m.from === "a" && m.type === "app";
  f.isolate("a");
  f.elect("b");
  f.drop = (m) => m.from === "b" && (m.type === "app" || m.type === "heartbeat");
  const held = readStatesOf(f, "b", () => {
    f.raft("b").readIndex("early");
    f.settle();
  });
  assert.deepEqual(held, []);
  f.heal();
  const released = readStatesOf(f, "b", () => f.tick(["b"], 2));
  assert.equal(released.length, 1);
  assert.equal(released[0]!.requestCtx, "early");
  assert.equal(f.raft("b").logTerm(released[0]!.index), f.raft("b").status().term);
});

test("lease-based reads are answered without a heartbeat round while the lease holds", () => {
  const f = new Fixture(["a", "b", "c"], { readOnlyOption: "leaseBased" });
  f.elect("a");
  f.tick(undefined, 2); // heartbeats acknowledged: the lease starts
  f.delivered.length = 0;
  const rs = readStatesOf(f, "a", () => {
    f.raft("a").readIndex("lease1");
    f.settle();
  });
  assert.equal(rs.length, 1);
  assert.ok(!f.delivered.some((m) => m.type === "heartbeat"), "no confirmation round was needed");
});

test("an expired lease falls back to a heartbeat round", () => {
  const f = new Fixture(["a", "b", "c"], { readOnlyOption: "leaseBased" });
  f.elect("a");
  f.tick(undefined, 2);
  f.isolate("a");
  f.tick(["a"], 9); // past electionTicks - margin without acknowledgements
  const rs = readStatesOf(f, "a", () => {
    f.raft("a").readIndex("late");
    f.settle();
  });
  assert.deepEqual(rs, [], "no read from an expired lease");
});

test("lease-based reads require CheckQuorum", () => {
  assert.throws(
    () => new Fixture(["a"], { readOnlyOption: "leaseBased", checkQuorum: false }),
    /checkQuorum/,
  );
});

test("leaseReadIndex answers at once while the lease holds, and never from an expired lease or a follower", () => {
  const f = new Fixture(["a", "b", "c"], { readOnlyOption: "leaseBased" });
  f.elect("a");
  f.propose("a", "x");
  f.tick(undefined, 2);
  assert.equal(f.raft("a").leaseReadIndex(), f.raft("a").status().commit);
  assert.equal(f.raft("b").leaseReadIndex(), undefined, "a follower has no lease");
  f.isolate("a");
  f.tick(["a"], 9);
  assert.equal(f.raft("a").leaseReadIndex(), undefined, "an expired lease serves nothing");
});

test("leaseReadIndex is off in safe mode and while a leadership transfer is under way", () => {
  const safe = new Fixture(["a", "b", "c"]);
  safe.elect("a");
  safe.tick(undefined, 2);
  assert.equal(safe.raft("a").leaseReadIndex(), undefined);
  const f = new Fixture(["a", "b", "c"], { readOnlyOption: "leaseBased" });
  f.elect("a");
  f.tick(undefined, 2);
  f.isolate("b");
  f.raft("a").transferLeadership("b");
  assert.equal(f.raft("a").leaseReadIndex(), undefined);
});
