// The chunk file format: a CRC-32 header that catches a single flipped byte, truncation
// and garbage, and chunk files of the older sha256 format still read back.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ChunkStore, chunkHeaderBytes } from "../../src/lightningstor/chunk-store.ts";

describe("chunk store files", () => {
  let dir: string;
  let store: ChunkStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "ls-chunk-store-"));
    store = new ChunkStore(dir, false);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("a stored chunk reads back byte-identical with an 8-byte header", async () => {
    const data = randomBytes(300_000);
    await store.put("a.0.0", data);
    const r = await store.get("a.0.0");
    assert.equal(r.state, "ok");
    assert.ok(r.state === "ok" && r.data.equals(data));
    assert.equal((await readFile(store.chunkFile("a.0.0"))).length, data.length + chunkHeaderBytes);
    // With the length known (one read, no fstat); a wrong expectation still reads it whole.
    for (const hint of [data.length, data.length - 1, data.length + 1, 0]) {
      const h = await store.get("a.0.0", hint);
      assert.ok(h.state === "ok" && h.data.equals(data), `length hint ${hint}`);
    }
  });

  it("one flipped byte, a truncated file and garbage read as corrupt", async () => {
    const data = randomBytes(10_000);
    for (const [id, damage] of [
      [
        "flip.0.0",
        (b: Buffer) =>
          Buffer.concat([b.subarray(0, 5000), Buffer.from([(b[5000] as number) ^ 1]), b.subarray(5001)]),
      ],
      ["short.0.0", (b: Buffer) => b.subarray(0, b.length - 1)],
      ["junk.0.0", () => randomBytes(100)],
      ["tiny.0.0", () => Buffer.from("ab")],
    ] as const) {
      await store.put(id, data);
      const f = store.chunkFile(id);
      await writeFile(f, damage(await readFile(f)));
      assert.equal((await store.get(id)).state, "corrupt", id);
      assert.equal((await store.get(id, data.length)).state, "corrupt", id);
    }
    assert.equal((await store.get("never.0.0")).state, "missing");
  });

  it("a chunk in the older sha256 format still reads back", async () => {
    const data = randomBytes(5000);
    const f = store.chunkFile("old.0.0");
    await mkdir(dirname(f), { recursive: true });
    await writeFile(f, Buffer.concat([createHash("sha256").update(data).digest(), data]));
    const r = await store.get("old.0.0");
    assert.ok(r.state === "ok" && r.data.equals(data));
    const hinted = await store.get("old.0.0", data.length);
    assert.ok(hinted.state === "ok" && hinted.data.equals(data));
    await writeFile(f, Buffer.concat([createHash("sha256").update(data).digest(), data.subarray(1)]));
    assert.equal((await store.get("old.0.0")).state, "corrupt");
  });
});
