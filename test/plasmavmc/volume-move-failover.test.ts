// A VM on a replicated coronafs volume, with two workers and two volume servers on this
// machine: the guest appends checksummed records to its disk and prints each one's number once
// `sync` returned (acknowledged). Stopped on one worker and started on the other, it finds
// every record; the primary volume server SIGKILLed under its writes, the volume fails over,
// the worker swaps the disk under the running guest, the guest keeps writing, and after a
// reboot every acknowledged record is still there, intact.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { adminTokenFile } from "../../src/cli/local-admin.ts";
import { coronafsRole } from "../../src/coronafs/server.ts";
import { LightningstorClient } from "../../src/lightningstor/client.ts";
import { lightningstorRole } from "../../src/lightningstor/server.ts";
import { PlasmavmcClient, type Vm } from "../../src/plasmavmc/client.ts";
import { plasmavmcRole, plasmavmcWorkerRole } from "../../src/plasmavmc/server.ts";
import { type TestCloud, testCloud } from "../coronafs/cloud.ts";
import { buildGuestImage } from "../support/guest-image.ts";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";

const project = "demo";
const vmName = `journal-${process.pid}`;
let cloud: TestCloud;
let vms: PlasmavmcClient;
const servers = new Map<string, PhotonProcess>();

// Every boot: check the journal (each line "<n> <first 16 hex of sha256("photon-<n>")>"), then
// append records, each synced before it is acknowledged on the console.
const userData = `#!/bin/sh
j=/data/journal
last=0; bad=0
if [ -f $j ]; then
  while read -r n sum; do
    if [ "$sum" = "$(echo "photon-$n" | sha256sum | cut -c1-16)" ] && [ "$n" = $((last + 1)) ]; then last=$n; else bad=$((bad + 1)); fi
  done <$j
fi
echo "journal: $last records intact, $bad bad"
n=$last
while [ $n -lt $((last + 5000)) ]; do
  n=$((n + 1))
  echo "$n $(echo "photon-$n" | sha256sum | cut -c1-16)" >>$j
  sync
  echo "ack $n"
done
`;

async function startServer(id: string): Promise<string> {
  const dir = join(cloud.dataDir, `server-${id}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(adminTokenFile(cloud.dataDir), adminTokenFile(dir));
  const p = spawnPhoton(["coronafs-server", "--data-dir", dir, "--nbd-port", "0", "--api-port", "0"]);
  servers.set(id, p);
  const m = await p.waitFor(/coronafs-server serving (\{.*\})/);
  return JSON.parse(m[1]!).admin as string;
}

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

const getVm = () => vms.getVm(project, vmName);
const phase = (p: string, timeoutMs = 180_000) =>
  until(
    `VM ${p}`,
    async () => {
      const vm = await getVm();
      assert.notEqual(vm.status.phase, "Failed", vm.status.message);
      return vm.status.phase === p ? vm : undefined;
    },
    timeoutMs,
  );
const hosts = ["host-a", "host-b"];
// Each worker keeps a VM's console log across its boots; a boot's lines are what follows the
// log's size when it was started.
const consoleLog = (host: string) => {
  const path = join(cloud.dataDir, host, "vms", project, vmName, "console.log");
  return existsSync(path) ? readFileSync(path, "latin1") : "";
};
const mark = () => new Map(hosts.map((h) => [h, consoleLog(h).length]));
const bootConsole = async (since: Map<string, number>) => {
  const host = (await getVm()).status.host;
  return host ? consoleLog(host).slice(since.get(host) ?? 0) : "";
};
const everyConsole = () => hosts.map(consoleLog).join("");
const lastAck = (text: string) =>
  Math.max(0, ...[...text.matchAll(/user-data: ack (\d+)/g)].map((m) => Number(m[1])));
const journal = (text: string) => {
  const m = /user-data: journal: (\d+) records intact, (\d+) bad/.exec(text);
  return m ? { intact: Number(m[1]), bad: Number(m[2]) } : undefined;
};
const journalCheck = (since: Map<string, number>) =>
  until("the guest's journal check", async () => journal(await bootConsole(since)), 120_000);
const ackAtLeast = (n: number, timeoutMs = 120_000) =>
  until(
    `the guest to acknowledge record ${n}`,
    async () => (lastAck(everyConsole()) >= n ? true : undefined),
    timeoutMs,
  );

before(async () => {
  cloud = await testCloud();
  const image = await buildGuestImage(join(cloud.dataDir, "image"));
  const a = await startServer("a");
  const b = await startServer("b");
  await cloud.start(lightningstorRole);
  await cloud.start(coronafsRole, { servers: { a, b }, serverPollMs: 200, serverDeadAfterMs: 1000 });
  await cloud.start(plasmavmcRole, { heartbeatGraceMs: 5000 });
  for (const host of ["host-a", "host-b"])
    await cloud.start(plasmavmcWorkerRole, {
      host,
      dataDir: join(cloud.dataDir, host),
      syncMs: 300,
      stopGraceMs: 60_000,
    });
  const token = async () => cloud.token;
  const images = new LightningstorClient({ baseUrl: cloud.endpoints.lightningstor!, token });
  await images.createImage(project, "guest", { format: "raw" });
  await images.uploadImage(project, "guest", image.path);
  vms = new PlasmavmcClient({ baseUrl: cloud.endpoints.plasmavmc!, token, timeoutMs: 30_000 });
});

after(async () => {
  await cloud?.close();
  for (const p of servers.values()) await p.kill("SIGKILL");
  try {
    execFileSync("pkill", ["-KILL", "-f", `process=photon-vm-${vmName}`]);
  } catch {
    // none left: the point
  }
});

// Three boots under TCG on a shared machine: longer than the runner's default per-test bound.
test("a volume-backed VM moves between workers and survives its primary volume server's death", {
  timeout: 600_000,
}, async () => {
  await cloud.coronafs.createVolume(project, "root", {
    sizeGib: 1,
    replicas: 2,
    source: { image: { name: "guest" } },
  });
  await cloud.coronafs.waitVolume(project, "root", 120_000);
  let boot = mark();
  await vms.createVm(project, vmName, {
    flavor: { vcpus: 1, memoryMib: 256 },
    volumes: [{ name: "root" }],
    userData,
  });
  let vm: Vm = await phase("Running");
  const first = vm.status.host!;
  const other = first === "host-a" ? "host-b" : "host-a";
  assert.deepEqual(
    vm.status.volumes.map((v) => v.name),
    ["root"],
  );
  assert.deepEqual(await journalCheck(boot), { intact: 0, bad: 0 });
  await ackAtLeast(5);

  // Stop on the first worker, start on the other (the first is cordoned): the records are there.
  await vms.setPowerState(project, vmName, "Stopped");
  vm = await phase("Stopped", 120_000);
  const before = lastAck(everyConsole());
  await until(
    "the VM to let go of its host",
    async () => ((await getVm()).status.host ? undefined : true),
    30_000,
  );
  const volume = await cloud.coronafs.getVolume(project, "root");
  assert.equal(volume.status.attachment, undefined, "a stopped VM's volume is detached");
  await vms.setSchedulable(first, false);
  boot = mark();
  await vms.setPowerState(project, vmName, "Running");
  vm = await phase("Running");
  assert.equal(vm.status.host, other, "the VM started on the other worker");
  const moved = await journalCheck(boot);
  assert.equal(moved.bad, 0);
  assert.ok(
    moved.intact >= before && before >= 5,
    `found ${moved.intact} records, ${before} were acknowledged`,
  );

  // SIGKILL the primary volume server while the guest writes.
  await ackAtLeast(moved.intact + 3);
  const attached = await cloud.coronafs.getVolume(project, "root");
  const primary = attached.status.copies.find((c) => c.role === "primary")!;
  await servers.get(primary.server)!.kill("SIGKILL");
  const killedAt = lastAck(everyConsole());
  vm = await until(
    "the worker to swap the failed-over volume under the guest",
    async () => {
      const v = await getVm();
      return /failed over/.test(v.status.message) ? v : undefined;
    },
    60_000,
  );
  assert.equal(vm.status.phase, "Running", `the guest kept running: ${vm.status.message}`);
  assert.notEqual(
    vm.status.volumes[0]?.server,
    attached.status.copies.find((c) => c.role === "primary")!.nbd,
  );
  await ackAtLeast(killedAt + 5, 60_000); // writing goes on, on the replica
  assert.doesNotMatch(await bootConsole(boot), /I\/O error|EXT4-fs error/, "the guest saw no disk error");

  // Reboot: every record acknowledged before the stop is there and intact.
  await vms.setPowerState(project, vmName, "Stopped");
  await phase("Stopped", 120_000);
  const acknowledged = lastAck(everyConsole());
  await vms.setSchedulable(first, true);
  boot = mark();
  await vms.setPowerState(project, vmName, "Running");
  await phase("Running");
  const final = await journalCheck(boot);
  assert.equal(final.bad, 0, "no record is corrupt");
  assert.ok(final.intact >= acknowledged, `found ${final.intact} records, ${acknowledged} were acknowledged`);

  await vms.deleteVm(project, vmName);
  await until(
    "the VM to be gone",
    () =>
      getVm().then(
        () => undefined,
        () => true,
      ),
    120_000,
  );
  assert.equal((await cloud.coronafs.getVolume(project, "root")).status.attachment, undefined);
});
