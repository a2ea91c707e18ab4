// gRPC statuses on the wire: the response headers, trailers carrying grpc-status and
// grpc-message (percent-encoded as the gRPC HTTP/2 spec requires), and trailers-only replies.
import type { ServerHttp2Stream, ServerStreamResponseOptions } from "node:http2";

export interface GrpcStatus {
  code: number;
  message: string;
}

/** Shared and frozen: node:http2 copies headers, so one object serves every reply. */
export const RESPONSE_HEADERS = Object.freeze({ ":status": 200, "content-type": "application/grpc" });
export const OK_TRAILERS = Object.freeze({ "grpc-status": "0" });
/**
 * node:http2 honours sendDate (it skips formatting a Date header per reply) but its types omit
 * it; gRPC clients do not read the header.
 */
export const RESPOND_UNARY = Object.freeze({
  waitForTrailers: true,
  sendDate: false,
}) as ServerStreamResponseOptions;
export const RESPOND_STREAM = RESPOND_UNARY;
const RESPOND_END = Object.freeze({ endStream: true, sendDate: false }) as ServerStreamResponseOptions;

/** grpc-message: bytes outside printable ASCII, and '%', as %XX of their UTF-8 encoding. */
export function encodeGrpcMessage(message: string): string {
  if (/^[\x20-\x24\x26-\x7e]*$/.test(message)) return message;
  let out = "";
  for (const b of Buffer.from(message, "utf8")) {
    out +=
      b >= 0x20 && b <= 0x7e && b !== 0x25
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function statusTrailers(s: GrpcStatus): Record<string, string> {
  return s.code === 0
    ? OK_TRAILERS
    : { "grpc-status": String(s.code), "grpc-message": encodeGrpcMessage(s.message) };
}

/** An error before any response: headers and status in one HEADERS frame ("Trailers-Only"). */
export function respondTrailersOnly(stream: ServerHttp2Stream, s: GrpcStatus, httpStatus = 200): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  stream.respond(
    {
      ":status": httpStatus,
      "content-type": "application/grpc",
      "grpc-status": String(s.code),
      "grpc-message": encodeGrpcMessage(s.message),
    },
    RESPOND_END,
  );
}

/** "grpc-timeout: <digits><unit>" (H M S m u n) in milliseconds; undefined when absent or bad. */
export function parseGrpcTimeoutMs(header: string | string[] | undefined): number | undefined {
  if (typeof header !== "string") return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(header);
  if (!m) return undefined;
  const n = Number(m[1]);
  const perUnitMs = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 }[m[2] as "H"];
  return n * perUnitMs;
}
