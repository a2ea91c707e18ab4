// A raw TCP peer for protocol tests: send exact bytes, read exact counts, see the close.
import { connect, type Socket } from "node:net";

export class RawPeer {
  private buf = Buffer.alloc(0);
  closed = false;
  private wake: (() => void) | undefined;
  private constructor(readonly socket: Socket) {
    socket.on("data", (b: Buffer) => {
      this.buf = Buffer.concat([this.buf, b]);
      this.wake?.();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static async connect(port: number): Promise<RawPeer> {
    const s = connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      s.once("connect", resolve);
      s.once("error", reject);
    });
    return new RawPeer(s);
  }

  send(...bufs: Buffer[]): void {
    for (const b of bufs) this.socket.write(b);
  }

  /** Exactly n bytes, or throws if the server closes first or nothing comes in time. */
  async read(n: number, timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length < n) {
      if (this.closed) throw new Error(`closed after ${this.buf.length} of ${n} bytes`);
      if (Date.now() > deadline) throw new Error(`timed out with ${this.buf.length} of ${n} bytes`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 50);
      });
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Resolves true once the server has closed the connection (false after the timeout). */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline)
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 50);
      });
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
