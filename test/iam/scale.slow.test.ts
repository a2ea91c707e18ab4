// Scale end to end: iam holding 10,000 projects × 10 bindings; a verifier replicates all of
// it over the authz feed, decides correctly, and logins still work. Prints the figures.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { boundProject, boundRole, populateStore } from "../../bench/iam/population.ts";
import { IamAuth, requestToken } from "../../src/iam/client.ts";
import { type IamHarness, startIam } from "./harness.ts";

describe("iam at 10,000 projects × 10 bindings", () => {
  let iam: IamHarness;
  before(async () => {
    iam = await startIam();
    const t0 = Date.now();
    await populateStore(iam.store, 10_000);
    console.log(`# populated 120,000 objects in ${Date.now() - t0} ms`);
  });
  after(() => iam.close());

  test("a verifier replicates everything and decides without iam", async () => {
    const t0 = Date.now();
    const v = await IamAuth.start({
      iamUrl: iam.url,
      clientId: iam.system.clientId,
      clientSecret: iam.system.clientSecret,
      name: "scale",
      startTimeoutMs: 120_000,
    });
    try {
      console.log(`# verifier synced ${JSON.stringify(v.stats())} in ${Date.now() - t0} ms`);
      assert.ok(v.stats().bindings >= 100_000);
      // u-9999 is bound in p-9999 and, wrapping, in p-0 … p-8; never in p-9.
      const u = { subject: "user:u-9999", name: "u-9999" };
      for (const i of [0, 1, 9]) {
        const project = boundProject(9999, i, 10_000);
        assert.equal(
          (await v.authorize(u, { permission: "creditservice.quotas.get", project })).allowed,
          true,
          `${boundRole(9999, i)} in ${project}`,
        );
      }
      assert.equal(
        (await v.authorize(u, { permission: "creditservice.quotas.get", project: "p-9" })).allowed,
        false,
      );
      const token = (
        await requestToken(iam.url, {
          grant_type: "password",
          username: iam.admin.username,
          password: iam.admin.password,
        })
      ).access_token;
      assert.ok(await v.authenticate({ authorization: `Bearer ${token}` }));
    } finally {
      await v.close();
    }
  });
});
