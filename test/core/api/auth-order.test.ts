// The order every request goes through: authentication (401 for no or a bad token, whatever
// the request holds), then validation of path, query and body (400), then the permission
// (403), decided on the validated path, then the handler.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import {
  type AccessRequest,
  type Authenticator,
  type Authorizer,
  type AuthRequest,
  bearerToken,
  type Decision,
  type Principal,
} from "../../../src/core/api/auth.ts";
import { defineRoute } from "../../../src/core/api/route.ts";
import { ApiServer } from "../../../src/core/api/server.ts";
import { ApiError } from "../../../src/core/errors.ts";
import { silentLogger } from "../../../src/core/log.ts";
import { createRegistry } from "../../../src/core/metrics.ts";

/** Two callers: `allowed` may do anything, `denied` nothing; every decision asked is recorded. */
class RecordingAuth implements Authenticator, Authorizer {
  readonly asked: AccessRequest[] = [];
  async authenticate(req: AuthRequest): Promise<Principal | undefined> {
    const token = bearerToken(req.authorization);
    if (token === undefined) return undefined;
    if (token !== "allowed" && token !== "denied") throw new ApiError("Unauthenticated", "unknown token");
    return { subject: `user:${token}`, name: token };
  }
  async authorize(principal: Principal, req: AccessRequest): Promise<Decision> {
    this.asked.push(req);
    return principal.subject === "user:allowed"
      ? { allowed: true, reason: "test" }
      : { allowed: false, reason: "test says no" };
  }
}

const auth = new RecordingAuth();
let server: ApiServer;
let url: string;

before(async () => {
  server = new ApiServer({
    name: "order",
    logger: silentLogger,
    registry: createRegistry("order", false),
    auth,
    bodyLimitBytes: 1024,
  });
  server.add(
    defineRoute({
      method: "POST",
      path: "/v1/projects/{project}/widgets/{name}",
      summary: "make a widget",
      // The path is normalized by its schema: authorization must see what the handler sees.
      params: z.strictObject({
        project: z
          .string()
          .regex(/^[a-zA-Z]+$/)
          .transform((s) => s.toLowerCase()),
        name: z.string().regex(/^[a-z]+$/),
      }),
      query: z.strictObject({ dryRun: z.enum(["true", "false"]).optional() }),
      body: z.strictObject({ size: z.number().int().min(0).max(100) }),
      permission: "test.widgets.create",
      successStatus: 201,
      handler: ({ params, body }) => ({ ...params, ...body }),
    }),
  );
  await server.listen("127.0.0.1", 0);
  url = server.url();
});
after(() => server.close());

function call(
  o: { token?: string; project?: string; name?: string; query?: string; body?: string } = {},
): Promise<Response> {
  return fetch(`${url}/v1/projects/${o.project ?? "acme"}/widgets/${o.name ?? "w"}${o.query ?? ""}`, {
    method: "POST",
    headers: {
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      "content-type": "application/json",
    },
    body: o.body ?? JSON.stringify({ size: 1 }),
  });
}

async function status(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { error?: { code: string } };
  return [res.status, body.error?.code ?? "ok"];
}

const invalid: Record<string, { project?: string; name?: string; query?: string; body?: string }> = {
  "a malformed JSON body": { body: "{nope" },
  "a body of the wrong shape": { body: JSON.stringify({ size: "big", colour: "red" }) },
  "an empty body": { body: "" },
  "an oversized body": { body: JSON.stringify({ size: 1, pad: "x".repeat(4096) }) },
  "an invalid path": { project: "ac%20me", name: "W1" },
  "an invalid query": { query: "?dryRun=maybe&extra=1" },
};

describe("API framework: authenticate, then validate, then authorize", () => {
  test("no token → 401 whatever else is wrong with the request", async () => {
    for (const [what, req] of Object.entries(invalid))
      assert.deepEqual(await status(await call(req)), [401, "Unauthenticated"], what);
  });

  test("a bad token → 401 whatever else is wrong with the request", async () => {
    for (const token of ["forged", "a b"])
      for (const [what, req] of Object.entries(invalid))
        assert.deepEqual(await status(await call({ ...req, token })), [401, "Unauthenticated"], what);
  });

  test("an authenticated caller gets the validation error (400) before any permission check", async () => {
    for (const token of ["allowed", "denied"]) {
      for (const [what, req] of Object.entries(invalid)) {
        auth.asked.length = 0;
        const [code] = await status(await call({ ...req, token }));
        assert.ok(code === 400 || code === 413, `${token}, ${what}: ${code}`);
        assert.deepEqual(auth.asked, [], `${what}: no decision was asked for an invalid request`);
      }
    }
  });

  test("a valid request without the permission → 403; with it → 201", async () => {
    assert.deepEqual(await status(await call({ token: "denied" })), [403, "PermissionDenied"]);
    const res = await call({ token: "allowed" });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { project: "acme", name: "w", size: 1 });
  });

  test("the permission is decided on the validated path, the one the handler acts on", async () => {
    auth.asked.length = 0;
    const res = await call({ token: "allowed", project: "ACME", name: "w" });
    assert.equal(res.status, 201);
    assert.equal(((await res.json()) as { project: string }).project, "acme");
    assert.deepEqual(auth.asked, [{ permission: "test.widgets.create", project: "acme", name: "w" }]);
  });
});
