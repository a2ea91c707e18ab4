// Rebuild of a lost replica: a replica's server dies, the primary writes on alone (Degraded),
// the server comes back stale (or empty) and is resynced from the primary while the volume
// stays attached, rejoins the in-sync set, and then holds every write: the primary's server
// is killed and the resynced copy takes over with all the bytes.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { adminTokenFile } from "../../src/cli/local-admin.ts";
import { coronafsRole } from "../../src/coronafs/server.ts";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";
import { type TestCloud, testCloud } from "./cloud.ts";
import { qemuIo } from "./qemu-tools.ts";

let cloud: TestCloud;
const procs = new Map<string, PhotonProcess>();
const admins: Record<string, string> = {};

/** Starts (or restarts, on the same admin port) volume server `id` as its own process. */
async function startServer(id: string, apiPort = 0): Promise<string> {
  const dir = join(cloud.dataDir, `server-${id}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(adminTokenFile(cloud.dataDir), adminTokenFile(dir));
  const p = spawnPhoton([
    "coronafs-server",
    "--data-dir",
    dir,
    "--nbd-port",
    "0",
    "--api-port",
    String(apiPort),
    "--log-level",
    "warn",
  ]);
  procs.set(id, p);
  const m = await p.waitFor(/coronafs-server serving (\{.*\})/);
  return JSON.parse(m[1]!).admin as string;
}

before(async () => {
  cloud = await testCloud();
  admins.a = await startServer("a");
  admins.b = await startServer("b");
  await cloud.start(coronafsRole, {
    servers: { a: admins.a, b: admins.b },
    serverPollMs: 200,
    serverDeadAfterMs: 1000,
    resyncMs: 500,
  });
});
after(async () => {
  for (const p of procs.values()) await p.kill("SIGKILL");
  await cloud.close();
});

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const mib = 1024 * 1024;

for (const variant of ["stale", "empty"] as const)
  test(`a replica that comes back ${variant} is resynced while attached and then holds every write`, async () => {
    const c = cloud.coronafs;
    const name = `v-${variant}`;
    await c.createVolume("demo", name, { sizeGib: 1, replicas: 2 });
    const v = await c.waitVolume("demo", name);
    const replica = v.status.copies.find((x) => x.role === "replica")!;
    const primary = v.status.copies.find((x) => x.role === "primary")!;
    const a = await c.attach("demo", name, "vm-1");
    await qemuIo(a.url, `write -P 0x61 0 ${mib}`, `write -P 0x63 ${5 * mib} ${mib}`, "flush");

    // The replica's server dies; the primary writes on alone once the loss is recorded.
    await procs.get(replica.server)!.kill("SIGKILL");
    await qemuIo(a.url, `write -P 0x62 ${mib} ${mib}`, `write -z ${5 * mib} ${mib}`, "flush");
    const degraded = await c.getVolume("demo", name);
    assert.equal(degraded.status.copies.find((x) => x.server === replica.server)?.inSync, false);

    // It comes back: with its old data (missing the writes above), or with none at all.
    if (variant === "empty")
      rmSync(join(cloud.dataDir, `server-${replica.server}`, "coronafs"), { recursive: true });
    admins[replica.server] = await startServer(replica.server, Number(new URL(admins[replica.server]!).port));
    // Writes go on during the resync, on the same attachment.
    await qemuIo(a.url, `write -P 0x64 ${2 * mib} ${mib}`, "flush");
    const synced = await waitFor("the replica back in sync", async () => {
      const x = await c.getVolume("demo", name);
      return x.status.copies.every((k) => k.inSync) ? x : undefined;
    });
    const cond = synced.status.conditions.find((k) => k.type === "Degraded");
    assert.equal(cond?.status, "False");
    assert.equal(cond?.reason, "Resynced");
    assert.equal(synced.status.epoch, a.epoch, "the attachment was not replaced");
    // In the quorum again: this write is on both copies before qemu-io hears back.
    await qemuIo(a.url, `write -P 0x65 ${3 * mib} 65536`, "flush");

    // The primary's server dies: the resynced copy takes over with every byte.
    await procs.get(primary.server)!.kill("SIGKILL");
    await waitFor("failover to the resynced copy", async () => {
      const x = await c.getVolume("demo", name);
      return x.status.copies.find((k) => k.role === "primary")?.server === replica.server ? x : undefined;
    });
    const b = await c.attach("demo", name, "vm-1");
    await qemuIo(
      b.url,
      `read -P 0x61 0 ${mib}`,
      `read -P 0x62 ${mib} ${mib}`,
      `read -P 0x64 ${2 * mib} ${mib}`,
      `read -P 0x65 ${3 * mib} 65536`,
      `read -P 0 ${5 * mib} ${mib}`,
    );
    // Bring the old primary back for the next test (it is now an out-of-sync replica).
    admins[primary.server] = await startServer(primary.server, Number(new URL(admins[primary.server]!).port));
    await new Promise((r) => setTimeout(r, 1500)); // the control plane's next poll sees it
  });
