// One proxied request on the backend side: picks an instance, sends the request head and
// body, parses the response head, and passes the response body to the client byte for byte
// (chunked framing included) with backpressure both ways. Idempotent calls whose body is
// held whole are retried on another instance when a connection fails or an instance
// answers 503; everything else is tried once.
import { ApiError } from "../core/errors.ts";
import { ChunkedFraming } from "./chunked-framing.ts";
import { bodyless, headLimits, parseResponseHead, type ResponseHead } from "./http-head.ts";
import type { ConnectionOwner, Instance, UpstreamConnection, UpstreamPool } from "./upstream-pool.ts";

const crlfcrlf = Buffer.from("\r\n\r\n");
/** Request body bytes queued while a backend connection opens, before the client is paused. */
export const pendingBodyBytes = 65_536;
/** Answers up to this size go to the client in the same write as their head. */
const smallBodyBytes = 16_384;

export interface ExchangeRequest {
  component: string;
  method: string;
  target: string;
  path: string;
  minor: number;
  /** Header lines after Host, including the blank line that ends the head. */
  headTail: string;
  /** The whole request body when held for retries; undefined when it streams (or is empty). */
  body: Buffer | undefined;
  streamsBody: boolean;
  retryable: boolean;
  attempts: number;
  timeoutMs: number;
  pool: UpstreamPool;
}

/** The client side of an exchange (the edge connection). */
export interface ExchangeClient {
  readonly socket: import("node:net").Socket;
  /** Header lines the gateway adds to the response (request id, CORS, Connection). */
  responseHeaders(untilClose: boolean): string;
  onResponseEnd(status: number, untilClose: boolean): void;
  onExchangeError(err: ApiError): void;
  /** The backend takes request body bytes again. */
  onBodyDrain(): void;
}

export class UpstreamExchange implements ConnectionOwner {
  /** Monotonic ms by which the response head must have arrived. */
  deadlineMs = Number.POSITIVE_INFINITY;
  /** True once the response head went to the client; errors after that can only cut the connection. */
  responding = false;
  private conn: UpstreamConnection | undefined;
  private instance: Instance | undefined;
  private tried: Instance[] | undefined;
  private attempt = 0;
  private raceRetried = false;
  private finished = false;
  private answered = false;
  private rbuf: Buffer | undefined;
  private resp: ResponseHead | undefined;
  private status = 0;
  private remaining = 0;
  private chunked: ChunkedFraming | undefined;
  private untilClose = false;
  private pending: Buffer[] | undefined;
  private pendingSize = 0;
  private bodyEnded: boolean;
  private lastError: unknown;

  constructor(
    private readonly r: ExchangeRequest,
    private readonly client: ExchangeClient,
    private readonly now: () => number,
  ) {
    this.bodyEnded = !r.streamsBody;
  }

  start(): void {
    const instance = this.r.pool.pick(this.tried);
    if (!instance) return void this.fail(this.lastError);
    this.instance = instance;
    const conn = instance.acquire(this);
    if (!conn) {
      this.lastError = new Error(`all connections to ${instance.url} are busy`);
      return void this.retryOrFail(instance);
    }
    this.conn = conn;
    this.answered = false;
    this.deadlineMs = this.now() + this.r.timeoutMs;
    if (conn.connected) this.sendHead(conn);
  }

  /** Streams a piece of the request body; false asks the client to pause. */
  sendBody(piece: Buffer): boolean {
    const conn = this.conn;
    if (conn?.connected && this.pending === undefined) return conn.socket.write(piece);
    this.pending ??= [];
    this.pending.push(piece);
    this.pendingSize += piece.length;
    return this.pendingSize < pendingBodyBytes;
  }

  endBody(): void {
    this.bodyEnded = true;
  }

  /** The client went away: drop the backend connection (it is mid-exchange, never reusable). */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.drop();
  }

  /** Called by the edge's sweeper. */
  expire(nowMs: number): void {
    if (this.finished || this.responding || nowMs < this.deadlineMs) return;
    this.finished = true;
    this.drop();
    const { component, method, path, timeoutMs } = this.r;
    this.client.onExchangeError(
      new ApiError(
        "DeadlineExceeded",
        `${component} (${method} ${path}) did not answer within ${timeoutMs} ms`,
      ),
    );
  }

  onClientDrain(): void {
    this.conn?.socket.resume();
  }

  onUpstreamConnect(conn: UpstreamConnection): void {
    if (conn === this.conn && !this.finished) this.sendHead(conn);
  }

  onUpstreamDrain(): void {
    if (this.r.streamsBody && !this.bodyEnded) this.client.onBodyDrain();
  }

  onUpstreamClose(conn: UpstreamConnection, err: Error | undefined): void {
    if (this.finished || conn !== this.conn) return;
    this.conn = undefined;
    if (this.responding) {
      if (this.untilClose) return void this.complete(false);
      // The backend cut a response short: so must we, or the client would wait forever.
      this.finished = true;
      this.client.socket.destroy();
      return;
    }
    this.lastError = err ?? new Error("the backend closed the connection before answering");
    const replayable = !this.r.streamsBody;
    // A kept-alive connection the backend closed just as we reused it: try once more on a
    // fresh connection; the request never reached a handler.
    if (conn.reused && !this.answered && replayable && !this.raceRetried) {
      this.raceRetried = true;
      return void this.start();
    }
    if (!conn.connected || isConnectFailure(err)) this.r.pool.markDown(conn.instance);
    this.retryOrFail(conn.instance);
  }

  onUpstreamData(conn: UpstreamConnection, chunk: Buffer): void {
    if (this.finished || conn !== this.conn) return void conn.socket.destroy();
    this.answered = true;
    let buf = chunk;
    let start = 0;
    const sock = this.client.socket;
    let corked = false;
    if (!this.responding) {
      if (this.rbuf) {
        buf = Buffer.concat([this.rbuf, chunk]);
        this.rbuf = undefined;
      }
      for (;;) {
        const idx = buf.indexOf(crlfcrlf, start);
        if (idx < 0) {
          if (buf.length - start > headLimits.maxHeadBytes)
            return void this.protocolError(`response head longer than ${headLimits.maxHeadBytes} bytes`);
          // A copy: the chunk's memory is the connection's read buffer, reused by the next read.
          this.rbuf = Buffer.from(buf.subarray(start));
          return;
        }
        let head: ResponseHead;
        try {
          head = parseResponseHead(buf.toString("latin1", start, idx + 2));
        } catch (err) {
          return void this.protocolError((err as Error).message);
        }
        start = idx + 4;
        if (head.status >= 200) {
          this.resp = head;
          break;
        }
        if (head.status === 101) return void this.protocolError("protocol upgrades are not proxied");
        // Interim answers (100, 103) are the gateway's own business: it sent 100 itself.
      }
      const head = this.resp!;
      this.status = head.status;
      if (head.status === 503 && this.r.retryable && this.attempt + 1 < this.r.attempts) {
        // The instance is draining or not ready: let another one answer.
        this.lastError = new Error("answered 503");
        this.drop();
        this.r.pool.markDown(conn.instance);
        return void this.retryOrFail(conn.instance);
      }
      this.responding = true;
      const noBody = bodyless(this.r.method, head.status);
      if (!noBody) {
        if (head.chunked) this.chunked = new ChunkedFraming();
        else if (head.contentLength >= 0) this.remaining = head.contentLength;
        else this.untilClose = true;
      }
      const text = `HTTP/1.1 ${head.statusText}\r\n${head.forwarded}${this.client.responseHeaders(this.untilClose)}\r\n`;
      if (noBody || (!this.chunked && !this.untilClose && this.remaining === 0)) {
        sock.write(text, "latin1");
        return void this.complete(start === buf.length);
      }
      if (
        !this.chunked &&
        !this.untilClose &&
        this.remaining <= smallBodyBytes &&
        buf.length - start >= this.remaining
      ) {
        // The common case, a small answer that arrived whole: one write, one syscall.
        const stop = start + this.remaining;
        this.remaining = 0;
        sock.write(text + buf.toString("latin1", start, stop), "latin1");
        return void this.complete(stop === buf.length);
      }
      sock.cork();
      corked = true;
      sock.write(text, "latin1");
    }
    let ok = true;
    let ended = false;
    let clean = true;
    if (start < buf.length) {
      let stop = buf.length;
      if (this.chunked) {
        let e: number;
        try {
          e = this.chunked.feed(buf, start, buf.length);
        } catch (err) {
          if (corked) sock.uncork();
          return void this.protocolError((err as Error).message);
        }
        if (e >= 0) {
          stop = e;
          ended = true;
        }
      } else if (!this.untilClose) {
        const n = Math.min(this.remaining, buf.length - start);
        this.remaining -= n;
        stop = start + n;
        ended = this.remaining === 0;
      }
      clean = stop === buf.length;
      ok = sock.write(start === 0 && stop === buf.length ? buf : buf.subarray(start, stop));
    }
    if (corked) sock.uncork();
    // The client did not take the bytes at once: its write queue holds them, so the
    // connection's read buffer must not be reused.
    if (start < buf.length && sock.writableLength > 0) conn.keepChunk();
    if (ended) return void this.complete(clean);
    if (!ok) conn.socket.pause();
  }

  private sendHead(conn: UpstreamConnection): void {
    const s = conn.socket;
    const r = this.r;
    const head = `${r.method} ${r.target} HTTP/1.${r.minor}\r\nhost: ${conn.instance.authority}\r\n${r.headTail}`;
    const pending = this.pending;
    if (!r.body && !pending) return void s.write(head, "latin1");
    s.cork();
    s.write(head, "latin1");
    if (r.body) s.write(r.body);
    if (pending) {
      this.pending = undefined;
      this.pendingSize = 0;
      for (const p of pending) s.write(p);
    }
    s.uncork();
    if (pending && r.streamsBody && !this.bodyEnded) this.client.onBodyDrain();
  }

  private retryOrFail(instance: Instance): void {
    this.attempt++;
    if (this.r.retryable && this.attempt < this.r.attempts) {
      this.tried ??= [];
      this.tried.push(instance);
      return void this.start();
    }
    this.fail(this.lastError);
  }

  private fail(err: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.drop();
    const { component, method, path } = this.r;
    this.client.onExchangeError(
      err === undefined
        ? new ApiError(
            "Unavailable",
            `no instance of ${component} is available; check \`photon up\` or the component's health`,
          )
        : new ApiError(
            "Unavailable",
            `${component} (${method} ${path}) is unavailable: ${(err as Error).message}; retry shortly`,
          ),
    );
  }

  private protocolError(why: string): void {
    if (this.responding) {
      this.finished = true;
      this.drop();
      this.client.socket.destroy();
      return;
    }
    this.lastError = new Error(why);
    this.drop();
    this.fail(this.lastError);
  }

  private complete(clean: boolean): void {
    this.finished = true;
    const conn = this.conn;
    this.conn = undefined;
    if (conn) {
      const reusable =
        clean && !this.resp!.close && !this.untilClose && this.bodyEnded && this.pending === undefined;
      if (reusable) {
        if (conn.socket.isPaused()) conn.socket.resume();
        conn.instance.release(conn);
      } else {
        conn.owner = undefined;
        conn.socket.destroy();
      }
    }
    this.client.onResponseEnd(this.status, this.untilClose);
  }

  private drop(): void {
    const conn = this.conn;
    this.conn = undefined;
    if (conn) {
      conn.owner = undefined;
      conn.socket.destroy();
    }
  }
}

function isConnectFailure(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === "ECONNREFUSED" || code === "ECONNRESET" || code === "EHOSTUNREACH" || code === "ETIMEDOUT";
}
