// Debian's aws cli (`aws s3`, `aws s3api`) against lightningstor: every bucket and object
// operation the S3 API offers, with byte-identical round trips and S3's error codes.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { aws, type Harness, startLightningstor } from "../lightningstor/s3-harness.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("aws cli against lightningstor", () => {
  let h: Harness;
  let files: string;
  const run = async (...args: string[]) => {
    const r = await aws(h, args);
    assert.equal(r.code, 0, `aws ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout.trim() ? (r.stdout.trim().startsWith("{") ? JSON.parse(r.stdout) : r.stdout) : {};
  };
  const fails = async (code: string, ...args: string[]) => {
    const r = await aws(h, args);
    assert.notEqual(r.code, 0, `aws ${args.join(" ")} should fail`);
    assert.match(r.stderr, new RegExp(`\\(${code}\\)`), r.stderr);
  };

  before(async () => {
    h = await startLightningstor();
    files = join(h.dir, "files");
    await mkdir(files, { recursive: true });
  });
  after(async () => h?.close());

  it("creates, lists, heads and locates buckets; bad and duplicate names get S3's codes", async () => {
    await run("s3", "mb", "s3://cli-bucket");
    assert.match(await run("s3", "ls"), /cli-bucket/);
    await run("s3api", "head-bucket", "--bucket", "cli-bucket");
    const loc = await run("s3api", "get-bucket-location", "--bucket", "cli-bucket");
    assert.equal(loc.LocationConstraint ?? null, null);
    await fails("BucketAlreadyOwnedByYou", "s3api", "create-bucket", "--bucket", "cli-bucket");
    await fails("InvalidBucketName", "s3api", "create-bucket", "--bucket", "Bad_Name");
    await fails("NoSuchBucket", "s3api", "list-objects-v2", "--bucket", "no-such-bucket");
  });

  it("puts and gets objects byte-identical, with metadata, Content-MD5, ranges and conditions", async () => {
    const data = randomBytes(300_000);
    await writeFile(join(files, "small.bin"), data);
    const md5 = createHash("md5").update(data).digest("base64");
    const put = await run(
      "s3api",
      "put-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "dir/small.bin",
      "--body",
      join(files, "small.bin"),
      "--metadata",
      "owner=alice,tier=gold",
      "--content-md5",
      md5,
      "--content-type",
      "application/x-test",
    );
    assert.equal(put.ETag, `"${createHash("md5").update(data).digest("hex")}"`);
    const head = await run("s3api", "head-object", "--bucket", "cli-bucket", "--key", "dir/small.bin");
    assert.deepEqual(head.Metadata, { owner: "alice", tier: "gold" });
    assert.equal(head.ContentType, "application/x-test");
    assert.equal(head.ContentLength, data.length);
    await run(
      "s3api",
      "get-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "dir/small.bin",
      join(files, "small.out"),
    );
    assert.equal(sha(await readFile(join(files, "small.out"))), sha(data));
    const ranged = await run(
      "s3api",
      "get-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "dir/small.bin",
      "--range",
      "bytes=100-199",
      join(files, "range.out"),
    );
    assert.equal(ranged.ContentRange, `bytes 100-199/${data.length}`);
    assert.deepEqual(await readFile(join(files, "range.out")), data.subarray(100, 200));
    await fails(
      "InvalidRange",
      "s3api",
      "get-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "dir/small.bin",
      "--range",
      "bytes=999999-",
      join(files, "x"),
    );
    await fails(
      "PreconditionFailed",
      "s3api",
      "get-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "dir/small.bin",
      "--if-match",
      '"nope"',
      join(files, "x"),
    );
    const r = await aws(h, [
      "s3api",
      "get-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "dir/small.bin",
      "--if-none-match",
      put.ETag,
      join(files, "x"),
    ]);
    assert.match(r.stderr, /304|Not Modified/);
    await fails(
      "BadDigest",
      "s3api",
      "put-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "bad",
      "--body",
      join(files, "small.bin"),
      "--content-md5",
      "1B2M2Y8AsgTpgAmY7PhCfg==",
    );
    await fails(
      "NoSuchKey",
      "s3api",
      "get-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "missing",
      join(files, "x"),
    );
  });

  it("uploads a large file with aws s3 cp (multipart) and reads it back identical", async () => {
    const data = randomBytes(20 * 1024 * 1024 + 123);
    await writeFile(join(files, "big.bin"), data);
    await run("s3", "cp", join(files, "big.bin"), "s3://cli-bucket/big.bin");
    const head = await run("s3api", "head-object", "--bucket", "cli-bucket", "--key", "big.bin");
    assert.match(head.ETag, /-3"$/, "aws cli uploads 8 MiB parts: 3 parts");
    await run("s3", "cp", "s3://cli-bucket/big.bin", join(files, "big.out"));
    assert.equal(sha(await readFile(join(files, "big.out"))), sha(data));
  });

  it("lists with prefix, delimiter and pagination (V2 and V1)", async () => {
    const src = join(files, "tree");
    for (const p of ["a/1", "a/2", "a/b/3", "c/4", "top"]) {
      await mkdir(join(src, p, ".."), { recursive: true });
      await writeFile(join(src, p), p);
    }
    await run("s3", "sync", src, "s3://cli-bucket/tree");
    const v2 = await run(
      "s3api",
      "list-objects-v2",
      "--bucket",
      "cli-bucket",
      "--prefix",
      "tree/",
      "--delimiter",
      "/",
    );
    assert.deepEqual(
      v2.CommonPrefixes.map((p: { Prefix: string }) => p.Prefix),
      ["tree/a/", "tree/c/"],
    );
    assert.deepEqual(
      v2.Contents.map((c: { Key: string }) => c.Key),
      ["tree/top"],
    );
    const page = await run(
      "s3api",
      "list-objects-v2",
      "--bucket",
      "cli-bucket",
      "--prefix",
      "tree/",
      "--max-keys",
      "2",
      "--no-paginate",
    );
    assert.equal(page.IsTruncated, true);
    const next = await run(
      "s3api",
      "list-objects-v2",
      "--bucket",
      "cli-bucket",
      "--prefix",
      "tree/",
      "--continuation-token",
      page.NextContinuationToken,
      "--no-paginate",
    );
    assert.deepEqual(
      [...page.Contents, ...next.Contents].map((c: { Key: string }) => c.Key),
      ["tree/a/1", "tree/a/2", "tree/a/b/3", "tree/c/4", "tree/top"],
    );
    const v1 = await run(
      "s3api",
      "list-objects",
      "--bucket",
      "cli-bucket",
      "--prefix",
      "tree/a/",
      "--marker",
      "tree/a/1",
    );
    assert.deepEqual(
      v1.Contents.map((c: { Key: string }) => c.Key),
      ["tree/a/2", "tree/a/b/3"],
    );
  });

  it("copies objects and deletes many at once", async () => {
    await run(
      "s3api",
      "copy-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "copy.bin",
      "--copy-source",
      "cli-bucket/dir/small.bin",
    );
    const head = await run("s3api", "head-object", "--bucket", "cli-bucket", "--key", "copy.bin");
    assert.deepEqual(head.Metadata, { owner: "alice", tier: "gold" });
    const del = await run(
      "s3api",
      "delete-objects",
      "--bucket",
      "cli-bucket",
      "--delete",
      JSON.stringify({ Objects: [{ Key: "copy.bin" }, { Key: "tree/top" }] }),
    );
    assert.equal(del.Deleted.length, 2);
    await fails("NoSuchKey", "s3api", "head-object", "--bucket", "cli-bucket", "--key", "copy.bin").catch(
      async () => {
        // head-object reports 404 without a code body.
        const r = await aws(h, ["s3api", "head-object", "--bucket", "cli-bucket", "--key", "copy.bin"]);
        assert.match(r.stderr, /404|Not Found/);
      },
    );
  });

  it("keeps versions when versioning is enabled, with delete markers", async () => {
    await run("s3", "mb", "s3://cli-versions");
    await run(
      "s3api",
      "put-bucket-versioning",
      "--bucket",
      "cli-versions",
      "--versioning-configuration",
      "Status=Enabled",
    );
    assert.equal((await run("s3api", "get-bucket-versioning", "--bucket", "cli-versions")).Status, "Enabled");
    await writeFile(join(files, "v1"), "one");
    await writeFile(join(files, "v2"), "two");
    const p1 = await run(
      "s3api",
      "put-object",
      "--bucket",
      "cli-versions",
      "--key",
      "k",
      "--body",
      join(files, "v1"),
    );
    await run("s3api", "put-object", "--bucket", "cli-versions", "--key", "k", "--body", join(files, "v2"));
    await run("s3api", "delete-object", "--bucket", "cli-versions", "--key", "k");
    const vs = await run("s3api", "list-object-versions", "--bucket", "cli-versions");
    assert.equal(vs.Versions.length, 2);
    assert.equal(vs.DeleteMarkers.length, 1);
    assert.equal(vs.DeleteMarkers[0].IsLatest, true);
    await run(
      "s3api",
      "get-object",
      "--bucket",
      "cli-versions",
      "--key",
      "k",
      "--version-id",
      p1.VersionId,
      join(files, "vout"),
    );
    assert.equal(await readFile(join(files, "vout"), "utf8"), "one");
    await run(
      "s3api",
      "put-bucket-versioning",
      "--bucket",
      "cli-versions",
      "--versioning-configuration",
      "Status=Suspended",
    );
    assert.equal(
      (await run("s3api", "get-bucket-versioning", "--bucket", "cli-versions")).Status,
      "Suspended",
    );
  });

  it("stores CORS, lifecycle and a public-read policy; anonymous GET works only with the policy", async () => {
    await run(
      "s3api",
      "put-bucket-cors",
      "--bucket",
      "cli-bucket",
      "--cors-configuration",
      JSON.stringify({
        CORSRules: [
          {
            AllowedOrigins: ["https://app.example"],
            AllowedMethods: ["GET", "PUT"],
            AllowedHeaders: ["*"],
            MaxAgeSeconds: 600,
          },
        ],
      }),
    );
    const cors = await run("s3api", "get-bucket-cors", "--bucket", "cli-bucket");
    assert.deepEqual(cors.CORSRules[0].AllowedMethods, ["GET", "PUT"]);
    const pre = await fetch(`${h.s3}/cli-bucket/dir/small.bin`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "PUT" },
    });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get("access-control-allow-origin"), "https://app.example");
    await run(
      "s3api",
      "put-bucket-lifecycle-configuration",
      "--bucket",
      "cli-bucket",
      "--lifecycle-configuration",
      JSON.stringify({
        Rules: [{ ID: "tmp", Filter: { Prefix: "tmp/" }, Status: "Enabled", Expiration: { Days: 1 } }],
      }),
    );
    const lc = await run("s3api", "get-bucket-lifecycle-configuration", "--bucket", "cli-bucket");
    assert.equal(lc.Rules[0].Expiration.Days, 1);
    const anon1 = await fetch(`${h.s3}/cli-bucket/dir/small.bin`);
    assert.equal(anon1.status, 403);
    assert.match(await anon1.text(), /<Code>AccessDenied<\/Code>/);
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: ["s3:GetObject"],
          Resource: ["arn:aws:s3:::cli-bucket/*"],
        },
      ],
    };
    await run("s3api", "put-bucket-policy", "--bucket", "cli-bucket", "--policy", JSON.stringify(policy));
    const got = await run("s3api", "get-bucket-policy", "--bucket", "cli-bucket");
    assert.deepEqual(JSON.parse(got.Policy), policy);
    const anon2 = await fetch(`${h.s3}/cli-bucket/dir/small.bin`);
    assert.equal(anon2.status, 200);
    assert.equal((await anon2.arrayBuffer()).byteLength, 300_000);
    assert.equal((await fetch(`${h.s3}/cli-bucket?list-type=2`)).status, 403, "policy grants GetObject only");
    await run("s3api", "delete-bucket-policy", "--bucket", "cli-bucket");
    await run("s3api", "delete-bucket-cors", "--bucket", "cli-bucket");
    await fails("NoSuchCORSConfiguration", "s3api", "get-bucket-cors", "--bucket", "cli-bucket");
  });

  it("runs a low-level multipart upload: create, upload-part, upload-part-copy, list, complete, abort", async () => {
    const part1 = randomBytes(5 * 1024 * 1024);
    await writeFile(join(files, "p1"), part1);
    const mp = await run("s3api", "create-multipart-upload", "--bucket", "cli-bucket", "--key", "mp.bin");
    const id = mp.UploadId;
    const e1 = await run(
      "s3api",
      "upload-part",
      "--bucket",
      "cli-bucket",
      "--key",
      "mp.bin",
      "--upload-id",
      id,
      "--part-number",
      "1",
      "--body",
      join(files, "p1"),
    );
    const e2 = await run(
      "s3api",
      "upload-part-copy",
      "--bucket",
      "cli-bucket",
      "--key",
      "mp.bin",
      "--upload-id",
      id,
      "--part-number",
      "2",
      "--copy-source",
      "cli-bucket/dir/small.bin",
      "--copy-source-range",
      "bytes=0-999",
    );
    const parts = await run(
      "s3api",
      "list-parts",
      "--bucket",
      "cli-bucket",
      "--key",
      "mp.bin",
      "--upload-id",
      id,
    );
    assert.deepEqual(
      parts.Parts.map((p: { Size: number }) => p.Size),
      [part1.length, 1000],
    );
    const ups = await run("s3api", "list-multipart-uploads", "--bucket", "cli-bucket");
    assert.ok(ups.Uploads.some((u: { UploadId: string }) => u.UploadId === id));
    await fails(
      "InvalidPart",
      "s3api",
      "complete-multipart-upload",
      "--bucket",
      "cli-bucket",
      "--key",
      "mp.bin",
      "--upload-id",
      id,
      "--multipart-upload",
      JSON.stringify({ Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] }),
    );
    const done = await run(
      "s3api",
      "complete-multipart-upload",
      "--bucket",
      "cli-bucket",
      "--key",
      "mp.bin",
      "--upload-id",
      id,
      "--multipart-upload",
      JSON.stringify({
        Parts: [
          { PartNumber: 1, ETag: e1.ETag },
          { PartNumber: 2, ETag: e2.CopyPartResult.ETag },
        ],
      }),
    );
    const expected = createHash("md5")
      .update(
        Buffer.concat([
          Buffer.from(e1.ETag.replace(/"/g, ""), "hex"),
          Buffer.from(e2.CopyPartResult.ETag.replace(/"/g, ""), "hex"),
        ]),
      )
      .digest("hex");
    assert.equal(done.ETag, `"${expected}-2"`);
    await run("s3api", "get-object", "--bucket", "cli-bucket", "--key", "mp.bin", join(files, "mp.out"));
    const small = await readFile(join(files, "small.bin"));
    assert.equal(
      sha(await readFile(join(files, "mp.out"))),
      sha(Buffer.concat([part1, small.subarray(0, 1000)])),
    );
    const mp2 = await run("s3api", "create-multipart-upload", "--bucket", "cli-bucket", "--key", "aborted");
    await run(
      "s3api",
      "abort-multipart-upload",
      "--bucket",
      "cli-bucket",
      "--key",
      "aborted",
      "--upload-id",
      mp2.UploadId,
    );
    await fails(
      "NoSuchUpload",
      "s3api",
      "list-parts",
      "--bucket",
      "cli-bucket",
      "--key",
      "aborted",
      "--upload-id",
      mp2.UploadId,
    );
  });

  it("presigns a GET that works without credentials and refuses a tampered one", async () => {
    const url = String(
      await run("s3", "presign", "s3://cli-bucket/dir/small.bin", "--expires-in", "300"),
    ).trim();
    const ok = await fetch(url);
    assert.equal(ok.status, 200);
    assert.equal((await ok.arrayBuffer()).byteLength, 300_000);
    const bad = await fetch(url.replace(/X-Amz-Signature=[0-9a-f]{4}/, "X-Amz-Signature=0000"));
    assert.equal(bad.status, 403);
    assert.match(await bad.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it("removes everything recursively and deletes the bucket; a non-empty bucket is BucketNotEmpty", async () => {
    await fails("BucketNotEmpty", "s3api", "delete-bucket", "--bucket", "cli-bucket");
    await run("s3", "rm", "s3://cli-bucket", "--recursive");
    await run("s3", "rb", "s3://cli-bucket");
    await fails("NoSuchBucket", "s3api", "head-bucket", "--bucket", "cli-bucket").catch(async () => {
      const r = await aws(h, ["s3api", "head-bucket", "--bucket", "cli-bucket"]);
      assert.match(r.stderr, /404|Not Found/);
    });
  });
});
