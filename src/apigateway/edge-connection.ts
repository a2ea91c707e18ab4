// One client connection on the gateway's hot path: reads request heads straight off the
// socket, decides (own endpoint, CORS preflight, route, token, rate limit, body limit) and
// hands the request to an UpstreamExchange, or answers itself with the standard error body.
// Requests on one connection are served in order; bytes of the next one wait in `buf`.
import type { Socket } from "node:net";
import { anonymous, type Principal } from "../core/api/auth.ts";
import { ApiError } from "../core/errors.ts";
import type { AuthMemo } from "./auth-memo.ts";
import { ChunkedFraming } from "./chunked-framing.ts";
import { headLimits, parseRequestHead, type RequestHead } from "./http-head.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { RequestIds } from "./request-id.ts";
import type { RouteMatch, RouteTable } from "./route-table.ts";
import { hostName, type TenantRoute, type TenantRouteTable, targetFor } from "./tenant-route-table.ts";
import { type ExchangeClient, UpstreamExchange } from "./upstream-exchange.ts";
import type { UpstreamPool } from "./upstream-pool.ts";

/** Request bodies of idempotent calls up to this size are held so the call can be retried. */
export const retryableBodyBytes = 1_048_576;
/** Largest body accepted for the gateway's own endpoints (rate-limit sync, route list). */
export const ownBodyBytes = 1_048_576;
/** A connection with no request in progress for this long is closed. */
export const clientIdleTimeoutMs = 75_000;

const crlfcrlf = Buffer.from("\r\n\r\n");
const idempotent = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const requestIdRe = /^[\w.:-]{1,128}$/;

export interface OwnResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Buffer;
}

/** What every connection shares: the route table, the pools, auth, limits and the bookkeeping. */
export interface EdgePolicy {
  table(): RouteTable;
  pool(component: string): UpstreamPool | undefined;
  auth: AuthMemo;
  requestIds: RequestIds;
  limiter: RateLimiter;
  /** The gateway's own endpoints (health, metrics, OpenAPI, internal routes), served by its ApiServer. */
  isOwnPath(path: string): boolean;
  serveOwn(head: RequestHead, requestId: string, body: Buffer | undefined): Promise<OwnResponse>;
  timeoutMs(method: string, match: RouteMatch): number;
  bodyLimitBytes(method: string, match: RouteMatch): number;
  attempts: number;
  /** Routes projects publish, chosen by Host before the platform's own routes. */
  tenants(): TenantRouteTable;
  tenantPool(route: TenantRoute): UpstreamPool;
  /** May this caller use a token-protected tenant route? (iam decides, in the route's project.) */
  mayInvoke(principal: Principal, route: TenantRoute): Promise<{ allowed: boolean; reason: string }>;
  corsOrigins: readonly string[];
  draining(): boolean;
  now(): number;
  /** Metrics and the access log, once per answered request. */
  done(c: EdgeConnection, status: number): void;
}

enum Body {
  None,
  Length,
  Chunked,
}

export class EdgeConnection implements ExchangeClient {
  head: RequestHead | undefined;
  requestId = "";
  component = "none";
  subject: string | undefined;
  startedMs = 0;
  /** The client's address, read once (each read of socket.remoteAddress is a getter chain). */
  readonly remoteAddress: string | undefined;
  /** Header lines that stay the same for every request of this connection and caller, built once. */
  private readonly forwardedForLine: string;
  private subjectLine = "";
  private subjectOfLine: string | undefined;
  private idleSinceMs: number;
  exchange: UpstreamExchange | undefined;
  private buf: Buffer | undefined;
  private busy = false;
  private closed = false;
  private keepAlive = true;
  private cors = "";
  private retryAfter = "";
  /** The request has body bytes not read yet. */
  private bodyPending = false;
  private bodyMode = Body.None;
  private bodyRemaining = 0;
  private framing: ChunkedFraming | undefined;
  private bodyLimit = Number.POSITIVE_INFINITY;
  private collected: Buffer[] | undefined;
  private collectedDone: ((b: Buffer | undefined) => void) | undefined;

  constructor(
    readonly socket: Socket,
    private readonly p: EdgePolicy,
  ) {
    this.remoteAddress = socket.remoteAddress;
    this.forwardedForLine = `x-forwarded-for: ${this.remoteAddress}\r\n`;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("drain", () => this.exchange?.onClientDrain());
    socket.on("error", () => undefined);
    socket.on("close", () => {
      this.closed = true;
      this.exchange?.abort();
      this.collectedDone?.(undefined);
    });
    this.idleSinceMs = p.now();
  }

  get idle(): boolean {
    return !this.busy && this.buf === undefined;
  }

  /** Called by the sweeper: a connection with no request in progress for too long is closed (a partial head counts as none). */
  expireIdle(nowMs: number): void {
    if (!this.busy && nowMs - this.idleSinceMs > clientIdleTimeoutMs) this.socket.destroy();
  }

  /** Ends the connection after the current request (on shutdown). */
  closeWhenIdle(): void {
    if (this.idle) this.socket.destroy();
    else this.keepAlive = false;
  }

  responseHeaders(untilClose: boolean): string {
    if (untilClose || this.bodyPending || this.p.draining()) this.keepAlive = false;
    const conn = this.keepAlive
      ? this.head!.minor === 0
        ? "connection: keep-alive\r\n"
        : ""
      : "connection: close\r\n";
    return `x-request-id: ${this.requestId}\r\n${this.cors}${conn}`;
  }

  onResponseEnd(status: number): void {
    this.exchange = undefined;
    this.p.done(this, status);
    this.next();
  }

  onExchangeError(err: ApiError): void {
    this.exchange = undefined;
    this.sendError(err);
  }

  onBodyDrain(): void {
    if (this.bodyMode !== Body.None) this.socket.resume();
  }

  private onData(chunk: Buffer): void {
    if (this.bodyMode !== Body.None) return void this.feedBody(chunk);
    this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    if (!this.busy) this.readHead();
    else if (this.buf.length > headLimits.maxHeadBytes) this.socket.pause();
  }

  private readHead(): void {
    const buf = this.buf;
    if (!buf || this.closed) return;
    const idx = buf.indexOf(crlfcrlf);
    if (idx < 0 || idx > headLimits.maxHeadBytes) {
      if (buf.length > headLimits.maxHeadBytes || idx > headLimits.maxHeadBytes) {
        this.busy = true;
        this.startedMs = this.p.now();
        this.requestId = this.p.requestIds.next();
        this.keepAlive = false;
        this.sendError(
          new ApiError("InvalidArgument", `request head longer than ${headLimits.maxHeadBytes} bytes`),
        );
      }
      return;
    }
    // RFC 9112 §2.2: tolerate empty lines before a request line.
    let from = 0;
    while (buf[from] === 13 && buf[from + 1] === 10 && from < idx) from += 2;
    const text = buf.toString("latin1", from, idx + 2);
    this.buf = idx + 4 < buf.length ? buf.subarray(idx + 4) : undefined;
    this.busy = true;
    this.startedMs = this.p.now();
    this.component = "none";
    this.subject = undefined;
    this.retryAfter = "";
    this.cors = "";
    this.bodyPending = false;
    let head: RequestHead;
    try {
      head = parseRequestHead(text);
    } catch (err) {
      this.head = undefined;
      this.requestId = this.p.requestIds.next();
      this.keepAlive = false;
      return void this.sendError(err as ApiError);
    }
    this.head = head;
    this.keepAlive = head.keepAlive && !this.p.draining();
    this.requestId =
      head.requestId !== undefined && requestIdRe.test(head.requestId)
        ? head.requestId
        : this.p.requestIds.next();
    this.cors = this.corsHeaders(head.origin);
    this.bodyPending = head.chunked || head.contentLength > 0;
    // Most requests are decided without waiting (a remembered token, no body to hold), so
    // handle() answers synchronously then and costs no promise; only a miss goes async.
    try {
      const pending = this.handle(head);
      if (pending !== undefined) pending.catch(this.onHandleError);
    } catch (err) {
      this.onHandleError(err);
    }
  }

  private readonly onHandleError = (err: unknown): void =>
    this.sendError(err instanceof ApiError ? err : new ApiError("Internal", String(err)));

  /** Decides a request: undefined when it was settled synchronously, else the work still going. */
  private handle(head: RequestHead): Promise<void> | undefined {
    const p = this.p;
    const tenants = p.tenants();
    if (tenants.size > 0 && head.host !== undefined) {
      const host = hostName(head.host);
      if (host !== undefined && tenants.hasHost(host)) return this.handleTenant(head, host, tenants);
    }
    if (p.isOwnPath(head.path)) return this.handleOwn(head);
    if (head.method === "OPTIONS" && head.corsRequestMethod !== undefined) return void this.preflight(head);
    const table = p.table();
    const match = table.match(head.method, head.path);
    if (!match) {
      const methods = table.methodsAt(head.path);
      throw methods.length
        ? new ApiError(
            "InvalidArgument",
            `${head.method} is not allowed on ${head.path}; allowed: ${methods.join(", ")}`,
          )
        : new ApiError(
            "NotFound",
            `no component serves ${head.method} ${head.path}; \`photon\` lists what exists`,
          );
    }
    this.component = match.component;
    const pool = p.pool(match.component);
    if (!pool) throw new ApiError("Unavailable", `no instance of ${match.component} is known`);
    if (match.isPublic)
      return this.forward(head, match, pool, anonymous, projectOf(head.path), head.target, "");
    const known = p.auth.cached(head.authorization);
    if (known !== undefined)
      return this.forward(head, match, pool, this.identify(known), projectOf(head.path), head.target, "");
    return p.auth.authenticate(head.authorization).then((who) => {
      if (this.closed) return;
      return this.forward(head, match, pool, this.identify(who), projectOf(head.path), head.target, "");
    });
  }

  /** The gateway's own endpoints (health, metrics, OpenAPI, internal routes). */
  private async handleOwn(head: RequestHead): Promise<void> {
    if (head.contentLength > ownBodyBytes)
      throw new ApiError("PayloadTooLarge", `request body is larger than ${ownBodyBytes} bytes`);
    let body: Buffer | undefined;
    if (this.bodyPending) {
      body = await this.collect(ownBodyBytes);
      if (body === undefined) return;
    }
    const res = await this.p.serveOwn(head, this.requestId, body);
    if (this.closed) return;
    return this.writeOwn(res);
  }

  /** A request for a host a project publishes: its route, its access rule, its address. */
  private async handleTenant(head: RequestHead, host: string, tenants: TenantRouteTable): Promise<void> {
    const route = tenants.match(host, head.path);
    if (!route) throw new ApiError("NotFound", `no route of ${host} serves ${head.path}`);
    this.component = `route:${route.project}/${route.name}`;
    let principal: Principal = anonymous;
    if (route.spec.access === "token") {
      principal = await this.verify(head);
      const d = await this.p.mayInvoke(principal, route);
      if (!d.allowed)
        throw new ApiError(
          "PermissionDenied",
          `${principal.name} may not call the routes of project ${route.project} (${d.reason}); a token of that project with apigateway.routes.invoke is needed`,
        );
    }
    const match: RouteMatch = {
      component: this.component,
      template: route.spec.pathPrefix,
      isPublic: route.spec.access === "public",
    };
    // The caller's cloud token is for the edge, never for the tenant's service: it is not passed on.
    const forwarded =
      route.spec.access === "token" ? head.forwarded.replace(/^authorization:.*\r\n/gim, "") : head.forwarded;
    return await this.forward(
      { ...head, forwarded },
      match,
      this.p.tenantPool(route),
      principal,
      route.project,
      targetFor(route, head.target, head.path),
      `x-forwarded-host: ${head.host}\r\n`,
    );
  }

  /** The caller's verified identity; Unauthenticated without a valid token. */
  private async verify(head: RequestHead): Promise<Principal> {
    const p = this.p;
    return this.identify(
      p.auth.cached(head.authorization) ?? (await p.auth.authenticate(head.authorization)),
    );
  }

  /** Unauthenticated without a verified caller; notes the subject to pass on. */
  private identify(who: Principal | undefined): Principal {
    if (!who)
      throw new ApiError(
        "Unauthenticated",
        "this call needs a token (Authorization: Bearer …); run `photon login`",
      );
    // The subject goes out as a header line; one that could break the line is not forwarded.
    if (who.subject === this.subjectOfLine || !/[\r\n]/.test(who.subject)) this.subject = who.subject;
    return who;
  }

  /**
   * Rate limit, body limit, then the exchange with the backend (or the tenant's address).
   * Synchronous unless a body has to be held for retries first.
   */
  private forward(
    head: RequestHead,
    match: RouteMatch,
    pool: UpstreamPool,
    principal: Principal,
    project: string | undefined,
    target: string,
    extraHeaders: string,
  ): Promise<void> | undefined {
    const p = this.p;
    const admitted = p.limiter.admit(
      principal === anonymous ? `ip:${this.remoteAddress}` : principal.subject,
      project,
    );
    if (!admitted.allowed) {
      this.retryAfter = `retry-after: ${admitted.retryAfterSeconds}\r\n`;
      throw new ApiError(
        "RateLimited",
        `rate limit reached for ${principal === anonymous ? "this address" : principal.name}${project ? ` or project ${project}` : ""}; retry after ${admitted.retryAfterSeconds} s`,
      );
    }
    const limit = p.bodyLimitBytes(head.method, match);
    if (head.contentLength > limit)
      throw new ApiError(
        "PayloadTooLarge",
        `request body of ${head.contentLength} bytes is larger than ${head.method} ${match.template} accepts (${limit} bytes)`,
      );
    this.bodyLimit = limit;
    if (this.closed) return;
    if (head.expectContinue && this.bodyPending) this.socket.write("HTTP/1.1 100 Continue\r\n\r\n");
    const retryable =
      idempotent.has(head.method) &&
      (!this.bodyPending || (!head.chunked && head.contentLength <= retryableBodyBytes));
    if (retryable && this.bodyPending)
      return this.collect(limit).then((body) => {
        if (body !== undefined && !this.closed)
          this.startExchange(head, match, pool, target, extraHeaders, body, retryable);
      });
    this.startExchange(head, match, pool, target, extraHeaders, undefined, retryable);
    return undefined;
  }

  private startExchange(
    head: RequestHead,
    match: RouteMatch,
    pool: UpstreamPool,
    target: string,
    extraHeaders: string,
    body: Buffer | undefined,
    retryable: boolean,
  ): void {
    const p = this.p;
    const xff =
      head.forwardedFor === undefined
        ? this.forwardedForLine
        : `x-forwarded-for: ${head.forwardedFor}, ${this.remoteAddress}\r\n`;
    if (this.subject !== this.subjectOfLine) {
      this.subjectOfLine = this.subject;
      this.subjectLine = this.subject === undefined ? "" : `x-photon-subject: ${this.subject}\r\n`;
    }
    const framing = head.chunked
      ? "transfer-encoding: chunked\r\n"
      : head.contentLength >= 0
        ? `content-length: ${head.contentLength}\r\n`
        : "";
    const streamsBody = this.bodyPending;
    this.exchange = new UpstreamExchange(
      {
        component: match.component,
        method: head.method,
        target,
        path: head.path,
        minor: head.minor,
        headTail: `${head.forwarded}${extraHeaders}x-request-id: ${this.requestId}\r\n${this.subjectLine}${xff}${framing}\r\n`,
        body,
        streamsBody,
        retryable,
        attempts: p.attempts,
        timeoutMs: p.timeoutMs(head.method, match),
        pool,
      },
      this,
      p.now,
    );
    this.exchange.start();
    if (streamsBody && this.exchange) this.startBody(head, "stream");
  }

  private preflight(head: RequestHead): void {
    const methods = this.p.table().methodsAt(head.path);
    if (!this.cors || methods.length === 0)
      throw new ApiError("NotFound", `no route for OPTIONS ${head.path}`);
    this.socket.write(
      `HTTP/1.1 204 No Content\r\n${this.cors}access-control-allow-methods: ${methods.join(", ")}\r\naccess-control-allow-headers: authorization, content-type, x-request-id\r\naccess-control-max-age: 600\r\nx-request-id: ${this.requestId}\r\n${this.keepAliveLine()}\r\n`,
      "latin1",
    );
    this.p.done(this, 204);
    this.next();
  }

  private writeOwn(res: OwnResponse): void {
    let lines = "";
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      const lk = k.toLowerCase();
      if (lk === "connection" || lk === "transfer-encoding" || lk === "content-length" || lk === "keep-alive")
        continue;
      for (const one of Array.isArray(v) ? v : [v]) lines += `${k}: ${one}\r\n`;
    }
    const body = this.head!.method === "HEAD" ? Buffer.alloc(0) : res.body;
    this.socket.cork();
    this.socket.write(
      `HTTP/1.1 ${res.status} ${statusText(res.status)}\r\n${lines}${this.cors}content-length: ${res.body.length}\r\n${this.keepAliveLine()}\r\n`,
      "latin1",
    );
    if (body.length) this.socket.write(body);
    this.socket.uncork();
    this.p.done(this, res.status);
    this.next();
  }

  private sendError(err: ApiError): void {
    if (this.closed) return;
    this.exchange?.abort();
    if (this.exchange?.responding) return void this.socket.destroy();
    this.exchange = undefined;
    this.bodyMode = Body.None;
    this.collectedDone?.(undefined);
    const text = JSON.stringify(err.toBody());
    this.socket.write(
      `HTTP/1.1 ${err.status} ${statusText(err.status)}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nx-request-id: ${this.requestId}\r\n${this.cors}${this.retryAfter}${this.keepAliveLine()}\r\n${text}`,
      "utf8",
    );
    this.p.done(this, err.status);
    this.next();
  }

  /** "connection: close" when this connection ends after the answer; a body left unread forces that. */
  private keepAliveLine(): string {
    if (this.bodyPending || this.p.draining()) this.keepAlive = false;
    if (!this.keepAlive) return "connection: close\r\n";
    return this.head?.minor === 0 ? "connection: keep-alive\r\n" : "";
  }

  /** The answer is out: end the connection or read the next request. */
  private next(): void {
    if (!this.keepAlive || this.bodyPending) {
      this.busy = true;
      this.socket.end();
      return;
    }
    this.busy = false;
    this.idleSinceMs = this.startedMs;
    if (this.socket.isPaused()) this.socket.resume();
    // Pipelined requests wait a turn so a long pipeline cannot grow the stack.
    if (this.buf) setImmediate(() => this.busy || this.readHead());
  }

  private corsHeaders(origin: string | undefined): string {
    if (origin === undefined) return "";
    const any = this.p.corsOrigins.includes("*");
    if (!any && !this.p.corsOrigins.includes(origin)) return "";
    return `access-control-allow-origin: ${any ? "*" : origin}\r\nvary: Origin\r\naccess-control-expose-headers: x-request-id, retry-after\r\n`;
  }

  /** The whole body, or undefined when it could not be read (the caller has been answered). */
  private collect(limit: number): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      this.collected = [];
      this.collectedDone = (b) => {
        this.collectedDone = undefined;
        this.collected = undefined;
        resolve(b);
      };
      this.bodyLimit = limit;
      this.startBody(this.head!, "collect");
    });
  }

  private bodyTarget: "stream" | "collect" = "stream";

  private startBody(head: RequestHead, target: "stream" | "collect"): void {
    this.bodyTarget = target;
    this.bodyMode = head.chunked ? Body.Chunked : Body.Length;
    this.bodyRemaining = head.contentLength;
    this.framing = head.chunked ? new ChunkedFraming() : undefined;
    const b = this.buf;
    this.buf = undefined;
    if (this.socket.isPaused()) this.socket.resume();
    if (b) this.feedBody(b);
  }

  private feedBody(chunk: Buffer): void {
    let stop = chunk.length;
    let done: boolean;
    if (this.bodyMode === Body.Length) {
      const n = Math.min(this.bodyRemaining, chunk.length);
      this.bodyRemaining -= n;
      stop = n;
      done = this.bodyRemaining === 0;
    } else {
      let e: number;
      try {
        e = this.framing!.feed(chunk, 0, chunk.length);
      } catch (err) {
        this.keepAlive = false;
        return void this.sendError(
          new ApiError("InvalidArgument", `malformed chunked body: ${(err as Error).message}`),
        );
      }
      if (this.framing!.dataBytes > this.bodyLimit) {
        this.keepAlive = false;
        return void this.sendError(
          new ApiError(
            "PayloadTooLarge",
            `request body is larger than this route accepts (${this.bodyLimit} bytes)`,
          ),
        );
      }
      done = e >= 0;
      if (done) stop = e;
    }
    const piece = stop === chunk.length ? chunk : chunk.subarray(0, stop);
    if (this.bodyTarget === "stream") {
      if (piece.length && this.exchange && !this.exchange.sendBody(piece)) this.socket.pause();
    } else this.collected?.push(piece);
    if (!done) return;
    this.bodyMode = Body.None;
    this.bodyPending = false;
    if (stop < chunk.length) this.buf = chunk.subarray(stop);
    if (this.bodyTarget === "stream") this.exchange?.endBody();
    else {
      const parts = this.collected ?? [];
      this.collectedDone?.(parts.length === 1 ? parts[0] : Buffer.concat(parts));
    }
    if (this.buf && this.buf.length > headLimits.maxHeadBytes) this.socket.pause();
  }
}

function projectOf(path: string): string | undefined {
  if (!path.startsWith("/v1/projects/")) return undefined;
  const end = path.indexOf("/", 13);
  const name = end < 0 ? path.slice(13) : path.slice(13, end);
  return name === "" ? undefined : name;
}

const reasons: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function statusText(status: number): string {
  return reasons[status] ?? "Status";
}
