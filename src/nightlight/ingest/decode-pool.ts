// remote_write decoding on a worker thread. Node runs JavaScript on one thread; decoding (snappy
// + protobuf) is about half of the CPU of storing a request, so moving it to a worker lets
// ingestion use a second core (as Prometheus's goroutines do) and leaves the main thread the
// series lookup and the append. Small bodies, a full queue or a dead worker decode inline.
import { Worker } from "node:worker_threads";
import type { DecodeAnswer, DecodeJob } from "./decode-worker.ts";
import { unpackSeries } from "./packed-request.ts";
import { SnappyError, snappyDecompress } from "./snappy.ts";
import { decodeWriteRequest, ProtoError, type WriteRequest } from "./write-request.ts";

/** Bodies handed to the worker and not answered yet; beyond it, decoding happens inline. */
export const maxQueuedDecodes = 64;
/** Smaller (compressed) bodies decode inline: the hand-off would cost more than it saves. */
export const minWorkerDecodeBytes = 2048;
/** How long `start` waits for the worker to load before going on without waiting. */
export const workerStartTimeoutMs = 30_000;

type Pending = { resolve: (wr: WriteRequest) => void; reject: (err: Error) => void };

export class DecodePool {
  private worker: Worker | undefined;
  /** Set once the worker has loaded; until then bodies decode inline. */
  private ready = false;
  /** A worker that died is not started again: later bodies decode inline. */
  private failed = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  decodedInWorker = 0;

  /**
   * A pool whose worker starts with the first body worth handing off, so a server that never
   * gets large remote_write bodies (one that only scrapes) never loads it.
   */
  static lazy(): DecodePool {
    return new DecodePool();
  }

  /** Starts the worker and waits until it has loaded. */
  static async start(): Promise<DecodePool> {
    const pool = new DecodePool();
    const worker = pool.spawn();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, workerStartTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        resolve();
      };
      const onMessage = (m: unknown) => {
        if (m === "ready") done();
      };
      worker.on("message", onMessage);
      worker.once("exit", done);
    });
    return pool;
  }

  private spawn(): Worker {
    const worker = startDecodeWorker();
    this.worker = worker;
    worker.on("message", (a: DecodeAnswer | "ready") => {
      if (a === "ready") this.ready = true;
      else this.answered(a);
    });
    const fail = (err: Error) => {
      // A dead worker: what it held fails (5xx: senders retry) and later bodies decode inline.
      this.worker = undefined;
      this.failed = true;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`remote_write decode worker exited (${code})`)));
    worker.unref();
    return worker;
  }

  /** Decodes a snappy remote_write body; throws SnappyError/ProtoError/RangeError on bad input. */
  decode(body: Uint8Array): Promise<WriteRequest> {
    const large = body.length >= minWorkerDecodeBytes;
    if (large && !this.worker && !this.failed) this.spawn();
    const w = this.worker;
    if (!w || !this.ready || !large || this.pending.size >= maxQueuedDecodes)
      return Promise.resolve(decodeWriteRequest(snappyDecompress(body)));
    const id = this.nextId++;
    // A copy is transferred: the caller keeps the body (it is logged and forwarded as it is).
    const copy = new Uint8Array(body);
    const job: DecodeJob = { id, body: copy };
    return new Promise((resolve, reject) => {
      // Referenced only while it holds work: an idle worker must not keep the process alive.
      if (this.pending.size === 0) w.ref();
      this.pending.set(id, { resolve, reject });
      w.postMessage(job, [copy.buffer]);
    });
  }

  private answered(a: DecodeAnswer): void {
    const p = this.pending.get(a.id);
    if (!p) return;
    this.pending.delete(a.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ("error" in a) {
      const { kind, message } = a.error;
      p.reject(
        kind === "snappy"
          ? new SnappyError(message)
          : kind === "proto"
            ? new ProtoError(message)
            : kind === "range"
              ? new RangeError(message)
              : new Error(message),
      );
      return;
    }
    this.decodedInWorker++;
    p.resolve({ series: unpackSeries(a.packed), metadata: a.metadata, histogramCount: a.histogramCount });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

/**
 * Under tsx (the CLI runs from source) a worker does not inherit the TypeScript loader, so the
 * .ts entry is loaded through a two-line bootstrap that registers it first.
 */
function startDecodeWorker(): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(`./decode-worker.${fromSource ? "ts" : "js"}`, import.meta.url);
  if (!fromSource) return new Worker(entry);
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true });
}
