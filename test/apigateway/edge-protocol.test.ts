// The gateway's HTTP/1.1 edge over raw sockets: pipelining, chunked uploads, Expect:
// 100-continue, HEAD, HTTP/1.0, body limits, CORS preflight, malformed requests, and rate
// limits shared between the processes of a --workers gateway.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { apigatewayRole } from "../../src/apigateway/server.ts";
import { type StartedRole, startTestRole } from "../support/start-role.ts";
import { type FakeBackend, startFakeBackend } from "./fake-backend.ts";

let backend: FakeBackend;
let gw: StartedRole;

before(async () => {
  backend = await startFakeBackend("a");
  gw = await startTestRole(apigatewayRole, {
    backends: { things: [backend.url] },
    bodyLimits: { "POST /v1/upload": 100_000 },
    corsOrigins: ["https://console.example"],
    ratePerSecond: 1e6,
    rateBurst: 1e6,
    projectRatePerSecond: 1e6,
    projectRateBurst: 1e6,
  });
});
after(async () => {
  await gw.cleanup();
  await backend.close();
});

/** Writes raw bytes and collects what comes back until the server closes or `until` matches. */
function exchange(url: string, chunks: (string | Buffer)[], until?: RegExp, gapMs = 0): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname);
    let out = "";
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no complete answer; got:\n${out}`));
    }, 10_000);
    s.on("data", (d) => {
      out += d.toString("latin1");
      if (until?.test(out)) {
        clearTimeout(timer);
        s.destroy();
        resolve(out);
      }
    });
    s.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
    s.on("error", reject);
    s.on("connect", async () => {
      for (const c of chunks) {
        s.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

const auth = () => `Authorization: Bearer ${gw.token}\r\n`;

describe("apigateway HTTP edge", () => {
  test("pipelined requests on one connection are answered in order", async () => {
    const req = (name: string) => `GET /v1/projects/p/items/${name} HTTP/1.1\r\nHost: gw\r\n${auth()}\r\n`;
    const out = await exchange(gw.url, [req("one") + req("two") + req("three")], /items\/three/);
    const urls = [...out.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(urls, [
      "/v1/projects/p/items/one",
      "/v1/projects/p/items/two",
      "/v1/projects/p/items/three",
    ]);
  });

  test("a chunked upload arrives whole, and Expect: 100-continue is answered by the gateway", async () => {
    const data = randomBytes(50_000);
    const chunks: (string | Buffer)[] = [
      `POST /v1/upload HTTP/1.1\r\nHost: gw\r\n${auth()}Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n`,
    ];
    for (let i = 0; i < data.length; i += 7000) {
      const part = data.subarray(i, i + 7000);
      chunks.push(`${part.length.toString(16)}\r\n`, part, "\r\n");
    }
    chunks.push("0\r\n\r\n");
    const out = await exchange(gw.url, chunks, /"sha256":"[0-9a-f]+"/, 2);
    assert.match(out, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    assert.match(
      out,
      new RegExp(`"bytes":${data.length},"sha256":"${createHash("sha256").update(data).digest("hex")}"`),
    );
  });

  test("a body over the route's limit is refused with 413 before it reaches the backend", async () => {
    const before = backend.hits;
    const out = await exchange(gw.url, [
      `POST /v1/upload HTTP/1.1\r\nHost: gw\r\n${auth()}Content-Length: 200000\r\n\r\n`,
      Buffer.alloc(1000),
    ]);
    assert.match(out, /^HTTP\/1\.1 413 /);
    assert.match(out, /"code":"PayloadTooLarge".*100000 bytes/);
    assert.match(out, /connection: close/i);
    assert.equal(backend.hits, before);
  });

  test("HEAD gets headers only; HTTP/1.0 gets an answer and the connection closes", async () => {
    const head = await exchange(gw.url, [
      `HEAD /v1/projects/p/items/x HTTP/1.1\r\nHost: gw\r\n${auth()}Connection: close\r\n\r\n`,
    ]);
    assert.match(head, /^HTTP\/1\.1 200 /);
    assert.equal(head.split("\r\n\r\n")[1], "");
    const old = await exchange(gw.url, [`GET /v1/projects/p/items/x HTTP/1.0\r\n${auth()}\r\n`]);
    assert.match(old, /^HTTP\/1\.1 200 /);
    assert.match(old, /"url":"\/v1\/projects\/p\/items\/x"/);
  });

  test("CORS preflight is answered for allowed origins only", async () => {
    const ok = await fetch(`${gw.url}/v1/projects/p/items`, {
      method: "OPTIONS",
      headers: { origin: "https://console.example", "access-control-request-method": "POST" },
    });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://console.example");
    assert.equal(ok.headers.get("access-control-allow-methods"), "GET, POST");
    const other = await fetch(`${gw.url}/v1/projects/p/items`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(other.status, 404);
    const get = await fetch(`${gw.url}/v1/projects/p/items`, {
      headers: { origin: "https://console.example", authorization: `Bearer ${gw.token}` },
    });
    assert.equal(get.headers.get("access-control-allow-origin"), "https://console.example");
  });

  test("a malformed request gets a 400 with the standard body, and the connection closes", async () => {
    const out = await exchange(gw.url, [
      "GET /x HTTP/1.1\r\nHost: gw\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    ]);
    assert.match(out, /^HTTP\/1\.1 400 /);
    assert.match(
      out,
      /"code":"InvalidArgument","message":"malformed HTTP request: both Content-Length and Transfer-Encoding"/,
    );
  });

  test("the gateway's own endpoints answer on the same port", async () => {
    assert.deepEqual(await (await fetch(`${gw.url}/healthz`)).json(), { status: "ok" });
    await fetch(`${gw.url}/v1/projects/p/items`, { headers: { authorization: `Bearer ${gw.token}` } });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(metrics, /photon_gateway_requests_total\{component="things",status="200"[^}]*\} \d+/);
    const routes = await fetch(`${gw.url}/internal/v1/routes`, {
      headers: { authorization: `Bearer ${gw.token}` },
    });
    assert.equal(routes.status, 200);
  });
});

describe("apigateway --workers", () => {
  test("two processes on one port share the rate limit within 10 %", async () => {
    const b = await startFakeBackend("w");
    const rate = 20;
    const burst = 5;
    const g = await startTestRole(apigatewayRole, {
      backends: { things: [b.url] },
      workers: 2,
      ratePerSecond: rate,
      rateBurst: burst,
      projectRatePerSecond: 1e6,
      projectRateBurst: 1e6,
      rateSyncMs: 50,
    });
    try {
      // Wait until the second process accepts too (its answers carry its own request-id prefix).
      const prefixes = new Set<string>();
      for (let i = 0; i < 400 && prefixes.size < 2; i++) {
        const res = await fetch(`${g.url}/healthz`, { headers: { connection: "close" } });
        await res.arrayBuffer();
        prefixes.add((res.headers.get("x-request-id") ?? "").split("-")[0]!);
        if (prefixes.size < 2) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(prefixes.size, 2, "both worker processes answer");
      await new Promise((r) => setTimeout(r, (burst / rate) * 1000 + 200)); // buckets full again
      const durationMs = 5000;
      const end = Date.now() + durationMs;
      let allowed = 0;
      let refused = 0;
      const worker = async () => {
        for (let i = 0; i < 10_000 && Date.now() < end; i++) {
          // A new connection each time, so the kernel spreads calls over both processes.
          const res = await fetch(`${g.url}/v1/projects/p/items`, {
            headers: { authorization: `Bearer ${g.token}`, connection: "close" },
          });
          await res.arrayBuffer();
          if (res.status === 200) allowed++;
          else {
            assert.equal(res.status, 429);
            refused++;
          }
        }
      };
      // Enough callers to offer well over the rate even when each call is slow (a loaded machine).
      await Promise.all(Array.from({ length: 16 }, worker));
      assert.ok(
        refused > allowed / 2,
        `the callers offered too little to test the limit (${allowed} allowed, ${refused} refused)`,
      );
      // One shared bucket: the rate for the duration plus one burst (each process starts with a
      // full bucket, but what one lets through is charged to the other, into debt if need be).
      const expected = (rate * durationMs) / 1000 + burst;
      assert.ok(
        Math.abs(allowed - expected) / expected <= 0.1,
        `allowed ${allowed}, expected about ${expected}`,
      );
    } finally {
      await g.cleanup();
      await b.close();
    }
  });
});
