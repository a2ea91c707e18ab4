// Least privilege for PhotonCloud's own components: every role runs as its own service
// account whose built-in role grants only the calls it makes, and a component's token is
// refused (403) for anything else — checked through the real authorization route and through
// a real creditservice that verifies iam tokens like every component does.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { pino } from "pino";
import { roles } from "../../src/cli/roles.ts";
import { roleConfig, startRole } from "../../src/cli/run-role.ts";
import { Lifecycle } from "../../src/core/lifecycle.ts";
import { silentLogger } from "../../src/core/log.ts";
import type { RunningRole } from "../../src/core/role.ts";
import { CreditClient } from "../../src/creditservice/client.ts";
import { builtinRoles } from "../../src/iam/api.ts";
import { componentCredentialsPath, readComponentCredentials } from "../../src/iam/bootstrap.ts";
import { connectIamAuth, requestToken } from "../../src/iam/client.ts";
import { componentCalls, componentRoleName, verifierPermissions } from "../../src/iam/component-accounts.ts";
import { type IamHarness, startIam } from "./harness.ts";

describe("one least-privilege service account per component", () => {
  let iam: IamHarness;
  let credit: RunningRole | undefined;
  const tokens = new Map<string, string>();

  before(async () => {
    iam = await startIam();
    for (const role of Object.keys(componentCalls)) {
      const c = readComponentCredentials(iam.dataDir, role)!;
      tokens.set(
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
    tokens.set(
      "shared",
      (
        await requestToken(iam.url, {
          grant_type: "client_credentials",
          client_id: iam.system.clientId,
          client_secret: iam.system.clientSecret,
        })
      ).access_token,
    );
  });

  after(async () => {
    await credit?.close();
    await iam.close();
  });

  test("every role `photon up` starts has its own account, key file (0600) and role", () => {
    const missing = roles.map((r) => r.name).filter((n) => n !== "iam" && !(n in componentCalls));
    assert.deepEqual(missing, [], "add these roles to src/iam/component-accounts.ts");
    const ids = new Set<string>();
    for (const role of Object.keys(componentCalls)) {
      const path = componentCredentialsPath(iam.dataDir, role);
      assert.equal(statSync(path).mode & 0o777, 0o600, path);
      const c = JSON.parse(readFileSync(path, "utf8")) as { clientId: string };
      assert.equal(c.clientId, `system/${role}`);
      ids.add(c.clientId);
      const spec = builtinRoles[componentRoleName(role)]!;
      assert.ok(!spec.permissions.some((p) => p.includes("*")), `${role}: no wildcards`);
    }
    assert.equal(ids.size, Object.keys(componentCalls).length);
    assert.deepEqual(builtinRoles["photon-system"]!.permissions, [...verifierPermissions]);
  });

  test("a role iam made no account for runs as the shared one, which may verify tokens and call nothing", async () => {
    let logged = "";
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logged += chunk.toString();
        cb();
      },
    });
    const auth = await connectIamAuth(
      iam.url,
      iam.dataDir,
      "not-a-known-role",
      pino({ level: "warn" }, sink),
    );
    try {
      const token = await auth.serviceToken();
      assert.equal(
        (await auth.authenticate({ authorization: `Bearer ${token}` }))?.subject,
        "serviceaccount:system/photon-components",
      );
      assert.equal(await decide(token, "creditservice.reservations.create"), false);
      assert.match(logged, /component-accounts\.ts/, "the log says what to do");
    } finally {
      await auth.close();
    }
  });

  const decide = async (token: string, permission: string, project = "demo") => {
    const res = await fetch(`${iam.url}/v1/authorize`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ permission, resource: { project } }),
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { allowed: boolean }).allowed;
  };

  test("each component's token is allowed exactly its calls, in any project, and nothing else", async () => {
    const everyCall = new Set([
      ...Object.values(componentCalls).flat(),
      "iam.users.create",
      "iam.rolebindings.create",
      "iam.serviceaccountkeys.create",
      "creditservice.quotas.update",
      "creditservice.credits.create",
      "plasmavmc.vms.delete",
    ]);
    for (const [role, calls] of Object.entries(componentCalls)) {
      const token = tokens.get(role)!;
      for (const p of [...verifierPermissions, ...calls])
        for (const project of ["demo", "other"])
          assert.equal(await decide(token, p, project), true, `${role} may ${p} in ${project}`);
      for (const p of everyCall)
        if (!calls.includes(p)) assert.equal(await decide(token, p), false, `${role} may not ${p}`);
    }
    for (const p of everyCall) assert.equal(await decide(tokens.get("shared")!, p), false, `shared: ${p}`);
  });

  test("a real component refuses a component's token (403) outside its role and serves it inside", async () => {
    const role = roles.find((r) => r.name === "creditservice")!;
    credit = await startRole(role, roleConfig(role, { dataDir: iam.dataDir, logLevel: "silent", port: 0 }), {
      log: silentLogger,
      lifecycle: new Lifecycle(silentLogger, 1000),
      dataDir: iam.dataDir,
      endpoints: { iam: iam.url },
      storeBackend: "memory",
    });
    const baseUrl = credit.endpoints.api!;
    const admin = new CreditClient({ baseUrl, token: await iam.adminToken() });
    await admin.setLimits("demo", { vcpu: 8 });

    // plasmavmc reserves and commits quota: inside its role.
    const plasmavmc = new CreditClient({ baseUrl, token: tokens.get("plasmavmc")! });
    await plasmavmc.reserve("demo", "vm-1", { vcpu: 2 });
    await plasmavmc.commit("demo", "vm-1");
    assert.deepEqual((await admin.getQuota("demo")).status.used, { vcpu: 2 });

    const refused = async (token: string, call: (c: CreditClient) => Promise<unknown>, what: string) => {
      await assert.rejects(
        call(new CreditClient({ baseUrl, token })),
        (e: { code?: string; status?: number }) => e.code === "PermissionDenied",
        what,
      );
    };
    // Outside it: adding credit, reading or changing quotas.
    await refused(
      tokens.get("plasmavmc")!,
      (c) => c.addCredit("demo", "gift", 1000),
      "plasmavmc adds credit",
    );
    await refused(tokens.get("plasmavmc")!, (c) => c.getQuota("demo"), "plasmavmc reads a quota");
    await refused(
      tokens.get("plasmavmc")!,
      (c) => c.setLimits("demo", { vcpu: 99 }),
      "plasmavmc sets a quota",
    );
    // Components that never reserve quota may not either.
    for (const other of ["creditservice", "nightlight", "flashdns", "apigateway", "shared"])
      await refused(
        tokens.get(other)!,
        (c) => c.reserve("demo", `r-${other}`, { vcpu: 1 }),
        `${other} reserves`,
      );
    assert.deepEqual((await admin.getQuota("demo")).status.used, { vcpu: 2 }, "nothing refused took effect");

    // And over plain HTTP, the status a curl user would see.
    const res = await fetch(`${baseUrl}/v1/projects/demo/credits`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.get("lightningstor")}`, "content-type": "application/json" },
      body: JSON.stringify({ requestId: "x", amountMilli: 1 }),
    });
    assert.equal(res.status, 403);
  });
});
