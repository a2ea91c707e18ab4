// A verifier whose feed connection breaks (iam still up) resumes from its revisions: iam
// replays only the changes it missed instead of the whole snapshot, and those changes land.
import assert from "node:assert/strict";
import { createConnection, createServer, type Socket } from "node:net";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { IamAuth } from "../../src/iam/client.ts";
import { startIam } from "./harness.ts";

/** A TCP proxy to iam whose connections the test can cut. */
async function cuttableProxy(target: URL) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("authz feed resume", () => {
  test("a broken feed resumes with only the changes missed", async () => {
    const iam = await startIam();
    const proxy = await cuttableProxy(new URL(iam.url));
    const v = await IamAuth.start({
      iamUrl: proxy.url,
      clientId: iam.system.clientId,
      clientSecret: iam.system.clientSecret,
      name: "resumer",
      random: () => 0,
    });
    try {
      assert.equal(v.stats().snapshots, 1);
      const admin = await iam.adminClient();
      await admin.create("projects", "p1", { displayName: "" });
      await admin.create("users", "dave", { displayName: "Dave" });
      const dave = { subject: "user:dave", name: "dave" };
      const canGet = async () =>
        (await v.authorize(dave, { permission: "creditservice.quotas.get", project: "p1" })).allowed;
      assert.equal(await canGet(), false);

      for (let round = 1; round <= 2; round++) {
        proxy.cut(); // the verifier reconnects within milliseconds (backoff with random 0)
        // Changed while the verifier is away: a binding added (round 1) and removed (round 2).
        if (round === 1)
          await admin.create("rolebindings", "dave-view", { principal: "user:dave", role: "viewer" }, "p1");
        else await admin.delete("rolebindings", "dave-view", "p1");
        await until("the verifier to resume", () => v.stats().resumes === round && v.stats().connected);
        assert.equal(v.stats().snapshots, 1, "no second snapshot");
        const t0 = Date.now();
        while ((await canGet()) !== (round === 1) && Date.now() - t0 < 5000) await sleep(20);
        assert.equal(await canGet(), round === 1, `round ${round}: the missed change arrived`);
      }
      // And live changes keep flowing after a resume.
      await admin.create("rolebindings", "dave-view2", { principal: "user:dave", role: "viewer" }, "p1");
      const t0 = Date.now();
      while (!(await canGet()) && Date.now() - t0 < 5000) await sleep(20);
      assert.equal(await canGet(), true);
    } finally {
      await v.close();
      await proxy.close();
      await iam.close();
    }
  });
});
