// The Raft write-ahead log: what persist() wrote survives a reopen; a torn or corrupt tail of
// the last segment (a crash mid-write) is cut off and appending resumes cleanly; segments
// rotate and are deleted once a snapshot covers them; an installed snapshot replaces the log.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { silentLogger } from "../../../src/core/log.ts";
import type { Entry } from "../../../src/core/raft/types.ts";
import { WalLogStorage } from "../../../src/core/raft/wal-log-storage.ts";
import { listSegments, segmentName } from "../../../src/core/raft/wal-writer.ts";

const ent = (index: number, term: number, text = `e${index}`): Entry => ({
  index,
  term,
  type: "normal",
  data: Buffer.from(text),
});

const texts = (s: WalLogStorage) =>
  s
    .entries(s.firstIndex(), s.lastIndex() + 1, Number.MAX_SAFE_INTEGER)
    .map((e) => Buffer.from(e.data).toString());

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "wal-test-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const open = (dir: string, segmentBytes?: number) =>
  WalLogStorage.open(dir, {
    log: silentLogger,
    bootstrap: { voters: ["a", "b", "c"], learners: [] },
    segmentBytes,
  });

/** The last segment's bytes up to the end of what was written (the rest is preallocated zeros). */
function lastSegment(dir: string): { file: string; used: number } {
  const file = join(dir, segmentName(listSegments(dir).at(-1)!));
  const data = readFileSync(file);
  let used = data.length;
  while (used > 0 && data[used - 1] === 0) used--;
  return { file, used };
}

test(
  "entries, conflicting tails and the hard state survive a reopen",
  withDir(async (dir) => {
    const s = await open(dir);
    assert.equal(s.firstIndex(), 2);
    assert.equal(s.lastIndex(), 1);
    await s.persist({
      entries: [ent(2, 1), ent(3, 1), ent(4, 1)],
      hardState: { term: 1, vote: "a", commit: 2 },
    });
    // A new leader's entries replace the uncommitted tail.
    await s.persist({ entries: [ent(3, 2, "x3")], hardState: { term: 2, vote: "b", commit: 3 } });
    // Concurrent batches share a sync (group commit) and land in order.
    await Promise.all([s.persist({ entries: [ent(4, 2)] }), s.persist({ entries: [ent(5, 2)] })]);
    assert.deepEqual(texts(s), ["e2", "x3", "e4", "e5"]);
    await s.close();

    const r = await open(dir);
    assert.deepEqual(texts(r), ["e2", "x3", "e4", "e5"]);
    assert.equal(r.term(3), 2);
    assert.deepEqual(r.initialState().hardState, { term: 2, vote: "b", commit: 3 });
    assert.deepEqual(r.initialState().confState.voters, ["a", "b", "c"]);
    await r.close();
  }),
);

test(
  "a torn last record is cut off on recovery and appending resumes cleanly",
  withDir(async (dir) => {
    const s = await open(dir);
    await s.persist({ entries: [ent(2, 1), ent(3, 1)], hardState: { term: 1, vote: "a", commit: 3 } });
    const before = lastSegment(dir).used;
    await s.persist({ entries: [ent(4, 1, "z".repeat(100))] });
    await s.close();
    // A crash in the middle of the last write: only part of its record reached the disk.
    const { file, used } = lastSegment(dir);
    assert.ok(used > before + 50);
    truncateSync(file, before + 50);

    const r = await open(dir);
    assert.deepEqual(texts(r), ["e2", "e3"]);
    assert.deepEqual(r.initialState().hardState, { term: 1, vote: "a", commit: 3 });
    await r.persist({ entries: [ent(4, 1, "y")] });
    await r.close();
    const again = await open(dir);
    assert.deepEqual(texts(again), ["e2", "e3", "y"]);
    await again.close();
  }),
);

test(
  "a record whose checksum fails ends the log there, and nothing after it comes back",
  withDir(async (dir) => {
    const s = await open(dir);
    await s.persist({ entries: [ent(2, 1)] });
    const good = lastSegment(dir).used;
    await s.persist({ entries: [ent(3, 1, "long-entry-three")] });
    await s.persist({ entries: [ent(4, 1, "long-entry-four")] });
    await s.close();
    const { file } = lastSegment(dir);
    const data = readFileSync(file);
    data[good + 12] = (data[good + 12]! ^ 0xff) & 0xff; // inside entry 3's record
    writeFileSync(file, data);

    const r = await open(dir);
    // Entry 4 was behind the bad record: the log ends at 2, and the file was cut there.
    assert.deepEqual(texts(r), ["e2"]);
    assert.equal(statSync(file).size, good);
    await r.persist({ entries: [ent(3, 2, "n3")] });
    await r.close();
    const again = await open(dir);
    assert.deepEqual(texts(again), ["e2", "n3"]);
    await again.close();
  }),
);

test(
  "segments rotate, and compaction deletes those a snapshot covers",
  withDir(async (dir) => {
    const s = await open(dir, 4096);
    let index = 2;
    for (let batch = 0; batch < 40; batch++) {
      const entries: Entry[] = [];
      for (let i = 0; i < 5; i++, index++) entries.push(ent(index, 1, `v${index}-${"p".repeat(40)}`));
      await s.persist({ entries, hardState: { term: 1, vote: "a", commit: index - 1 } });
    }
    const last = index - 1;
    const before = listSegments(dir).length;
    assert.ok(before >= 3, `expected several segments, got ${before}`);
    await s.compact(last - 10, { voters: ["a", "b", "c"], learners: [] }, Buffer.from("image"));
    const after = listSegments(dir).length;
    assert.ok(after < before, `compaction kept all ${before} segments`);
    assert.equal(s.firstIndex(), last - 9);
    await s.close();

    const r = await open(dir, 4096);
    assert.equal(r.firstIndex(), last - 9);
    assert.equal(r.lastIndex(), last);
    assert.equal(Buffer.from(r.snapshot().data).toString(), "image");
    assert.equal(r.snapshot().metadata.index, last - 10);
    assert.deepEqual(r.initialState().hardState, { term: 1, vote: "a", commit: last });
    assert.equal(
      Buffer.from(r.entries(last, last + 1, 1e9)[0]!.data)
        .toString()
        .split("-")[0],
      `v${last}`,
    );
    await r.close();
  }),
);

test(
  "a snapshot from the leader replaces the whole log, durably",
  withDir(async (dir) => {
    const s = await open(dir);
    await s.persist({ entries: [ent(2, 1), ent(3, 1)] });
    await s.persist({
      snapshot: {
        metadata: { index: 50, term: 3, confState: { voters: ["a", "b"], learners: [] } },
        data: Buffer.from("S"),
      },
      entries: [],
      hardState: { term: 3, vote: "", commit: 50 },
    });
    await s.persist({ entries: [ent(51, 3)] });
    await s.close();
    const r = await open(dir);
    assert.equal(r.firstIndex(), 51);
    assert.deepEqual(texts(r), ["e51"]);
    assert.equal(r.term(50), 3);
    assert.deepEqual(r.initialState().confState.voters, ["a", "b"]);
    assert.equal(Buffer.from(r.snapshot().data).toString(), "S");
    await r.close();
  }),
);

test(
  "a corrupt record in an older segment is an error, not a silent truncation",
  withDir(async (dir) => {
    const s = await open(dir, 1024);
    for (let i = 2; i < 60; i++) await s.persist({ entries: [ent(i, 1, "q".repeat(60))] });
    await s.close();
    const first = join(dir, segmentName(listSegments(dir)[0]!));
    const data = readFileSync(first);
    data[40] = (data[40]! ^ 0xff) & 0xff;
    writeFileSync(first, data);
    await assert.rejects(open(dir, 1024), /corrupt/);
  }),
);
