// The chunk protocol of chunk-node.ts over HTTP with keep-alive connections, for storage
// nodes in other processes or on other hosts. Chunks carry their sha256 end to end here:
// the bytes cross a network whose TCP checksum is too weak to rely on.
import { createHash } from "node:crypto";
import { Agent, request } from "node:http";
import {
  type ChunkState,
  type ChunkTransport,
  ChunkUnavailable,
  chunkCallTimeoutMs,
} from "./chunk-transport.ts";

/** Keep-alive sockets per node (bounds concurrent chunk calls to one node). */
export const maxSocketsPerNode = 32;

export class HttpChunkTransport implements ChunkTransport {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: maxSocketsPerNode });

  constructor(
    private readonly node: string,
    private readonly base: string,
  ) {}

  async put(id: string, data: Uint8Array): Promise<void> {
    const sum = createHash("sha256").update(data).digest("hex");
    const r = await this.call(
      "PUT",
      id,
      "",
      { "x-chunk-sha256": sum, "content-length": String(data.length) },
      data,
    );
    if (r.status !== 201)
      throw new ChunkUnavailable(
        "unreachable",
        `node ${this.node} refused chunk ${id}: ${r.status} ${r.body.toString().slice(0, 200)}`,
      );
  }

  async get(id: string): Promise<Buffer> {
    const r = await this.call("GET", id, "", {});
    if (r.status === 200) return r.body;
    throw new ChunkUnavailable(
      r.status === 404 ? "missing" : r.status === 409 ? "corrupt" : "unreachable",
      `chunk ${id} on ${this.node}: ${r.status}`,
    );
  }

  async check(id: string): Promise<ChunkState> {
    const r = await this.call("GET", id, "?verify=1", {});
    return r.status === 200
      ? "ok"
      : r.status === 404
        ? "missing"
        : r.status === 409
          ? "corrupt"
          : "unreachable";
  }

  async delete(id: string): Promise<void> {
    await this.call("DELETE", id, "", {});
  }

  close(): void {
    this.agent.destroy();
  }

  private call(
    method: string,
    id: string,
    query: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.base}/chunks/${encodeURIComponent(id)}${query}`,
        { method, headers, agent: this.agent, timeout: chunkCallTimeoutMs },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (b: Buffer) => parts.push(b));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
          res.on("error", reject);
        },
      );
      req.on("timeout", () =>
        req.destroy(new Error(`chunk call to ${this.node} timed out after ${chunkCallTimeoutMs} ms`)),
      );
      req.on("error", (err) =>
        reject(new ChunkUnavailable("unreachable", `storage node ${this.node}: ${err.message}`, true)),
      );
      req.end(body);
    });
  }
}
