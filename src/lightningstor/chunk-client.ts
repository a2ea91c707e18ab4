// Client of the storage nodes' chunk protocol (chunk-node.ts), with keep-alive connections,
// a deadline per call, and a short memory of nodes that just failed so that reads do not
// wait on a dead node for every stripe.
import { createHash } from "node:crypto";
import { Agent, request } from "node:http";

export const chunkCallTimeoutMs = 15_000;
/** After a connection failure a node is skipped for this long before it is tried again. */
export const nodeDownBackoffMs = 2_000;
/** Keep-alive sockets per node (bounds concurrent chunk calls to one node). */
export const maxSocketsPerNode = 32;

export type ChunkState = "ok" | "missing" | "corrupt" | "unreachable";

export class ChunkUnavailable extends Error {
  constructor(
    readonly state: ChunkState,
    message: string,
  ) {
    super(message);
  }
}

export interface StorageNodeRef {
  id: string;
  url: string;
}

export class ChunkClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: maxSocketsPerNode });
  private readonly downUntil = new Map<string, number>();
  private readonly nodes = new Map<string, string>();

  constructor(
    nodes: StorageNodeRef[],
    private readonly clock: () => number = Date.now,
  ) {
    for (const n of nodes) this.nodes.set(n.id, n.url);
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

  async put(node: string, id: string, data: Uint8Array): Promise<void> {
    const sum = createHash("sha256").update(data).digest("hex");
    const r = await this.call(
      node,
      "PUT",
      id,
      "",
      { "x-chunk-sha256": sum, "content-length": String(data.length) },
      data,
    );
    if (r.status !== 201)
      throw new ChunkUnavailable(
        "unreachable",
        `node ${node} refused chunk ${id}: ${r.status} ${r.body.toString().slice(0, 200)}`,
      );
  }

  async get(node: string, id: string): Promise<Buffer> {
    const r = await this.call(node, "GET", id, "", {});
    if (r.status === 200) return r.body;
    throw new ChunkUnavailable(
      r.status === 404 ? "missing" : r.status === 409 ? "corrupt" : "unreachable",
      `chunk ${id} on ${node}: ${r.status}`,
    );
  }

  async check(node: string, id: string): Promise<ChunkState> {
    try {
      const r = await this.call(node, "GET", id, "?verify=1", {});
      return r.status === 200
        ? "ok"
        : r.status === 404
          ? "missing"
          : r.status === 409
            ? "corrupt"
            : "unreachable";
    } catch {
      return "unreachable";
    }
  }

  async delete(node: string, id: string): Promise<void> {
    await this.call(node, "DELETE", id, "", {});
  }

  close(): void {
    this.agent.destroy();
  }

  private call(
    node: string,
    method: string,
    id: string,
    query: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ): Promise<{ status: number; body: Buffer }> {
    const base = this.nodes.get(node);
    if (!base) return Promise.reject(new ChunkUnavailable("unreachable", `unknown storage node ${node}`));
    if (!this.isLive(node))
      return Promise.reject(new ChunkUnavailable("unreachable", `storage node ${node} is down`));
    return new Promise((resolve, reject) => {
      const req = request(
        `${base}/chunks/${encodeURIComponent(id)}${query}`,
        { method, headers, agent: this.agent, timeout: chunkCallTimeoutMs },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (b: Buffer) => parts.push(b));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
          res.on("error", reject);
        },
      );
      req.on("timeout", () =>
        req.destroy(new Error(`chunk call to ${node} timed out after ${chunkCallTimeoutMs} ms`)),
      );
      req.on("error", (err) => {
        this.downUntil.set(node, this.clock() + nodeDownBackoffMs);
        reject(new ChunkUnavailable("unreachable", `storage node ${node}: ${err.message}`));
      });
      req.end(body);
    });
  }
}
