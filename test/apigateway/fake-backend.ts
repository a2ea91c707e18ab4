// A stand-in component for gateway tests: a real HTTP server that publishes its routes as
// OpenAPI, like every PhotonCloud component, and reports what reached it.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface FakeBackend {
  url: string;
  name: string;
  hits: number;
  /** Resolves when the first body chunk of an upload has arrived. */
  firstUploadChunk: Promise<void>;
  close(): Promise<void>;
}

export const fakeDoc = {
  openapi: "3.1.0",
  paths: {
    "/v1/projects/{project}/items": { get: {}, post: {} },
    "/v1/projects/{project}/items/{name}": { get: {}, put: {}, delete: {} },
    "/v1/slow": { get: {} },
    "/v1/upload": { post: {} },
    "/v1/public/info": { get: { security: [] } },
  },
};

export async function startFakeBackend(name: string): Promise<FakeBackend> {
  const sockets = new Set<Socket>();
  let markFirst!: () => void;
  const firstUploadChunk = new Promise<void>((r) => {
    markFirst = r;
  });
  const state = { hits: 0 };
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/openapi.json") return void res.end(JSON.stringify(fakeDoc));
    state.hits++;
    if (url === "/v1/slow") return void setTimeout(() => res.end("{}"), 2000);
    if (url === "/v1/upload") {
      const hash = createHash("sha256");
      let bytes = 0;
      req.on("data", (c: Buffer) => {
        if (bytes === 0) markFirst();
        bytes += c.length;
        hash.update(c);
      });
      req.on("end", () => res.end(JSON.stringify({ bytes, sha256: hash.digest("hex") })));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          backend: name,
          method: req.method,
          url,
          subject: req.headers["x-photon-subject"] ?? null,
          requestId: req.headers["x-request-id"] ?? null,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    name,
    get hits() {
      return state.hits;
    },
    firstUploadChunk,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      }),
  };
}
