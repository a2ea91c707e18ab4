import assert from "node:assert/strict";
import { test } from "node:test";
import type { MemoryStorage } from "../../../src/core/raft/memory-storage.ts";
import { Fixture } from "./fixture.ts";

function compact(f: Fixture, id: string, data: string): void {
  const n = f.node(id);
  const applied = n.raft.status().applied;
  n.storage.createSnapshot(applied, n.raft.confState(), new TextEncoder().encode(data));
  n.storage.compact(applied);
}

test("a follower behind the compacted log receives a snapshot (InstallSnapshot)", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.isolate("c");
  for (let i = 0; i < 5; i++) f.propose("a", `x${i}`);
  compact(f, "a", "state-after-x4");
  f.heal();
  f.delivered.length = 0;
  f.tick(["a"], 3);
  const snaps = f.delivered.filter((m) => m.type === "snap" && m.to === "c");
  assert.equal(snaps.length, 1);
  assert.equal(new TextDecoder().decode(f.node("c").storage.snapshot().data), "state-after-x4");
  assert.equal(f.raft("c").status().commit, f.raft("a").status().commit);
  assert.equal(f.raft("a").status().progress.get("c")?.state, "replicate");
  // Replication continues after the snapshot.
  f.propose("a", "after");
  assert.deepEqual(f.appliedTexts("c"), ["after"]);
});

test("a snapshot the follower already covers only advances its commit", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.propose("a", "x");
  const b = f.raft("b");
  const st = b.status();
  b.step({
    type: "snap",
    groupId: "g1",
    from: "a",
    to: "b",
    term: st.term,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    snapshot: { metadata: { index: 1, term: 1, confState: st.confState }, data: new Uint8Array(0) },
  });
  assert.equal(b.status().lastIndex, st.lastIndex, "log not discarded");
});

test("a lost snapshot is retried after the snapshot timeout", () => {
  const f = new Fixture(["a", "b", "c"], { snapshotTimeoutTicks: 5 });
  f.elect("a");
  f.isolate("c");
  for (let i = 0; i < 3; i++) f.propose("a", `x${i}`);
  compact(f, "a", "s");
  f.drop = (m) => m.type === "snap";
  // c must answer something first: the leader sends snapshots only to active followers.
  f.tick(["a"], 2);
  assert.equal(f.raft("a").status().progress.get("c")?.state, "snapshot");
  f.heal();
  f.tick(["a"], 10);
  assert.equal(f.raft("c").status().commit, f.raft("a").status().commit);
});

test("a restarted node recovers from its snapshot plus log", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  for (let i = 0; i < 4; i++) f.propose("a", `x${i}`);
  compact(f, "b", "snap");
  f.propose("a", "y");
  const storage: MemoryStorage = f.node("b").storage;
  const b2 = f.add("b", storage);
  f.settle();
  assert.deepEqual(
    b2.applied.filter((e) => e.data.byteLength > 0).map((e) => new TextDecoder().decode(e.data)),
    ["y"],
    "only entries after the snapshot are re-applied",
  );
});

test("the transport's snapshot report moves the follower back to probing", () => {
  const f = new Fixture(["a", "b", "c"], { snapshotTimeoutTicks: 1000 });
  f.elect("a");
  f.isolate("c");
  for (let i = 0; i < 3; i++) f.propose("a", `x${i}`);
  compact(f, "a", "s");
  f.drop = (m) => m.type === "snap";
  f.tick(["a"], 2);
  assert.equal(f.raft("a").status().progress.get("c")?.state, "snapshot");
  f.raft("a").reportSnapshot("c", false);
  assert.equal(f.raft("a").status().progress.get("c")?.state, "probe");
  f.heal();
  f.tick(["a"], 4);
  assert.equal(f.raft("c").status().commit, f.raft("a").status().commit);
});
