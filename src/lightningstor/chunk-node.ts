// A storage node: keeps chunks (erasure-coded shards) as files in its own directory and
// serves them over a small HTTP protocol. Every chunk carries its sha256; a write is
// verified and fsynced before it is acknowledged, and a read that fails its checksum is
// reported as corrupt (409) rather than served.
//   PUT    /chunks/{id}   body = bytes, x-chunk-sha256: hex  → 201
//   GET    /chunks/{id}   → 200 bytes | 404 | 409 corrupt
//   GET    /chunks/{id}?verify=1 → 200 | 404 | 409 (no body)
//   DELETE /chunks/{id}   → 204
//   GET    /healthz       → 200
import { mkdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { ChecksumMismatch, ChunkStore, chunkIdPattern, maxChunkSizeBytes } from "./chunk-store.ts";

export { chunkIdPattern, maxChunkSizeBytes };

export interface ChunkNodeOptions {
  id: string;
  dir: string;
  host: string;
  port: number;
  log: Logger;
  /** fsync chunk files and directories before acknowledging (off only for throwaway benches). */
  fsync?: boolean;
}

export class ChunkNode {
  private server: Server | undefined;
  private readonly store: ChunkStore;

  constructor(readonly opts: ChunkNodeOptions) {
    this.store = new ChunkStore(opts.dir, opts.fsync !== false);
  }

  async start(): Promise<string> {
    await mkdir(this.opts.dir, { recursive: true });
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        this.opts.log.error({ err }, "chunk request failed");
        if (!res.headersSent) res.writeHead(500).end(String(err?.message ?? err));
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 30_000;
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.opts.port, this.opts.host, resolve));
    return this.url();
  }

  url(): string {
    const a = this.server?.address() as AddressInfo;
    return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
  }

  /** Path of a chunk's file, for tests that delete or corrupt chunks behind the node's back. */
  chunkFile(id: string): string {
    return this.store.chunkFile(id);
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://node");
    if (url.pathname === "/healthz") {
      res.writeHead(200).end("ok");
      return;
    }
    const m = /^\/chunks\/([^/]+)$/.exec(url.pathname);
    const id = m ? decodeURIComponent(m[1] as string) : "";
    if (!m || !chunkIdPattern.test(id)) {
      req.resume();
      res.writeHead(404).end("no such route");
      return;
    }
    switch (req.method) {
      case "PUT":
        return this.put(req, res, id);
      case "GET":
      case "HEAD":
        return this.get(res, id, url.searchParams.has("verify") || req.method === "HEAD");
      case "DELETE":
        await this.store.delete(id);
        res.writeHead(204).end();
        return;
      default:
        req.resume();
        res.writeHead(405).end();
    }
  }

  private async put(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const want = req.headers["x-chunk-sha256"] as string | undefined;
    const length = Number(req.headers["content-length"]);
    if (
      (want !== undefined && !/^[0-9a-f]{64}$/.test(want)) ||
      !Number.isInteger(length) ||
      length > maxChunkSizeBytes
    ) {
      req.resume();
      res.writeHead(400).end("need a Content-Length within the chunk size limit (and x-chunk-sha256 as hex)");
      return;
    }
    // A chunk is bounded (maxChunkSizeBytes), so it is received whole and written with one
    // call: far fewer thread-pool round trips than a write per network read.
    const body = Buffer.allocUnsafe(length);
    let received = 0;
    for await (const piece of req) {
      const b = piece as Buffer;
      if (received + b.length > length) {
        received += b.length;
        break;
      }
      b.copy(body, received);
      received += b.length;
    }
    if (received !== length) {
      res.writeHead(400).end("chunk body does not match its Content-Length");
      return;
    }
    try {
      await this.store.put(id, body, want);
    } catch (e) {
      if (!(e instanceof ChecksumMismatch)) throw e;
      res.writeHead(400).end(e.message);
      return;
    }
    res.writeHead(201).end();
  }

  private async get(res: ServerResponse, id: string, verifyOnly: boolean): Promise<void> {
    const r = await this.store.get(id);
    if (r.state === "missing") {
      res.writeHead(404).end();
      return;
    }
    if (r.state === "corrupt") {
      res.writeHead(409).end("corrupt");
      return;
    }
    if (verifyOnly) {
      res.writeHead(200, { "content-length": "0" }).end();
      return;
    }
    res
      .writeHead(200, { "content-length": String(r.data.length), "content-type": "application/octet-stream" })
      .end(r.data);
  }
}
