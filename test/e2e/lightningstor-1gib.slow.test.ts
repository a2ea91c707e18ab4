// A 1 GiB object through the AWS SDK v3: a multipart upload of 64 parts of 16 MiB, four at a
// time, and a streamed download whose sha256 must match. Neither side holds the object.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { type Harness, startLightningstor } from "../lightningstor/s3-harness.ts";

const partSize = 16 * 1024 * 1024;
const parts = 64;
const inFlight = 4;

/** Deterministic, incompressible-enough content for part n. */
function partBody(n: number): Buffer {
  const b = Buffer.allocUnsafe(partSize);
  let x = (n * 2654435761) >>> 0 || 1;
  for (let i = 0; i < partSize; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeUInt32LE(x >>> 0, i);
  }
  return b;
}

describe("a 1 GiB object", () => {
  let h: Harness;
  let s3: S3Client;
  before(async () => {
    h = await startLightningstor();
    s3 = new S3Client({
      endpoint: h.s3,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: h.accessKeyId, secretAccessKey: h.secret },
    });
    await s3.send(new CreateBucketCommand({ Bucket: "huge" }));
  });
  after(async () => {
    s3?.destroy();
    await h?.close();
  });

  it("uploads in 64 parts and downloads byte-identical (sha256)", { timeout: 1_800_000 }, async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "huge", Key: "one-gib" }));
    const etags: string[] = [];
    const whole = createHash("sha256");
    for (let first = 1; first <= parts; first += inFlight) {
      const batch = Array.from({ length: Math.min(inFlight, parts - first + 1) }, (_, i) => first + i);
      const bodies = batch.map(partBody);
      for (const b of bodies) whole.update(b);
      await Promise.all(
        batch.map(async (n, i) => {
          const r = await s3.send(
            new UploadPartCommand({
              Bucket: "huge",
              Key: "one-gib",
              UploadId,
              PartNumber: n,
              Body: bodies[i],
            }),
          );
          etags[n - 1] = r.ETag as string;
        }),
      );
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "huge",
        Key: "one-gib",
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    assert.match(String(done.ETag), /-64"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: "huge", Key: "one-gib" }));
    assert.equal(got.ContentLength, partSize * parts);
    const back = createHash("sha256");
    let n = 0;
    for await (const c of got.Body as AsyncIterable<Uint8Array>) {
      back.update(c);
      n += c.length;
    }
    assert.equal(n, partSize * parts);
    assert.equal(back.digest("hex"), whole.digest("hex"));
  });
});
