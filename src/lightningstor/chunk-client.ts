// Client of the storage nodes: one transport per node (HTTP to a remote node, a message
// channel to an embedded node's worker thread), a deadline per call, and a short memory
// of nodes that just failed so that reads do not wait on a dead node for every stripe.
import { type ChunkState, type ChunkTransport, ChunkUnavailable } from "./chunk-transport.ts";
import { HttpChunkTransport } from "./http-chunk-transport.ts";

export { type ChunkState, type ChunkTransport, ChunkUnavailable };

/** After a connection failure a node is skipped for this long before it is tried again. */
export const nodeDownBackoffMs = 2_000;

export type StorageNodeRef = { id: string; url: string } | { id: string; transport: ChunkTransport };

export class ChunkClient {
  private readonly downUntil = new Map<string, number>();
  private readonly nodes = new Map<string, ChunkTransport>();

  constructor(
    nodes: StorageNodeRef[],
    private readonly clock: () => number = Date.now,
  ) {
    for (const n of nodes)
      this.nodes.set(n.id, "transport" in n ? n.transport : new HttpChunkTransport(n.id, n.url));
  }

  nodeIds(): string[] {
    return [...this.nodes.keys()].sort();
  }

  /** Nodes not known to be down right now. */
  liveNodeIds(): string[] {
    const now = this.clock();
    return this.nodeIds().filter((id) => (this.downUntil.get(id) ?? 0) <= now);
  }

  isLive(id: string): boolean {
    return (this.downUntil.get(id) ?? 0) <= this.clock();
  }

  put(node: string, id: string, data: Uint8Array): Promise<void> {
    return this.call(node, (t) => t.put(id, data));
  }

  get(node: string, id: string, dataBytes?: number): Promise<Buffer> {
    return this.call(node, (t) => t.get(id, dataBytes));
  }

  async check(node: string, id: string): Promise<ChunkState> {
    try {
      return await this.call(node, (t) => t.check(id));
    } catch {
      return "unreachable";
    }
  }

  delete(node: string, id: string): Promise<void> {
    return this.call(node, (t) => t.delete(id));
  }

  async close(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((t) => t.close()));
  }

  private async call<T>(node: string, fn: (t: ChunkTransport) => Promise<T>): Promise<T> {
    const t = this.nodes.get(node);
    if (!t) throw new ChunkUnavailable("unreachable", `unknown storage node ${node}`);
    if (!this.isLive(node)) throw new ChunkUnavailable("unreachable", `storage node ${node} is down`);
    try {
      return await fn(t);
    } catch (e) {
      if (e instanceof ChunkUnavailable && e.nodeDown)
        this.downUntil.set(node, this.clock() + nodeDownBackoffMs);
      throw e;
    }
  }
}
