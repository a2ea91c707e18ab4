import assert from "node:assert/strict";
import { test } from "node:test";
import type { Message } from "../../../src/core/raft/types.ts";
import { Fixture } from "./fixture.ts";

const enc = (s: string) => new TextEncoder().encode(s);

test("a proposal is replicated, committed and applied everywhere in order", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  for (const x of ["x", "y", "z"]) f.propose("a", x);
  for (const id of ["a", "b", "c"]) assert.deepEqual(f.appliedTexts(id), ["x", "y", "z"]);
});

test("a proposal on a follower is refused with a leader hint", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  assert.throws(
    () => f.raft("b").propose(enc("x")),
    (e: unknown) =>
      (e as { code?: string; leaderHint?: string }).code === "ProposalDropped" &&
      (e as { leaderHint: string }).leaderHint === "a",
  );
});

test("an entry on a minority is not committed", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.drop = (m) => m.from === "a" && m.type === "app";
  f.propose("a", "x");
  assert.deepEqual(f.appliedTexts("a"), []);
  f.heal();
  f.tick(["a"], 2);
  assert.deepEqual(f.appliedTexts("a"), ["x"]);
});

test("proposals made between two Ready batches travel in one append message per follower", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.delivered.length = 0;
  for (let i = 0; i < 10; i++) f.raft("a").propose(enc(`p${i}`));
  f.settle();
  const apps = f.delivered.filter((m) => m.type === "app" && m.from === "a" && m.entries.length > 0);
  assert.equal(apps.length, 2);
  assert.equal(apps[0]!.entries.length, 10);
  assert.equal(f.appliedTexts("c").length, 10);
});

test("append messages respect maxSizePerMsgBytes", () => {
  const f = new Fixture(["a", "b", "c"], { maxSizePerMsgBytes: 100 });
  f.elect("a");
  f.delivered.length = 0;
  for (let i = 0; i < 10; i++) f.raft("a").propose(new Uint8Array(30));
  f.settle();
  const apps = f.delivered.filter((m) => m.type === "app" && m.to === "b" && m.entries.length > 0);
  for (const m of apps)
    assert.ok(m.entries.length <= 2, `message with ${m.entries.length} entries of 54 bytes`);
  assert.equal(f.node("b").applied.filter((e) => e.data.byteLength === 30).length, 10);
});

test("append messages respect maxEntriesPerMsg", () => {
  const f = new Fixture(["a", "b", "c"], { maxEntriesPerMsg: 3 });
  f.elect("a");
  f.delivered.length = 0;
  for (let i = 0; i < 10; i++) f.raft("a").propose(enc(`p${i}`));
  f.settle();
  const apps = f.delivered.filter((m) => m.type === "app" && m.to === "b" && m.entries.length > 0);
  assert.ok(apps.every((m) => m.entries.length <= 3));
  assert.equal(f.appliedTexts("b").length, 10);
});

test("flow control: at most maxInflightMsgs unacknowledged appends per follower", () => {
  const f = new Fixture(["a", "b", "c"], { maxInflightMsgs: 3, maxSizePerMsgBytes: 1 });
  f.elect("a");
  // Hold every answer from b so its window fills up.
  const held: Message[] = [];
  f.drop = (m) => {
    if (m.from === "b" && m.type === "appResp") {
      held.push(m);
      return true;
    }
    return false;
  };
  f.delivered.length = 0;
  for (let i = 0; i < 10; i++) f.raft("a").propose(enc(`p${i}`));
  f.settle();
  const toB = f.delivered.filter((m) => m.type === "app" && m.to === "b" && m.entries.length > 0);
  assert.equal(toB.length, 3);
  assert.equal(f.raft("a").status().progress.get("b")?.inflight, 3);
  // Acknowledgements open the window again and everything gets through.
  f.heal();
  for (const m of held) f.raft("a").step(m);
  f.settle();
  f.tick(["a"], 4);
  assert.equal(f.appliedTexts("b").length, 10);
});

test("a follower with a divergent log is repaired, with fast backtracking over whole terms", () => {
  const f = new Fixture(["a", "b", "c"], { preVote: false, checkQuorum: false });
  f.elect("a");
  f.propose("a", "base");
  // a writes 30 entries only it has (term 1), then b leads (term 2) and writes 30 more.
  f.isolate("a");
  for (let i = 0; i < 30; i++) f.raft("a").propose(enc(`lost${i}`));
  f.settle();
  f.elect("b");
  for (let i = 0; i < 30; i++) f.propose("b", `kept${i}`);
  f.heal();
  f.delivered.length = 0;
  f.tick(["b"], 3);
  const rejections = f.delivered.filter((m) => m.type === "appResp" && m.from === "a" && m.reject);
  assert.ok(rejections.length <= 3, `needed ${rejections.length} rejections to find the match point`);
  assert.deepEqual(f.appliedTexts("a"), f.appliedTexts("b"));
  assert.ok(!f.appliedTexts("a").some((t) => t.startsWith("lost")));
  assert.equal(f.raft("a").status().lastIndex, f.raft("b").status().lastIndex);
});

test("a leader never commits an entry of an earlier term by counting replicas (Figure 8)", () => {
  const run = (bug: boolean) => {
    const f = new Fixture(["s1", "s2", "s3", "s4", "s5"], {
      preVote: false,
      checkQuorum: false,
      maxSizePerMsgBytes: 1,
      ...(bug ? { bugs: { commitOldTermByCounting: true } } : {}),
    });
    // (a) s1 leads term 1 and replicates entry X only to s2.
    f.elect("s1");
    f.drop = (m) => m.from === "s1" && m.to !== "s2";
    const x = f.propose("s1", "X");
    // (b) s1 is cut off; s5 wins term 2 with s3 and s4 and writes its own entry at X's index.
    f.drop = (m) => m.from === "s1" || m.to === "s1" || (m.from === "s5" && m.type === "app");
    f.elect("s5");
    assert.equal(f.raft("s5").status().role, "leader");
    assert.equal(f.raft("s5").logTerm(x.index), 2);
    // (c) s5 crashes; s1 restarts, wins term 3 and copies X to s3 but not its own term-3 entry.
    // (Only once the receiver holds X, so that the probe finding the match point gets through.)
    f.drop = (m) =>
      m.from === "s5" ||
      m.to === "s5" ||
      (m.type === "app" && m.entries.some((e) => e.term === 3) && f.raft(m.to).logTerm(x.index) === 1);
    f.add("s1", f.node("s1").storage);
    f.elect("s1"); // loses term 2: s3 and s4 voted for s5
    f.elect("s1");
    assert.equal(f.raft("s1").status().role, "leader");
    assert.equal(f.raft("s1").status().term, 3);
    f.tick(["s1"], 3);
    assert.equal(f.raft("s3").logTerm(x.index), 1, "X is now on a majority: s1, s2, s3");
    const commitAfterC = f.raft("s1").status().commit;
    // (d) s1 crashes; s5 restarts and, its last term (2) beating X's, wins term 4 and
    // overwrites X. If X was (wrongly) committed, a follower's own invariant trips on it.
    f.drop = (m) => m.from === "s1" || m.to === "s1";
    f.add("s5", f.node("s5").storage);
    let tripped: string | undefined;
    try {
      f.elect("s5");
      f.elect("s5");
      f.tick(["s5"], 3);
    } catch (e) {
      tripped = (e as Error).message;
    }
    return { f, commitAfterC, xIndex: x.index, tripped };
  };
  const ok = run(false);
  assert.equal(ok.tripped, undefined);
  assert.ok(ok.commitAfterC < ok.xIndex, "X must not count as committed in (c)");
  assert.equal(ok.f.raft("s5").status().role, "leader");
  assert.equal(ok.f.raft("s3").logTerm(ok.xIndex), 2, "X was safely overwritten");
  const broken = run(true);
  assert.ok(broken.commitAfterC >= broken.xIndex, "with the bug, X is committed by counting");
  assert.ok(broken.f.appliedTexts("s1").includes("X"), "…and applied");
  assert.equal(broken.f.raft("s5").status().role, "leader", "…yet s5, which lacks X, is elected");
  assert.equal(broken.f.raft("s5").logTerm(broken.xIndex), 2);
  // Two different entries are now committed at X's index: s1 applied X, s5 commits its own.
  assert.ok(broken.f.raft("s5").status().commit >= broken.xIndex, "s5 commits its entry at X's index");
});

test("an unreachable report stops pipelining until the follower answers again", () => {
  const f = new Fixture(["a", "b", "c"]);
  f.elect("a");
  f.propose("a", "x");
  assert.equal(f.raft("a").status().progress.get("b")?.state, "replicate");
  f.raft("a").reportUnreachable("b");
  assert.equal(f.raft("a").status().progress.get("b")?.state, "probe");
  f.propose("a", "y");
  assert.equal(f.raft("a").status().progress.get("b")?.state, "replicate");
  assert.deepEqual(f.appliedTexts("b"), ["x", "y"]);
});

test("lost appends cannot wedge a follower whose inflight window is full", () => {
  const f = new Fixture(["a", "b", "c"], { maxInflightMsgs: 2, maxSizePerMsgBytes: 1 });
  f.elect("a");
  f.drop = (m) => m.type === "app" && m.to === "b" && m.entries.length > 0;
  for (let i = 0; i < 5; i++) f.raft("a").propose(enc(`p${i}`));
  f.settle();
  assert.equal(f.raft("a").status().progress.get("b")?.inflight, 2);
  f.heal();
  f.tick(["a"], 10);
  assert.equal(f.appliedTexts("b").length, 5);
});
