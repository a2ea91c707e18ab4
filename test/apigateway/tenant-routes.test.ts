// Tenant routes through the gateway with a real backend: a project publishes host + path
// prefix → an address of its own; public routes need no token, token routes need a token of
// someone allowed in that project (checked at the edge, never passed to the tenant's service);
// a host or an address another project holds cannot be taken; the cloud's own endpoints and
// addresses outside the allowed networks cannot be targeted.
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { apigatewayRole } from "../../src/apigateway/server.ts";
import { roleConfig } from "../../src/cli/run-role.ts";
import type { AccessRequest, Principal } from "../../src/core/api/auth.ts";
import { ApiError } from "../../src/core/errors.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { silentLogger } from "../../src/core/log.ts";
import { LocalStore } from "../../src/core/resource/local-store.ts";
import type { RunningRole } from "../../src/core/role.ts";
import { tempDir } from "../support/temp-dir.ts";

/** Three callers: an operator, and one member each of projects shop-a and shop-b (as iam would decide). */
const principals: Record<string, Principal> = {
  "tok-admin": { subject: "user:admin", name: "admin" },
  "tok-a": { subject: "user:alice", name: "alice" },
  "tok-b": { subject: "user:bob", name: "bob" },
};
const memberOf: Record<string, string> = { "user:alice": "shop-a", "user:bob": "shop-b" };
const auth = {
  async authenticate(req: { authorization: string | undefined }) {
    if (!req.authorization) return undefined;
    const p = principals[req.authorization.replace(/^Bearer\s+/i, "")];
    if (!p) throw new ApiError("Unauthenticated", "unknown token");
    return p;
  },
  async authorize(p: Principal, req: AccessRequest) {
    if (p.subject === "user:admin") return { allowed: true, reason: "admin" };
    const ok = req.project !== undefined && memberOf[p.subject] === req.project;
    return { allowed: ok, reason: ok ? "member" : `not a member of ${req.project ?? "the cluster"}` };
  },
};

interface Seen {
  method: string;
  url: string;
  authorization: string | null;
  subject: string | null;
  forwardedHost: string | null;
  body: string;
}

/** A tenant's service: answers with what reached it. */
async function startService(name: string): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => {
      body += d.toString();
    });
    req.on("end", () => {
      const s: Seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization ?? null,
        subject: (req.headers["x-photon-subject"] as string | undefined) ?? null,
        forwardedHost: (req.headers["x-forwarded-host"] as string | undefined) ?? null,
        body,
      };
      seen.push(s);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ service: name, ...s }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const dir = tempDir("photon-tenant-routes-");
let gw: RunningRole;
let gwUrl: string;
let svcA: Awaited<ReturnType<typeof startService>>;
let svcB: Awaited<ReturnType<typeof startService>>;

before(async () => {
  svcA = await startService("a");
  svcB = await startService("b");
  const config = roleConfig(apigatewayRole, {
    dataDir: dir.path,
    logLevel: "silent",
    port: 0,
    // The tenants' services listen on loopback in this test; in a cloud they are VPC addresses.
    tenantTargetCidrs: ["127.0.0.0/8"],
    tenantRefreshMs: 50,
    accessLog: false,
  });
  gw = await apigatewayRole.start(config, {
    log: silentLogger,
    lifecycle: new Lifecycle(silentLogger, 5000),
    auth,
    serviceToken: async () => undefined,
    openStore: async () => LocalStore.memory(),
    endpoints: {},
  });
  gwUrl = gw.endpoints.api!;
});
after(async () => {
  await gw?.close();
  await svcA?.close();
  await svcB?.close();
  dir.remove();
});

/** A request to the gateway with a Host of our choosing (fetch does not let one set Host). */
function call(
  host: string,
  path: string,
  opts: { method?: string; token?: string; body?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const u = new URL(gwUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: opts.method ?? "GET",
        headers: {
          host,
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** The tenant route API, as a project member calls it through the gateway. */
function route(token: string, project: string, name: string, spec: Record<string, unknown>) {
  return call("gateway.cloud.test", `/v1/projects/${project}/routes`, {
    method: "POST",
    token,
    body: JSON.stringify({ metadata: { name }, spec }),
  });
}

/** Waits until the gateway serves what the store holds (it re-reads every 50 ms here). */
async function eventually(host: string, path: string, status: number, token?: string) {
  const end = Date.now() + 5000;
  for (;;) {
    const r = await call(host, path, token ? { token } : {});
    if (r.status === status || Date.now() > end) return r;
    await new Promise((res) => setTimeout(res, 25));
  }
}

describe("tenant routes", () => {
  test("a public route: any caller reaches the project's service by host and path", async () => {
    const created = await route("tok-a", "shop-a", "web", {
      host: "shop-a.example.test",
      target: { address: svcA.url },
      access: "public",
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const r = await eventually("shop-a.example.test", "/products/7?x=1", 200);
    assert.equal(r.status, 200);
    assert.equal(r.json.service, "a");
    assert.equal(r.json.url, "/products/7?x=1");
    assert.equal(r.json.forwardedHost, "shop-a.example.test");
    assert.equal(r.json.subject, null);
    // The platform API still answers every other host: the same path there is no one's route.
    assert.equal((await call("gateway.cloud.test", "/products/7")).status, 404);
  });

  test("a token route: checked at the edge against the project, the token never reaches the service", async () => {
    const created = await route("tok-a", "shop-a", "api", {
      host: "api.shop-a.example.test",
      pathPrefix: "/v2",
      stripPrefix: true,
      target: { address: `${svcA.url}/backend` },
      access: "token",
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const before = svcA.seen.length;
    const anon = await eventually("api.shop-a.example.test", "/v2/orders", 401);
    assert.equal(anon.status, 401);
    const other = await call("api.shop-a.example.test", "/v2/orders", { token: "tok-b" });
    assert.equal(other.status, 403);
    assert.match(String((other.json.error as { message: string }).message), /project shop-a/);
    assert.equal(svcA.seen.length, before, "refused calls never reach the service");
    const ok = await call("api.shop-a.example.test", "/v2/orders/9", {
      token: "tok-a",
      method: "POST",
      body: '{"qty":2}',
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.url, "/backend/orders/9");
    assert.equal(ok.json.authorization, null);
    assert.equal(ok.json.subject, "user:alice");
    assert.equal(ok.json.body, '{"qty":2}');
    // Paths outside the prefix are no one's: /v2x is not under /v2.
    assert.equal((await call("api.shop-a.example.test", "/v2x", { token: "tok-a" })).status, 404);
  });

  test("isolation: another project can take neither the host nor the address, nor write in the project", async () => {
    const host = await route("tok-b", "shop-b", "steal", {
      host: "shop-a.example.test",
      target: { address: svcB.url },
      access: "public",
    });
    assert.equal(host.status, 409);
    assert.match(String((host.json.error as { message: string }).message), /belongs to another project/);
    const target = await route("tok-b", "shop-b", "peek", {
      host: "peek.shop-b.example.test",
      target: { address: svcA.url },
      access: "public",
    });
    assert.equal(target.status, 409);
    assert.match(
      String((target.json.error as { message: string }).message),
      /already routed by another project/,
    );
    const foreign = await route("tok-b", "shop-a", "sneak", {
      host: "sneak.example.test",
      target: { address: svcB.url },
      access: "public",
    });
    assert.equal(foreign.status, 403);
    // Its own host and address are fine.
    const own = await route("tok-b", "shop-b", "web", {
      host: "shop-b.example.test",
      target: { address: svcB.url },
      access: "public",
    });
    assert.equal(own.status, 201, JSON.stringify(own.json));
    assert.equal((await eventually("shop-b.example.test", "/", 200)).json.service, "b");
    assert.equal((await call("shop-a.example.test", "/")).json.service, "a");
  });

  test("the cloud's own endpoints, other networks and host names are not targets", async () => {
    const spec = (address: string, host = "x.shop-b.example.test") => ({
      host,
      target: { address },
      access: "public",
    });
    const own = await route("tok-b", "shop-b", "own", spec(gwUrl));
    assert.equal(own.status, 403);
    const outside = await route("tok-b", "shop-b", "outside", spec("http://192.0.2.7:80"));
    assert.equal(outside.status, 412);
    assert.match(String((outside.json.error as { message: string }).message), /--tenant-target-cidrs/);
    const named = await route("tok-b", "shop-b", "named", spec("http://backend.internal:80"));
    assert.equal(named.status, 400);
    const reserved = await route("tok-b", "shop-b", "reserved", spec(svcB.url, "localhost"));
    assert.equal(reserved.status, 400);
  });

  test("a deleted route frees its host for another project; the route API lists and watches through the gateway", async () => {
    const list = await call("gateway.cloud.test", "/v1/projects/shop-a/routes", { token: "tok-a" });
    assert.equal(list.status, 200);
    assert.deepEqual(
      (list.json.items as Array<{ metadata: { name: string } }>).map((r) => r.metadata.name).sort(),
      ["api", "web"],
    );
    const del = await call("gateway.cloud.test", "/v1/projects/shop-a/routes/web", {
      token: "tok-a",
      method: "DELETE",
    });
    assert.equal(del.status, 200);
    assert.equal((await eventually("shop-a.example.test", "/", 404)).status, 404);
    const taken = await route("tok-b", "shop-b", "second", {
      host: "shop-a.example.test",
      target: { address: svcB.url },
      access: "public",
    });
    assert.equal(taken.status, 201, JSON.stringify(taken.json));
    assert.equal((await eventually("shop-a.example.test", "/", 200)).json.service, "b");
  });
});
