// Failover through chainfire leases: each volume server keeps a lease on its key; when the
// primary's server is SIGKILLed its lease runs out and the control plane (whose HTTP health
// polling is set far too slow to notice in time) promotes the replica.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chainfireRole } from "../../src/chainfire/server.ts";
import { adminTokenFile } from "../../src/cli/local-admin.ts";
import { coronafsRole } from "../../src/coronafs/server.ts";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";
import { type TestCloud, testCloud } from "./cloud.ts";
import { qemuIo } from "./qemu-tools.ts";

let cloud: TestCloud;
const procs = new Map<string, PhotonProcess>();

async function startServer(id: string, chainfire: string): Promise<string> {
  const dir = join(cloud.dataDir, `server-${id}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(adminTokenFile(cloud.dataDir), adminTokenFile(dir));
  const p = spawnPhoton([
    "coronafs-server",
    ...["--data-dir", dir, "--nbd-port", "0", "--api-port", "0", "--log-level", "warn"],
    ...["--server-id", id, "--chainfire", chainfire, "--lease-ttl-seconds", "2"],
  ]);
  procs.set(id, p);
  const m = await p.waitFor(/coronafs-server serving (\{.*\})/);
  return JSON.parse(m[1]!).admin as string;
}

before(async () => {
  cloud = await testCloud();
  await cloud.start(chainfireRole);
  const chainfire = cloud.endpoints["chainfire.etcd"]!;
  const a = await startServer("a", chainfire);
  const b = await startServer("b", chainfire);
  await cloud.start(coronafsRole, {
    servers: { a, b },
    chainfire,
    serverPollMs: 200,
    serverDeadAfterMs: 600_000,
  });
});
after(async () => {
  for (const p of procs.values()) await p.kill("SIGKILL");
  await cloud.close();
});

test("the primary's lease runs out after SIGKILL and the replica takes over", async () => {
  const c = cloud.coronafs;
  await c.createVolume("demo", "leased", { sizeGib: 1, replicas: 2 });
  const v = await c.waitVolume("demo", "leased");
  const primary = v.status.copies.find((x) => x.role === "primary")!;
  const a = await c.attach("demo", "leased", "vm-1");
  await qemuIo(a.url, "write -P 0x5e 0 1M", "flush");
  const killedAt = Date.now();
  await procs.get(primary.server)!.kill("SIGKILL");
  for (;;) {
    const x = await c.getVolume("demo", "leased");
    if (x.status.epoch > a.epoch) break;
    assert.ok(Date.now() - killedAt < 20_000, "failover within the lease TTL plus a few polls");
    await new Promise((r) => setTimeout(r, 100));
  }
  const b = await c.attach("demo", "leased", "vm-1");
  assert.notEqual(b.server, a.server);
  await qemuIo(b.url, "read -P 0x5e 0 1M");
});
