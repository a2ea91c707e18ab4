import assert from "node:assert/strict";
import { test } from "node:test";
import { CompactedError, UnavailableError } from "../../../src/core/raft/errors.ts";
import { MemoryStorage } from "../../../src/core/raft/memory-storage.ts";
import type { Entry } from "../../../src/core/raft/types.ts";

const ent = (index: number, term: number, size = 0): Entry => ({
  index,
  term,
  type: "normal",
  data: new Uint8Array(size),
});

test("bootstrap storage starts after a snapshot holding the initial membership", () => {
  const s = MemoryStorage.bootstrap({ voters: ["a", "b"], learners: [] });
  assert.equal(s.firstIndex(), 2);
  assert.equal(s.lastIndex(), 1);
  assert.equal(s.term(1), 1);
  assert.deepEqual(s.initialState().confState.voters, ["a", "b"]);
});

test("append replaces a conflicting tail", () => {
  const s = new MemoryStorage();
  s.append([ent(1, 1), ent(2, 1), ent(3, 1)]);
  s.append([ent(2, 2)]);
  assert.equal(s.lastIndex(), 2);
  assert.equal(s.term(2), 2);
});

test("entries honours maxBytes but always returns one entry", () => {
  const s = new MemoryStorage();
  s.append([ent(1, 1, 100), ent(2, 1, 100), ent(3, 1, 100)]);
  assert.equal(s.entries(1, 4, 1).length, 1);
  assert.equal(s.entries(1, 4, 260).length, 2);
  assert.equal(s.entries(1, 4, Infinity).length, 3);
});

test("compaction keeps the snapshot's term and refuses compacted or missing indexes", () => {
  const s = new MemoryStorage();
  s.append([ent(1, 1), ent(2, 2), ent(3, 2)]);
  s.createSnapshot(2, { voters: ["a"], learners: [] }, new Uint8Array(0));
  s.compact(2);
  assert.equal(s.firstIndex(), 3);
  assert.equal(s.term(2), 2);
  assert.throws(() => s.term(1), CompactedError);
  assert.throws(() => s.entries(2, 3, Infinity), CompactedError);
  assert.throws(() => s.term(4), UnavailableError);
  assert.throws(() => s.compact(3), /not covered by a snapshot/);
});

test("applying a snapshot replaces the log, and an older snapshot is refused", () => {
  const s = new MemoryStorage();
  s.append([ent(1, 1), ent(2, 1)]);
  s.applySnapshot({
    metadata: { index: 10, term: 3, confState: { voters: ["a"], learners: [] } },
    data: new Uint8Array(0),
  });
  assert.equal(s.firstIndex(), 11);
  assert.equal(s.lastIndex(), 10);
  assert.throws(
    () =>
      s.applySnapshot({
        metadata: { index: 5, term: 3, confState: { voters: [], learners: [] } },
        data: new Uint8Array(0),
      }),
    { name: "SnapshotOutOfDateError" },
  );
});
