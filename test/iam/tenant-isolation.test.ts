// The tenant-isolation matrix: every route of every implemented component, called with no
// token, with forged and broken tokens, with a project-a admin's token on project b, and with
// each PhotonCloud component's own token outside its role. Routes come from every HTTP
// endpoint's /openapi.json (plus the few no document lists, routes-outside-openapi.ts), so a
// component joins by being registered in src/cli/roles.ts.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import { roles } from "../../src/cli/roles.ts";
import { roleConfig, startRole } from "../../src/cli/run-role.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { silentLogger } from "../../src/core/log.ts";
import type { Role, RunningRole } from "../../src/core/role.ts";
import { readComponentCredentials } from "../../src/iam/bootstrap.ts";
import { requestToken } from "../../src/iam/client.ts";
import { componentCalls, verifierPermissions } from "../../src/iam/component-accounts.ts";
import { type IamHarness, startIam } from "./harness.ts";
import { type RouteCase, routeCases } from "./openapi-example.ts";
import { routesOutsideOpenApi } from "./routes-outside-openapi.ts";

// Every serving role of the photon binary except iam (a target of its own below), in
// `photon up` order: a component joins the matrix by being registered in src/cli/roles.ts.
// biome-ignore lint/suspicious/noExplicitAny: any role's options.
const components: Role<any>[] = roles.filter((r) => r.name !== "iam");

interface Target {
  name: string;
  url: string;
  routes: RouteCase[];
}

async function call(t: Target, r: RouteCase, project: string, token: string | undefined): Promise<number> {
  const res = await fetch(r.url(t.url, project), {
    method: r.method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(r.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(r.rawBody ? { "content-type": r.rawBody.contentType } : {}),
      ...r.headers?.(project),
    },
    ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
    ...(r.rawBody ? { body: r.rawBody.data } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  await res.body?.cancel();
  return res.status;
}

describe("tenant isolation across every route of every component", () => {
  let iam: IamHarness;
  const running: RunningRole[] = [];
  const targets: Target[] = [];
  let alice: string;
  /** Each PhotonCloud role's own service-account token. */
  const componentTokens = new Map<string, string>();
  let forged: Record<string, string>;

  before(async () => {
    iam = await startIam();
    const endpoints: Record<string, string> = { iam: iam.url };
    for (const role of components) {
      const ports = Object.fromEntries(
        Object.keys(role.options)
          .filter((k) => /port$/i.test(k))
          .map((k) => [k, 0]),
      );
      const config = roleConfig(role, { dataDir: iam.dataDir, logLevel: "silent", ...ports });
      const r = await startRole(role, config, {
        log: silentLogger,
        lifecycle: new Lifecycle(silentLogger, 1000),
        dataDir: iam.dataDir,
        endpoints,
        storeBackend: "memory",
      });
      running.push(r);
      for (const [k, v] of Object.entries(r.endpoints))
        endpoints[k === "api" ? role.name : `${role.name}.${k}`] = v;
      // Every HTTP endpoint that serves an OpenAPI document is a target: a role's "api", and
      // others such as the volume server's "admin". Roles without a REST API (chainfire speaks
      // etcd's gRPC) have no routes to check here.
      for (const [k, v] of Object.entries(r.endpoints)) {
        if (!/^https?:\/\//.test(v)) continue;
        const doc = await fetch(`${v}/openapi.json`).catch(() => undefined);
        await doc?.body?.cancel();
        if (doc?.ok)
          targets.push({ name: k === "api" ? role.name : `${role.name}.${k}`, url: v, routes: [] });
      }
    }
    targets.push({ name: "iam", url: iam.url, routes: [] });
    for (const t of targets)
      t.routes = [...(await routeCases(t.url)), ...(routesOutsideOpenApi[t.name] ?? [])];
    // An endpoint with an empty document (chainfire's metrics listener) has nothing to check.
    targets.splice(0, targets.length, ...targets.filter((t) => t.routes.length > 0));

    const admin = await iam.adminClient();
    for (const p of ["a", "b"]) await admin.create("projects", p, { displayName: "" });
    await admin.create("users", "alice", { displayName: "Alice" });
    await admin.setPassword("alice", "alice-password");
    await admin.create("rolebindings", "alice-admin", { principal: "user:alice", role: "admin" }, "a");
    alice = (
      await requestToken(iam.url, { grant_type: "password", username: "alice", password: "alice-password" })
    ).access_token;
    // Validation comes before the permission check, so each route needs a body that passes its
    // validation: of the candidate bodies, the first that a caller with no bindings at all
    // gets past validation with (403, not 400).
    await admin.create("users", "nobody", { displayName: "" });
    await admin.setPassword("nobody", "nobody-password");
    const nobody = (
      await requestToken(iam.url, { grant_type: "password", username: "nobody", password: "nobody-password" })
    ).access_token;
    for (const t of targets)
      for (const r of t.routes.filter((x) => x.bodyVariants.length > 1 && x.permission !== "public"))
        for (const body of r.bodyVariants) {
          r.body = body;
          if ((await call(t, r, "b", nobody)) !== 400) break;
        }
    for (const role of Object.keys(componentCalls)) {
      const c = readComponentCredentials(iam.dataDir, role)!;
      componentTokens.set(
        role,
        (
          await requestToken(iam.url, {
            grant_type: "client_credentials",
            client_id: c.clientId,
            client_secret: c.clientSecret,
          })
        ).access_token,
      );
    }

    // Forged tokens: signed with the real key but expired, or with the wrong key, issuer,
    // audience or algorithm.
    const { items } = await iam.store.list("SigningKey", undefined);
    const spec = items[0]!.spec as { kid: string; privateJwk: Record<string, unknown> };
    const { createPrivateKey } = await import("node:crypto");
    const realKey = createPrivateKey({ key: spec.privateJwk as never, format: "jwk" });
    const otherKey = generateKeyPairSync("ed25519").privateKey;
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, key = realKey, kid = spec.kid) =>
      new SignJWT({ name: "alice", ...claims })
        .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt" })
        .setSubject("user:alice")
        .setJti(`forged-${Math.random()}`)
        .sign(key);
    const good = { iss: iam.url, aud: "photoncloud", iat: now, exp: now + 300 };
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    forged = {
      expired: await sign({ ...good, iat: now - 3600, exp: now - 1800 }),
      "wrong key": await sign(good, otherKey),
      "wrong issuer": await sign({ ...good, iss: "http://evil.example" }),
      "wrong audience": await sign({ ...good, aud: "someone-else" }),
      "future iat": await sign({ ...good, iat: now + 3600, exp: now + 7200 }),
      "alg none": `${b64({ alg: "none", kid: spec.kid })}.${b64({ ...good, sub: "user:alice", jti: "x" })}.`,
      "alg none, empty signature segment dropped": `${b64({ alg: "none" })}.${b64({ ...good, sub: "user:admin", jti: "y" })}`,
      "HS256 with the public key as secret": `${b64({ alg: "HS256", kid: spec.kid })}.${b64({ ...good, sub: "user:admin", jti: "z" })}.c2lnbmF0dXJl`,
      garbage: "not-a-jwt",
    };
  });

  after(async () => {
    for (const r of running.reverse()) await r.close();
    await iam.close();
  });

  test("every component exposes routes to test", (t0) => {
    t0.diagnostic(
      `targets: ${targets.map((t) => `${t.name} (${t.routes.length} routes)`).join(", ")}; roles without a REST API: ${
        components
          .map((c) => c.name)
          .filter((n) => !targets.some((t) => t.name === n || t.name.startsWith(`${n}.`)))
          .join(", ") || "none"
      }`,
    );
    // Every served API documents protected routes (a node-local worker may have only one).
    for (const t of targets)
      assert.ok(
        t.routes.some((r) => r.permission !== "public"),
        `${t.name} has protected routes`,
      );
    assert.ok(targets.flatMap((t) => t.routes).filter((r) => r.permission !== "public").length > 100);
  });

  test("no token → 401 on every protected route", async () => {
    const problems: string[] = [];
    for (const t of targets) {
      for (const r of t.routes.filter((x) => x.permission !== "public")) {
        const status = await call(t, r, "b", undefined);
        if (status !== 401) problems.push(`${t.name} ${r.method} ${r.path} gave ${status}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test("expired, wrong-key, wrong-issuer, wrong-audience, alg none and garbage tokens → 401 on every protected route", async () => {
    const problems: string[] = [];
    for (const t of targets) {
      for (const r of t.routes.filter((x) => x.permission !== "public")) {
        for (const [what, token] of Object.entries(forged)) {
          const status = await call(t, r, "a", token);
          if (status !== 401) problems.push(`${what}: ${t.name} ${r.method} ${r.path} gave ${status}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  test("a project-a admin's token on project b → 403 or 404 on every project route, 403 on cluster routes", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const t of targets) {
      for (const r of t.routes.filter(
        (x) => x.permission !== "public" && !/^iam\.self\./.test(x.permission),
      )) {
        const status = await call(t, r, "b", alice);
        const ok = r.hasProject ? status === 403 || status === 404 : status === 403;
        if (!ok) problems.push(`${t.name} ${r.method} ${r.path} (${r.permission}) gave ${status}`);
        checked++;
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(checked > 50, `checked ${checked} routes`);
  });

  test("the same token reaches project a's routes (the matrix is not vacuous)", async () => {
    const problems: string[] = [];
    for (const t of targets) {
      for (const r of t.routes.filter(
        (x) => x.hasProject && x.method === "GET" && !/\{(?!project\})/.test(x.path),
      )) {
        const status = await call(t, r, "a", alice);
        if (status !== 200) problems.push(`${t.name} ${r.method} ${r.path} gave ${status}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test("every permission a component's account holds is one some route declares", () => {
    const declared = new Set(targets.flatMap((t) => t.routes.map((r) => r.permission)));
    const unknown = Object.entries(componentCalls).flatMap(([role, calls]) =>
      calls.filter((p) => !declared.has(p)).map((p) => `${role}: ${p}`),
    );
    assert.deepEqual(unknown, []);
  });

  test("a component's token → 403 on every route its role does not grant", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [role, calls] of Object.entries(componentCalls)) {
      const token = componentTokens.get(role)!;
      const granted = new Set<string>([...verifierPermissions, ...calls]);
      for (const t of targets) {
        for (const r of t.routes.filter(
          (x) =>
            x.permission !== "public" && !/^iam\.self\./.test(x.permission) && !granted.has(x.permission),
        )) {
          const status = await call(t, r, "b", token);
          if (status !== 403)
            problems.push(`${role} on ${t.name} ${r.method} ${r.path} (${r.permission}) gave ${status}`);
          checked++;
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(checked > 500, `checked ${checked} calls`);
  });

  test("flipping any single byte of a valid token → 401", async () => {
    for (const t of targets) {
      // A project route the valid token reaches, or else any protected route (the valid token
      // gets past authentication there: anything but 401).
      const projectGet = t.routes.find(
        (x) => x.hasProject && x.method === "GET" && !/\{(?!project\})/.test(x.path),
      );
      const r = projectGet ?? t.routes.find((x) => x.permission !== "public")!;
      const valid = await call(t, r, "a", alice);
      if (projectGet) assert.equal(valid, 200, `${t.name} ${r.path}`);
      else assert.notEqual(valid, 401, `${t.name} ${r.path}`);
      for (let i = 0; i < alice.length; i++) {
        const flipped = alice.slice(0, i) + String.fromCharCode(alice.charCodeAt(i) ^ 1) + alice.slice(i + 1);
        assert.equal(await call(t, r, "a", flipped), 401, `${t.name}: byte ${i} of ${alice.length} flipped`);
      }
    }
  });
});
