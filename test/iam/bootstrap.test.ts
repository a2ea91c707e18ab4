import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, test } from "node:test";
import { pino } from "pino";
import { redactedPaths } from "../../src/core/log.ts";
import {
  bootstrapAdminPath,
  componentCredentialsPath,
  systemCredentialsPath,
} from "../../src/iam/bootstrap.ts";
import { requestToken } from "../../src/iam/client.ts";
import { componentCalls } from "../../src/iam/component-accounts.ts";
import { startIam } from "./harness.ts";

describe("iam bootstrap and secret hygiene", () => {
  test("the first admin and the components' keys are written once, mode 0600, and survive a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "photon-iam-boot-"));
    try {
      let iam = await startIam({}, { dataDir, lmdb: true });
      const components = Object.keys(componentCalls).map((r) => componentCredentialsPath(dataDir, r));
      for (const p of [bootstrapAdminPath(dataDir), systemCredentialsPath(dataDir), ...components])
        assert.equal(statSync(p).mode & 0o777, 0o600, p);
      const admin = readFileSync(bootstrapAdminPath(dataDir), "utf8");
      const system = readFileSync(systemCredentialsPath(dataDir), "utf8");
      const keys = components.map((p) => readFileSync(p, "utf8"));
      const mtime = statSync(bootstrapAdminPath(dataDir)).mtimeMs;
      await iam.close();
      iam = await startIam({}, { dataDir, lmdb: true });
      assert.equal(readFileSync(bootstrapAdminPath(dataDir), "utf8"), admin, "not rewritten");
      assert.equal(statSync(bootstrapAdminPath(dataDir)).mtimeMs, mtime);
      assert.equal(readFileSync(systemCredentialsPath(dataDir), "utf8"), system);
      assert.deepEqual(
        components.map((p) => readFileSync(p, "utf8")),
        keys,
        "each component keeps its key",
      );
      assert.ok(await iam.adminToken(), "the admin still logs in");
      assert.ok(
        (
          await requestToken(iam.url, {
            grant_type: "client_credentials",
            client_id: iam.system.clientId,
            client_secret: iam.system.clientSecret,
          })
        ).access_token,
      );
      await iam.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("passwords, client secrets and tokens never reach the log, even at trace level", async () => {
    let text = "";
    const sink = new Writable({
      write(chunk, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    });
    const log = pino({ level: "trace", redact: { paths: redactedPaths, censor: "[redacted]" } }, sink);
    const iam = await startIam({ logLevel: "trace" }, { log });
    try {
      const t = await requestToken(iam.url, {
        grant_type: "password",
        username: iam.admin.username,
        password: iam.admin.password,
      });
      await requestToken(iam.url, {
        grant_type: "password",
        username: "admin",
        password: "wrong-password-123",
      }).catch(() => undefined);
      await requestToken(iam.url, { grant_type: "refresh_token", refresh_token: t.refresh_token! });
      const c = await iam.adminClient();
      await c.create("users", "eve", { displayName: "" });
      await c.setPassword("eve", "eve-secret-password");
      const cc = await requestToken(iam.url, {
        grant_type: "client_credentials",
        client_id: iam.system.clientId,
        client_secret: iam.system.clientSecret,
      });
      await fetch(`${iam.url}/v1/self`, { headers: { authorization: `Bearer ${cc.access_token}` } });
      assert.ok(text.length > 1000, "something was logged");
      for (const secret of [
        iam.admin.password,
        "wrong-password-123",
        "eve-secret-password",
        iam.system.clientSecret,
        t.access_token,
        t.refresh_token!,
        cc.access_token,
      ]) {
        assert.ok(!text.includes(secret), `a secret reached the log: ${secret.slice(0, 8)}…`);
        assert.ok(!text.includes(secret.split(".").at(-1)!), "not even its last part");
      }
    } finally {
      await iam.close();
    }
  });
});
