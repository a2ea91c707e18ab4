// The instances behind one component: kept-alive backend connections per instance,
// round-robin spreading, and passive health (an instance that refused a connection or
// answered 503 sits out a cooldown). Connections carry their listeners for life and hand
// events to whichever exchange currently owns them, so a request adds no listeners.
import net from "node:net";
import tls from "node:tls";

export const poolDefaults = {
  /** Connections open to one backend instance at most (busy and idle together). */
  connectionsPerInstance: 1024,
  /** Idle keep-alive connections kept per instance. */
  idlePerInstance: 128,
  /** An idle connection older than this is closed rather than reused: below Node's 5 s server keep-alive, so we never reuse one the backend is about to drop. */
  idleTimeoutMs: 4_000,
  /** How long an instance that failed a connection is skipped. */
  failCooldownMs: 2_000,
};

/** What an exchange implements to own a backend connection. */
export interface ConnectionOwner {
  onUpstreamConnect(c: UpstreamConnection): void;
  onUpstreamData(c: UpstreamConnection, chunk: Buffer): void;
  onUpstreamDrain(c: UpstreamConnection): void;
  onUpstreamClose(c: UpstreamConnection, err: Error | undefined): void;
}

/**
 * Bytes one read from a plain backend connection fills at most. Each connection reads into a
 * buffer of its own that it reuses (no allocation per read, no stream machinery per chunk); a
 * chunk the exchange had to keep (a client write that did not complete at once) makes the
 * connection switch to a fresh buffer, so kept bytes are never overwritten.
 */
export const upstreamReadBytes = 32_768;

export class UpstreamConnection {
  owner: ConnectionOwner | undefined;
  connected = false;
  /** Served an earlier request: a failure before any answer may be a keep-alive race. */
  reused = false;
  idleSinceMs = 0;
  readonly socket: net.Socket;
  private lastError: Error | undefined;
  private readBuf: Buffer | undefined;
  private readBufKept = false;

  constructor(readonly instance: Instance) {
    const socket = instance.tls
      ? tls.connect({ host: instance.host, port: instance.port, servername: instance.host })
      : net.connect({
          host: instance.host,
          port: instance.port,
          onread: {
            buffer: () => this.nextReadBuffer(),
            callback: (n: number, buf: Uint8Array) => {
              this.onChunk((buf as Buffer).subarray(0, n));
              return true;
            },
          },
        });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on(instance.tls ? "secureConnect" : "connect", () => {
      this.connected = true;
      this.owner?.onUpstreamConnect(this);
    });
    // TLS sockets do not take `onread`: they deliver chunks as events (each a fresh buffer).
    if (instance.tls) socket.on("data", (chunk: Buffer) => this.onChunk(chunk));
    socket.on("drain", () => this.owner?.onUpstreamDrain(this));
    socket.on("error", (err) => {
      this.lastError = err;
    });
    socket.on("close", () => {
      instance.forget(this);
      const owner = this.owner;
      this.owner = undefined;
      owner?.onUpstreamClose(this, this.lastError);
    });
  }

  /**
   * The chunk just delivered is still referenced (queued in a client write): the next read must
   * not reuse its memory.
   */
  keepChunk(): void {
    this.readBufKept = true;
  }

  private nextReadBuffer(): Buffer {
    if (this.readBuf === undefined || this.readBufKept) {
      this.readBuf = Buffer.allocUnsafeSlow(upstreamReadBytes);
      this.readBufKept = false;
    }
    return this.readBuf;
  }

  private onChunk(chunk: Buffer): void {
    if (this.owner) this.owner.onUpstreamData(this, chunk);
    // Bytes nobody asked for: the connection is out of step, never reuse it.
    else this.socket.destroy();
  }
}

export class Instance {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** The Host header sent to this instance. */
  readonly authority: string;
  downUntilMs = 0;
  private readonly idle: UpstreamConnection[] = [];
  private open = 0;

  constructor(
    readonly url: string,
    private readonly clock: () => number,
  ) {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:")
      throw new Error(`backend ${url}: only http:// and https:// are supported`);
    this.tls = u.protocol === "https:";
    this.host = u.hostname.replace(/^\[|\]$/g, "");
    this.port = Number(u.port || (this.tls ? 443 : 80));
    this.authority = u.host;
  }

  /** A connection for `owner`: an idle one (already connected) or a new one, or undefined at the bound. */
  acquire(owner: ConnectionOwner): UpstreamConnection | undefined {
    const now = this.clock();
    for (let c = this.idle.pop(); c; c = this.idle.pop()) {
      if (c.socket.destroyed || now - c.idleSinceMs > poolDefaults.idleTimeoutMs) {
        c.socket.destroy();
        continue;
      }
      c.owner = owner;
      c.reused = true;
      return c;
    }
    if (this.open >= poolDefaults.connectionsPerInstance) return undefined;
    this.open++;
    const c = new UpstreamConnection(this);
    c.owner = owner;
    return c;
  }

  /** Takes a connection back after a complete exchange that left it reusable. */
  release(c: UpstreamConnection): void {
    c.owner = undefined;
    if (c.socket.destroyed) return;
    if (this.idle.length >= poolDefaults.idlePerInstance) return void c.socket.destroy();
    c.idleSinceMs = this.clock();
    this.idle.push(c);
  }

  forget(c: UpstreamConnection): void {
    this.open--;
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }

  close(): void {
    for (const c of this.idle.splice(0)) c.socket.destroy();
  }
}

export class UpstreamPool {
  private instances: Instance[] = [];
  private next = 0;

  constructor(
    urls: string[],
    private readonly clock: () => number = Date.now,
  ) {
    this.setInstances(urls);
  }

  setInstances(urls: string[]): void {
    const keep = this.instances.filter((i) => urls.includes(i.url));
    for (const gone of this.instances.filter((i) => !urls.includes(i.url))) gone.close();
    for (const url of urls.filter((u) => !keep.some((i) => i.url === u)))
      keep.push(new Instance(url, this.clock));
    this.instances = keep;
  }

  urls(): string[] {
    return this.instances.map((i) => i.url);
  }

  /** The next healthy instance not yet tried; an unhealthy one if nothing else is left. */
  pick(tried: readonly Instance[] | undefined): Instance | undefined {
    const n = this.instances.length;
    if (n === 0) return undefined;
    const now = this.clock();
    this.next = (this.next + 1) % 1_000_000;
    let fallback: Instance | undefined;
    for (let k = 0; k < n; k++) {
      const i = this.instances[(this.next + k) % n]!;
      if (tried?.includes(i)) continue;
      if (i.downUntilMs <= now) return i;
      fallback ??= i;
    }
    return fallback;
  }

  markDown(i: Instance): void {
    i.downUntilMs = this.clock() + poolDefaults.failCooldownMs;
  }

  async close(): Promise<void> {
    for (const i of this.instances) i.close();
    this.instances = [];
  }
}
