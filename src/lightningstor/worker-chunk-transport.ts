// An embedded storage node in its own worker thread (chunk-worker.ts): the gateway's
// event loop only posts messages and transfers buffers; the node checksums, writes and
// fsyncs on its own thread. Reads of chunk bytes skip the thread: the gateway reads the
// node's files itself (see get()). A crashed worker fails its pending calls as "node
// down" and is started again on the next call.
import type { Worker } from "node:worker_threads";
import { type ChunkRead, ChunkStore } from "./chunk-store.ts";
import {
  type ChunkState,
  type ChunkTransport,
  ChunkUnavailable,
  chunkCallTimeoutMs,
} from "./chunk-transport.ts";
import { startWorker } from "./ts-worker.ts";

/** Calls one worker may have outstanding; past it a call fails fast instead of queueing without end. */
export const maxPendingCallsPerWorker = 1024;

export type WorkerRequest =
  | { seq: number; op: "put"; id: string; data: Uint8Array }
  | { seq: number; op: "check" | "delete"; id: string };

export interface WorkerReply {
  seq: number;
  state: "ok" | "missing" | "corrupt" | "error";
  message?: string;
}

interface Pending {
  resolve(r: WorkerReply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class WorkerChunkTransport implements ChunkTransport {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  /** The node's files, read from this thread (never written from it). */
  private readonly files: ChunkStore;

  constructor(
    private readonly node: string,
    private readonly dir: string,
    private readonly fsync: boolean,
  ) {
    this.files = new ChunkStore(dir, fsync);
  }

  async put(id: string, data: Uint8Array): Promise<void> {
    // A view into shared memory (a data shard of a stripe) is posted as it is: the worker
    // reads the same memory. Otherwise the bytes are transferred, which needs a buffer the
    // view owns alone; a view into a larger one (a pooled small Buffer) is copied first.
    let msg: WorkerRequest;
    let transfer: ArrayBuffer[] = [];
    if (data.buffer instanceof SharedArrayBuffer) msg = { seq: 0, op: "put", id, data };
    else {
      const owned =
        data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : new Uint8Array(data);
      msg = { seq: 0, op: "put", id, data: owned };
      transfer = [owned.buffer as ArrayBuffer];
    }
    const r = await this.send(msg, transfer);
    if (r.state !== "ok")
      throw new ChunkUnavailable(
        "unreachable",
        `node ${this.node} could not store chunk ${id}: ${r.message ?? r.state}`,
      );
  }

  /**
   * Reads a chunk straight from the node's files on this thread: with a CRC the check costs
   * less than the round trip through the worker did (a post each way, a transferred
   * buffer, the worker's own event loop), and the file reads run on libuv's pool either
   * way. A chunk being written concurrently reads as corrupt and parity stands in, as it
   * would on the worker.
   */
  async get(id: string, dataBytes?: number): Promise<Buffer> {
    if (this.closed) throw new ChunkUnavailable("unreachable", `storage node ${this.node} closed`, true);
    let r: ChunkRead;
    try {
      r = await this.files.get(id, dataBytes);
    } catch (e) {
      throw new ChunkUnavailable("unreachable", `chunk ${id} on ${this.node}: ${(e as Error).message}`);
    }
    if (r.state === "ok") return r.data;
    throw new ChunkUnavailable(
      r.state,
      `chunk ${id} on ${this.node}: ${r.state === "corrupt" ? r.why : r.state}`,
    );
  }

  async check(id: string): Promise<ChunkState> {
    const r = await this.send({ seq: 0, op: "check", id });
    return r.state === "error" ? "unreachable" : r.state;
  }

  async delete(id: string): Promise<void> {
    const r = await this.send({ seq: 0, op: "delete", id });
    if (r.state === "error") throw new ChunkUnavailable("unreachable", `node ${this.node}: ${r.message}`);
  }

  /** Starts the worker and waits until it answers, so the first real call does not pay for it. */
  async start(): Promise<void> {
    await this.check("probe-liveness");
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    this.failAll(`storage node ${this.node} closed`);
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker("chunk-worker", { dir: this.dir, fsync: this.fsync });
    w.on("message", (r: WorkerReply) => {
      const p = this.pending.get(r.seq);
      if (!p) return;
      this.pending.delete(r.seq);
      if (this.pending.size === 0) w.unref();
      clearTimeout(p.timer);
      p.resolve(r);
    });
    const gone = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.failAll(`storage node ${this.node} worker ${why}`);
    };
    w.on("error", (err) => gone(`failed: ${err.message}`));
    w.on("exit", (code) => gone(`exited with code ${code}`));
    // An idle node thread does not keep the process alive; a busy one does (see send()).
    w.unref();
    this.worker = w;
    return w;
  }

  private failAll(message: string): void {
    for (const [seq, p] of this.pending) {
      this.pending.delete(seq);
      clearTimeout(p.timer);
      p.reject(new ChunkUnavailable("unreachable", message, true));
    }
  }

  private send(msg: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.closed)
      return Promise.reject(new ChunkUnavailable("unreachable", `storage node ${this.node} closed`, true));
    if (this.pending.size >= maxPendingCallsPerWorker)
      return Promise.reject(
        new ChunkUnavailable(
          "unreachable",
          `storage node ${this.node} has ${maxPendingCallsPerWorker} calls pending`,
        ),
      );
    const w = this.ensureWorker();
    const seq = ++this.seq;
    return new Promise<WorkerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        if (this.pending.size === 0) w.unref();
        reject(
          new ChunkUnavailable(
            "unreachable",
            `chunk call to ${this.node} timed out after ${chunkCallTimeoutMs} ms`,
          ),
        );
      }, chunkCallTimeoutMs);
      if (this.pending.size === 0) w.ref();
      this.pending.set(seq, { resolve, reject, timer });
      w.postMessage({ ...msg, seq }, transfer);
    });
  }
}
