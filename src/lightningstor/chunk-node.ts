// A storage node: keeps chunks (erasure-coded shards) as files in its own directory and
// serves them over a small HTTP protocol. Every chunk carries its sha256; a write is
// verified and fsynced before it is acknowledged, and a read that fails its checksum is
// reported as corrupt (409) rather than served.
//   PUT    /chunks/{id}   body = bytes, x-chunk-sha256: hex  → 201
//   GET    /chunks/{id}   → 200 bytes | 404 | 409 corrupt
//   GET    /chunks/{id}?verify=1 → 200 | 404 | 409 (no body)
//   DELETE /chunks/{id}   → 204
//   GET    /healthz       → 200
import { createHash } from "node:crypto";
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Logger } from "pino";

/** Largest chunk a node accepts: a shard is at most this (shard size is ≤ 4 MiB by config). */
export const maxChunkSizeBytes = 16 * 1024 * 1024;
export const chunkIdPattern = /^[A-Za-z0-9._-]{1,200}$/;
const checksumBytes = 32;

export interface ChunkNodeOptions {
  id: string;
  dir: string;
  host: string;
  port: number;
  log: Logger;
  /** fsync chunk files and directories before acknowledging (off only for throwaway benches). */
  fsync?: boolean;
}

/** Where a chunk lives: two hex levels of fan-out keep directories small. */
function chunkPath(dir: string, id: string): { dirPath: string; file: string } {
  const h = createHash("sha1").update(id).digest("hex");
  const dirPath = join(dir, h.slice(0, 2), h.slice(2, 4));
  return { dirPath, file: join(dirPath, id) };
}

export class ChunkNode {
  private server: Server | undefined;
  private readonly madeDirs = new Set<string>();

  constructor(readonly opts: ChunkNodeOptions) {}

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
    return chunkPath(this.opts.dir, id).file;
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
    const { dirPath, file } = chunkPath(this.opts.dir, id);
    switch (req.method) {
      case "PUT":
        return this.put(req, res, dirPath, file);
      case "GET":
      case "HEAD":
        return this.get(res, file, url.searchParams.has("verify") || req.method === "HEAD");
      case "DELETE":
        await rm(file, { force: true });
        res.writeHead(204).end();
        return;
      default:
        req.resume();
        res.writeHead(405).end();
    }
  }

  private async put(req: IncomingMessage, res: ServerResponse, dirPath: string, file: string): Promise<void> {
    const want = String(req.headers["x-chunk-sha256"] ?? "");
    const length = Number(req.headers["content-length"]);
    if (!/^[0-9a-f]{64}$/.test(want) || !Number.isInteger(length) || length > maxChunkSizeBytes) {
      req.resume();
      res.writeHead(400).end("need x-chunk-sha256 and a Content-Length within the chunk size limit");
      return;
    }
    if (!this.madeDirs.has(dirPath)) {
      await mkdir(dirPath, { recursive: true });
      this.madeDirs.add(dirPath);
    }
    // A chunk is bounded (maxChunkSizeBytes), so it is received whole and written with one
    // call: far fewer thread-pool round trips than a write per network read.
    const hash = createHash("sha256");
    const parts: Buffer[] = [Buffer.from(want, "hex")];
    let received = 0;
    for await (const piece of req) {
      const b = piece as Buffer;
      received += b.length;
      if (received > length) break;
      hash.update(b);
      parts.push(b);
    }
    if (received !== length || hash.digest("hex") !== want) {
      res.writeHead(400).end("chunk body does not match its length or x-chunk-sha256");
      return;
    }
    // Written in place, not via a temp file and rename: the checksum header makes a torn
    // write detectable (the chunk reads as corrupt and the scrubber rebuilds it), and the
    // file and its directory entry are fsynced together, one fsync latency instead of two.
    const fh = await open(file, "w");
    try {
      const buf = Buffer.concat(parts, checksumBytes + length);
      await fh.write(buf, 0, buf.length, 0);
      if (this.opts.fsync !== false) await Promise.all([fh.sync(), this.syncDir(dirPath)]);
    } finally {
      await fh.close();
    }
    res.writeHead(201).end();
  }

  private async syncDir(dirPath: string): Promise<void> {
    const d = await open(dirPath, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  private async get(res: ServerResponse, file: string, verifyOnly: boolean): Promise<void> {
    let buf: Buffer;
    try {
      const st = await stat(file);
      if (st.size > maxChunkSizeBytes + checksumBytes)
        throw Object.assign(new Error("too large"), { code: "CORRUPT" });
      buf = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") res.writeHead(404).end();
      else if (code === "CORRUPT") res.writeHead(409).end("corrupt");
      else throw e;
      return;
    }
    const data = buf.subarray(checksumBytes);
    if (
      buf.length < checksumBytes ||
      createHash("sha256").update(data).digest().compare(buf.subarray(0, checksumBytes)) !== 0
    ) {
      res.writeHead(409).end("corrupt");
      return;
    }
    if (verifyOnly) {
      res.writeHead(200, { "content-length": "0" }).end();
      return;
    }
    res
      .writeHead(200, { "content-length": String(data.length), "content-type": "application/octet-stream" })
      .end(data);
  }
}
