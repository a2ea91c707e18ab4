// Durability through the S3 API: with 4+2 erasure coding over six storage nodes, deleting
// one node's chunk files, corrupting another's, or stopping nodes leaves every object
// readable byte-identical (sha256), and a scrub restores full redundancy.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { pino } from "pino";
import { ChunkNode } from "../../src/lightningstor/chunk-node.ts";
import { adminToken, type Harness, startLightningstor } from "../lightningstor/s3-harness.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const log = pino({ level: "silent" });

async function chunkFiles(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true, withFileTypes: true });
  return all.filter((e) => e.isFile() && !e.name.endsWith(".tmp")).map((e) => join(e.parentPath, e.name));
}

describe("lightningstor durability (4+2 over six storage nodes)", () => {
  let h: Harness;
  let s3: S3Client;
  const nodes: ChunkNode[] = [];
  const objects = new Map<string, string>();
  let nodeRoot: string;

  const scrub = async () => {
    const r = await fetch(`${h.api}/v1/storage/scrub`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}` },
    });
    assert.equal(r.status, 200);
    return (await r.json()) as {
      chunksRepaired: number;
      stripesUnrecoverable: number;
      segmentsMoved: number;
      chunksChecked: number;
    };
  };
  const readAll = async () => {
    for (const [key, want] of objects) {
      const got = await s3.send(new GetObjectCommand({ Bucket: "durable", Key: key }));
      assert.equal(
        sha(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()),
        want,
        `object ${key}`,
      );
    }
  };

  before(async () => {
    nodeRoot = join((await import("node:os")).tmpdir(), `ls-nodes-${process.pid}-${Date.now()}`);
    for (let i = 0; i < 6; i++)
      nodes.push(
        new ChunkNode({ id: `n${i}`, dir: join(nodeRoot, `n${i}`), host: "127.0.0.1", port: 0, log }),
      );
    const urls = await Promise.all(nodes.map((n) => n.start()));
    h = await startLightningstor({
      embeddedNodes: 0,
      nodes: urls.map((u, i) => `n${i}=${u}`).join(","),
      coding: "4+2",
      shardSizeKib: 64,
    });
    s3 = new S3Client({
      endpoint: h.s3,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: h.accessKeyId, secretAccessKey: h.secret },
      maxAttempts: 1,
    });
    const res = await fetch(`${h.s3}/durable`, { method: "PUT" });
    assert.equal(res.status, 403, "anonymous bucket creation is refused");
    await s3.send(new (await import("@aws-sdk/client-s3")).CreateBucketCommand({ Bucket: "durable" }));
    for (const size of [0, 1, 4096, 100_000, 1_048_579, 3_000_000]) {
      const body = randomBytes(size);
      await s3.send(new PutObjectCommand({ Bucket: "durable", Key: `obj-${size}`, Body: body }));
      objects.set(`obj-${size}`, sha(body));
    }
  });
  after(async () => {
    s3?.destroy();
    await h?.close();
    await Promise.all(nodes.map((n) => n.close()));
    await rm(nodeRoot, { recursive: true, force: true });
  });

  it("a clean scrub finds nothing to repair", async () => {
    const r = await scrub();
    assert.ok(r.chunksChecked > 0);
    assert.equal(r.chunksRepaired, 0);
  });

  it("one node's chunk files deleted and another's corrupted: reads are identical, scrub heals", async () => {
    const deleted = await chunkFiles(nodes[0]?.opts.dir as string);
    const corrupted = await chunkFiles(nodes[3]?.opts.dir as string);
    assert.ok(deleted.length > 0 && corrupted.length > 0);
    for (const f of deleted) await rm(f);
    for (const f of corrupted) await writeFile(f, randomBytes(100));
    await readAll();
    const r = await scrub();
    assert.equal(r.chunksRepaired, deleted.length + corrupted.length);
    assert.equal(r.stripesUnrecoverable, 0);
    assert.equal((await scrub()).chunksRepaired, 0, "full redundancy after healing");
    // Healed: now any two other nodes' loss is survivable again.
    for (const f of await chunkFiles(nodes[1]?.opts.dir as string)) await rm(f);
    for (const f of await chunkFiles(nodes[2]?.opts.dir as string)) await rm(f);
    await readAll();
    assert.equal((await scrub()).stripesUnrecoverable, 0);
    assert.equal((await scrub()).chunksRepaired, 0);
  });

  it("a stopped node: reads are identical, writes go on, scrub moves its shards elsewhere", async () => {
    await nodes[4]?.close();
    await readAll();
    const body = randomBytes(500_000);
    await s3.send(new PutObjectCommand({ Bucket: "durable", Key: "written-degraded", Body: body }));
    objects.set("written-degraded", sha(body));
    await readAll();
    const r = await scrub();
    assert.ok(r.segmentsMoved > 0, "shard columns moved off the stopped node");
    assert.equal(r.stripesUnrecoverable, 0);
    assert.equal((await scrub()).chunksRepaired, 0);
    // Six shards on five nodes: one node holds two, so losing any one more node's data
    // (up to two shards of a stripe) is survivable; the node holding two is the worst case.
    for (const f of await chunkFiles(nodes[0]?.opts.dir as string)) await writeFile(f, "garbage");
    await readAll();
    assert.equal((await scrub()).stripesUnrecoverable, 0);
  });
});
