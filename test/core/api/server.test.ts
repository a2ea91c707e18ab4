// The API framework's promises, checked over real HTTP: validation with the one error body,
// body limits, authentication, the built-in endpoints and OpenAPI.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { StaticTokenAuth } from "../../../src/core/api/auth.ts";
import { defineRoute } from "../../../src/core/api/route.ts";
import { ApiServer } from "../../../src/core/api/server.ts";
import { silentLogger } from "../../../src/core/log.ts";
import { createRegistry } from "../../../src/core/metrics.ts";

const token = "test-token-123";
let server: ApiServer;
let url: string;

before(async () => {
  server = new ApiServer({
    name: "test",
    logger: silentLogger,
    registry: createRegistry("test", false),
    auth: new StaticTokenAuth(token),
    bodyLimitBytes: 4096,
  });
  server.add(
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/widgets",
      summary: "make a widget",
      params: z.strictObject({ project: z.string().regex(/^[a-z]+$/) }),
      body: z.strictObject({ name: z.string().min(1), size: z.number().int().min(0).max(100) }),
      permission: "test.widgets.create",
      successStatus: 201,
      handler: ({ params, body }) => ({ project: params.project, ...body }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/slow",
      summary: "too slow",
      permission: "public",
      timeoutMs: 50,
      handler: () => new Promise((r) => setTimeout(() => r({ late: true }), 500)),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/boom",
      summary: "fails",
      permission: "public",
      handler: () => {
        throw new Error("secret internals");
      },
    }),
  );
  await server.listen("127.0.0.1", 0);
  url = server.url();
});
after(() => server.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/projects/acme/widgets`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body,
  });

async function expectError(res: Response, status: number, code: string, fragment?: RegExp) {
  assert.equal(res.status, status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  if (fragment) assert.match(body.error.message, fragment);
  assert.ok(res.headers.get("x-request-id"));
}

describe("API framework", () => {
  test("a valid request succeeds with the declared status", async () => {
    const res = await post(JSON.stringify({ name: "w", size: 3 }));
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { project: "acme", name: "w", size: 3 });
  });
  test("malformed JSON is InvalidArgument", async () =>
    expectError(await post("{nope"), 400, "InvalidArgument", /not valid JSON/));
  test("unknown fields are InvalidArgument and named", async () =>
    expectError(
      await post(JSON.stringify({ name: "w", size: 1, colour: "red" })),
      400,
      "InvalidArgument",
      /colour/,
    ));
  test("wrong types are InvalidArgument with the field path", async () =>
    expectError(
      await post(JSON.stringify({ name: "w", size: "big" })),
      400,
      "InvalidArgument",
      /body\.size/,
    ));
  test("negative quantities are InvalidArgument", async () =>
    expectError(await post(JSON.stringify({ name: "w", size: -1 })), 400, "InvalidArgument", /body\.size/));
  test("huge quantities are InvalidArgument", async () =>
    expectError(
      await post(JSON.stringify({ name: "w", size: 1e300 })),
      400,
      "InvalidArgument",
      /body\.size/,
    ));
  test("an oversized body is PayloadTooLarge", async () =>
    expectError(await post(JSON.stringify({ name: "x".repeat(10_000), size: 1 })), 413, "PayloadTooLarge"));
  test("a missing body is InvalidArgument", async () =>
    expectError(
      await fetch(`${url}/v1/projects/acme/widgets`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      }),
      400,
      "InvalidArgument",
    ));
  test("a wrong content type is a 4xx with the error body", async () => {
    const res = await post("name=w", { "content-type": "application/x-www-form-urlencoded" });
    assert.ok(res.status >= 400 && res.status < 500);
    assert.ok(((await res.json()) as { error: { code: string } }).error.code);
  });
  test("bad path parameters are InvalidArgument", async () => {
    const res = await fetch(`${url}/v1/projects/AC%20ME/widgets`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "w", size: 1 }),
    });
    await expectError(res, 400, "InvalidArgument", /path\.project/);
  });
  test("no token is Unauthenticated; a wrong token is Unauthenticated", async () => {
    await expectError(
      await post(JSON.stringify({ name: "w", size: 1 }), { authorization: "" }),
      401,
      "Unauthenticated",
    );
    await expectError(
      await post(JSON.stringify({ name: "w", size: 1 }), { authorization: "Bearer wrong" }),
      401,
      "Unauthenticated",
    );
    await expectError(
      await post(JSON.stringify({ name: "w", size: 1 }), { authorization: "Basic abc" }),
      401,
      "Unauthenticated",
    );
  });
  test("without a token, even a malformed body gets Unauthenticated, not a validation error", async () =>
    expectError(await post("{nope", { authorization: "" }), 401, "Unauthenticated"));
  test("an unknown route is NotFound with the error body", async () =>
    expectError(await fetch(`${url}/v1/nothing`), 404, "NotFound"));
  test("a slow handler hits its deadline with DeadlineExceeded", async () =>
    expectError(await fetch(`${url}/v1/slow`), 504, "DeadlineExceeded"));
  test("an internal error is a 500 that does not leak the message", async () => {
    const res = await fetch(`${url}/v1/boom`);
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.doesNotMatch(text, /secret internals/);
    assert.match(text, /request id/);
  });
  test("healthz, readyz and metrics answer", async () => {
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { status: "ok" });
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /photon_http_requests_total/);
  });
  test("a request id sent by the client comes back", async () => {
    const res = await fetch(`${url}/healthz`, { headers: { "x-request-id": "abc-123" } });
    assert.equal(res.headers.get("x-request-id"), "abc-123");
  });
  test("openapi.json is OpenAPI 3.1 generated from the route schemas, with permissions", async () => {
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            "x-permission"?: string;
            requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
          }
        >
      >;
    };
    assert.equal(doc.openapi, "3.1.0");
    const op = doc.paths["/v1/projects/{project}/widgets"]?.post;
    assert.equal(op?.["x-permission"], "test.widgets.create");
    assert.deepEqual(
      Object.keys(op?.requestBody?.content["application/json"]?.schema.properties ?? {}).sort(),
      ["name", "size"],
    );
  });
});
