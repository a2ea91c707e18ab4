// A small NBD client (fixed newstyle, NBD_OPT_GO, simple replies, pipelined requests): the
// primary uses it to forward writes to its replicas; tests use it to speak raw protocol.
import { connect, type Socket } from "node:net";
import { partsLength } from "./byte-parts.ts";
import {
  clientFlag,
  cmd,
  cmdFlag,
  encodeGoData,
  encodeOption,
  encodeRequest,
  info,
  nbdLimits,
  opt,
  optReplyMagic,
  rep,
  simpleReplyMagic,
} from "./nbd-protocol.ts";

/** Each connection's receive buffer (replies to writes are 16 bytes; read data is copied out). */
const receiveBufferBytes = 64 * 1024;
const noData = Buffer.alloc(0);

export class NbdClientError extends Error {
  constructor(
    message: string,
    readonly errno?: number,
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
  readLength: number;
  /** performance.now() when sent: the replication watchdog looks at the oldest. */
  sentAt: number;
}

export class NbdClient {
  private buf: Buffer = Buffer.alloc(0);
  private readonly pending = new Map<bigint, Pending>();
  private nextHandle = 1n;
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  sizeBytes = 0;
  flags = 0;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    const fail = (e: Error) => {
      this.failure ??= e;
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
      this.waiter?.();
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new NbdClientError("connection closed")));
  }

  /**
   * Bytes from the socket, read into the connection's reused receive buffer: replies are
   * parsed straight out of it and only an unfinished one is copied (a fresh 64 KiB buffer
   * per socket read was most of this client's garbage on a replicating primary).
   */
  private received(chunk: Buffer): void {
    if (this.buf.length === 0 && !this.waiter) {
      this.buf = chunk;
      this.drainReplies();
      // Keep nothing that points into the receive buffer: the next read overwrites it.
      if (this.buf.length) this.buf = Buffer.from(this.buf);
      return;
    }
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.waiter) this.waiter();
    else this.drainReplies();
  }

  static async connect(address: string, exportName: string, timeoutMs = 10_000): Promise<NbdClient> {
    const i = address.lastIndexOf(":");
    const host = address.slice(0, i).replace(/^\[|\]$/g, "");
    const port = Number(address.slice(i + 1));
    let c: NbdClient | undefined;
    const rx = Buffer.allocUnsafeSlow(receiveBufferBytes);
    const socket = connect({
      host,
      port,
      onread: {
        buffer: rx,
        callback: (n: number) => {
          c?.received(rx.subarray(0, n));
          return true;
        },
      },
    });
    c = new NbdClient(socket);
    const timer = setTimeout(
      () => socket.destroy(new NbdClientError(`NBD handshake with ${address} timed out`)),
      timeoutMs,
    );
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("error", reject);
      });
      await c.handshake(exportName);
      return c;
    } catch (e) {
      socket.destroy();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private async readExactly(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => {
        this.waiter = r;
      });
      this.waiter = undefined;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  private async handshake(name: string): Promise<void> {
    const hello = await this.readExactly(18);
    if (hello.toString("latin1", 0, 16) !== "NBDMAGICIHAVEOPT") throw new NbdClientError("not an NBD server");
    const c = Buffer.alloc(4);
    c.writeUInt32BE(clientFlag.fixedNewstyle | clientFlag.noZeroes);
    this.socket.write(c);
    this.socket.write(encodeOption(opt.go, encodeGoData(name, [info.blockSize])));
    for (;;) {
      const h = await this.readExactly(20);
      if (h.readBigUInt64BE(0) !== optReplyMagic) throw new NbdClientError("bad option reply magic");
      const type = h.readUInt32BE(12);
      const len = h.readUInt32BE(16);
      if (len > nbdLimits.maxOptionBytes) throw new NbdClientError("oversized option reply");
      const data = Buffer.from(await this.readExactly(len));
      if (type === rep.ack) break;
      if (type === rep.info && data.length >= 12 && data.readUInt16BE(0) === info.export) {
        this.sizeBytes = Number(data.readBigUInt64BE(2));
        this.flags = data.readUInt16BE(10);
        continue;
      }
      if (type & 0x80000000)
        throw new NbdClientError(
          `export ${name} refused: ${data.toString("utf8") || `reply 0x${type.toString(16)}`}`,
        );
    }
    this.drainReplies();
  }

  private drainReplies(): void {
    for (;;) {
      if (this.buf.length < 16) return;
      if (this.buf.readUInt32BE(0) !== simpleReplyMagic) {
        this.socket.destroy(new NbdClientError("bad reply magic"));
        return;
      }
      const err = this.buf.readUInt32BE(4);
      const handle = this.buf.readBigUInt64BE(8);
      const p = this.pending.get(handle);
      if (!p) {
        this.socket.destroy(new NbdClientError(`reply for unknown handle ${handle}`));
        return;
      }
      const need = err === 0 ? p.readLength : 0;
      if (this.buf.length < 16 + need) return;
      const data = need === 0 ? noData : Buffer.from(this.buf.subarray(16, 16 + need));
      this.buf = this.buf.subarray(16 + need);
      this.pending.delete(handle);
      if (err !== 0) p.reject(new NbdClientError(`NBD error ${err}`, err));
      else p.resolve(data);
    }
  }

  private request(
    command: number,
    flags: number,
    offset: number,
    length: number,
    payload?: Buffer | Buffer[],
  ): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    const handle = this.nextHandle++;
    let sent: Promise<void> | undefined;
    const replied = new Promise<Buffer>((resolve, reject) => {
      this.pending.set(handle, {
        resolve,
        reject,
        readLength: command === cmd.read ? length : 0,
        sentAt: performance.now(),
      });
      // One writev for the header and every payload piece (no copy into one buffer).
      this.socket.cork();
      this.socket.write(encodeRequest(command, flags, handle, offset, length));
      const pieces = payload === undefined ? [] : Array.isArray(payload) ? payload : [payload];
      for (let i = 0; i < pieces.length - 1; i++) this.socket.write(pieces[i]!);
      const last = pieces[pieces.length - 1];
      // The caller may reuse the payload's memory once this resolves: wait for the socket too.
      if (last) sent = new Promise<void>((done) => this.socket.write(last, () => done()));
      this.socket.uncork();
    });
    return sent ? Promise.all([replied, sent]).then(([b]) => b) : replied;
  }

  read(offset: number, length: number): Promise<Buffer> {
    return this.request(cmd.read, 0, offset, length);
  }
  async write(offset: number, data: Buffer | Buffer[], fua = false): Promise<void> {
    const length = Array.isArray(data) ? partsLength(data) : data.length;
    await this.request(cmd.write, fua ? cmdFlag.fua : 0, offset, length, data);
  }
  async writeZeroes(offset: number, length: number, opts: { fua: boolean; noHole: boolean }): Promise<void> {
    await this.request(
      cmd.writeZeroes,
      (opts.fua ? cmdFlag.fua : 0) | (opts.noHole ? cmdFlag.noHole : 0),
      offset,
      length,
    );
  }
  async trim(offset: number, length: number): Promise<void> {
    await this.request(cmd.trim, 0, offset, length);
  }
  async flush(): Promise<void> {
    await this.request(cmd.flush, 0, 0, 0);
  }

  /** Sends NBD_CMD_DISC and closes. */
  close(): void {
    if (!this.failure && !this.socket.destroyed) {
      this.socket.end(encodeRequest(cmd.disc, 0, 0n, 0, 0));
    }
    this.socket.destroySoon?.();
  }

  /** Milliseconds the oldest unanswered request has waited (0 when none is waiting). */
  oldestPendingMs(now: number): number {
    for (const p of this.pending.values()) return now - p.sentAt;
    return 0;
  }

  /** Closes at once; pending requests fail with `reason` (or "connection closed"). */
  destroy(reason?: Error): void {
    this.socket.destroy(reason);
  }
}
