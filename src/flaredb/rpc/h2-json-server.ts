// A small JSON-over-HTTP/2 (cleartext h2c) server for flaredb's hot path: one long-lived
// session per client multiplexes every request, with none of a router's per-request work.
// Every call is `POST /<method>` with a JSON body (GET for bodiless calls); answers are JSON,
// errors the one ErrorBody with the status of its code.
import http2 from "node:http2";
import type { Logger } from "pino";
import { ApiError } from "../../core/errors.ts";

/** Largest request body accepted. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Concurrent streams per client session. */
export const MAX_CONCURRENT_STREAMS = 1_000;

export type RpcHandler = (body: unknown, query: URLSearchParams) => unknown;

export interface H2JsonServerOptions {
  host: string;
  port: number;
  log: Logger;
  handlers: Record<string, RpcHandler>;
}

export class H2JsonServer {
  private readonly sessions = new Set<http2.ServerHttp2Session>();

  private constructor(
    private readonly server: http2.Http2Server,
    readonly port: number,
  ) {}

  static start(o: H2JsonServerOptions): Promise<H2JsonServer> {
    const server = http2.createServer({ settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS } });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port, o.host, () => {
        const port = (server.address() as { port: number }).port;
        const s = new H2JsonServer(server, port);
        server.on("session", (sess) => {
          s.sessions.add(sess);
          sess.once("close", () => s.sessions.delete(sess));
          sess.on("error", () => undefined);
        });
        server.on("stream", (stream, headers) => s.serve(o, stream, headers));
        resolve(s);
      });
    });
  }

  private serve(
    o: H2JsonServerOptions,
    stream: http2.ServerHttp2Stream,
    headers: http2.IncomingHttpHeaders,
  ): void {
    stream.on("error", () => undefined);
    // Split the path by hand: a URL object per request was a visible share of a read's CPU.
    const path = String(headers[":path"] ?? "/");
    const q = path.indexOf("?");
    const pathname = q < 0 ? path : path.slice(0, q);
    const query = new URLSearchParams(q < 0 ? "" : path.slice(q + 1));
    const handler = Object.hasOwn(o.handlers, pathname) ? o.handlers[pathname] : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    stream.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    stream.on("end", () => {
      if (tooLarge) {
        this.fail(stream, new ApiError("PayloadTooLarge", `request body over ${MAX_REQUEST_BYTES} bytes`));
        return;
      }
      if (!handler) {
        this.fail(stream, new ApiError("NotFound", `no method ${pathname}`));
        return;
      }
      let body: unknown;
      try {
        body = size ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
      } catch {
        this.fail(stream, new ApiError("InvalidArgument", "request body is not valid JSON"));
        return;
      }
      Promise.resolve()
        .then(() => handler(body, query))
        .then(
          (out) => this.reply(stream, 200, out ?? {}),
          (err) => this.fail(stream, err, o.log),
        );
    });
  }

  private reply(stream: http2.ServerHttp2Stream, status: number, body: unknown): void {
    if (stream.closed || stream.destroyed) return;
    const data = Buffer.from(JSON.stringify(body));
    try {
      stream.respond({
        ":status": status,
        "content-type": "application/json",
        "content-length": data.length,
      });
      stream.end(data);
    } catch {
      // The client went away.
    }
  }

  private fail(stream: http2.ServerHttp2Stream, err: unknown, log?: Logger): void {
    if (err instanceof ApiError) {
      this.reply(stream, err.status, err.toBody());
      return;
    }
    log?.error({ err }, "flaredb rpc: handler failed");
    const e = new ApiError("Internal", `internal error: ${(err as Error)?.message ?? String(err)}`);
    this.reply(stream, e.status, e.toBody());
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
