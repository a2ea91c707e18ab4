// The client side of the flaredb RPC: one HTTP/2 session per address, reused by every call,
// a deadline on each, and the ErrorBody turned back into ApiError (details included, so a
// region cache can read the leader hint out of a NotLeader error).
import http2 from "node:http2";
import { ApiError, codeForStatus, type ErrorBody } from "../../core/errors.ts";

/** Default deadline of one call. */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;
/** Sessions kept open (one per address); the least recently used beyond this is closed. */
export const MAX_SESSIONS = 256;

export class H2JsonClient {
  private readonly sessions = new Map<string, http2.ClientHttp2Session>();
  private closed = false;

  private session(address: string): http2.ClientHttp2Session {
    const have = this.sessions.get(address);
    if (have && !have.closed && !have.destroyed) {
      this.sessions.delete(address);
      this.sessions.set(address, have);
      return have;
    }
    if (this.sessions.size >= MAX_SESSIONS) {
      const [oldest, s] = this.sessions.entries().next().value as [string, http2.ClientHttp2Session];
      this.sessions.delete(oldest);
      s.close();
    }
    const s = http2.connect(`http://${address}`);
    s.on("error", () => undefined);
    s.once("close", () => {
      if (this.sessions.get(address) === s) this.sessions.delete(address);
    });
    s.unref();
    this.sessions.set(address, s);
    return s;
  }

  call<T>(address: string, method: string, body?: unknown, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<T> {
    if (this.closed) return Promise.reject(new ApiError("Unavailable", "client closed"));
    return new Promise<T>((resolve, reject) => {
      let s: http2.ClientHttp2Session;
      try {
        s = this.session(address);
      } catch (err) {
        reject(
          new ApiError("Unavailable", `${address}: ${(err as Error).message}`, { reason: "Unreachable" }),
        );
        return;
      }
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      let req: http2.ClientHttp2Stream;
      try {
        req = s.request({
          ":method": data ? "POST" : "GET",
          ":path": method,
          ...(data ? { "content-type": "application/json", "content-length": data.length } : {}),
        });
      } catch (err) {
        s.destroy();
        reject(
          new ApiError("Unavailable", `${address}: ${(err as Error).message}`, { reason: "Unreachable" }),
        );
        return;
      }
      let status = 0;
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        req.close(http2.constants.NGHTTP2_CANCEL);
        reject(new ApiError("DeadlineExceeded", `${address}${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on("response", (h) => {
        status = Number(h[":status"] ?? 0);
      });
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("error", (err) => {
        clearTimeout(timer);
        s.destroy();
        reject(new ApiError("Unavailable", `${address}: ${err.message}`, { reason: "Unreachable" }));
      });
      req.on("end", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          reject(new ApiError("Unavailable", `${address}${method}: malformed answer (status ${status})`));
          return;
        }
        if (status >= 200 && status < 300) {
          resolve(parsed as T);
          return;
        }
        const e = (parsed as ErrorBody | undefined)?.error;
        reject(new ApiError(e?.code ?? codeForStatus(status), e?.message ?? `status ${status}`, e?.details));
      });
      req.end(data);
    });
  }

  close(): void {
    this.closed = true;
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}
