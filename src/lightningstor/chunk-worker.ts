// Entry of an embedded storage node's worker thread: serves chunk calls from the gateway
// thread over a message channel (worker-chunk-transport.ts), so checksums, file writes and
// fsync waits of every node leave the S3 event loop. Chunk bytes to store are shared or
// transferred, never copied; reads of chunk bytes do not come here (the gateway reads the
// files itself).
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
    case "check": {
      const r = await store.get(msg.id);
      return { seq: msg.seq, state: r.state };
    }
    case "delete":
      await store.delete(msg.id);
      return { seq: msg.seq, state: "ok" };
  }
}

port.on("message", (msg: WorkerRequest) => {
  serve(msg).then(
    (reply) => port.postMessage(reply),
    (err: Error) =>
      port.postMessage({ seq: msg.seq, state: "error", message: err.message } satisfies WorkerReply),
  );
});
