import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import { type IamHarness, startIam } from "./harness.ts";

describe("client_credentials with a signed JWT assertion (private_key_jwt, RFC 7523)", () => {
  let iam: IamHarness;
  let keyId: string;
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const post = (assertion: string) =>
    fetch(`${iam.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      }).toString(),
    });
  const assertion = (o: { ttl?: number; key?: typeof privateKey; jti?: string; aud?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", kid: keyId })
      .setIssuer("robots/deployer")
      .setSubject("robots/deployer")
      .setAudience(o.aud ?? `${iam.url}/oauth/token`)
      .setIssuedAt(now)
      .setExpirationTime(now + (o.ttl ?? 60))
      .setJti(o.jti ?? `j-${Math.random()}`)
      .sign(o.key ?? privateKey);
  };

  before(async () => {
    iam = await startIam();
    const c = await iam.adminClient();
    await c.create("projects", "robots", { displayName: "" });
    await c.create("serviceaccounts", "deployer", { description: "" }, "robots");
    keyId = (
      await c.createKey("robots", "deployer", {
        type: "jwk",
        publicJwk: publicKey.export({ format: "jwk" }) as Record<string, unknown>,
      })
    ).keyId;
  });
  after(() => iam.close());

  test("a fresh assertion gets a token for the service account", async () => {
    const res = await post(await assertion());
    assert.equal(res.status, 200);
    const t = (await res.json()) as { access_token: string };
    const who = await fetch(`${iam.url}/v1/self`, { headers: { authorization: `Bearer ${t.access_token}` } });
    assert.equal(((await who.json()) as { subject: string }).subject, "serviceaccount:robots/deployer");
  });

  test("a replayed assertion is refused", async () => {
    const a = await assertion({ jti: "once" });
    assert.equal((await post(a)).status, 200);
    const again = await post(a);
    assert.equal(again.status, 401);
    assert.match(((await again.json()) as { error_description: string }).error_description, /replayed/);
  });

  test("long-lived, wrongly signed or wrongly addressed assertions are refused", async () => {
    assert.equal((await post(await assertion({ ttl: 3600 }))).status, 401);
    assert.equal(
      (await post(await assertion({ key: generateKeyPairSync("ed25519").privateKey }))).status,
      401,
    );
    assert.equal((await post(await assertion({ aud: "https://elsewhere.example/token" }))).status, 401);
  });
});
