// Entry of a parity worker thread (parity-pool.ts): computes the parity shards of one
// stripe whose data shards it reads from shared memory, and hands the parity back by
// transfer. Reed–Solomon is the largest CPU cost of a write; here it runs beside the S3
// event loop instead of on it.
import { parentPort } from "node:worker_threads";
import { encode } from "./reed-solomon.ts";

export interface ParityJob {
  seq: number;
  k: number;
  m: number;
  data: Uint8Array[];
}

export interface ParityDone {
  seq: number;
  parity?: Uint8Array[];
  error?: string;
}

const port = parentPort;
if (!port) throw new Error("parity-worker.ts runs only as a worker thread");
port.on("message", (job: ParityJob) => {
  try {
    const parity = encode({ k: job.k, m: job.m }, job.data);
    port.postMessage(
      { seq: job.seq, parity } satisfies ParityDone,
      parity.map((p) => p.buffer as ArrayBuffer),
    );
  } catch (e) {
    port.postMessage({ seq: job.seq, error: (e as Error).message } satisfies ParityDone);
  }
});
