import assert from "node:assert/strict";
import { test } from "node:test";
import { ProposalDroppedError } from "../../../src/core/raft/errors.ts";
import { Fixture } from "./fixture.ts";

test("proposals beyond maxUncommittedEntriesBytes are dropped with a clear error", () => {
  const f = new Fixture(["a", "b", "c"], { maxUncommittedEntriesBytes: 100 });
  f.elect("a");
  f.drop = (m) => m.type === "app"; // nothing commits
  f.raft("a").propose(new Uint8Array(60));
  assert.throws(
    () => f.raft("a").propose(new Uint8Array(60)),
    (e: unknown) =>
      e instanceof ProposalDroppedError &&
      e.reason === "uncommittedLimit" &&
      /maxUncommittedEntriesBytes=100/.test(e.message),
  );
  // Once the entries commit, there is room again.
  f.heal();
  f.tick(["a"], 2);
  assert.doesNotThrow(() => f.raft("a").propose(new Uint8Array(60)));
});

test("a single proposal larger than the bound is still accepted when nothing is pending", () => {
  const f = new Fixture(["a", "b", "c"], { maxUncommittedEntriesBytes: 10 });
  f.elect("a");
  assert.doesNotThrow(() => f.raft("a").propose(new Uint8Array(50)));
});

test("pending reads are bounded", () => {
  const f = new Fixture(["a", "b", "c"], { maxPendingReadIndex: 2 });
  f.elect("a");
  f.isolate("a");
  f.raft("a").readIndex("r1");
  f.raft("a").readIndex("r2");
  assert.throws(() => f.raft("a").readIndex("r3"), { name: "ReadIndexDroppedError" });
});

test("ready() must be followed by advance()", () => {
  const f = new Fixture(["a"]);
  f.raft("a").campaign();
  f.raft("a").ready();
  assert.throws(() => f.raft("a").ready(), /advance/);
});
