// The NBD server shell: TCP connections, the handshake, and transmission requests handed to
// a block target. Framing is nbd-decoder.ts, option logic nbd-options.ts, request rules
// nbd-request-check.ts; this file only moves bytes and keeps every connection bounded.
import { createServer, type Server, Socket } from "node:net";
import type { Logger } from "pino";
import { inlineIoMaxBytes } from "./block-io.ts";
import { BufferPool } from "./buffer-pool.ts";
import { NbdDecoder, ProtocolViolation } from "./nbd-decoder.ts";
import { type ExportInfo, handleOption } from "./nbd-options.ts";
import {
  clientFlag,
  cmd,
  cmdFlag,
  handshakeGreeting,
  nbdErr,
  nbdLimits,
  opt,
  optionError,
  rep,
  requestHeaderBytes,
  simpleReply,
  writeReplyHeader,
} from "./nbd-protocol.ts";
import { checkRequest } from "./nbd-request-check.ts";

/**
 * What an export does with the requests that passed the protocol checks. `inline` says the
 * request is alone on the server, so its chunk I/O may run on the event loop (block-io.ts).
 */
export interface BlockTarget {
  /** Fills `into` (exactly the requested length) with the export's bytes at offset. */
  read(offset: number, into: Buffer, inline: boolean): Promise<void>;
  /** Writes the payload, held as the pieces the socket delivered it in. */
  write(offset: number, data: Buffer[], fua: boolean, inline: boolean): Promise<void>;
  writeZeroes(offset: number, length: number, opts: { fua: boolean; noHole: boolean }): Promise<void>;
  trim(offset: number, length: number, fua: boolean): Promise<void>;
  /** Persists every write that completed before the call. */
  flush(): Promise<void>;
  /** The connection closed; release what it held. */
  release(): void;
}

/** Thrown by a target to answer with a specific NBD error (EPERM when fenced, ENOSPC, …). */
export class NbdError extends Error {
  constructor(
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ExportProvider {
  /** Size and flags of an export, or undefined when the name is unknown (or not the caller's). */
  describe(name: string): ExportInfo | undefined;
  /** Opens an export for one connection; may throw NbdError (e.g. attached elsewhere). */
  open(name: string, connectionId: number): BlockTarget;
  /** Names NBD_OPT_LIST shows. */
  list(): string[];
}

export interface NbdServerOptions {
  provider: ExportProvider;
  log: Logger;
  /** Connections beyond this are refused at accept. */
  maxConnections?: number;
  /** A client that has not finished the handshake in this time is disconnected. */
  handshakeTimeoutMs?: number;
}

export const nbdServerDefaults = { maxConnections: 256, handshakeTimeoutMs: 10_000 };

interface Connection {
  id: number;
  socket: Socket;
  exportName?: string;
  close(): void;
}

export class NbdServer {
  private readonly server: Server;
  private readonly connections = new Map<number, Connection>();
  private nextId = 1;
  /** Requests being served on all connections: a request is "alone" when this is 0. */
  private inFlight = 0;
  private readonly replyBuffers = new BufferPool();

  constructor(private readonly opts: NbdServerOptions) {
    // Paused at accept: the socket is re-wrapped with a receive buffer of ours before any read.
    this.server = createServer({ noDelay: true, pauseOnConnect: true }, (s) => this.accept(s));
  }

  async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
  }

  address(): { host: string; port: number } {
    const a = this.server.address();
    if (!a || typeof a === "string") throw new Error("NBD server is not listening");
    return { host: a.address, port: a.port };
  }

  /** Drops every connection to an export (fencing after a new attachment or a failover). */
  disconnectExport(name: string): number {
    let n = 0;
    for (const c of this.connections.values())
      if (c.exportName === name) {
        c.close();
        n++;
      }
    return n;
  }

  async close(): Promise<void> {
    for (const c of this.connections.values()) c.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(raw: Socket): void {
    // Counted here: re-wrapped sockets are not in net.Server's own count (maxConnections).
    if (this.connections.size >= (this.opts.maxConnections ?? nbdServerDefaults.maxConnections)) {
      raw.destroy();
      return;
    }
    const id = this.nextId++;
    const log = this.opts.log.child({ nbdConnection: id });
    const pool = this.replyBuffers;
    // WRITE payloads are gathered into pooled buffers; given back when the write is done.
    const decoder = new NbdDecoder(nbdLimits.maxPayloadBytes, (n) => pool.take(n));
    const rx = Buffer.allocUnsafeSlow(receiveBufferBytes);
    const socket =
      withUserBuffer(raw, {
        // The rest of a large payload goes straight into its buffer; everything else into rx.
        buffer: () => decoder.payloadTarget(directPayloadMinBytes) ?? rx,
        callback: (n, buf) => {
          if (buf === rx) decoder.push(rx.subarray(0, n));
          else decoder.payloadFilled(n);
          pump();
          decoder.detach(); // rx is reused by the next read
          return true; // backpressure is socket.pause() in pump
        },
      }) ?? raw;
    if (socket === raw) {
      raw.on("data", (b: Buffer) => {
        decoder.push(b);
        pump();
      });
      raw.resume();
    }
    let target: BlockTarget | undefined;
    let info: ExportInfo | undefined;
    let noZeroes = false;
    let options = 0;
    let inFlight = 0;
    let closing = false;
    let disconnectRequested = false;
    const conn: Connection = {
      id,
      socket,
      close: () => {
        if (closing) return;
        closing = true;
        socket.destroy();
      },
    };
    this.connections.set(id, conn);
    socket.setNoDelay(true);
    const handshakeTimer = setTimeout(() => {
      log.info("handshake not finished in time; disconnecting");
      conn.close();
    }, this.opts.handshakeTimeoutMs ?? nbdServerDefaults.handshakeTimeoutMs);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(handshakeTimer);
      closing = true;
      this.connections.delete(id);
      target?.release();
    });
    socket.write(handshakeGreeting());

    const send = (b: Buffer) => {
      if (!closing) socket.write(b);
    };
    const sendAll = (bufs: Buffer[]) => {
      socket.cork();
      for (const b of bufs) send(b);
      socket.uncork();
    };

    const finishIfDisconnecting = () => {
      if (disconnectRequested && inFlight === 0 && !closing) {
        closing = true;
        socket.end();
      }
    };

    type Request = Extract<ReturnType<NbdDecoder["next"]>, { type: "request" }>;

    const read = async (f: Request, t: BlockTarget, inline: boolean) => {
      // Header and data in one buffer: one socket write, and the buffer goes back to the pool
      // once the socket has taken it.
      const whole = 16 + f.length;
      const b = pool.take(whole);
      try {
        await t.read(f.offset, b.subarray(16, whole), inline);
      } catch (e) {
        pool.give(b);
        throw e;
      }
      writeReplyHeader(b, f.handle, nbdErr.ok);
      if (closing) return pool.give(b);
      socket.write(whole === b.length ? b : b.subarray(0, whole), () => pool.give(b));
    };

    const serve = async (f: Request, t: BlockTarget, i: ExportInfo, inline: boolean) => {
      const err = checkRequest(f, i.sizeBytes, i.flags);
      if (err !== nbdErr.ok) {
        if (f.payloadBuffer) pool.give(f.payloadBuffer);
        return send(simpleReply(f.handle, err));
      }
      const fua = (f.flags & cmdFlag.fua) !== 0;
      try {
        switch (f.command) {
          case cmd.read:
            return await read(f, t, inline);
          case cmd.write:
            await t.write(f.offset, f.payload, fua, inline);
            // Written locally and on every replica (whose sockets have sent it): reusable.
            // After a failure it is left to the garbage collector (a socket may still hold it).
            if (f.payloadBuffer) pool.give(f.payloadBuffer);
            break;
          case cmd.flush:
            await t.flush();
            break;
          case cmd.trim:
            await t.trim(f.offset, f.length, fua);
            break;
          case cmd.writeZeroes:
            await t.writeZeroes(f.offset, f.length, { fua, noHole: (f.flags & cmdFlag.noHole) !== 0 });
            break;
        }
        send(simpleReply(f.handle, nbdErr.ok));
      } catch (e) {
        const errno = e instanceof NbdError ? e.errno : nbdErr.io;
        if (!(e instanceof NbdError)) log.error({ err: e, command: f.command }, "NBD request failed");
        send(simpleReply(f.handle, errno));
      }
    };

    /** Bytes a request holds while in flight: its payload, or its reply buffer. */
    const weight = (f: Request) => (f.command === cmd.read || f.command === cmd.write ? f.length : 0);
    let inFlightBytes = 0;
    const saturated = () =>
      inFlight >= nbdLimits.maxInFlightRequests || inFlightBytes >= nbdLimits.maxInFlightBytes;

    const pump = () => {
      try {
        for (;;) {
          if (closing || disconnectRequested) return;
          if (decoder.phase === "transmission" && saturated()) {
            socket.pause();
            return;
          }
          const f = decoder.next();
          if (!f) return;
          if (f.type === "clientFlags") {
            noZeroes = (f.flags & clientFlag.noZeroes) !== 0;
            continue;
          }
          if (f.type === "option") {
            if (++options > nbdLimits.maxOptionsPerConnection) {
              log.info("too many options without choosing an export; disconnecting");
              return conn.close();
            }
            const p = this.opts.provider;
            const out = handleOption(f.option, f.data, {
              lookup: (n) => p.describe(n),
              listable: () => p.list(),
              noZeroes,
            });
            if (out.next === "transmit") {
              try {
                target = p.open(out.exportName, id);
              } catch (e) {
                // NBD_OPT_EXPORT_NAME has no error reply; GO answers with a policy error.
                if (f.option === opt.exportName) return conn.close();
                send(optionError(f.option, rep.errPolicy, (e as Error).message));
                log.info({ err: (e as Error).message, export: out.exportName }, "export refused");
                continue;
              }
              info = out.export;
              conn.exportName = out.exportName;
              sendAll(out.replies);
              decoder.phase = "transmission";
              clearTimeout(handshakeTimer);
              log.debug({ export: out.exportName }, "transmission phase");
              continue;
            }
            sendAll(out.replies);
            if (out.next === "close") {
              closing = true;
              socket.end();
              return;
            }
            continue;
          }
          // A request.
          if (f.command === cmd.disc) {
            disconnectRequested = true;
            finishIfDisconnecting();
            return;
          }
          // Alone: nothing in flight anywhere on this server and no further request buffered
          // (a client with a queue of requests has sent more than one).
          const inline =
            this.inFlight === 0 &&
            decoder.bufferedBytes < requestHeaderBytes &&
            (f.command === cmd.read || f.command === cmd.write) &&
            f.length <= inlineIoMaxBytes;
          const w = weight(f);
          inFlight++;
          inFlightBytes += w;
          this.inFlight++;
          void serve(f, target!, info!, inline).finally(() => {
            inFlight--;
            inFlightBytes -= w;
            this.inFlight--;
            if (disconnectRequested) return finishIfDisconnecting();
            if (socket.isPaused() && !saturated()) {
              socket.resume();
              pump();
            }
          });
        }
      } catch (e) {
        if (e instanceof ProtocolViolation) {
          log.info({ reason: e.message }, "NBD protocol violation; disconnecting");
          return conn.close();
        }
        log.error({ err: e }, "NBD connection failed");
        conn.close();
      }
    };
  }
}

/** Receive buffer of a connection (reused for every read that is not a large payload's). */
const receiveBufferBytes = 128 * 1024;
/** A payload with at least this much left is read by the socket straight into its buffer. */
const directPayloadMinBytes = 16 * 1024;

interface UserBufferRead {
  buffer: () => Uint8Array;
  callback: (bytesRead: number, buf: Uint8Array) => boolean;
}

/**
 * Re-wraps an accepted (paused) socket's handle in a net.Socket with `onread`, so the kernel
 * copies received bytes into buffers we reuse instead of a fresh 64 KiB Buffer per read —
 * memory outside the V8 heap whose churn made the garbage collector a quarter of a volume
 * server's CPU under large writes. net.Server offers no `onread` for accepted sockets; this
 * uses the `handle` constructor option that Node itself uses for them. Undefined (the caller
 * keeps the plain socket) if this Node does not have the shape expected.
 */
function withUserBuffer(raw: Socket, onread: UserBufferRead): Socket | undefined {
  const r = raw as unknown as { _handle?: { useUserBuffer?: unknown; readStart?: unknown } | null };
  const handle = r._handle;
  if (!handle || typeof handle.useUserBuffer !== "function" || typeof handle.readStart !== "function")
    return undefined;
  r._handle = null;
  raw.destroy(); // no handle left to close; net.Server's count goes back down
  return new Socket({ handle, onread, readable: true, writable: true } as unknown as ConstructorParameters<
    typeof Socket
  >[0]);
}
