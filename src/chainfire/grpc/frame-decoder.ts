// Splits a gRPC request body into messages: each is a 1-byte compressed flag, a 4-byte
// big-endian length and the protobuf bytes (gRPC over HTTP/2, "Length-Prefixed-Message").
// Messages may span DATA frames and frames may hold several messages. Bounded: a message
// longer than maxMessageBytes is refused before it is buffered.
import { gunzipSync, inflateSync } from "node:zlib";
import { status } from "@grpc/grpc-js";

export class GrpcStatusError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "GrpcStatusError";
  }
}

const PREFIX_BYTES = 5;

export class FrameDecoder {
  private pending: Buffer | undefined;

  constructor(
    private readonly maxMessageBytes: number,
    /** The call's grpc-encoding header: how messages with the compressed flag are encoded. */
    private readonly encoding: string | undefined,
  ) {}

  /** True while part of a message has arrived without the rest. */
  get partial(): boolean {
    return this.pending !== undefined && this.pending.length > 0;
  }

  /** Feeds a DATA chunk; returns the messages it completes (usually exactly one). */
  push(chunk: Buffer): Buffer[] {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    const out: Buffer[] = [];
    let pos = 0;
    while (buf.length - pos >= PREFIX_BYTES) {
      const flag = buf[pos]!;
      const len = buf.readUInt32BE(pos + 1);
      if (len > this.maxMessageBytes) {
        throw new GrpcStatusError(
          status.RESOURCE_EXHAUSTED,
          `grpc: received message larger than max (${len} vs. ${this.maxMessageBytes})`,
        );
      }
      if (buf.length - pos - PREFIX_BYTES < len) break;
      const body = buf.subarray(pos + PREFIX_BYTES, pos + PREFIX_BYTES + len);
      out.push(flag === 0 ? body : this.decompress(flag, body));
      pos += PREFIX_BYTES + len;
    }
    if (pos < buf.length) {
      // Keep only the unfinished tail; copy it so the chunk it came from is not pinned.
      buf = buf.subarray(pos);
      this.pending = out.length > 0 ? Buffer.from(buf) : buf;
    }
    return out;
  }

  private decompress(flag: number, body: Buffer): Buffer {
    if (flag !== 1) throw new GrpcStatusError(status.INTERNAL, `grpc: invalid message flag ${flag}`);
    const options = { maxOutputLength: this.maxMessageBytes };
    try {
      if (this.encoding === "gzip") return gunzipSync(body, options);
      if (this.encoding === "deflate") return inflateSync(body, options);
    } catch (err) {
      throw new GrpcStatusError(
        /maxOutputLength|buffer/i.test(String(err)) ? status.RESOURCE_EXHAUSTED : status.INTERNAL,
        `grpc: failed to decompress the received message: ${(err as Error).message}`,
      );
    }
    if (!this.encoding || this.encoding === "identity") {
      throw new GrpcStatusError(status.INTERNAL, "grpc: compressed flag set with identity or empty encoding");
    }
    throw new GrpcStatusError(
      status.UNIMPLEMENTED,
      `grpc: Decompressor is not installed for grpc-encoding "${this.encoding}"`,
    );
  }
}
