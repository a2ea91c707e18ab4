// The load generator's client for puts and gets: etcd v3 KV calls as bare gRPC over one
// node:http2 connection, with the request messages encoded by hand. grpc-js spends about as much
// CPU per call as a server does, and on a small machine a load generator that heavy takes CPU
// from the servers it measures (chainfire and etcd alike); this one stays out of the way.
import { type ClientHttp2Session, connect, type IncomingHttpHeaders } from "node:http2";
import { lenFieldSize, ProtoWriter } from "./grpc/proto-writer.ts";

/** Per-connection and per-stream HTTP/2 window, so replies never wait for a WINDOW_UPDATE. */
const WINDOW_BYTES = 4 * 1024 * 1024;

export class BenchCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "BenchCallError";
  }
}

export class BenchKvClient {
  private readonly session: ClientHttp2Session;

  constructor(endpoint: string) {
    const url = endpoint.startsWith("http") ? endpoint : `http://${endpoint}`;
    this.session = connect(url, { settings: { initialWindowSize: WINDOW_BYTES } });
    this.session.on("error", () => undefined);
    this.session.on("connect", (s: ClientHttp2Session, socket: import("node:net").Socket) => {
      socket.setNoDelay(true);
      s.setLocalWindowSize(WINDOW_BYTES);
    });
  }

  put(key: Buffer, value: Buffer): Promise<Buffer> {
    const w = frame(lenFieldSize(key.length) + lenFieldSize(value.length));
    w.bytes(0x0a, key);
    w.bytes(0x12, value);
    return this.call("/etcdserverpb.KV/Put", w.buf);
  }

  get(key: Buffer, serializable: boolean): Promise<Buffer> {
    const w = frame(lenFieldSize(key.length) + (serializable ? 2 : 0));
    w.bytes(0x0a, key);
    w.bool(0x38, serializable);
    return this.call("/etcdserverpb.KV/Range", w.buf);
  }

  /** One unary call; resolves with the response message bytes, rejects with its gRPC status. */
  private call(path: string, framed: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const req = this.session.request({
        ":method": "POST",
        ":path": path,
        "content-type": "application/grpc",
        te: "trailers",
      });
      const chunks: Buffer[] = [];
      let status: string | undefined;
      let message = "";
      const onStatus = (h: IncomingHttpHeaders) => {
        if (h["grpc-status"] !== undefined) {
          status = String(h["grpc-status"]);
          message = String(h["grpc-message"] ?? "");
        }
      };
      req.on("response", onStatus);
      req.on("trailers", onStatus);
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("error", (err) => reject(err));
      req.on("close", () => {
        if (status === "0") {
          const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          resolve(body.subarray(5));
        } else
          reject(new BenchCallError(Number(status ?? 2), decodeURIComponent(message) || "no grpc-status"));
      });
      req.end(framed);
    });
  }

  close(): void {
    this.session.close();
  }
}

function frame(size: number): ProtoWriter {
  const buf = Buffer.allocUnsafe(5 + size);
  buf[0] = 0;
  buf.writeUInt32BE(size, 1);
  return new ProtoWriter(buf, 5);
}
