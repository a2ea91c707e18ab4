// A verifier outlives an iam restart: it keeps deciding from its copy, reconnects, resyncs,
// and sees changes made after the restart.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { IamAuth, requestToken } from "../../src/iam/client.ts";
import { startIam } from "./harness.ts";

describe("authz feed across an iam restart", () => {
  test("the verifier keeps serving, reconnects and picks up later revocations", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "photon-iam-restart-"));
    let iam = await startIam({}, { dataDir, lmdb: true });
    const port = Number(new URL(iam.url).port);
    const v = await IamAuth.start({
      iamUrl: iam.url,
      clientId: iam.system.clientId,
      clientSecret: iam.system.clientSecret,
      name: "survivor",
    });
    try {
      const token = (
        await requestToken(iam.url, {
          grant_type: "password",
          username: iam.admin.username,
          password: iam.admin.password,
        })
      ).access_token;
      assert.ok(await v.authenticate({ authorization: `Bearer ${token}` }));
      await iam.close();
      // iam is down: decisions continue from the replicated copy.
      assert.ok(await v.authenticate({ authorization: `Bearer ${token}` }));
      for (let i = 0; i < 100 && v.stats().connected; i++) await sleep(20);
      assert.equal(v.stats().connected, false, "noticed the feed ended");
      iam = await startIam({ port }, { dataDir, lmdb: true });
      const t0 = Date.now();
      while (!v.stats().connected && Date.now() - t0 < 10_000) await sleep(50);
      assert.equal(v.stats().connected, true, "reconnected");
      await fetch(`${iam.url}/oauth/revoke`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }).toString(),
      });
      const t1 = Date.now();
      let refused = false;
      while (!refused && Date.now() - t1 < 5000) {
        refused = await v.authenticate({ authorization: `Bearer ${token}` }).then(
          () => false,
          () => true,
        );
        if (!refused) await sleep(10);
      }
      assert.ok(refused, "a revocation after the restart reaches the verifier");
    } finally {
      await v.close();
      await iam.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
