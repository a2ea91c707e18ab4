// `--workers N`: the gateway in N processes accepting on one listening socket (the kernel
// spreads connections), like nginx's worker processes. The first process listens, serves too,
// and is the hub: it hands the socket to N-1 children, relays rate-limit usage between them
// (and to peer replicas), and restarts a child that dies.
import { type ChildProcess, fork } from "node:child_process";
import type { Server } from "node:net";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";

/** Most worker processes per gateway. */
export const maxWorkers = 32;
/** Wait before restarting a worker that exited. */
const restartDelayMs = 1_000;

export type WorkerMessage =
  | { t: "ready" }
  | { t: "listen" }
  | { t: "rate"; deltas: Record<string, number>; fromPeer?: boolean };

const here = fileURLToPath(import.meta.url);
// edge-worker.ts from source, edge-worker.js from a build.
const workerEntry = join(dirname(here), `edge-worker${extname(here)}`);

export interface WorkerPoolOptions {
  count: number;
  server: Server;
  /** Handed to each worker: its configuration and where the other roles are. */
  env: Record<string, string>;
  log: Logger;
  /** Usage a worker let through (fromPeer: learnt from a peer replica, not to be passed on again). */
  onRate(deltas: Record<string, number>, fromPeer: boolean, from: ChildProcess): void;
}

export class WorkerPool {
  private readonly children = new Set<ChildProcess>();
  private closing = false;

  constructor(private readonly o: WorkerPoolOptions) {
    for (let i = 1; i < Math.min(o.count, maxWorkers); i++) this.spawn();
  }

  /** Sends usage to every worker except `except`. */
  broadcast(deltas: Record<string, number>, except?: ChildProcess): void {
    const msg: WorkerMessage = { t: "rate", deltas };
    for (const c of this.children) if (c !== except && c.connected) c.send(msg);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.children].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once("exit", () => resolve());
            c.kill("SIGTERM");
          }),
      ),
    );
  }

  private spawn(): void {
    const child = fork(workerEntry, [], {
      env: { ...process.env, ...this.o.env },
      execArgv: extname(here) === ".ts" ? ["--import", import.meta.resolve("tsx")] : [],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.children.add(child);
    child.on("message", (m: WorkerMessage) => {
      if (m.t === "ready") child.send({ t: "listen" } satisfies WorkerMessage, this.o.server);
      else if (m.t === "rate") this.o.onRate(m.deltas, m.fromPeer === true, child);
    });
    child.on("exit", (code, signal) => {
      this.children.delete(child);
      if (this.closing) return;
      this.o.log.error({ code, signal, pid: child.pid }, "a gateway worker process exited; restarting it");
      setTimeout(() => this.closing || this.spawn(), restartDelayMs).unref();
    });
  }
}
