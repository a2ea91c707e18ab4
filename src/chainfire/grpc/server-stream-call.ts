// One streaming gRPC call (Watch, LeaseKeepAlive, Snapshot) on an HTTP/2 stream, with the
// surface the services use: "data" per request message, "end" when the client half-closes,
// "cancelled" and "close" when the stream goes away, write() with backpressure ("drain"),
// end() with status OK, destroy(err) with the error's status.
import { EventEmitter } from "node:events";
import type { ServerHttp2Stream } from "node:http2";
import { FrameDecoder } from "./frame-decoder.ts";
import type { GrpcStatus } from "./grpc-status.ts";
import { RESPOND_STREAM, RESPONSE_HEADERS, statusTrailers } from "./grpc-status.ts";

// biome-ignore lint/suspicious/noExplicitAny: proto messages are untyped objects from proto-loader.
type Msg = Record<string, any>;

export interface StreamCodec {
  decode(body: Buffer): Msg;
  /** The message bytes, without the gRPC frame prefix. */
  encode(msg: Msg): Buffer;
  toStatus(err: unknown): GrpcStatus;
}

export class ServerStreamCall extends EventEmitter {
  /** The request of a server-streaming call (Snapshot); empty for bidirectional ones. */
  request: Msg = {};
  cancelled = false;
  private ended = false;
  private status: GrpcStatus = { code: 0, message: "" };
  private readonly decoder: FrameDecoder;

  constructor(
    private readonly stream: ServerHttp2Stream,
    private readonly codec: StreamCodec,
    maxMessageBytes: number,
    encoding: string | undefined,
  ) {
    super();
    this.decoder = new FrameDecoder(maxMessageBytes, encoding);
    stream.respond(RESPONSE_HEADERS, RESPOND_STREAM);
    stream.on("wantTrailers", () => stream.sendTrailers(statusTrailers(this.status)));
    stream.on("data", (chunk: Buffer) => this.onData(chunk));
    stream.on("end", () => {
      if (!this.ended) this.emit("end");
    });
    stream.on("drain", () => this.emit("drain"));
    stream.on("error", () => undefined);
    stream.on("close", () => {
      if (!this.ended) {
        this.cancelled = true;
        this.ended = true;
        this.emit("cancelled");
      }
      this.emit("close");
    });
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    try {
      for (const body of this.decoder.push(chunk)) this.emit("data", this.codec.decode(body));
    } catch (err) {
      this.destroy(err);
    }
  }

  /** Sends one message; false when the stream is buffering (wait for "drain"). */
  write(msg: Msg, flushed?: () => void): boolean {
    if (this.ended || this.stream.destroyed) {
      flushed?.();
      return false;
    }
    const body = this.codec.encode(msg);
    const framed = Buffer.allocUnsafe(5 + body.length);
    framed[0] = 0;
    framed.writeUInt32BE(body.length, 1);
    body.copy(framed, 5);
    return this.stream.write(framed, flushed);
  }

  /** Ends the call with status OK (or the status destroy() set). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stream.destroyed || this.stream.closed) return;
    this.stream.end();
  }

  /** Ends the call with the error's gRPC status. */
  destroy(err: unknown): void {
    if (this.ended) return;
    this.status = this.codec.toStatus(err);
    this.end();
  }
}
