// The DNS listener: UDP and TCP (RFC 1035 §4.2, RFC 7766) on one port, a thin shell around
// the pure query handler. Bounded: TCP connections, pipelined queries and idle time.
import dgram from "node:dgram";
import net from "node:net";
import type { Logger } from "pino";
import type { Answer } from "./answer.ts";
import { AnswerCache } from "./answer-cache.ts";
import {
  type BatchUdpCounters,
  BatchUdpSocket,
  batchUdpUnavailable,
  bindUdpSocket,
} from "./native/batch-udp.ts";
import { formerrFor, type HandleResult, handleQuery } from "./query-handler.ts";
import { type RateLimiter, truncatedReply } from "./rate-limiter.ts";
import type { TsigKey } from "./tsig.ts";
import type { ZoneIndex } from "./zone-index.ts";

export const dnsServerLimits = {
  maxTcpConnections: 256,
  tcpIdleMs: 10_000,
  /** Queries a TCP client may have in flight before we stop reading from it. */
  maxTcpInflight: 32,
  maxUdpPayloadBytes: 1232,
};

/** Writes the messages of a zone transfer; resolves when done. */
export type TransferStream = (
  answer: Extract<Answer, { kind: "transfer" }>,
  query: Uint8Array,
  send: (msg: Uint8Array) => void,
  peer: string,
) => Promise<void>;

export interface DnsServerOptions {
  index: ZoneIndex;
  log: Logger;
  host: string;
  port: number;
  transfer?: TransferStream;
  /** TSIG keys for signed queries; the clock for their time checks. */
  tsigKeys?: Map<string, TsigKey>;
  /** Response rate limiting of UDP replies; absent = off. */
  rateLimiter?: RateLimiter;
  clock?: () => number;
  /**
   * Which listeners this server runs (default both). With UDP worker processes the primary
   * serves TCP only and each worker UDP only, on the primary's port.
   */
  transports?: { udp: boolean; tcp: boolean };
  /**
   * How UDP is read and written: "batched" through the native addon (recvmmsg/sendmmsg, one
   * JS call per batch), "dgram" through node:dgram (one per datagram), "auto" (default):
   * batched if the addon builds and loads, else dgram with a warning.
   */
  udpIo?: UdpIo;
  /** A UDP socket already bound by the primary process (batched I/O only): poll this one. */
  udpFd?: number;
}

export type UdpIo = "auto" | "batched" | "dgram";

export class DnsServer {
  private udp: dgram.Socket | undefined;
  private batched: BatchUdpSocket | undefined;
  private tcp: net.Server | undefined;
  private readonly conns = new Set<net.Socket>();
  private readonly cache = new AnswerCache();
  /** Plain counters (cheap on the hot path), exported by the role as Prometheus metrics. */
  readonly stats = { udpQueries: 0, tcpQueries: 0, cacheHits: 0, rateLimited: 0 };
  private readonly opts: DnsServerOptions;
  port = 0;
  /** Which UDP path is serving (after listen). */
  udpPath: "batched" | "dgram" | "none" = "none";

  constructor(opts: DnsServerOptions) {
    this.opts = opts;
  }

  /** `inPlace`: a cached reply may be returned without a copy (see AnswerCache.get). */
  private handle(query: Uint8Array, transport: "udp" | "tcp", inPlace = false): HandleResult {
    const gen = this.opts.index.generation;
    if (transport === "udp") this.stats.udpQueries++;
    else this.stats.tcpQueries++;
    const hit = this.cache.get(query, transport, gen, inPlace);
    if (hit) {
      this.stats.cacheHits++;
      return { kind: "reply", bytes: hit };
    }
    const clock = this.opts.clock ?? Date.now;
    const tsig = this.opts.tsigKeys
      ? { keys: this.opts.tsigKeys, nowSeconds: Math.floor(clock() / 1000) }
      : undefined;
    const opts = { transport, maxUdpPayloadBytes: dnsServerLimits.maxUdpPayloadBytes };
    const r = handleQuery(query, this.opts.index, opts, tsig);
    // A signed reply holds a time and a MAC for this one request: never reuse it.
    if (r.kind === "reply" && !r.signed)
      this.cache.put(query, transport, gen, r.bytes, (flipped) => {
        const f = handleQuery(flipped, this.opts.index, opts, tsig);
        return f.kind === "reply" && !f.signed ? f.bytes : undefined;
      });
    return r;
  }

  async listen(): Promise<void> {
    const { host } = this.opts;
    const family = net.isIPv6(host) ? "udp6" : "udp4";
    const transports = this.opts.transports ?? { udp: true, tcp: true };
    this.port = this.opts.port;
    if (transports.tcp) {
      this.tcp = net.createServer((s) => this.onConnection(s));
      this.tcp.maxConnections = dnsServerLimits.maxTcpConnections;
      await new Promise<void>((resolve, reject) => {
        this.tcp?.once("error", reject);
        this.tcp?.listen(this.opts.port, host, () => resolve());
      });
      this.port = (this.tcp.address() as net.AddressInfo).port;
    }
    if (!transports.udp) return;
    const io = this.opts.udpIo ?? "auto";
    if (this.opts.udpFd !== undefined || io !== "dgram") {
      const why = await batchUdpUnavailable();
      if (!why) return this.listenBatched(host);
      if (io === "batched" || this.opts.udpFd !== undefined)
        throw new Error(`batched UDP I/O is unavailable: ${why.message}`);
      this.opts.log.warn(
        { reason: why.message },
        "batched UDP I/O unavailable (native addon); serving UDP through node:dgram, at a lower rate",
      );
    }
    // Replies go to the literal address a query came from: a synchronous lookup skips the
    // resolver round trip dgram otherwise makes for every send.
    const literal = (
      address: string,
      _o: unknown,
      cb: (err: null, address: string, family: number) => void,
    ) => cb(null, address, family === "udp6" ? 6 : 4);
    const udp = dgram.createSocket({
      type: family,
      reuseAddr: false,
      lookup: literal as unknown as dgram.SocketOptions["lookup"],
    });
    this.udp = udp;
    udp.on("message", (msg, rinfo) => {
      let r: HandleResult;
      try {
        // With nothing queued in the socket, every earlier reply has been copied to the kernel,
        // so a cached reply can be patched and sent in place.
        r = this.handle(msg, "udp", udp.getSendQueueCount() === 0);
      } catch (err) {
        this.opts.log.error({ err }, "query handler failed");
        return;
      }
      if (r.kind !== "reply") return;
      const decision = this.opts.rateLimiter
        ? this.opts.rateLimiter.decide(rinfo.address, (this.opts.clock ?? Date.now)())
        : "send";
      if (decision !== "send") this.stats.rateLimited++;
      if (decision === "send") udp.send(r.bytes, rinfo.port, rinfo.address);
      else if (decision === "truncate") udp.send(truncatedReply(r.bytes), rinfo.port, rinfo.address);
    });
    udp.on("error", (err) => this.opts.log.error({ err }, "UDP socket error"));
    await new Promise<void>((resolve, reject) => {
      udp.once("error", reject);
      // In a cluster worker the primary owns the socket and shares it with every worker.
      udp.bind({ port: this.port, address: host, exclusive: false }, () => resolve());
    });
    this.port = udp.address().port;
    udp.setRecvBufferSize(4 * 1024 * 1024);
    udp.setSendBufferSize(4 * 1024 * 1024);
    this.udpPath = "dgram";
  }

  /** The addon's counters (batches, datagrams, drops) when UDP is batched. */
  udpIoCounters(): BatchUdpCounters | undefined {
    return this.batched?.counters();
  }

  /** UDP answers the batched path could not send (full send buffer, or a send error). */
  udpDropped(): number {
    const b = this.batched;
    if (!b) return 0;
    const c = b.counters();
    return c.sendDropped + c.sendErrors + b.overflowed;
  }

  private async listenBatched(host: string): Promise<void> {
    let fd = this.opts.udpFd;
    if (fd === undefined) {
      const bound = await bindUdpSocket(host, this.port);
      fd = bound.fd;
      this.port = bound.port;
    }
    this.batched = await BatchUdpSocket.open(fd, this.opts.udpFd === undefined, (s, n) => this.onBatch(s, n));
    this.udpPath = "batched";
  }

  /** One batch of datagrams from the addon: answers are copied out before it returns. */
  private onBatch(s: BatchUdpSocket, count: number): void {
    const limiter = this.opts.rateLimiter;
    const nowMs = limiter ? (this.opts.clock ?? Date.now)() : 0;
    const gen = this.opts.index.generation;
    for (let i = 0; i < count; i++) {
      // The common case first, without allocating: a cached reply copied straight from the
      // cache into the transmit buffer (the query read in the receive ring). Rate limiting
      // needs the reply as bytes, so it takes the general path below.
      const at = limiter || s.truncated(i) ? -1 : s.txFree();
      if (at >= 0) {
        const n = this.cache.copyUdpReply(s.rx, s.queryStart(i), s.queryLength(i), gen, s.tx, at, s.txRoom());
        if (n > 0) {
          this.stats.udpQueries++;
          this.stats.cacheHits++;
          s.commit(i, n);
          continue;
        }
      }
      let r: HandleResult;
      try {
        // A datagram longer than a receive slot arrived cut: FORMERR, as for any query that
        // cannot be read whole. Otherwise a cached reply is patched in place: it is copied
        // into the batch's transmit buffer right below, before the next lookup.
        r = s.truncated(i) ? formerrFor(s.query(i)) : this.handle(s.query(i), "udp", true);
      } catch (err) {
        this.opts.log.error({ err }, "query handler failed");
        continue;
      }
      if (r.kind !== "reply") continue;
      const decision = limiter ? limiter.decide(s.address(i), nowMs) : "send";
      if (decision !== "send") this.stats.rateLimited++;
      if (decision === "send") s.reply(i, r.bytes);
      else if (decision === "truncate") s.reply(i, truncatedReply(r.bytes));
    }
  }

  private onConnection(s: net.Socket): void {
    this.conns.add(s);
    s.setNoDelay(true);
    s.setTimeout(dnsServerLimits.tcpIdleMs, () => s.destroy());
    s.on("close", () => this.conns.delete(s));
    s.on("error", () => s.destroy());
    let buf = Buffer.alloc(0);
    let busy = Promise.resolve();
    let inflight = 0;
    const send = (m: Uint8Array) => {
      const frame = Buffer.allocUnsafe(2 + m.length);
      frame.writeUInt16BE(m.length, 0);
      frame.set(m, 2);
      if (!s.destroyed) s.write(frame);
    };
    s.on("data", (chunk) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const q = Uint8Array.from(buf.subarray(2, 2 + len));
        buf = buf.subarray(2 + len);
        inflight++;
        if (inflight >= dnsServerLimits.maxTcpInflight) s.pause();
        // Answers go out in order: a transfer streams before the next query is answered.
        busy = busy
          .then(async () => {
            const r = this.handle(q, "tcp", true);
            if (r.kind === "reply") send(r.bytes);
            else if (r.kind === "transfer") {
              if (!this.opts.transfer) s.destroy();
              else await this.opts.transfer(r.answer, q, send, `${s.remoteAddress}:${s.remotePort}`);
            }
          })
          .catch((err) => {
            this.opts.log.warn({ err }, "TCP query failed");
            s.destroy();
          })
          .finally(() => {
            inflight--;
            if (s.isPaused() && inflight < dnsServerLimits.maxTcpInflight) s.resume();
          });
      }
    });
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.destroy();
    this.batched?.close();
    await Promise.all([
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r())),
    ]);
  }
}
