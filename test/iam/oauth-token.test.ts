import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { requestToken } from "../../src/iam/client.ts";
import { type IamHarness, startIam } from "./harness.ts";

const form = (
  url: string,
  path: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body).toString(),
  });

describe("iam OAuth2 token endpoint", () => {
  let iam: IamHarness;
  before(async () => {
    iam = await startIam();
  });
  after(() => iam.close());

  test("the bootstrap admin logs in with the password grant and jose validates the token from discovery + JWKS alone", async () => {
    const t = await requestToken(iam.url, {
      grant_type: "password",
      username: iam.admin.username,
      password: iam.admin.password,
    });
    assert.equal(t.token_type, "Bearer");
    assert.ok(t.refresh_token?.startsWith("phr_"));
    const doc = (await (await fetch(`${iam.url}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    const { payload, protectedHeader } = await jwtVerify(
      t.access_token,
      createRemoteJWKSet(new URL(doc.jwks_uri)),
      { issuer: doc.issuer, audience: "photoncloud" },
    );
    assert.equal(payload.sub, "user:admin");
    assert.equal(protectedHeader.alg, "EdDSA");
    assert.ok(protectedHeader.kid);
  });

  test("JSON token requests work too, and a wrong password is invalid_grant", async () => {
    const ok = await fetch(`${iam.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "password", username: "admin", password: iam.admin.password }),
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("cache-control"), "no-store");
    const bad = await form(iam.url, "/oauth/token", {
      grant_type: "password",
      username: "nobody",
      password: "wrong-password",
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, "invalid_grant");
    const unsupported = await form(iam.url, "/oauth/token", { grant_type: "implicit" });
    assert.equal(((await unsupported.json()) as { error: string }).error, "unsupported_grant_type");
  });

  test("repeated wrong passwords lock the account with backoff, even for the right password", async () => {
    const c = await iam.adminClient();
    await c.create("users", "mallory", { displayName: "m" });
    await c.setPassword("mallory", "correct-horse-battery");
    for (let i = 0; i < 5; i++)
      assert.equal(
        (
          await form(iam.url, "/oauth/token", {
            grant_type: "password",
            username: "mallory",
            password: `guess-${i}xx`,
          })
        ).status,
        400,
      );
    await form(iam.url, "/oauth/token", {
      grant_type: "password",
      username: "mallory",
      password: "guess-6xxx",
    });
    const locked = await form(iam.url, "/oauth/token", {
      grant_type: "password",
      username: "mallory",
      password: "correct-horse-battery",
    });
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get("retry-after")) >= 1);
  });

  test("refresh tokens rotate, and reusing an old one revokes the whole session", async () => {
    const first = await requestToken(iam.url, {
      grant_type: "password",
      username: "admin",
      password: iam.admin.password,
    });
    const second = await requestToken(iam.url, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token!,
    });
    assert.notEqual(second.refresh_token, first.refresh_token);
    const who = await fetch(`${iam.url}/v1/self`, {
      headers: { authorization: `Bearer ${second.access_token}` },
    });
    assert.equal(who.status, 200);
    const reuse = await form(iam.url, "/oauth/token", {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token!,
    });
    assert.equal(reuse.status, 400);
    assert.match(((await reuse.json()) as { error_description: string }).error_description, /reused/);
    const third = await form(iam.url, "/oauth/token", {
      grant_type: "refresh_token",
      refresh_token: second.refresh_token!,
    });
    assert.equal(third.status, 400, "the rotated token died with its family");
    const after = await fetch(`${iam.url}/v1/self`, {
      headers: { authorization: `Bearer ${second.access_token}` },
    });
    assert.equal(after.status, 401, "access tokens of the revoked session stop working");
  });

  test("client_credentials with an API key, HTTP Basic or form fields", async () => {
    const c = await iam.adminClient();
    await c.create("projects", "alpha", { displayName: "" });
    await c.create("serviceaccounts", "ci", { description: "" }, "alpha");
    const key = await c.createKey("alpha", "ci", { type: "secret" });
    assert.ok(key.clientSecret);
    const viaForm = await requestToken(iam.url, {
      grant_type: "client_credentials",
      client_id: "alpha/ci",
      client_secret: key.clientSecret!,
    });
    assert.ok(viaForm.access_token);
    assert.equal(viaForm.refresh_token, undefined);
    const basic = Buffer.from(
      `${encodeURIComponent("alpha/ci")}:${encodeURIComponent(key.clientSecret!)}`,
    ).toString("base64");
    const viaBasic = await form(
      iam.url,
      "/oauth/token",
      { grant_type: "client_credentials" },
      { authorization: `Basic ${basic}` },
    );
    assert.equal(viaBasic.status, 200);
    const wrong = await form(iam.url, "/oauth/token", {
      grant_type: "client_credentials",
      client_id: "alpha/ci",
      client_secret: `${key.clientSecret!.slice(0, -2)}xx`,
    });
    assert.equal(wrong.status, 401);
    const listed = (
      await c.http.get<{ items: Array<Record<string, unknown>> }>(
        "/v1/projects/alpha/serviceaccounts/ci/keys",
      )
    ).items;
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.clientSecret, undefined, "secrets are shown once, never listed");
  });

  test("revocation and introspection", async () => {
    const t = await requestToken(iam.url, {
      grant_type: "password",
      username: "admin",
      password: iam.admin.password,
    });
    const admin = await iam.adminToken();
    const intro = async (token: string) =>
      (await (
        await form(iam.url, "/oauth/introspect", { token }, { authorization: `Bearer ${admin}` })
      ).json()) as { active: boolean; sub?: string };
    assert.deepEqual((await intro(t.access_token)).active, true);
    assert.equal((await intro(t.access_token)).sub, "user:admin");
    assert.equal((await form(iam.url, "/oauth/revoke", { token: t.access_token })).status, 200);
    assert.equal((await intro(t.access_token)).active, false);
    assert.equal(
      (await fetch(`${iam.url}/v1/self`, { headers: { authorization: `Bearer ${t.access_token}` } })).status,
      401,
    );
    assert.equal(
      (await form(iam.url, "/oauth/revoke", { token: "not-a-token" })).status,
      200,
      "unknown tokens are not an error (RFC 7009)",
    );
  });
});
