// How chunk calls reach one storage node (HTTP for remote nodes, a worker thread's message
// channel for embedded ones), and the one error type every transport reports.

export const chunkCallTimeoutMs = 15_000;

export type ChunkState = "ok" | "missing" | "corrupt" | "unreachable";

export class ChunkUnavailable extends Error {
  constructor(
    readonly state: ChunkState,
    message: string,
    /** The node itself failed (connection, crash), not just this chunk. */
    readonly nodeDown = false,
  ) {
    super(message);
  }
}

/** Errors are ChunkUnavailable. */
export interface ChunkTransport {
  /** Stores a chunk durably. May take ownership of `data`'s memory (it is not used after). */
  put(id: string, data: Uint8Array): Promise<void>;
  /** `dataBytes`: the chunk's length when the caller knows it (a hint; a transport may ignore it). */
  get(id: string, dataBytes?: number): Promise<Buffer>;
  /** Verifies a chunk on the node without moving its bytes. */
  check(id: string): Promise<ChunkState>;
  delete(id: string): Promise<void>;
  close(): void | Promise<void>;
}
