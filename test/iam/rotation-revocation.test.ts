// Key rotation under load and revocation propagation, against several IamAuth verifiers
// (as in several components) that replicate iam's authz feed.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { IamAuth, requestToken } from "../../src/iam/client.ts";
import { type IamHarness, startIam } from "./harness.ts";

const ttlSeconds = 5;

describe("key rotation and revocation across verifiers", () => {
  let iam: IamHarness;
  const verifiers: IamAuth[] = [];
  const login = async () =>
    (
      await requestToken(iam.url, {
        grant_type: "password",
        username: iam.admin.username,
        password: iam.admin.password,
      })
    ).access_token;
  const accepts = async (v: IamAuth, token: string) =>
    v.authenticate({ authorization: `Bearer ${token}` }).then(
      () => true,
      (e: { code?: string }) => {
        if (e.code !== "Unauthenticated") throw e;
        return false;
      },
    );

  before(async () => {
    iam = await startIam({
      accessTokenTtlSeconds: ttlSeconds,
      clockSkewSeconds: 0,
      keyRotationSeconds: 3,
      keyPrepublishSeconds: 1,
    });
    for (const name of ["v1", "v2", "v3"]) {
      verifiers.push(
        await IamAuth.start({
          iamUrl: iam.url,
          clientId: iam.system.clientId,
          clientSecret: iam.system.clientSecret,
          name,
          clockSkewSeconds: 0,
        }),
      );
    }
  });
  after(async () => {
    for (const v of verifiers) await v.close();
    await iam.close();
  });

  test("under load, tokens signed before a rotation verify until they expire, and not after", async () => {
    const admin = await iam.adminToken();
    const issued: Array<{ token: string; exp: number }> = [];
    const rotations: string[] = [];
    let verifications = 0;
    const deadline = Date.now() + (ttlSeconds + 3) * 1000;
    let nextRotation = Date.now() + 700;
    while (Date.now() < deadline) {
      if (issued.length < 40) {
        const token = await login();
        const exp =
          (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { exp: number }).exp *
          1000;
        issued.push({ token, exp });
      }
      if (Date.now() > nextRotation && rotations.length < 4) {
        const r = await fetch(`${iam.url}/v1/signingkeys/rotate`, {
          method: "POST",
          headers: { authorization: `Bearer ${admin}` },
        });
        rotations.push(((await r.json()) as { kid: string }).kid);
        nextRotation = Date.now() + 700;
      }
      for (const { token, exp } of issued) {
        const now = Date.now();
        // Away from the expiry instant (±300 ms) the answer must be exact on every verifier.
        if (Math.abs(now - exp) < 300) continue;
        for (const v of verifiers) {
          assert.equal(await accepts(v, token), now < exp, `token expiring ${exp - now} ms from now`);
          verifications++;
        }
      }
      await sleep(20);
    }
    assert.ok(rotations.length >= 3, `rotated ${rotations.length} times`);
    assert.equal(new Set(rotations).size, rotations.length, "each rotation brought a new key");
    assert.ok(verifications > 1000, `${verifications} verifications`);
  });

  test("a revoked token is refused by every verifier within 5 s", async () => {
    const token = await login();
    for (const v of verifiers) assert.equal(await accepts(v, token), true);
    const t0 = Date.now();
    const res = await fetch(`${iam.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
    assert.equal(res.status, 200);
    const pending = new Set(verifiers);
    while (pending.size && Date.now() - t0 < 5000) {
      for (const v of [...pending]) if (!(await accepts(v, token))) pending.delete(v);
      await sleep(5);
    }
    const ms = Date.now() - t0;
    assert.equal(pending.size, 0, `still accepted after ${ms} ms`);
  });

  test("disabling a user ends its tokens on every verifier, and re-enabling restores them", async () => {
    const c = await iam.adminClient();
    await c.create("users", "carol", { displayName: "Carol" });
    await c.setPassword("carol", "carol-password");
    const token = (
      await requestToken(iam.url, { grant_type: "password", username: "carol", password: "carol-password" })
    ).access_token;
    for (const v of verifiers) assert.equal(await accepts(v, token), true);
    await c.http.patch("/v1/users/carol", { spec: { disabled: true } });
    const t0 = Date.now();
    while (
      Date.now() - t0 < 5000 &&
      (await Promise.all(verifiers.map((v) => accepts(v, token)))).some(Boolean)
    )
      await sleep(5);
    for (const v of verifiers) assert.equal(await accepts(v, token), false);
    await c.http.patch("/v1/users/carol", { spec: { disabled: false } });
    await sleep(200);
    for (const v of verifiers) assert.equal(await accepts(v, token), true);
  });

  test("a new binding is visible to every verifier's authorization within 5 s", async () => {
    const c = await iam.adminClient();
    await c.create("projects", "p1", { displayName: "" });
    const principal = { subject: "user:admin", name: "admin" };
    await c.create("users", "dave", { displayName: "Dave" });
    const dave = { subject: "user:dave", name: "dave" };
    for (const v of verifiers)
      assert.equal(
        (await v.authorize(dave, { permission: "creditservice.quotas.get", project: "p1" })).allowed,
        false,
      );
    await c.create("rolebindings", "dave-viewer", { principal: "user:dave", role: "viewer" }, "p1");
    const t0 = Date.now();
    while (Date.now() - t0 < 5000) {
      const ds = await Promise.all(
        verifiers.map((v) => v.authorize(dave, { permission: "creditservice.quotas.get", project: "p1" })),
      );
      if (ds.every((d) => d.allowed)) break;
      await sleep(5);
    }
    for (const v of verifiers) {
      assert.equal(
        (await v.authorize(dave, { permission: "creditservice.quotas.get", project: "p1" })).allowed,
        true,
      );
      assert.equal(
        (await v.authorize(dave, { permission: "creditservice.quotas.update", project: "p1" })).allowed,
        false,
      );
      assert.equal(
        (await v.authorize(principal, { permission: "creditservice.quotas.update", project: "p1" })).allowed,
        true,
      );
    }
    assert.ok(
      verifiers[0]!.audit.list(10, { subject: "user:dave", allowed: false }).length > 0,
      "denials are audited",
    );
  });
});
