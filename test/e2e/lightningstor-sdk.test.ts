// The AWS SDK for JavaScript v3 against lightningstor: a streamed multipart upload, presigned
// GET and PUT, checksums, and S3's exact error codes for bad signatures, clock skew,
// malformed XML, invalid bucket names and oversized headers.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { parseQuery, type SignableRequest, sha256Hex, signRequest } from "../../src/lightningstor/sigv4.ts";
import { type Harness, startLightningstor } from "../lightningstor/s3-harness.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("AWS SDK v3 against lightningstor", () => {
  let h: Harness;
  let s3: S3Client;
  const client = (overrides: Partial<ConstructorParameters<typeof S3Client>[0]> = {}) =>
    new S3Client({
      endpoint: h.s3,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: h.accessKeyId, secretAccessKey: h.secret },
      ...overrides,
    });
  const codeOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (e instanceof S3ServiceException) return e.name;
      throw e;
    }
    return "no error";
  };

  before(async () => {
    h = await startLightningstor();
    s3 = client();
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-bucket" }));
  });
  after(async () => {
    s3?.destroy();
    await h?.close();
  });

  it("puts with a CRC32 checksum (aws-chunked with trailer) and gets byte-identical", async () => {
    const body = randomBytes(1_000_000);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: "sdk-bucket",
        Key: "obj",
        Body: body,
        ChecksumAlgorithm: "CRC32",
        Metadata: { color: "blue" },
      }),
    );
    assert.equal(put.ETag, `"${createHash("md5").update(body).digest("hex")}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: "sdk-bucket", Key: "obj" }));
    assert.equal(
      sha(
        Buffer.from(
          await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
        ),
      ),
      sha(body),
    );
    assert.equal(got.Metadata?.color, "blue");
  });

  it("uploads 64 MiB in 9 parts, 4 at a time, and reads it back streamed and identical", async () => {
    const partSize = 8 * 1024 * 1024;
    const total = 64 * 1024 * 1024 + 777;
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: "sdk-bucket", Key: "big" }),
    );
    const whole = createHash("sha256");
    const count = Math.ceil(total / partSize);
    const etags: string[] = [];
    const partBody = (n: number) => Buffer.alloc(Math.min(partSize, total - (n - 1) * partSize), n * 7);
    for (let n = 1; n <= count; n++) whole.update(partBody(n));
    for (let first = 1; first <= count; first += 4) {
      const batch = Array.from({ length: Math.min(4, count - first + 1) }, (_, i) => first + i);
      await Promise.all(
        batch.map(async (n) => {
          const r = await s3.send(
            new UploadPartCommand({
              Bucket: "sdk-bucket",
              Key: "big",
              UploadId,
              PartNumber: n,
              Body: partBody(n),
            }),
          );
          etags[n - 1] = r.ETag as string;
        }),
      );
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "sdk-bucket",
        Key: "big",
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    assert.match(String(done.ETag), /-9"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: "sdk-bucket", Key: "big" }));
    const back = createHash("sha256");
    let n = 0;
    for await (const c of got.Body as AsyncIterable<Uint8Array>) {
      back.update(c);
      n += c.length;
    }
    assert.equal(n, total);
    assert.equal(back.digest("hex"), whole.digest("hex"));
    const head = await s3.send(new HeadObjectCommand({ Bucket: "sdk-bucket", Key: "big", PartNumber: 2 }));
    assert.equal(head.ContentLength, partSize);
  });

  it("presigned PUT and GET work without credentials", async () => {
    const body = Buffer.from("presigned payload");
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: "sdk-bucket", Key: "pre" }), {
      expiresIn: 60,
    });
    const put = await fetch(putUrl, { method: "PUT", body });
    assert.equal(put.status, 200, await put.text());
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "sdk-bucket", Key: "pre" }), {
      expiresIn: 60,
    });
    const got = await fetch(getUrl);
    assert.equal(Buffer.from(await got.arrayBuffer()).toString(), "presigned payload");
  });

  it("lists, paginates and deletes many", async () => {
    for (let i = 0; i < 5; i++)
      await s3.send(new PutObjectCommand({ Bucket: "sdk-bucket", Key: `list/${i}`, Body: `v${i}` }));
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const r = await s3.send(
        new ListObjectsV2Command({
          Bucket: "sdk-bucket",
          Prefix: "list/",
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      keys.push(...(r.Contents ?? []).map((c) => c.Key as string));
      token = r.NextContinuationToken;
    } while (token);
    assert.deepEqual(keys, ["list/0", "list/1", "list/2", "list/3", "list/4"]);
    const del = await s3.send(
      new DeleteObjectsCommand({ Bucket: "sdk-bucket", Delete: { Objects: keys.map((Key) => ({ Key })) } }),
    );
    assert.equal(del.Deleted?.length, 5);
  });

  it("a wrong secret is SignatureDoesNotMatch and an unknown key is InvalidAccessKeyId", async () => {
    const wrong = client({ credentials: { accessKeyId: h.accessKeyId, secretAccessKey: "x".repeat(40) } });
    assert.equal(
      await codeOf(wrong.send(new GetObjectCommand({ Bucket: "sdk-bucket", Key: "obj" }))),
      "SignatureDoesNotMatch",
    );
    const unknown = client({
      credentials: { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "x".repeat(40) },
    });
    assert.equal(
      await codeOf(unknown.send(new ListObjectsV2Command({ Bucket: "sdk-bucket" }))),
      "InvalidAccessKeyId",
    );
  });

  it("a clock 20 minutes off is RequestTimeTooSkewed", async () => {
    const skewed = client({ systemClockOffset: -20 * 60_000, maxAttempts: 1 });
    assert.equal(
      await codeOf(skewed.send(new ListObjectsV2Command({ Bucket: "sdk-bucket" }))),
      "RequestTimeTooSkewed",
    );
  });

  it("an invalid bucket name is InvalidBucketName", async () => {
    assert.equal(await codeOf(s3.send(new CreateBucketCommand({ Bucket: "ab" }))), "InvalidBucketName");
    assert.equal(
      await codeOf(s3.send(new CreateBucketCommand({ Bucket: "192.168.1.1" }))),
      "InvalidBucketName",
    );
  });

  it("malformed XML is MalformedXML (a correctly signed request with a broken body)", async () => {
    const body = "<Delete><Object><Key>x</Key></Delete>";
    const url = new URL(`${h.s3}/sdk-bucket?delete`);
    const req: SignableRequest = {
      method: "POST",
      rawPath: "/sdk-bucket",
      query: parseQuery("delete"),
      headers: { host: url.host },
    };
    signRequest(
      req,
      { accessKeyId: h.accessKeyId, secret: h.secret },
      { region: "us-east-1", nowMs: Date.now(), payloadHash: sha256Hex(body) },
    );
    const res = await fetch(url, { method: "POST", headers: req.headers as Record<string, string>, body });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /<Code>MalformedXML<\/Code>/);
  });

  it("an oversized header section is RequestHeaderSectionTooLarge", async () => {
    const url = new URL(`${h.s3}/sdk-bucket/obj`);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          headers: { "x-amz-meta-big": "x".repeat(20_000) },
        },
        (r) => {
          let body = "";
          r.on("data", (c) => {
            body += c;
          });
          r.on("end", () => resolve({ status: r.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>RequestHeaderSectionTooLarge<\/Code>/);
  });

  it("user metadata over 2 KiB is MetadataTooLarge", async () => {
    assert.equal(
      await codeOf(
        s3.send(
          new PutObjectCommand({
            Bucket: "sdk-bucket",
            Key: "meta",
            Body: "x",
            Metadata: { a: "y".repeat(2100) },
          }),
        ),
      ),
      "MetadataTooLarge",
    );
  });
});
