// Embedded storage nodes in worker threads with parity computed in a worker pool (the way
// `photon lightningstor` runs them): streaming writes from shared stripe buffers, reads,
// corruption and deletion detected by the node, healing; small segments kept inline.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { ChunkClient } from "../../src/lightningstor/chunk-client.ts";
import { ChunkStore, releaseReadBuffer } from "../../src/lightningstor/chunk-store.ts";
import { ParityPool } from "../../src/lightningstor/parity-pool.ts";
import { encode } from "../../src/lightningstor/reed-solomon.ts";
import { chunkId } from "../../src/lightningstor/segment.ts";
import { inlineMaxBytes, SegmentStore } from "../../src/lightningstor/segment-store.ts";
import { WorkerChunkTransport } from "../../src/lightningstor/worker-chunk-transport.ts";

const log = pino({ level: "silent" });
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(b);
  return Buffer.concat(parts);
}

async function* pieces(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function filesUnder(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return all.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("worker-thread storage nodes and the parity pool", () => {
  let dir: string;
  let transports: WorkerChunkTransport[];
  let client: ChunkClient;
  let pool: ParityPool;
  let store: SegmentStore;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "ls-workers-"));
    transports = Array.from(
      { length: 6 },
      (_, i) => new WorkerChunkTransport(`w${i}`, join(dir, `w${i}`), true),
    );
    await Promise.all(transports.map((t) => t.start()));
    client = new ChunkClient(transports.map((transport, i) => ({ id: `w${i}`, transport })));
    pool = new ParityPool();
    store = new SegmentStore(
      client,
      { k: 4, m: 2, shardSize: 64 * 1024 },
      log,
      (p, d) => pool.encode(p, d),
      true,
    );
  });

  after(async () => {
    await client.close();
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("parity from the pool (shared memory) equals parity computed in place", async () => {
    const shards = Array.from({ length: 4 }, () => {
      const b = Buffer.from(new SharedArrayBuffer(10_001));
      randomBytes(10_001).copy(b);
      return b;
    });
    const got = await pool.encode({ k: 4, m: 2 }, shards);
    const want = encode({ k: 4, m: 2 }, shards);
    assert.deepEqual(got.map(sha), want.map(sha));
  });

  it("a striped segment reads back identical, whole and by range, and its chunks are on disk", async () => {
    const data = randomBytes(1024 * 1024 + 4321);
    const seg = await store.write(pieces(data, 70_000), 1 << 30, data.length);
    assert.equal(seg.inline, undefined);
    assert.equal(sha(await collect(store.read(seg))), sha(data));
    assert.equal(sha(await collect(store.read(seg, 300_000, 700_001))), sha(data.subarray(300_000, 700_001)));
    assert.ok((await filesUnder(join(dir, "w0"))).length > 0);
  });

  it("read buffers given back and reused never mix one download's bytes into another's", async () => {
    const objects = Array.from({ length: 6 }, (_, i) => randomBytes(5 * 256 * 1024 + 777 * i + 3));
    const segs = await Promise.all(objects.map((o) => store.write(pieces(o, 65_536), 1 << 30, o.length)));
    // Readers at once, each copying a piece out and then giving its buffer back, as the
    // GET path does once the socket has the bytes; ranges start and end mid-shard.
    const readAll = (i: number, start: number, end: number | undefined) =>
      (async () => {
        const parts: Buffer[] = [];
        for await (const b of store.read(segs[i % 6] as (typeof segs)[number], start, end)) {
          parts.push(Buffer.from(b));
          releaseReadBuffer(b);
          releaseReadBuffer(b); // twice: ignored
        }
        return Buffer.concat(parts);
      })();
    for (let round = 0; round < 3; round++) {
      const got = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          readAll(i, i < 6 ? 0 : 1000 * i, i < 6 ? undefined : 300_000 + 1000 * i),
        ),
      );
      for (const [i, g] of got.entries()) {
        const o = objects[i % 6] as Buffer;
        const want = i < 6 ? o : o.subarray(1000 * i, 300_000 + 1000 * i);
        assert.equal(sha(g), sha(want), `reader ${i}, round ${round}`);
      }
    }
  });

  it("reused stripe buffers never leak one upload's bytes into another's chunks", async () => {
    // Stripes of 4 × 64 KiB: every upload below spans several full stripes and a short
    // last one, so later uploads (some at once) write from buffers earlier ones used.
    const uploads = Array.from({ length: 12 }, (_, i) => randomBytes(3 * 256 * 1024 + 1000 * i + 1));
    const segs = [];
    for (let i = 0; i < 4; i++) segs.push(await store.write(pieces(uploads[i] as Buffer, 50_000), 1 << 30));
    segs.push(
      ...(await Promise.all(uploads.slice(4).map((u) => store.write(pieces(u, 65_536), 1 << 30, u.length)))),
    );
    for (const [i, seg] of segs.entries())
      assert.equal(sha(await collect(store.read(seg))), sha(uploads[i] as Buffer), `upload ${i}`);
  });

  it("a deleted and a corrupted chunk are read around and healed", async () => {
    const data = randomBytes(600_000);
    const seg = await store.write(pieces(data, 65_536), 1 << 30);
    const files = (i: number) =>
      new ChunkStore(join(dir, seg.nodes[i] as string)).chunkFile(chunkId(seg.id, 0, i));
    await rm(files(0));
    await writeFile(files(2), randomBytes(1000));
    assert.equal(await client.check(seg.nodes[0] as string, chunkId(seg.id, 0, 0)), "missing");
    assert.equal(await client.check(seg.nodes[2] as string, chunkId(seg.id, 0, 2)), "corrupt");
    assert.equal(sha(await collect(store.read(seg))), sha(data));
    const r = await store.scrub(seg);
    assert.equal(r.repaired, 2);
    assert.equal((await store.scrub(seg)).repaired, 0);
  });

  it("a small segment is kept inline: no chunk files, reads by range", async () => {
    const before = (await Promise.all(transports.map((_, i) => filesUnder(join(dir, `w${i}`))))).flat()
      .length;
    const data = randomBytes(4096);
    const seg = await store.write(pieces(data, 1000), 1 << 30, data.length);
    assert.ok(seg.inline);
    assert.deepEqual(seg.nodes, []);
    assert.equal(sha(await collect(store.read(seg, 10, 4000))), sha(data.subarray(10, 4000)));
    assert.deepEqual(await store.scrub(seg), { checked: 0, repaired: 0, unrecoverable: 0 });
    const afterCount = (await Promise.all(transports.map((_, i) => filesUnder(join(dir, `w${i}`))))).flat()
      .length;
    assert.equal(afterCount, before);
  });

  it("a body longer than its small size hint is striped, not inlined", async () => {
    const data = randomBytes(inlineMaxBytes * 3 + 7);
    const seg = await store.write(pieces(data, 5000), 1 << 30, 100);
    assert.equal(seg.inline, undefined);
    assert.equal(seg.size, data.length);
    assert.equal(sha(await collect(store.read(seg))), sha(data));
  });

  it("an inline segment still honours the size limit", async () => {
    await assert.rejects(store.write(pieces(randomBytes(2000), 500), 1000, 100), { code: "EntityTooLarge" });
  });
});
