// The aws-chunked decoder: signed chunks as in AWS's published example, the unsigned-trailer
// variant newer SDKs send, and bodies cut at every byte boundary.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AwsChunkedDecoder, type ChunkSigning } from "../../src/lightningstor/aws-chunked.ts";
import type { S3Error } from "../../src/lightningstor/s3-error.ts";
import { chunkSignature, emptySha256, sha256Hex, signingKey } from "../../src/lightningstor/sigv4.ts";

const scope = { date: "20130524", region: "us-east-1", service: "s3" };
const signing: ChunkSigning = {
  key: signingKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", scope),
  amzDate: "20130524T000000Z",
  scope,
  seedSignature: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
};

function signedBody(chunks: Buffer[], tamper = false): Buffer {
  let prev = signing.seedSignature;
  const parts: Buffer[] = [];
  for (const c of [...chunks, Buffer.alloc(0)]) {
    const sig = chunkSignature(
      signing.key,
      signing.amzDate,
      scope,
      prev,
      c.length ? sha256Hex(c) : emptySha256,
    );
    prev = sig;
    parts.push(
      Buffer.from(
        `${c.length.toString(16)};chunk-signature=${tamper && c.length === 0 ? "0".repeat(64) : sig}\r\n`,
      ),
      c,
      Buffer.from("\r\n"),
    );
  }
  return Buffer.concat(parts);
}

function decodeAll(dec: AwsChunkedDecoder, body: Buffer, step: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += step) out.push(...dec.write(body.subarray(i, i + step)));
  dec.end();
  return Buffer.concat(out);
}

describe("aws-chunked decoding", () => {
  const a = Buffer.alloc(65536, "a");
  const b = Buffer.alloc(1024, "a");

  it("decodes AWS's example body (66824 bytes on the wire, 66560 decoded)", () => {
    const body = signedBody([a, b]);
    assert.equal(body.length, 66824);
    assert.deepEqual(decodeAll(new AwsChunkedDecoder(signing), body, 100_000), Buffer.concat([a, b]));
  });

  it("decodes the same body fed in pieces of 1, 7 and 4096 bytes", () => {
    const body = signedBody([Buffer.from("hello "), Buffer.from("world")]);
    for (const step of [1, 7, 4096])
      assert.equal(decodeAll(new AwsChunkedDecoder(signing), body, step).toString(), "hello world");
  });

  it("a bad final chunk signature is SignatureDoesNotMatch", () => {
    assert.throws(
      () => decodeAll(new AwsChunkedDecoder(signing), signedBody([b], true), 1000),
      (e: S3Error) => e.code === "SignatureDoesNotMatch",
    );
  });

  it("the unsigned-trailer variant yields data and the checksum trailer", () => {
    const body = Buffer.from("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");
    const dec = new AwsChunkedDecoder(undefined);
    assert.equal(decodeAll(dec, body, 3).toString(), "hello world");
    assert.equal(dec.trailers["x-amz-checksum-crc32"], "DUoRhQ==");
  });

  it("a truncated body is IncompleteBody", () => {
    const dec = new AwsChunkedDecoder(undefined);
    dec.write(Buffer.from("5\r\nhel"));
    assert.throws(
      () => dec.end(),
      (e: S3Error) => e.code === "IncompleteBody",
    );
  });

  it("garbage sizes and over-long lines are rejected", () => {
    assert.throws(
      () => new AwsChunkedDecoder(undefined).write(Buffer.from("zz\r\n")),
      (e: S3Error) => e.code === "IncompleteBody",
    );
    assert.throws(
      () => new AwsChunkedDecoder(undefined).write(Buffer.alloc(5000, "1")),
      (e: S3Error) => e.code === "IncompleteBody",
    );
  });
});
