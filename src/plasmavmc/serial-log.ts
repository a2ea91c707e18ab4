// The guest's serial console, read from QEMU's socket into a bounded log file: at the bound
// the file becomes `<path>.1` (replacing the older one) and a new file starts, so a chatty
// guest never holds more than twice the bound on disk. Lines also go to a listener, which is
// how the worker notices what the guest reports (e.g. "photon-guest: ready").
import { appendFileSync, renameSync, statSync } from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export const serialLogBytes = 1024 * 1024;
/** A console line longer than this is cut (the rest still reaches the file). */
const maxLineChars = 4096;

export class SerialLog {
  private size = 0;
  private partial = "";
  private sock: net.Socket | undefined;

  constructor(
    readonly path: string,
    private readonly onLine: (line: string) => void = () => {},
  ) {
    try {
      this.size = statSync(path).size;
    } catch {
      this.size = 0;
    }
  }

  /** Connects to QEMU's serial socket, retrying while QEMU is still creating it. */
  async attach(socketPath: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      try {
        this.sock = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.createConnection(socketPath);
          s.once("connect", () => resolve(s));
          s.once("error", reject);
        });
        if (signal?.aborted) {
          this.sock.destroy();
          signal.throwIfAborted();
        }
        break;
      } catch (err) {
        if (signal?.aborted) throw err;
        if (Date.now() > end)
          throw new Error(`serial console socket ${socketPath} did not open: ${String(err)}`);
        await sleep(20);
      }
    }
    this.sock.on("data", (b: Buffer) => this.write(b));
    this.sock.on("error", () => {});
  }

  private write(b: Buffer): void {
    if (this.size + b.length > serialLogBytes) {
      try {
        renameSync(this.path, `${this.path}.1`);
      } catch {
        // nothing written yet
      }
      this.size = 0;
    }
    appendFileSync(this.path, b);
    this.size += b.length;
    this.partial += b.toString("latin1");
    let nl = this.partial.indexOf("\n");
    while (nl >= 0) {
      this.onLine(this.partial.slice(0, nl).replace(/\r$/, ""));
      this.partial = this.partial.slice(nl + 1);
      nl = this.partial.indexOf("\n");
    }
    if (this.partial.length > maxLineChars) {
      this.onLine(this.partial.slice(0, maxLineChars));
      this.partial = "";
    }
  }

  close(): void {
    this.sock?.destroy();
  }
}
