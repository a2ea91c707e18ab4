// Entry of an embedded storage node's worker thread: serves chunk calls from the gateway
// thread over a message channel (worker-chunk-transport.ts), so hashing, file I/O and
// fsync waits of every node leave the S3 event loop. Chunk bytes move by transfer, never
// by copy.
import { parentPort, workerData } from "node:worker_threads";
import { ChunkStore } from "./chunk-store.ts";
import type { WorkerReply, WorkerRequest } from "./worker-chunk-transport.ts";

const { dir, fsync } = workerData as { dir: string; fsync: boolean };
const store = new ChunkStore(dir, fsync);
const port = parentPort;
if (!port) throw new Error("chunk-worker.ts runs only as a worker thread");

async function serve(msg: WorkerRequest): Promise<WorkerReply> {
  switch (msg.op) {
    case "put":
      await store.put(msg.id, msg.data);
      return { seq: msg.seq, state: "ok" };
    case "get":
    case "check": {
      const r = await store.get(msg.id);
      if (r.state !== "ok") return { seq: msg.seq, state: r.state };
      if (msg.op === "check") return { seq: msg.seq, state: "ok" };
      return {
        seq: msg.seq,
        state: "ok",
        data: r.data.buffer as ArrayBuffer,
        offset: r.data.byteOffset,
        length: r.data.length,
      };
    }
    case "delete":
      await store.delete(msg.id);
      return { seq: msg.seq, state: "ok" };
  }
}

port.on("message", (msg: WorkerRequest) => {
  serve(msg).then(
    (reply) => port.postMessage(reply, reply.data ? [reply.data] : []),
    (err: Error) =>
      port.postMessage({ seq: msg.seq, state: "error", message: err.message } satisfies WorkerReply),
  );
});
