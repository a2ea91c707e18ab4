// The body of an S3 request as the handlers see it: decoded from aws-chunked when the client
// streamed it that way, and checked against x-amz-content-sha256 when that is a digest.
// It is consumed as a stream; the checks throw when the body ends.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { AwsChunkedDecoder, type ChunkSigning } from "./aws-chunked.ts";
import { S3Error } from "./s3-error.ts";
import {
  streamingSigned,
  streamingSignedTrailer,
  streamingUnsignedTrailer,
  unsignedPayload,
} from "./sigv4.ts";

export class RequestBody {
  /** Trailing headers of an aws-chunked body (x-amz-checksum-*), once it has ended. */
  trailers: Record<string, string> = {};
  private consumed = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly payloadHash: string | undefined,
    private readonly signing: ChunkSigning | undefined,
  ) {}

  /** Length of the decoded payload when the client declared it. */
  declaredLength(): number | undefined {
    const h = this.req.headers;
    const raw = this.isChunked() ? h["x-amz-decoded-content-length"] : h["content-length"];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  }

  isChunked(): boolean {
    return this.payloadHash?.startsWith("STREAMING-") === true;
  }

  async *stream(): AsyncGenerator<Buffer> {
    if (this.consumed) throw new Error("request body read twice");
    this.consumed = true;
    const ph = this.payloadHash;
    if (ph === streamingSigned || ph === streamingSignedTrailer || ph === streamingUnsignedTrailer) {
      if (ph !== streamingUnsignedTrailer && !this.signing)
        throw new S3Error("AccessDenied", "a signed streaming payload needs a signed request");
      const decoder = new AwsChunkedDecoder(ph === streamingUnsignedTrailer ? undefined : this.signing);
      for await (const piece of this.req) {
        for (const out of decoder.write(piece as Buffer)) yield out;
      }
      decoder.end();
      this.trailers = decoder.trailers;
      return;
    }
    const verifyHash = ph !== undefined && ph !== unsignedPayload && /^[0-9a-f]{64}$/.test(ph);
    if (ph !== undefined && ph !== unsignedPayload && !verifyHash) {
      throw new S3Error(
        "InvalidArgument",
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-… or a SHA256 hex digest",
        { ArgumentName: "x-amz-content-sha256" },
      );
    }
    const hash = verifyHash ? createHash("sha256") : undefined;
    let received = 0;
    for await (const piece of this.req) {
      const b = piece as Buffer;
      hash?.update(b);
      received += b.length;
      yield b;
    }
    const declared = this.declaredLength();
    if (declared !== undefined && received !== declared) {
      throw new S3Error(
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
      );
    }
    if (hash && hash.digest("hex") !== ph) {
      throw new S3Error(
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
  }

  /** Reads a small body (XML, JSON) whole; EntityTooLarge past `limit`. */
  async text(limit: number): Promise<string> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const b of this.stream()) {
      n += b.length;
      if (n > limit) throw new S3Error("EntityTooLarge", `this request's body may be at most ${limit} bytes`);
      parts.push(b);
    }
    return Buffer.concat(parts).toString("utf8");
  }

  /** Drains an unread body so the connection can be reused. */
  discard(): void {
    if (!this.consumed) {
      this.consumed = true;
      // A request without a body (most GETs) is complete already: nothing to drain.
      if (!this.req.complete) this.req.resume();
    }
  }
}
