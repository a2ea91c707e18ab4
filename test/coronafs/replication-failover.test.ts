// Synchronous replication and failover with volume servers in their own processes: a write
// flushed through the primary is on the replica; SIGKILL of the primary's server fails the
// volume over to the replica at a new epoch, and no acknowledged write is lost; a primary
// that was only frozen (SIGSTOP) and comes back has its writes refused (fenced).
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { adminTokenFile } from "../../src/cli/local-admin.ts";
import { NbdClient } from "../../src/coronafs/nbd-client.ts";
import { coronafsRole } from "../../src/coronafs/server.ts";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";
import { type TestCloud, testCloud } from "./cloud.ts";
import { qemuIo } from "./qemu-tools.ts";

let cloud: TestCloud;
const procs = new Map<string, PhotonProcess>();
const admins: Record<string, string> = {};

/** Starts (or restarts) volume server `id` as its own `photon coronafs-server` process. */
async function startServer(id: string, apiPort = 0): Promise<string> {
  const dir = join(cloud.dataDir, `server-${id}`);
  mkdirSync(dir, { recursive: true });
  // One cluster credential: the control plane's token is valid on every server.
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
  });
});
after(async () => {
  for (const p of procs.values()) {
    p.child.kill("SIGCONT");
    await p.kill("SIGKILL");
  }
  await cloud.close();
});

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Both servers answer, and the control plane has polled them since (each test places anew). */
async function bothServersHealthy(): Promise<void> {
  for (const url of [admins.a, admins.b])
    await waitFor("both servers healthy", async () => {
      const r = await fetch(`${url}/v1/server`, {
        headers: { authorization: `Bearer ${cloud.token}` },
      }).catch(() => undefined);
      return r?.ok ? true : undefined;
    });
  await new Promise((r) => setTimeout(r, 500)); // the control plane's next poll sees them
}

test("SIGKILL of the primary's server: the replica takes over with every acknowledged write", async () => {
  const c = cloud.coronafs;
  await c.createVolume("demo", "r2", { sizeGib: 1, replicas: 2 });
  const v = await c.waitVolume("demo", "r2");
  assert.deepEqual(v.status.copies.map((x) => x.role).sort(), ["primary", "replica"]);
  const primary = v.status.copies.find((x) => x.role === "primary")!;
  const a = await c.attach("demo", "r2", "vm-1");
  // qemu-io flushes before it exits: these writes are acknowledged as durable.
  await qemuIo(a.url, "write -P 0xab 0 2M", "write -P 0xcd 300M 64k", "write -z 1M 4096", "flush");
  // Writes in flight when the server dies may or may not survive; acknowledged ones must.
  const client = await NbdClient.connect(a.server, a.exportName);
  const inflight = Array.from({ length: 16 }, (_, i) =>
    client.write(10 * 1024 * 1024 + i * 65_536, Buffer.alloc(65_536, 0xee), true).then(
      () => i,
      () => -1,
    ),
  );
  await procs.get(primary.server)!.kill("SIGKILL");
  const acked = (await Promise.all(inflight)).filter((i) => i >= 0);
  client.destroy();

  const after = await waitFor("failover", async () => {
    const x = await c.getVolume("demo", "r2");
    return x.status.epoch > a.epoch &&
      x.status.copies.find((k) => k.role === "primary")?.server !== primary.server
      ? x
      : undefined;
  });
  const cond = after.status.conditions.find((k) => k.type === "FailedOver");
  assert.equal(cond?.reason, "PrimaryDown");
  assert.match(cond?.message ?? "", /failed over from/);
  assert.equal(after.status.copies.find((k) => k.server === primary.server)?.inSync, false);
  const b = await c.attach("demo", "r2", "vm-1");
  assert.notEqual(b.server, a.server);
  await qemuIo(
    b.url,
    "read -P 0xab 0 1M",
    "read -P 0 1M 4096",
    "read -P 0xab 1052672 1044480",
    "read -P 0xcd 300M 64k",
  );
  for (const i of acked) await qemuIo(b.url, `read -P 0xee ${10 * 1024 * 1024 + i * 65_536} 64k`);
  await qemuIo(b.url, "write -P 0x12 0 4096", "read -P 0x12 0 4096");
  // The dead server comes back (same data, same port): it is out of sync and never promoted.
  admins[primary.server] = await startServer(primary.server, Number(new URL(admins[primary.server]!).port));
});

test("a frozen primary that comes back is fenced: its writes are refused", async () => {
  const c = cloud.coronafs;
  await bothServersHealthy();
  await c.createVolume("demo", "f2", { sizeGib: 1, replicas: 2 });
  const v = await c.waitVolume("demo", "f2");
  const primary = v.status.copies.find((x) => x.role === "primary")!;
  const a = await c.attach("demo", "f2", "vm-2");
  const stale = await NbdClient.connect(a.server, a.exportName);
  await stale.write(0, Buffer.alloc(4096, 0x01), true);
  procs.get(primary.server)!.child.kill("SIGSTOP");
  await waitFor("failover", async () => {
    const x = await c.getVolume("demo", "f2");
    return x.status.epoch > a.epoch ? x : undefined;
  });
  procs.get(primary.server)!.child.kill("SIGCONT");
  // The old primary still holds its client, but the replica is at a newer epoch.
  await assert.rejects(stale.write(0, Buffer.alloc(4096, 0x02), true));
  stale.destroy();
  const b = await c.attach("demo", "f2", "vm-2");
  await qemuIo(b.url, "read -P 0x01 0 4096");
});

test("a replica that dies leaves the in-sync set and the primary's writes go on", async () => {
  const c = cloud.coronafs;
  await bothServersHealthy();
  await c.createVolume("demo", "d2", { sizeGib: 1, replicas: 2 });
  const v = await c.waitVolume("demo", "d2");
  const replica = v.status.copies.find((x) => x.role === "replica")!;
  const a = await c.attach("demo", "d2", "vm-3");
  await qemuIo(a.url, "write -P 0x61 0 1M", "flush");
  await procs.get(replica.server)!.kill("SIGKILL");
  // The next writes fail over to "primary only" once the control plane has recorded the loss.
  await qemuIo(a.url, "write -P 0x62 1M 1M", "flush", "read -P 0x61 0 1M", "read -P 0x62 1M 1M");
  const after = await c.getVolume("demo", "d2");
  assert.equal(after.status.copies.find((x) => x.server === replica.server)?.inSync, false);
  assert.equal(after.status.conditions.find((k) => k.type === "Degraded")?.reason, "ReplicaLost");
});
