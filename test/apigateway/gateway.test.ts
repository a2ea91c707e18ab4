// The gateway over real HTTP: routing learned from OpenAPI, edge authentication, failover of
// idempotent calls, route timeouts, streaming bodies, and rate limits shared by two replicas.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { apigatewayRole } from "../../src/apigateway/server.ts";
import { type StartedRole, startTestRole } from "../support/start-role.ts";
import { tempDir } from "../support/temp-dir.ts";
import { type FakeBackend, startFakeBackend } from "./fake-backend.ts";

let a: FakeBackend;
let b: FakeBackend;
let gw: StartedRole;

before(async () => {
  a = await startFakeBackend("a");
  b = await startFakeBackend("b");
  gw = await startTestRole(apigatewayRole, {
    backends: { things: [a.url, b.url] },
    routeTimeouts: { "GET /v1/slow": 300 },
    ratePerSecond: 100_000,
    rateBurst: 100_000,
    projectRatePerSecond: 100_000,
    projectRateBurst: 100_000,
  });
});
after(async () => {
  await gw.cleanup();
  await a.close();
  await b.close();
});

const get = (path: string, token: string | null = gw.token) =>
  fetch(`${gw.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("apigateway", () => {
  test("routes a call to the component that declared it, with the verified caller and a request id", async () => {
    const res = await get("/v1/projects/p1/items/x");
    assert.equal(res.status, 200);
    const body = (await res.json()) as { url: string; subject: string; requestId: string };
    assert.equal(body.url, "/v1/projects/p1/items/x");
    assert.equal(body.subject, "local:admin");
    assert.equal(body.requestId, res.headers.get("x-request-id"));
  });

  test("a call without a valid token is refused at the edge and never reaches a backend", async () => {
    const before = a.hits + b.hits;
    const res = await get("/v1/projects/p1/items", null);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "Unauthenticated");
    assert.equal((await get("/v1/projects/p1/items", "forged")).status, 401);
    assert.equal(a.hits + b.hits, before);
  });

  test("public routes pass without a token; forged identity headers are dropped", async () => {
    const res = await fetch(`${gw.url}/v1/public/info`, { headers: { "x-photon-subject": "user:root" } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { subject: string | null }).subject, null);
  });

  test("unknown paths are NotFound and wrong methods say which are allowed", async () => {
    const res = await get("/v1/nothing/here");
    assert.equal(res.status, 404);
    const wrong = await fetch(`${gw.url}/v1/slow`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${gw.token}` },
    });
    assert.equal(wrong.status, 400);
    assert.match(((await wrong.json()) as { error: { message: string } }).error.message, /allowed: GET/);
  });

  test("load is spread across instances", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++)
      seen.add(((await (await get("/v1/projects/p1/items")).json()) as { backend: string }).backend);
    assert.deepEqual([...seen].sort(), ["a", "b"]);
  });

  test("a slow backend hits the route timeout with a clear 504 body", async () => {
    const res = await get("/v1/slow");
    assert.equal(res.status, 504);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "DeadlineExceeded");
    assert.match(body.error.message, /things .*did not answer within 300 ms/);
  });

  test("the aggregated OpenAPI document lists every component's routes", async () => {
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { "x-component": string }>>;
    };
    assert.equal(doc.paths["/v1/projects/{project}/items"]?.get?.["x-component"], "things");
  });

  test("an upload streams through: the backend sees bytes before the client has sent them all", async () => {
    const total = 8 * 1024 * 1024;
    const data = randomBytes(total);
    const result = await new Promise<{ bytes: number; sha256: string }>((resolve, reject) => {
      const req = request(
        `${gw.url}/v1/upload`,
        {
          method: "POST",
          headers: {
            authorization: `Bearer ${gw.token}`,
            "content-type": "application/octet-stream",
            "content-length": String(total),
          },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c));
          res.on("end", () => resolve(JSON.parse(text)));
        },
      );
      req.on("error", reject);
      req.write(data.subarray(0, 65536));
      // Only once the backend has the first chunk does the client send the rest: a gateway
      // that buffered whole bodies would never forward it, and this test would time out.
      const firstSeen = Promise.race([a.firstUploadChunk, b.firstUploadChunk]);
      const timeout = setTimeout(
        () => reject(new Error("the backend never saw the first chunk: the gateway buffers bodies")),
        10_000,
      );
      void firstSeen.then(() => {
        clearTimeout(timeout);
        req.end(data.subarray(65536));
      });
    });
    assert.equal(result.bytes, total);
    assert.equal(result.sha256, createHash("sha256").update(data).digest("hex"));
  });
});

describe("apigateway failover", () => {
  test("two replicas under load, one killed: no idempotent request fails", async () => {
    const x = await startFakeBackend("x");
    const y = await startFakeBackend("y");
    const g = await startTestRole(apigatewayRole, {
      backends: { things: [x.url, y.url] },
      ratePerSecond: 1e6,
      rateBurst: 1e6,
      projectRatePerSecond: 1e6,
      projectRateBurst: 1e6,
    });
    try {
      let done = 0;
      const failures: string[] = [];
      const worker = async () => {
        while (done < 600) {
          done++;
          const res = await fetch(`${g.url}/v1/projects/p/items/k`, {
            headers: { authorization: `Bearer ${g.token}` },
          });
          if (res.status !== 200) failures.push(`${res.status} ${await res.text()}`);
          else await res.arrayBuffer();
          if (done === 200) await x.close();
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      assert.deepEqual(failures, []);
      assert.ok(y.hits > 300, `survivor took the load (${y.hits})`);
    } finally {
      await g.cleanup();
      await y.close();
    }
  });
});

describe("apigateway rate limits", () => {
  test("two gateway replicas together hold the configured rate within 10 %", async () => {
    const backend = await startFakeBackend("r");
    const dir = tempDir("photon-gw-rate-");
    const rate = 20;
    const limits = {
      ratePerSecond: rate,
      rateBurst: 5,
      projectRatePerSecond: 1e6,
      projectRateBurst: 1e6,
      rateSyncMs: 50,
    };
    // Both replicas share one data dir, so they accept the same admin token; each learns the
    // other's address once both are listening.
    const g1 = await startTestRole(
      apigatewayRole,
      { backends: { things: [backend.url] }, ...limits },
      dir.path,
    );
    const g2 = await startTestRole(
      apigatewayRole,
      { backends: { things: [backend.url] }, peers: [g1.url], ...limits },
      dir.path,
    );
    await g1.stop();
    const g1b = await startTestRole(
      apigatewayRole,
      { backends: { things: [backend.url] }, peers: [g2.url], ...limits },
      dir.path,
    );
    try {
      // g2 must learn g1b's address too: restart it with the final peer list.
      await g2.stop();
      const g2b = await startTestRole(
        apigatewayRole,
        { backends: { things: [backend.url] }, peers: [g1b.url], ...limits },
        dir.path,
      );
      const durationMs = 5000;
      const end = Date.now() + durationMs;
      let allowed = 0;
      let limited = 0;
      const worker = async (url: string) => {
        for (let i = 0; i < 20_000 && Date.now() < end; i++) {
          const res = await fetch(`${url}/v1/projects/p/items`, {
            headers: { authorization: `Bearer ${g1b.token}` },
          });
          await res.arrayBuffer();
          if (res.status === 200) allowed++;
          else if (res.status === 429) {
            limited++;
            assert.ok(Number(res.headers.get("retry-after")) >= 1);
          } else assert.fail(`unexpected ${res.status}`);
        }
      };
      await Promise.all([worker(g1b.url), worker(g1b.url), worker(g2b.url), worker(g2b.url)]);
      const expected = (rate * durationMs) / 1000 + 2 * limits.rateBurst;
      assert.ok(limited > 0, `the limit was reached (allowed ${allowed})`);
      assert.ok(
        Math.abs(allowed - expected) / expected <= 0.1,
        `allowed ${allowed}, expected about ${expected}`,
      );
      await g2b.stop();
    } finally {
      await g1b.stop();
      await backend.close();
      dir.remove();
    }
  });
});
