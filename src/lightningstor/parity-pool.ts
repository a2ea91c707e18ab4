// Reed–Solomon parity off the S3 event loop: a few worker threads read a stripe's data
// shards from shared memory (no copy) and return the parity shards by transfer. Shards
// not in shared memory, or a pool that is closed, are encoded on the calling thread.
import type { Worker } from "node:worker_threads";
import type { ParityDone, ParityJob } from "./parity-worker.ts";
import { type CodeParams, encode } from "./reed-solomon.ts";
import { startWorker } from "./ts-worker.ts";

/** Parity threads: this machine class has few cores, and each stripe is one job. */
export const parityWorkers = 2;
/** Jobs one worker may have queued before callers encode inline instead of waiting. */
export const maxQueuedJobsPerWorker = 16;

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(p: Buffer[]): void; reject(e: Error): void }>;
}

export class ParityPool {
  private readonly slots: Slot[] = [];
  private seq = 0;
  private next = 0;
  private closed = false;

  constructor(private readonly size = parityWorkers) {}

  /** Whether a buffer lives in shared memory, so a worker can read it in place. */
  static shared(b: Uint8Array): boolean {
    return typeof SharedArrayBuffer !== "undefined" && b.buffer instanceof SharedArrayBuffer;
  }

  async encode(params: CodeParams, data: Uint8Array[]): Promise<Buffer[]> {
    if (this.closed || this.size === 0 || !data.every(ParityPool.shared)) return encode(params, data);
    const slot = this.slot();
    if (slot.pending.size >= maxQueuedJobsPerWorker) return encode(params, data);
    const seq = ++this.seq;
    return new Promise<Buffer[]>((resolve, reject) => {
      // A busy worker keeps the process alive until its jobs are answered; an idle one does not.
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(seq, { resolve, reject });
      slot.worker.postMessage({ seq, k: params.k, m: params.m, data } satisfies ParityJob);
    });
  }

  /** Starts every worker and waits for one small job each, so no write pays for a thread's start. */
  async start(): Promise<void> {
    const probe = () => Array.from({ length: 2 }, () => Buffer.from(new SharedArrayBuffer(64)));
    await Promise.all(Array.from({ length: this.size }, () => this.encode({ k: 2, m: 1 }, probe())));
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const s of slots) this.fail(s, "parity pool closed");
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private slot(): Slot {
    const i = this.next++ % this.size;
    let s = this.slots[i];
    if (s) return s;
    const worker = startWorker("parity-worker", undefined);
    const slot: Slot = { worker, pending: new Map() };
    worker.on("message", (done: ParityDone) => {
      const p = slot.pending.get(done.seq);
      if (!p) return;
      slot.pending.delete(done.seq);
      if (slot.pending.size === 0) worker.unref();
      if (done.parity) p.resolve(done.parity.map((u) => Buffer.from(u.buffer, u.byteOffset, u.length)));
      else p.reject(new Error(`parity worker: ${done.error}`));
    });
    const gone = (why: string) => {
      if (this.slots[i] === slot) this.slots[i] = undefined as unknown as Slot;
      this.fail(slot, why);
    };
    worker.on("error", (err) => gone(`parity worker failed: ${err.message}`));
    worker.on("exit", (code) => gone(`parity worker exited with code ${code}`));
    worker.unref();
    this.slots[i] = slot;
    s = slot;
    return s;
  }

  private fail(s: Slot, why: string): void {
    for (const [seq, p] of s.pending) {
      s.pending.delete(seq);
      p.reject(new Error(why));
    }
  }
}
