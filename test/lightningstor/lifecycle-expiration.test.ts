// Lifecycle expiration does what the stored rules say: objects are put and rules set through
// the S3 API (aws cli), then one expiration pass runs over the role's own metadata and
// storage nodes with a clock three days ahead, and the S3 API shows the result: expired
// current versions gone (or hidden behind a delete marker in a versioned bucket), old
// noncurrent versions removed, stale multipart uploads aborted, their chunk files deleted,
// and everything outside the rules' prefixes untouched.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { ChunkClient } from "../../src/lightningstor/chunk-client.ts";
import { expireAll } from "../../src/lightningstor/maintenance.ts";
import { MetaStore } from "../../src/lightningstor/meta-store.ts";
import { noQuota } from "../../src/lightningstor/quota-gate.ts";
import { SegmentStore } from "../../src/lightningstor/segment-store.ts";
import { WorkerChunkTransport } from "../../src/lightningstor/worker-chunk-transport.ts";
import { aws, type Harness, startLightningstor } from "./s3-harness.ts";

const dayMs = 86_400_000;
const nodeCount = 6;

async function chunkFileCount(dataDir: string): Promise<number> {
  const all = await readdir(join(dataDir, "lightningstor", "nodes"), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return all.filter((e) => e.isFile() && !e.name.endsWith(".tmp")).length;
}

/** One expiration pass over a stopped role's data directory, at `nowMs`. */
async function expireOffline(dataDir: string, nowMs: number): Promise<number> {
  const log = pino({ level: "silent" });
  const transports = Array.from(
    { length: nodeCount },
    (_, i) =>
      new WorkerChunkTransport(`local-${i}`, join(dataDir, "lightningstor", "nodes", `local-${i}`), true),
  );
  await Promise.all(transports.map((t) => t.start()));
  const chunks = new ChunkClient(
    transports.map((transport, i) => ({ id: `local-${i}`, transport })),
    () => nowMs,
  );
  const meta = new MetaStore(join(dataDir, "lightningstor", "meta"));
  try {
    const segments = new SegmentStore(chunks, { k: 4, m: 2, shardSize: 1024 * 1024 }, log);
    return await expireAll(meta, segments, noQuota, () => nowMs);
  } finally {
    await meta.close();
    await chunks.close();
    await Promise.all(transports.map((t) => t.close()));
  }
}

describe("lifecycle expiration", () => {
  let dataDir: string;
  let h: Harness | undefined;
  const start = async () => {
    h = await startLightningstor({ dataDir, embeddedNodes: nodeCount, coding: "4+2" });
    return h;
  };
  const s3api = async (...args: string[]) => {
    const r = await aws(h as Harness, ["s3api", ...args]);
    assert.equal(r.code, 0, `aws s3api ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : {};
  };
  const exists = async (bucket: string, key: string) =>
    (await aws(h as Harness, ["s3api", "head-object", "--bucket", bucket, "--key", key])).code === 0;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "ls-lifecycle-"));
    await start();
  });
  after(async () => {
    await h?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("expires, hides, removes and aborts what the rules name, and nothing else", async () => {
    const big = join(dataDir, "big.bin");
    const small = join(dataDir, "small.bin");
    await writeFile(big, randomBytes(200_000)); // striped: chunk files on the nodes
    await writeFile(small, randomBytes(1000)); // inline in the metadata record
    await s3api("create-bucket", "--bucket", "plain");
    for (const key of ["tmp/big", "tmp/small", "keep/big", "keep/small"])
      await s3api(
        "put-object",
        "--bucket",
        "plain",
        "--key",
        key,
        "--body",
        key.endsWith("big") ? big : small,
      );
    await s3api(
      "put-bucket-lifecycle-configuration",
      "--bucket",
      "plain",
      "--lifecycle-configuration",
      JSON.stringify({
        Rules: [
          { ID: "tmp", Filter: { Prefix: "tmp/" }, Status: "Enabled", Expiration: { Days: 1 } },
          {
            ID: "uploads",
            Filter: { Prefix: "" },
            Status: "Enabled",
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 },
          },
          { ID: "off", Filter: { Prefix: "keep/" }, Status: "Disabled", Expiration: { Days: 1 } },
        ],
      }),
    );
    const upload = await s3api("create-multipart-upload", "--bucket", "plain", "--key", "keep/partial");
    await s3api(
      "upload-part",
      "--bucket",
      "plain",
      "--key",
      "keep/partial",
      "--upload-id",
      upload.UploadId,
      "--part-number",
      "1",
      "--body",
      big,
    );

    await s3api("create-bucket", "--bucket", "versioned");
    await s3api(
      "put-bucket-versioning",
      "--bucket",
      "versioned",
      "--versioning-configuration",
      "Status=Enabled",
    );
    const old = await s3api("put-object", "--bucket", "versioned", "--key", "logs/a", "--body", big);
    const current = await s3api("put-object", "--bucket", "versioned", "--key", "logs/a", "--body", small);
    await s3api(
      "put-bucket-lifecycle-configuration",
      "--bucket",
      "versioned",
      "--lifecycle-configuration",
      JSON.stringify({
        Rules: [
          {
            ID: "logs",
            Filter: { Prefix: "logs/" },
            Status: "Enabled",
            Expiration: { Days: 1 },
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          },
        ],
      }),
    );

    const chunksBefore = await chunkFileCount(dataDir);
    assert.ok(chunksBefore > 0);
    await (h as Harness).close();
    h = undefined;
    // Today's pass expires nothing: every object is younger than its rule.
    assert.equal(await expireOffline(dataDir, Date.now()), 0);
    // Three days on: tmp/big and tmp/small expire, the upload is aborted, the noncurrent
    // version of logs/a is removed and its current version gets a delete marker.
    assert.equal(await expireOffline(dataDir, Date.now() + 3 * dayMs), 5);
    await start();

    assert.equal(await exists("plain", "tmp/big"), false);
    assert.equal(await exists("plain", "tmp/small"), false);
    assert.equal(await exists("plain", "keep/big"), true, "a Disabled rule expires nothing");
    assert.equal(await exists("plain", "keep/small"), true);
    const uploads = await s3api("list-multipart-uploads", "--bucket", "plain");
    assert.equal(uploads.Uploads ?? undefined, undefined, "the stale upload is aborted");

    assert.equal(await exists("versioned", "logs/a"), false, "hidden behind a delete marker");
    const versions = await s3api("list-object-versions", "--bucket", "versioned");
    assert.deepEqual(
      (versions.Versions ?? []).map((v: { VersionId: string }) => v.VersionId),
      [current.VersionId],
      "the noncurrent version is gone, the expired current one is kept behind the marker",
    );
    assert.notEqual(current.VersionId, old.VersionId);
    assert.equal(versions.DeleteMarkers?.length, 1);
    assert.equal(versions.DeleteMarkers[0].IsLatest, true);

    // tmp/big (6 chunks), the upload's part (6) and the old logs/a version (6) left the disk.
    assert.equal(await chunkFileCount(dataDir), chunksBefore - 18);
  });
});
