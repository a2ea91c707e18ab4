// POST /api/v1/write served on the Node HTTP server ahead of the framework. A remote_write sender
// posts many requests a second, and the framework's per-request work (routing, hooks, a child
// logger, a request id, a latency histogram) cost more CPU than storing the samples of a
// 1,000-sample request (measured under load: a bare `/healthz` through it 0.8 ms CPU, a plain
// Node handler 0.34 ms). The handler is the framework route's own (auth, tenancy, limits,
// Prometheus's answers), so behaviour is unchanged; other methods, paths and content types still
// go to the framework, which also keeps the route for them.
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { RemoteWriteAnswer } from "./prom-api.ts";

export const remoteWritePath = "/api/v1/write";

export interface RemoteWriteEndpointOptions {
  /** Largest (compressed) body accepted; larger ones get 413. */
  bodyLimitBytes: number;
  handle(headers: IncomingHttpHeaders, body: Buffer): Promise<RemoteWriteAnswer>;
  /** Called with each answer's status (for the request counter). */
  answered(status: number): void;
  log: Logger;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const protobufTypes = new Set(["application/x-protobuf", "application/octet-stream"]);

function isRemoteWrite(req: IncomingMessage): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "";
  if (url !== remoteWritePath && !url.startsWith(`${remoteWritePath}?`)) return false;
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  return protobufTypes.has(type);
}

/**
 * Puts the remote_write handler in front of the server's one `request` listener (the framework's).
 * `close()` makes it answer 503 (retried by senders) while the server drains.
 */
export function serveRemoteWriteAhead(server: Server, o: RemoteWriteEndpointOptions): { close(): void } {
  const listeners = server.listeners("request") as Listener[];
  // Anything unexpected: leave the framework's route in charge.
  if (listeners.length !== 1) return { close() {} };
  const framework = listeners[0]!;
  server.removeListener("request", framework);
  let closing = false;
  const send = (res: ServerResponse, a: RemoteWriteAnswer, extra: Record<string, string> = {}) => {
    o.answered(a.status);
    if (res.destroyed) return;
    if (a.text === undefined) {
      res.writeHead(a.status, extra);
      res.end();
    } else {
      res.writeHead(a.status, {
        "content-type": "text/plain; charset=utf-8",
        "content-length": Buffer.byteLength(a.text),
        ...extra,
      });
      res.end(a.text);
    }
  };
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (!isRemoteWrite(req)) {
      framework.call(server, req, res);
      return;
    }
    if (closing) {
      req.resume();
      send(res, { status: 503, text: "shutting down; retry\n" }, { connection: "close" });
      return;
    }
    const declared = Number(req.headers["content-length"] ?? Number.NaN);
    if (declared > o.bodyLimitBytes) {
      req.resume();
      send(
        res,
        {
          status: 413,
          text: `request body of ${declared} bytes is over the ${o.bodyLimitBytes} byte limit\n`,
        },
        { connection: "close" },
      );
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > o.bodyLimitBytes) {
        over = true;
        chunks.length = 0;
        send(
          res,
          { status: 413, text: `request body is over the ${o.bodyLimitBytes} byte limit\n` },
          { connection: "close" },
        );
        return;
      }
      chunks.push(c);
    });
    req.on("error", () => {
      // The client went away mid-body: nothing to answer.
      over = true;
    });
    req.on("end", () => {
      if (over) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      o.handle(req.headers, body).then(
        (a) => send(res, a),
        (err: Error) => {
          o.log.error({ err: err.message }, "remote_write failure");
          send(res, { status: 500, text: `${err.message}\n` });
        },
      );
    });
  });
  return {
    close() {
      closing = true;
    },
  };
}
