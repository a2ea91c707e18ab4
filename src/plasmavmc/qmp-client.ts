// A QMP client (QEMU Machine Protocol: JSON lines over a socket). One command at a time in
// flight, answered in order; asynchronous events go to listeners.
import { EventEmitter } from "node:events";
import net from "node:net";

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp?: { seconds: number; microseconds: number };
}

export class QmpError extends Error {
  constructor(
    readonly qmpClass: string,
    message: string,
  ) {
    super(message);
  }
}

/** A line longer than this is not QMP we asked for: the connection is dropped. */
const maxLineBytes = 4 * 1024 * 1024;

export class QmpClient extends EventEmitter<{ event: [QmpEvent]; close: [] }> {
  private buf = "";
  private readonly pending: {
    resolve: (v: unknown) => void;
    reject: (e: Error) => void;
  }[] = [];
  private greeted: Promise<void>;
  private closed = false;

  private constructor(private readonly sock: net.Socket) {
    super();
    let greet!: () => void;
    let fail!: (e: Error) => void;
    this.greeted = new Promise((res, rej) => {
      greet = res;
      fail = rej;
    });
    let greeting = true;
    sock.setEncoding("utf8");
    sock.on("data", (chunk: string) => {
      this.buf += chunk;
      if (this.buf.length > maxLineBytes) {
        sock.destroy(new Error("QMP line too long"));
        return;
      }
      let nl = this.buf.indexOf("\n");
      while (nl >= 0) {
        const line = this.buf.slice(0, nl).trim();
        this.buf = this.buf.slice(nl + 1);
        nl = this.buf.indexOf("\n");
        if (!line) continue;
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          sock.destroy(new Error(`QMP sent something that is not JSON: ${line.slice(0, 80)}`));
          return;
        }
        if (greeting && "QMP" in msg) {
          greeting = false;
          greet();
        } else if ("event" in msg) this.emit("event", msg as unknown as QmpEvent);
        else if ("return" in msg) this.pending.shift()?.resolve(msg.return);
        else if ("error" in msg) {
          const e = msg.error as { class?: string; desc?: string };
          this.pending.shift()?.reject(new QmpError(e.class ?? "GenericError", e.desc ?? "QMP error"));
        }
      }
    });
    const end = (err?: Error) => {
      if (this.closed) return;
      this.closed = true;
      const e = err ?? new Error("QMP connection closed");
      fail(e);
      for (const p of this.pending.splice(0)) p.reject(e);
      this.emit("close");
    };
    sock.on("error", end);
    sock.on("close", () => end());
  }

  /**
   * Connects to a QMP socket and leaves capabilities negotiation mode. QEMU greets one client
   * at a time, so a greeting that does not come within timeoutMs fails the connect.
   */
  static async connect(path: string, timeoutMs = 10_000): Promise<QmpClient> {
    const sock = net.createConnection(path);
    await new Promise<void>((resolve, reject) => {
      sock.once("connect", resolve);
      sock.once("error", reject);
    });
    const c = new QmpClient(sock);
    const timer = setTimeout(
      () => sock.destroy(new Error(`no QMP greeting within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      await c.greeted;
      await c.execute("qmp_capabilities");
    } finally {
      clearTimeout(timer);
    }
    return c;
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("QMP connection closed"));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject });
      this.sock.write(
        `${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`,
      );
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
