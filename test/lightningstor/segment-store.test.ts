// Segments on real storage nodes (in-process, each with its own directory): streaming writes,
// range reads, and reads and healing after chunks are deleted, corrupted or a node stops.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { ChunkClient } from "../../src/lightningstor/chunk-client.ts";
import { ChunkNode } from "../../src/lightningstor/chunk-node.ts";
import { chunkId, type Segment } from "../../src/lightningstor/segment.ts";
import { SegmentStore } from "../../src/lightningstor/segment-store.ts";

const log = pino({ level: "silent" });
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(b);
  return Buffer.concat(parts);
}

async function* pieces(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe("segment store over 6 storage nodes with 4+2 erasure coding", () => {
  let dir: string;
  let nodes: ChunkNode[];
  let client: ChunkClient;
  let store: SegmentStore;
  const data = randomBytes(3 * 1024 * 1024 + 12345);
  let seg: Segment;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "ls-seg-"));
    nodes = Array.from(
      { length: 6 },
      (_, i) => new ChunkNode({ id: `n${i}`, dir: join(dir, `n${i}`), host: "127.0.0.1", port: 0, log }),
    );
    const urls = await Promise.all(nodes.map((n) => n.start()));
    client = new ChunkClient(urls.map((url, i) => ({ id: `n${i}`, url })));
    store = new SegmentStore(client, { k: 4, m: 2, shardSize: 64 * 1024 }, log);
    seg = await store.write(pieces(data, 100_000), 1 << 30);
  });

  after(async () => {
    client.close();
    await Promise.all(nodes.map((n) => n.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const nodeOf = (id: string) => nodes[Number(id.slice(1))] as ChunkNode;

  it("reads back byte-identical, whole and by range", async () => {
    assert.equal(seg.size, data.length);
    assert.equal(sha(await collect(store.read(seg))), sha(data));
    for (const [s, e] of [
      [0, 1],
      [65535, 65537],
      [262143, 262145],
      [1_000_000, 2_500_000],
      [data.length - 7, data.length],
    ] as const) {
      assert.deepEqual(await collect(store.read(seg, s, e)), data.subarray(s, e));
    }
  });

  it("deleted and corrupted chunks read through parity, and scrubbing heals them", async () => {
    const a = chunkId(seg.id, 0, 0);
    const b = chunkId(seg.id, 3, 2);
    await rm(nodeOf(seg.nodes[0] as string).chunkFile(a));
    await writeFile(nodeOf(seg.nodes[2] as string).chunkFile(b), randomBytes(1000));
    assert.equal(sha(await collect(store.read(seg))), sha(data));
    const r = await store.scrub(seg);
    assert.equal(r.repaired, 2);
    assert.equal(r.unrecoverable, 0);
    assert.equal((await store.scrub(seg)).repaired, 0);
  });

  it("with a storage node stopped, reads still succeed and scrubbing moves its shards", async () => {
    const victim = seg.nodes[1] as string;
    await nodeOf(victim).close();
    assert.equal(sha(await collect(store.read(seg))), sha(data));
    const r = await store.scrub(seg);
    assert.ok(r.nodes, "the shard column moved");
    assert.ok(!r.nodes.includes(victim));
    seg = { ...seg, nodes: r.nodes };
    assert.equal((await store.scrub(seg)).repaired, 0);
    assert.equal(sha(await collect(store.read(seg))), sha(data));
  });

  it("an empty stream is an empty segment", async () => {
    const empty = await store.write(pieces(Buffer.alloc(0), 1), 10);
    assert.equal(empty.size, 0);
    assert.equal((await collect(store.read(empty))).length, 0);
  });

  it("a stream past the size limit is EntityTooLarge", async () => {
    await assert.rejects(
      store.write(pieces(Buffer.alloc(1000), 100), 500),
      (e: Error & { code?: string }) => e.code === "EntityTooLarge",
    );
  });
});
