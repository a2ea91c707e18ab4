// The coronafs control plane end to end on this machine: volumes as resources, attachment
// with fencing, copy-on-write snapshots and clones, resize and delete, with qemu-io as the
// NBD client and creditservice enforcing volume_gib.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { NbdClient } from "../../src/coronafs/nbd-client.ts";
import { coronafsRole } from "../../src/coronafs/server.ts";
import { CreditClient } from "../../src/creditservice/client.ts";
import { creditserviceRole } from "../../src/creditservice/server.ts";
import { type TestCloud, testCloud } from "./cloud.ts";
import { qemuIo, runTool } from "./qemu-tools.ts";

let cloud: TestCloud;
let credit: CreditClient;
const gib = 1024 ** 3;

before(async () => {
  cloud = await testCloud();
  await cloud.start(creditserviceRole);
  await cloud.start(coronafsRole, { serverPollMs: 200 });
  credit = new CreditClient({ baseUrl: cloud.endpoints.creditservice!, token: cloud.token });
});
after(async () => cloud.close());

test("a volume is created, attached, written with qemu-io, and fenced when taken over", async () => {
  const c = cloud.coronafs;
  const created = await c.createVolume("demo", "data", { sizeGib: 1 });
  assert.equal(created.status.phase, "Pending");
  const v = await c.waitVolume("demo", "data");
  assert.equal(v.status.sizeBytes, gib);
  assert.equal(v.status.copies.length, 1);
  const a = await c.attach("demo", "data", "vm-1");
  assert.match(a.url, /^nbd:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+\/[\w-]+$/);
  await qemuIo(a.url, "write -P 0xab 0 1M", "read -P 0xab 0 1M");
  const info = await runTool("qemu-img", ["info", "--output=json", a.url]);
  assert.equal(JSON.parse(info.stdout)["virtual-size"], gib);
  assert.equal((await c.getVolume("demo", "data")).status.attachment?.holder, "vm-1");

  // Exclusive: another holder is refused unless it forces; a forced takeover fences vm-1.
  await assert.rejects(c.attach("demo", "data", "vm-2"), /attached to vm-1/);
  const held = await NbdClient.connect(a.server, a.exportName);
  const b = await c.attach("demo", "data", "vm-2", true);
  assert.ok(b.epoch > a.epoch);
  await assert.rejects(held.write(0, Buffer.alloc(512)), "vm-1's connection is cut and its writes refused");
  await assert.rejects(NbdClient.connect(a.server, a.exportName), "vm-1's export name no longer works");
  await qemuIo(b.url, "read -P 0xab 0 1M");
  await assert.rejects(c.detach("demo", "data", "vm-1"), /attached to vm-2/);
  await c.detach("demo", "data", "vm-2");
  await assert.rejects(NbdClient.connect(b.server, b.exportName));
  assert.equal((await c.getVolume("demo", "data")).status.phase, "Available");
});

test("a snapshot and a clone share chunks; the clone boots from the snapshot's bytes", async () => {
  const c = cloud.coronafs;
  await c.createVolume("demo", "origin", { sizeGib: 1 });
  await c.waitVolume("demo", "origin");
  const a = await c.attach("demo", "origin", "w");
  await qemuIo(a.url, "write -P 0x11 0 2M", "write -P 0x22 100M 1M", "flush");
  await c.createSnapshot("demo", "snap", "origin");
  const s = await c.waitSnapshot("demo", "snap");
  assert.equal(s.status.sizeBytes, gib);
  await qemuIo(a.url, "write -P 0x33 0 1M"); // after the snapshot: not in it
  await c.createVolume("demo", "clone", { sizeGib: 2, source: { snapshot: "snap" } });
  await c.waitVolume("demo", "clone");
  const b = await c.attach("demo", "clone", "w2");
  await qemuIo(b.url, "read -P 0x11 0 2M", "read -P 0x22 100M 1M", "read -P 0 1G 1M", "write -P 0x44 0 4096");
  await qemuIo(a.url, "read -P 0x33 0 1M", "read -P 0x11 1M 1M");
  await qemuIo(b.url, "read -P 0x44 0 4096", "read -P 0x11 4096 2093056");
  await assert.rejects(
    c.createVolume("demo", "bad", { sizeGib: 1, source: { snapshot: "nope" } }),
    /snapshot nope does not exist/,
  );
});

test("resize grows a volume (and refuses to shrink); immutable fields stay so", async () => {
  const c = cloud.coronafs;
  await c.createVolume("demo", "grow", { sizeGib: 1 });
  await c.waitVolume("demo", "grow");
  await c.resizeVolume("demo", "grow", 3);
  await assert.rejects(c.resizeVolume("demo", "grow", 2), /shrinking/);
  const deadline = Date.now() + 10_000;
  while ((await c.getVolume("demo", "grow")).status.sizeBytes !== 3 * gib) {
    assert.ok(Date.now() < deadline, "resize reaches the servers");
    await new Promise((r) => setTimeout(r, 100));
  }
  const a = await c.attach("demo", "grow", "w");
  const info = await runTool("qemu-img", ["info", "--output=json", a.url]);
  assert.equal(JSON.parse(info.stdout)["virtual-size"], 3 * gib);
  await assert.rejects(c.http.patch("/v1/projects/demo/volumes/grow", { spec: { sizeGib: 5 } }), /resize/);
  await assert.rejects(c.http.patch("/v1/projects/demo/volumes/grow", { spec: { replicas: 2 } }), /fixed/);
});

test("volume_gib quota is reserved on create and resize and given back on delete", async () => {
  const c = cloud.coronafs;
  await credit.setLimits("q", { volume_gib: 5 });
  await c.createVolume("q", "one", { sizeGib: 3 });
  await assert.rejects(c.createVolume("q", "two", { sizeGib: 3 }), (e: Error & { code?: string }) => {
    assert.equal(e.code, "QuotaExceeded");
    assert.match(e.message, /volume_gib/);
    return true;
  });
  await assert.rejects(c.getVolume("q", "two"), /not found/);
  await c.waitVolume("q", "one");
  await assert.rejects(c.resizeVolume("q", "one", 6), /QuotaExceeded|quota exceeded/i);
  await c.resizeVolume("q", "one", 4);
  assert.equal((await credit.getQuota("q")).status.used.volume_gib, 4);
  await c.deleteVolume("q", "one");
  const deadline = Date.now() + 10_000;
  while ((await c.listVolumes("q")).items.length > 0) {
    assert.ok(Date.now() < deadline, "the volume goes away");
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal((await credit.getQuota("q")).status.used.volume_gib ?? 0, 0);
  await c.createVolume("q", "two", { sizeGib: 5 });
});

test("deleting a volume removes it from its server; bad input gets a 4xx that says why", async () => {
  const c = cloud.coronafs;
  await c.createVolume("demo", "gone", { sizeGib: 1 });
  const v = await c.waitVolume("demo", "gone");
  await c.deleteVolume("demo", "gone");
  const deadline = Date.now() + 10_000;
  while ((await c.listVolumes("demo")).items.some((x) => x.metadata.name === "gone")) {
    assert.ok(Date.now() < deadline);
    await new Promise((r) => setTimeout(r, 100));
  }
  const onServer = await fetch(`${cloud.endpoints["coronafs.server"]}/v1/server/volumes/${v.metadata.uid}`, {
    headers: { authorization: `Bearer ${cloud.token}` },
  });
  assert.equal(onServer.status, 404);
  await assert.rejects(c.createVolume("demo", "x", { sizeGib: 0 }), /sizeGib/);
  await assert.rejects(c.createVolume("demo", "Bad_Name", { sizeGib: 1 }), /name/);
  await assert.rejects(c.createVolume("demo", "y", { sizeGib: 1, replicas: 7 }), /replicas/);
  await assert.rejects(c.attach("demo", "nope", "h"), /not found/);
});
