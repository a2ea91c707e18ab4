// What every cluster launcher of the benchmarks needs from a child process: a free port, a
// line of its output to wait for, output drained so a full pipe never blocks its logger, and a
// stop that ends only that child (SIGTERM, SIGKILL after a grace).
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** How long a member or store may take to come up on a loaded machine. */
export const START_TIMEOUT_MS = 120_000;
/** Output kept while waiting for a line (enough for the tail of a crash). */
const MAX_WAIT_OUTPUT_CHARS = 200_000;
/** Between SIGTERM (a profiled store writes its profile) and SIGKILL. */
const STOP_GRACE_MS = 10_000;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Resolves with the first capture group (or the whole match) of `re` in the child's output. */
export function waitForLine(child: ChildProcess, re: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`no ${re} in ${buf.slice(-2000)}`)), timeoutMs);
    const on = (d: Buffer) => {
      if (buf.length < MAX_WAIT_OUTPUT_CHARS) buf += d.toString();
      const m = re.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[0]);
      }
    };
    child.stdout?.on("data", on);
    child.stderr?.on("data", on);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${re}: ${buf.slice(-2000)}`));
    });
  });
}

/** Keeps reading a child's output without storing it. */
export function drain(child: ChildProcess): void {
  child.stdout?.on("data", () => undefined);
  child.stderr?.on("data", () => undefined);
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS).unref();
  });
}

export function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  return Promise.all(children.map(stopChild)).then(() => undefined);
}

/** Calls `f` until it returns true (errors count as "not yet") or the start timeout passes. */
export async function retryUntil(
  what: string,
  f: () => Promise<boolean>,
  timeoutMs = START_TIMEOUT_MS,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await f()) return;
    } catch (err) {
      if (Date.now() > until) throw err;
    }
    if (Date.now() > until) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
