// Worker thread: decompresses and decodes remote_write bodies off the main thread (the main
// thread then only looks series up and appends), answering each with one packed buffer.
import { parentPort } from "node:worker_threads";
import { packSeries } from "./packed-request.ts";
import { SnappyError, snappyDecompress } from "./snappy.ts";
import { decodeWriteRequest, ProtoError } from "./write-request.ts";

export interface DecodeJob {
  id: number;
  body: Uint8Array;
}

export type DecodeAnswer =
  | {
      id: number;
      packed: ArrayBuffer;
      metadata: ReturnType<typeof decodeWriteRequest>["metadata"];
      histogramCount: number;
    }
  | { id: number; error: { kind: "snappy" | "proto" | "range" | "internal"; message: string } };

parentPort?.on("message", (job: DecodeJob) => {
  let answer: DecodeAnswer;
  try {
    const wr = decodeWriteRequest(snappyDecompress(job.body));
    const packed = packSeries(wr.series);
    answer = { id: job.id, packed, metadata: wr.metadata, histogramCount: wr.histogramCount };
    parentPort!.postMessage(answer, [packed]);
    return;
  } catch (err) {
    const kind =
      err instanceof SnappyError
        ? "snappy"
        : err instanceof ProtoError
          ? "proto"
          : err instanceof RangeError
            ? "range"
            : "internal";
    answer = { id: job.id, error: { kind, message: (err as Error).message } };
  }
  parentPort!.postMessage(answer);
});

// Loaded (and, under tsx, compiled): the pool may count on it now.
parentPort?.postMessage("ready");
