// Forwards one request to a component and streams the answer back. Bodies are never buffered
// whole: small bodies of idempotent calls are kept so the call can be retried on another
// instance, everything else streams through once.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { errors as undiciErrors } from "undici";
import { ApiError } from "../core/errors.ts";
import type { Instance, UpstreamPool } from "./upstream-pool.ts";

const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

/** Request bodies of idempotent calls up to this size are kept for a retry. */
export const retryableBodyBytes = 1_048_576;
const idempotentMethods = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

export interface ForwardOptions {
  component: string;
  upstream: UpstreamPool;
  timeoutMs: number;
  requestId: string;
  /** Verified caller, forwarded so backends can log it; they still check the token. */
  subject: string | undefined;
  clientAddress: string | undefined;
  attempts: number;
}

export async function forward(req: IncomingMessage, res: ServerResponse, o: ForwardOptions): Promise<void> {
  const method = req.method ?? "GET";
  const headers = forwardedHeaders(req, o);
  const length = Number(req.headers["content-length"] ?? 0);
  const hasBody = length > 0 || req.headers["transfer-encoding"] !== undefined;
  let body: Buffer | IncomingMessage | undefined;
  let retryable = idempotentMethods.has(method);
  if (hasBody) {
    if (retryable && length > 0 && length <= retryableBodyBytes) body = await readAll(req, length);
    else {
      body = req;
      retryable = false;
    }
  }
  if (body instanceof Buffer) headers["content-length"] = String(body.length);
  else if (body) {
    if (req.headers["content-length"]) headers["content-length"] = req.headers["content-length"];
    else headers["transfer-encoding"] = "chunked";
  }

  const tried = new Set<string>();
  const attempts = retryable ? o.attempts : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const instance = o.upstream.pick(tried);
    if (!instance) break;
    tried.add(instance.url);
    try {
      await once(instance, method, req.url ?? "/", headers, body, res, o);
      return;
    } catch (err) {
      lastError = err;
      if (res.headersSent) throw err;
      if (isConnectFailure(err)) o.upstream.markDown(instance);
      if (!retryable || !isRetriable(err)) break;
    }
  }
  throw toGatewayError(lastError, o, method, req.url ?? "/");
}

async function once(
  instance: Instance,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | IncomingMessage | undefined,
  res: ServerResponse,
  o: ForwardOptions,
): Promise<void> {
  const upstream = await instance.pool.request({
    path,
    method: method as "GET",
    headers,
    body: body ?? null,
    headersTimeout: o.timeoutMs,
    // Watches and downloads stream for as long as they need; only silence ends them.
    bodyTimeout: 0,
  });
  if (upstream.statusCode === 503 && idempotentMethods.has(method) && !(body && !(body instanceof Buffer))) {
    // The instance is draining or not ready: let the caller try another.
    await upstream.body.dump();
    throw new UpstreamUnavailable();
  }
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(upstream.headers)) {
    // The body is piped through unchanged, so its length still holds.
    if (v === undefined || (hopByHop.has(k) && k !== "content-length")) continue;
    out[k] = v as string | string[];
  }
  out["x-request-id"] = o.requestId;
  res.writeHead(upstream.statusCode, out);
  await pipeline(upstream.body, res);
}

class UpstreamUnavailable extends Error {}

function forwardedHeaders(req: IncomingMessage, o: ForwardOptions): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || hopByHop.has(k) || k.startsWith("x-photon-")) continue;
    h[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  h["x-request-id"] = o.requestId;
  if (o.subject) h["x-photon-subject"] = o.subject;
  const prior = req.headers["x-forwarded-for"];
  if (o.clientAddress) h["x-forwarded-for"] = prior ? `${prior}, ${o.clientAddress}` : o.clientAddress;
  return h;
}

async function readAll(req: IncomingMessage, expected: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > expected)
      throw new ApiError("InvalidArgument", "request body is longer than its Content-Length");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function isConnectFailure(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return (
    code === "ECONNREFUSED" ||
    code === "ECONNRESET" ||
    code === "UND_ERR_SOCKET" ||
    code === "EHOSTUNREACH" ||
    err instanceof UpstreamUnavailable
  );
}

function isRetriable(err: unknown): boolean {
  return isConnectFailure(err) || err instanceof undiciErrors.SocketError;
}

function toGatewayError(err: unknown, o: ForwardOptions, method: string, path: string): ApiError {
  const where = `${o.component} (${method} ${path.split("?")[0]})`;
  if (err instanceof undiciErrors.HeadersTimeoutError) {
    return new ApiError("DeadlineExceeded", `${where} did not answer within ${o.timeoutMs} ms`);
  }
  if (err instanceof ApiError) return err;
  if (err === undefined)
    return new ApiError(
      "Unavailable",
      `no instance of ${o.component} is available; check \`photon up\` or the component's health`,
    );
  return new ApiError("Unavailable", `${where} is unavailable: ${(err as Error).message}; retry shortly`);
}
