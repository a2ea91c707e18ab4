import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { ApiError } from "../../../src/core/errors.ts";
import { HttpClient } from "../../../src/core/http-client.ts";

let server: Server;
let base: string;
const hits = new Map<string, number>();

before(async () => {
  server = createServer((req, res) => {
    const n = (hits.get(req.url!) ?? 0) + 1;
    hits.set(req.url!, n);
    if (req.url === "/flaky" && n < 3)
      return void res
        .writeHead(503, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "Unavailable", message: "warming up" } }));
    if (req.url === "/slow") return void setTimeout(() => res.end("{}"), 1000);
    if (req.url === "/missing")
      return void res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "NotFound", message: "no such thing" } }));
    if (req.url === "/auth") return void res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

describe("HttpClient", () => {
  const client = () => new HttpClient({ baseUrl: base, token: "t0k", backoff: { baseMs: 1, maxMs: 5 } });
  test("idempotent calls are retried with backoff until they succeed", async () => {
    assert.deepEqual(await client().get("/flaky"), { ok: true });
    assert.equal(hits.get("/flaky"), 3);
  });
  test("non-idempotent calls are not retried", async () => {
    hits.delete("/flaky");
    await assert.rejects(
      client().post("/flaky", {}),
      (e) => e instanceof ApiError && e.code === "Unavailable",
    );
    assert.equal(hits.get("/flaky"), 1);
  });
  test("the error body comes back as the same ApiError", async () => {
    await assert.rejects(
      client().get("/missing"),
      (e) => e instanceof ApiError && e.code === "NotFound" && e.message === "no such thing",
    );
  });
  test("a deadline turns into DeadlineExceeded", async () => {
    const c = new HttpClient({ baseUrl: base, timeoutMs: 50, attempts: 1 });
    await assert.rejects(c.get("/slow"), (e) => e instanceof ApiError && e.code === "DeadlineExceeded");
  });
  test("the bearer token is sent", async () => {
    assert.deepEqual(await client().get("/auth"), { auth: "Bearer t0k" });
  });
  test("an unreachable server is Unavailable with a hint", async () => {
    const c = new HttpClient({
      baseUrl: "http://127.0.0.1:1",
      attempts: 2,
      backoff: { baseMs: 1, maxMs: 2 },
    });
    await assert.rejects(
      c.get("/x"),
      (e) => e instanceof ApiError && e.code === "Unavailable" && /is the service running/.test(e.message),
    );
  });
});
