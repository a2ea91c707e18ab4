// The gRPC server on the client port, written on node:http2 (gRPC is HTTP/2 POSTs to
// /<package.Service>/<Method> with length-prefixed protobuf messages and the status in the
// trailers). It replaces grpc-js on the server side: the KV methods decode and encode with
// hand-written codecs (kv-codec.ts) and skip every per-call object grpc-js would build; the rest
// use proto-loader's reflective codecs. Limits follow etcd: a request up to MAX_REQUEST_BYTES is
// ours to judge ("request is too large"); beyond the framing allowance the frame is refused.
import {
  createServer,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";
import type { Socket } from "node:net";
import { status } from "@grpc/grpc-js";
import type { MethodDefinition } from "@grpc/proto-loader";
import { isEtcdError } from "../etcd-errors.ts";
import { GRPC_OVERHEAD_BYTES, MAX_CONCURRENT_STREAMS, MAX_REQUEST_BYTES } from "../limits.ts";
import { clusterService } from "./cluster-service.ts";
import type { Msg } from "./codec.ts";
import type { ServiceContext } from "./context.ts";
import { FrameDecoder, GrpcStatusError } from "./frame-decoder.ts";
import {
  type GrpcStatus,
  OK_TRAILERS,
  parseGrpcTimeoutMs,
  RESPOND_UNARY,
  RESPONSE_HEADERS,
  respondTrailersOnly,
} from "./grpc-status.ts";
import { kvService } from "./kv-service.ts";
import { leaseService } from "./lease-service.ts";
import { maintenanceService } from "./maintenance-service.ts";
import type { ServiceImpl } from "./method.ts";
import { etcdPackageDefinition } from "./proto-definition.ts";
import { ServerStreamCall } from "./server-stream-call.ts";
import { watchService } from "./watch-service.ts";

interface Route {
  kind: "raw" | "stream";
  /** raw: message bytes → frame. */
  handle?: (body: Buffer) => Promise<Buffer> | Buffer;
  stream?: (call: ServerStreamCall) => void;
  /** Streams: whether the client sends a stream (Watch, LeaseKeepAlive) or one request (Snapshot). */
  clientStream: boolean;
  decode: (body: Buffer) => Msg;
  encode: (msg: Msg) => Buffer;
}

/** Largest request frame: the request limit plus etcd's framing allowance. */
const MAX_MESSAGE_BYTES = MAX_REQUEST_BYTES + GRPC_OVERHEAD_BYTES;
/** Per-connection HTTP/2 flow-control window: 64 calls of a few KiB never wait for a WINDOW_UPDATE. */
const INITIAL_WINDOW_BYTES = 4 * 1024 * 1024;
/** Buffered bytes per connection (node:http2 maxSessionMemory, MiB) before it refuses new streams. */
const MAX_SESSION_MEMORY_MIB = 64;
/** Longest deadline honoured; longer ones (and none) leave the call to the client. */
const MAX_DEADLINE_MS = 2 ** 31 - 1;

export function frameMessage(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = 0;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
}

export function toGrpcStatus(ctx: ServiceContext, err: unknown): GrpcStatus {
  if (isEtcdError(err)) return { code: err.code, message: err.message };
  if (err instanceof GrpcStatusError) return { code: err.code, message: err.message };
  ctx.log.error({ err }, "chainfire: request failed");
  return { code: status.INTERNAL, message: "etcdserver: internal error" };
}

/** proto-loader throws plain errors on bad protobuf: they become INVALID_ARGUMENT. */
function reflectiveDecoder(def: MethodDefinition<object, object>): (body: Buffer) => Msg {
  return (body) => {
    try {
      return def.requestDeserialize(body) as Msg;
    } catch (err) {
      throw new GrpcStatusError(
        status.INVALID_ARGUMENT,
        `etcdserver: malformed request: ${(err as Error).message}`,
      );
    }
  };
}

function routes(services: Record<string, ServiceImpl>): Map<string, Route> {
  const pkg = etcdPackageDefinition();
  const out = new Map<string, Route>();
  for (const [service, impl] of Object.entries(services)) {
    const defs = pkg[`etcdserverpb.${service}`] as unknown as Record<
      string,
      MethodDefinition<object, object>
    >;
    for (const [name, def] of Object.entries(defs)) {
      const m = impl[name];
      if (!m) continue;
      const decode = reflectiveDecoder(def);
      const encode = (msg: Msg) => def.responseSerialize(msg);
      if (m.kind === "raw")
        out.set(def.path, { kind: "raw", handle: m.handle, clientStream: false, decode, encode });
      else if (m.kind === "unary") {
        const handle = async (body: Buffer) => frameMessage(encode(await m.handle(decode(body))));
        out.set(def.path, { kind: "raw", handle, clientStream: false, decode, encode });
      } else {
        out.set(def.path, {
          kind: "stream",
          stream: m.handle,
          clientStream: def.requestStream,
          decode,
          encode,
        });
      }
    }
  }
  return out;
}

function sendOkTrailers(this: ServerHttp2Stream): void {
  this.sendTrailers(OK_TRAILERS);
}

function ignore(): void {}

/** One unary call: the first complete request message runs the handler; one reply or status. */
class UnaryCall {
  private done = false;
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly decoder: FrameDecoder;

  constructor(
    private readonly server: GrpcServer,
    private readonly stream: ServerHttp2Stream,
    private readonly route: Route,
    headers: IncomingHttpHeaders,
  ) {
    this.decoder = new FrameDecoder(MAX_MESSAGE_BYTES, headers["grpc-encoding"] as string | undefined);
    const timeoutMs = parseGrpcTimeoutMs(headers["grpc-timeout"]);
    if (timeoutMs !== undefined && timeoutMs < MAX_DEADLINE_MS) {
      this.timer = setTimeout(
        () => this.fail(new GrpcStatusError(status.DEADLINE_EXCEEDED, "context deadline exceeded")),
        timeoutMs,
      );
    }
    stream.on("data", (chunk: Buffer) => this.onData(chunk));
    stream.on("end", () => this.onEnd());
    stream.on("error", ignore);
    // Only a deadline needs to hear of a stream the client reset; reply() checks the stream itself.
    if (this.timer) stream.on("close", () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    if (this.done) return;
    let messages: Buffer[];
    try {
      messages = this.decoder.push(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    // A unary request is one message; the handler runs as soon as it is complete.
    if (messages.length > 0 && !this.started) this.run(messages[0]!);
  }

  private run(body: Buffer): void {
    this.started = true;
    let out: Promise<Buffer> | Buffer;
    try {
      out = this.route.handle!(body);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (out instanceof Promise) {
      out.then(
        (frame) => this.reply(frame),
        (err) => this.fail(err),
      );
    } else this.reply(out);
  }

  private onEnd(): void {
    if (this.started || this.done) return;
    this.fail(
      new GrpcStatusError(
        status.INTERNAL,
        this.decoder.partial
          ? "grpc: the request ended inside a message"
          : "grpc: the client sent no request message",
      ),
    );
  }

  private onClose(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private reply(frame: Buffer): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    const stream = this.stream;
    if (stream.destroyed || stream.closed) return;
    stream.respond(RESPONSE_HEADERS, RESPOND_UNARY);
    stream.on("wantTrailers", sendOkTrailers);
    stream.end(frame);
  }

  private fail(err: unknown): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    respondTrailersOnly(this.stream, this.server.toStatus(err));
  }
}

export class GrpcServer {
  private readonly sessions = new Set<Http2Session>();

  private constructor(
    private readonly http2: Http2Server,
    private readonly routes: Map<string, Route>,
    readonly toStatus: (err: unknown) => GrpcStatus,
    readonly port: number,
  ) {}

  static async listen(
    host: string,
    port: number,
    services: Record<string, ServiceImpl>,
    toStatus: (err: unknown) => GrpcStatus,
  ): Promise<GrpcServer> {
    const http2 = createServer({
      maxSessionMemory: MAX_SESSION_MEMORY_MIB,
      settings: {
        maxConcurrentStreams: MAX_CONCURRENT_STREAMS,
        initialWindowSize: INITIAL_WINDOW_BYTES,
        maxHeaderListSize: 64 * 1024,
      },
    });
    // Small unary replies must not wait for delayed ACKs (etcd's Go server sets it too).
    http2.on("connection", (socket: Socket) => socket.setNoDelay(true));
    http2.on("sessionError", ignore);
    const bound = await new Promise<number>((resolve, reject) => {
      http2.once("error", reject);
      http2.listen(port, host, () => {
        http2.off("error", reject);
        resolve((http2.address() as { port: number }).port);
      });
    });
    const server = new GrpcServer(http2, routes(services), toStatus, bound);
    http2.on("error", ignore);
    http2.on("session", (s: Http2Session) => {
      server.sessions.add(s);
      s.on("error", ignore);
      s.on("close", () => server.sessions.delete(s));
      // A bigger connection window than HTTP/2's 64 KiB default, as grpc-go's BDP estimate grows it.
      s.setLocalWindowSize(INITIAL_WINDOW_BYTES);
    });
    http2.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) =>
      server.onStream(stream, headers),
    );
    return server;
  }

  private onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    if (headers[":method"] !== "POST") {
      stream.on("error", ignore);
      respondTrailersOnly(stream, { code: status.UNIMPLEMENTED, message: "gRPC requires POST" }, 405);
      return;
    }
    const contentType = headers["content-type"];
    if (typeof contentType !== "string" || !contentType.startsWith("application/grpc")) {
      stream.on("error", ignore);
      respondTrailersOnly(
        stream,
        { code: status.INTERNAL, message: `invalid gRPC request content-type "${contentType ?? ""}"` },
        415,
      );
      return;
    }
    const path = headers[":path"] ?? "";
    const route = this.routes.get(path);
    if (!route) {
      stream.on("error", ignore);
      const [, service = "", method = ""] = /^\/([^/]*)\/(.*)$/.exec(path) ?? [];
      const known = [...this.routes.keys()].some((p) => p.startsWith(`/${service}/`));
      respondTrailersOnly(stream, {
        code: status.UNIMPLEMENTED,
        message: known ? `unknown method ${method} for service ${service}` : `unknown service ${service}`,
      });
      return;
    }
    if (route.kind === "raw") {
      new UnaryCall(this, stream, route, headers);
      return;
    }
    const call = new ServerStreamCall(
      stream,
      { decode: route.decode, encode: route.encode, toStatus: this.toStatus },
      MAX_MESSAGE_BYTES,
      headers["grpc-encoding"] as string | undefined,
    );
    if (route.clientStream) {
      // A handler that throws ends its call with the error's status; it never reaches the emitter.
      try {
        route.stream!(call);
      } catch (err) {
        call.destroy(err);
      }
      return;
    }
    // Server streaming: the handler starts with the one request message.
    const onFirst = (msg: Msg) => {
      call.off("data", onFirst);
      call.request = msg;
      route.stream!(call);
    };
    call.on("data", onFirst);
  }

  /** Stops accepting; open calls get graceMs to finish before their connections are destroyed. */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.http2.close(() => resolve()));
    for (const s of this.sessions) s.close();
    const force = setTimeout(() => {
      for (const s of this.sessions) s.destroy();
    }, graceMs);
    await closed;
    clearTimeout(force);
  }
}

export async function startGrpcServer(
  ctx: ServiceContext,
  host: string,
  port: number,
): Promise<{ server: GrpcServer; port: number }> {
  const server = await GrpcServer.listen(
    host,
    port,
    {
      KV: kvService(ctx),
      Watch: watchService(ctx),
      Lease: leaseService(ctx),
      Cluster: clusterService(ctx),
      Maintenance: maintenanceService(ctx, (file) => ctx.store.snapshotTo(file)),
    },
    (err) => toGrpcStatus(ctx, err),
  );
  return { server, port: server.port };
}

export function stopGrpcServer(server: GrpcServer, graceMs: number): Promise<void> {
  return server.close(graceMs);
}
