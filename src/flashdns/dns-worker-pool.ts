// UDP worker processes (--dns-processes N > 1): one process caps UDP throughput, so workers
// share one UDP socket (the kernel hands each datagram to one of them) and answer
// from a copy of the zone index that the primary sends them on every change. The primary
// keeps TCP, transfers and NOTIFY. Rate limiting, when on, is counted per worker. With
// batched I/O the primary binds the socket through the addon and each worker inherits it as
// an extra fd (stdio slot 4); with node:dgram node:cluster shares the socket.
import cluster, { type Worker } from "node:cluster";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { WorkerConfig, WorkerStats } from "./dns-worker-messages.ts";
import { workerConfigEnv, workerReport } from "./dns-worker-messages.ts";
import type { ZoneChange, ZoneIndex } from "./zone-index.ts";

export const dnsWorkerLimits = {
  maxWorkers: 16,
  startTimeoutMs: 30_000,
  restartDelayMs: 1_000,
  stopTimeoutMs: 5_000,
};

export interface DnsWorkerPoolOptions {
  count: number;
  index: ZoneIndex;
  log: Logger;
  config: WorkerConfig;
  /** A UDP socket bound by the primary for batched I/O, inherited by every worker. */
  udpFd?: number;
}

/** Where a worker finds the inherited UDP socket: the slot after stdin/out/err and IPC. */
const inheritedUdpFd = 4;

const zeroStats = (): WorkerStats => ({ udpQueries: 0, cacheHits: 0, rateLimited: 0, udpDropped: 0 });

export class DnsWorkerPool {
  /** Workers that have asked for the zones (and get every change since). */
  private readonly workers = new Set<Worker>();
  private readonly forked = new Set<Worker>();
  /** Latest counters of each live worker, and the sum of those that exited. */
  private readonly live = new Map<Worker, WorkerStats>();
  private readonly gone = zeroStats();
  private closing = false;
  private readonly restarts = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: DnsWorkerPoolOptions) {
    if (opts.count < 1 || opts.count > dnsWorkerLimits.maxWorkers)
      throw new Error(`dns worker count ${opts.count} is outside 1..${dnsWorkerLimits.maxWorkers}`);
    opts.index.onChange((c) => {
      for (const w of this.workers) this.sendChange(w, c);
    });
  }

  /** Starts the workers; resolves when every one is listening. */
  async start(): Promise<void> {
    const self = fileURLToPath(import.meta.url);
    const fromSource = extname(self) === ".ts";
    cluster.setupPrimary({
      exec: self.replace(/dns-worker-pool\.(ts|js)$/, `dns-worker.$1`),
      // Sources run through tsx (as bin/photon.js does); a build runs as plain JS.
      execArgv: fromSource ? ["--import", import.meta.resolve("tsx")] : [],
      serialization: "advanced",
      ...(this.opts.udpFd !== undefined
        ? { stdio: ["inherit", "inherit", "inherit", "ipc", this.opts.udpFd] }
        : {}),
    });
    await Promise.all(Array.from({ length: this.opts.count }, () => this.fork()));
  }

  get stats(): WorkerStats {
    const s = { ...this.gone };
    for (const w of this.live.values()) {
      s.udpQueries += w.udpQueries;
      s.cacheHits += w.cacheHits;
      s.rateLimited += w.rateLimited;
      s.udpDropped += w.udpDropped;
    }
    return s;
  }

  private sendChange(w: Worker, c: ZoneChange): void {
    if (!w.isConnected()) return;
    // Structured clone (advanced serialization) carries the compiled zone's maps as they are.
    if (c.kind === "set") w.send({ kind: "set", zone: c.zone });
    else w.send({ kind: "delete", key: c.key });
  }

  private fork(): Promise<void> {
    const config: WorkerConfig = {
      ...this.opts.config,
      ...(this.opts.udpFd !== undefined ? { udpFd: inheritedUdpFd } : {}),
    };
    const w = cluster.fork({ [workerConfigEnv]: JSON.stringify(config) });
    this.forked.add(w);
    this.live.set(w, zeroStats());
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`DNS worker ${w.process.pid} did not start`)),
        dnsWorkerLimits.startTimeoutMs,
      );
      w.on("message", (m: unknown) => {
        const r = workerReport.safeParse(m);
        if (!r.success) return;
        if (r.data.kind === "hello") {
          // Messages that reach a worker before its module has loaded are lost, so it asks.
          // The snapshot goes first; changes after it follow on the same ordered channel.
          this.workers.add(w);
          for (const zone of this.opts.index.all()) this.sendChange(w, { kind: "set", zone });
          w.send({ kind: "start" });
        } else if (r.data.kind === "listening") {
          clearTimeout(timer);
          resolve();
        } else if (r.data.kind === "stats") this.live.set(w, r.data.stats);
      });
      w.on("exit", (code, signal) => {
        clearTimeout(timer);
        this.workers.delete(w);
        this.forked.delete(w);
        const last = this.live.get(w) ?? zeroStats();
        this.live.delete(w);
        this.gone.udpQueries += last.udpQueries;
        this.gone.cacheHits += last.cacheHits;
        this.gone.rateLimited += last.rateLimited;
        this.gone.udpDropped += last.udpDropped;
        if (this.closing) return;
        reject(new Error(`DNS worker exited (${code ?? signal}) while starting`));
        this.opts.log.error({ code, signal }, "DNS worker exited; starting another");
        const t = setTimeout(() => {
          this.restarts.delete(t);
          if (!this.closing)
            this.fork().catch((err) => this.opts.log.error({ err }, "DNS worker restart failed"));
        }, dnsWorkerLimits.restartDelayMs);
        this.restarts.add(t);
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.restarts) clearTimeout(t);
    await Promise.all(
      [...this.forked].map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            const kill = setTimeout(() => w.process.kill("SIGKILL"), dnsWorkerLimits.stopTimeoutMs);
            w.once("exit", () => {
              clearTimeout(kill);
              resolve();
            });
            w.process.kill("SIGTERM");
          }),
      ),
    );
  }
}
