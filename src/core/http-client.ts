// The HTTP client components use to call each other and the CLI uses to call the cloud:
// a deadline on every call, the one error body turned back into ApiError, and retries with
// backoff only for calls that are safe to repeat.
import { setTimeout as sleep } from "node:timers/promises";
import { type BackoffPolicy, backoffDelayMs, defaultBackoff } from "./backoff.ts";
import { ApiError, codeForStatus, type ErrorBody } from "./errors.ts";

export interface HttpClientOptions {
  baseUrl: string;
  /** Bearer token, or a function that returns the current one. */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  timeoutMs?: number;
  /** Attempts for idempotent calls (GET, PUT, DELETE, HEAD), including the first. */
  attempts?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Overrides the method's default; POST is idempotent only when the API makes it so (request ids). */
  idempotent?: boolean;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

const retriableStatus = new Set([502, 503, 504]);

export class HttpClient {
  readonly baseUrl: string;
  constructor(private readonly opts: HttpClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
  }

  get<T>(path: string, o?: RequestOptions) {
    return this.request<T>("GET", path, o);
  }
  post<T>(path: string, body: unknown, o?: RequestOptions) {
    return this.request<T>("POST", path, { ...o, body });
  }
  put<T>(path: string, body: unknown, o?: RequestOptions) {
    return this.request<T>("PUT", path, { ...o, body });
  }
  patch<T>(path: string, body: unknown, o?: RequestOptions) {
    return this.request<T>("PATCH", path, { ...o, body });
  }
  delete<T>(path: string, o?: RequestOptions) {
    return this.request<T>("DELETE", path, o);
  }

  async request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const idempotent = o.idempotent ?? ["GET", "HEAD", "PUT", "DELETE"].includes(method);
    const attempts = idempotent ? (this.opts.attempts ?? 4) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, o);
      } catch (err) {
        const retriable =
          err instanceof ApiError ? ["Unavailable", "DeadlineExceeded"].includes(err.code) : true;
        if (!retriable || attempt >= attempts)
          throw err instanceof ApiError ? err : this.networkError(err, method, path);
        await sleep(
          backoffDelayMs(attempt, (this.opts.random ?? Math.random)(), this.opts.backoff ?? defaultBackoff),
        );
      }
    }
  }

  /** Opens a streaming GET (watches); the caller reads the body. */
  async stream(path: string, o: RequestOptions & { signal?: AbortSignal } = {}): Promise<Response> {
    const res = await fetch(this.url(path, o.query), {
      headers: await this.headers(o),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (!res.ok) throw await this.errorFrom(res);
    return res;
  }

  private async once<T>(method: string, path: string, o: RequestOptions): Promise<T> {
    const timeoutMs = o.timeoutMs ?? this.opts.timeoutMs ?? 30_000;
    let res: Response;
    try {
      res = await fetch(this.url(path, o.query), {
        method,
        headers: {
          ...(await this.headers(o)),
          ...(o.body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if ((err as Error).name === "TimeoutError") {
        throw new ApiError(
          "DeadlineExceeded",
          `${method} ${this.baseUrl}${path} got no answer within ${timeoutMs} ms`,
        );
      }
      throw err;
    }
    if (!res.ok) throw await this.errorFrom(res);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private url(path: string, query?: RequestOptions["query"]): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  private async headers(o: RequestOptions): Promise<Record<string, string>> {
    const t = typeof this.opts.token === "function" ? await this.opts.token() : this.opts.token;
    return { accept: "application/json", ...(t ? { authorization: `Bearer ${t}` } : {}), ...o.headers };
  }

  private async errorFrom(res: Response): Promise<ApiError> {
    const text = await res.text().catch(() => "");
    try {
      const body = JSON.parse(text) as ErrorBody;
      if (body?.error?.code) {
        const e = new ApiError(body.error.code, body.error.message, body.error.details);
        return retriableStatus.has(res.status) && e.code === "Internal"
          ? new ApiError("Unavailable", e.message)
          : e;
      }
    } catch {
      // not our error body; fall through
    }
    return new ApiError(
      codeForStatus(res.status),
      `${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ""}`,
    );
  }

  private networkError(err: unknown, method: string, path: string): ApiError {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    return new ApiError(
      "Unavailable",
      `cannot reach ${this.baseUrl} (${method} ${path}): ${cause}; is the service running?`,
    );
  }
}
