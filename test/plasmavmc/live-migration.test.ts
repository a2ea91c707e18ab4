// Live migration of a VM whose disk is a replicated coronafs volume, with two workers on this
// machine: the guest journals checksummed records (each acknowledged on the console after
// `sync`) and serves its boot id over HTTP. Moved to the other worker and back while it runs,
// it keeps its boot id (no reboot), its console goes on counting on the new host, one QEMU
// runs it, and after a reboot every acknowledged record is there, intact.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { adminTokenFile } from "../../src/cli/local-admin.ts";
import type { ApiError } from "../../src/core/errors.ts";
import { coronafsRole } from "../../src/coronafs/server.ts";
import { LightningstorClient } from "../../src/lightningstor/client.ts";
import { lightningstorRole } from "../../src/lightningstor/server.ts";
import { PlasmavmcClient, type Vm } from "../../src/plasmavmc/client.ts";
import { plasmavmcRole, plasmavmcWorkerRole } from "../../src/plasmavmc/server.ts";
import { type TestCloud, testCloud } from "../coronafs/cloud.ts";
import { buildGuestImage } from "../support/guest-image.ts";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";

const project = "demo";
const vmName = `mover-${process.pid}`;
const hosts = ["host-a", "host-b"];
let cloud: TestCloud;
let vms: PlasmavmcClient;
const servers: PhotonProcess[] = [];

// Every boot: check the journal, publish the boot id, then append records, each synced before
// it is acknowledged on the console.
const userData = `#!/bin/sh
j=/data/journal
last=0; bad=0
if [ -f $j ]; then
  while read -r n sum; do
    if [ "$sum" = "$(echo "photon-$n" | sha256sum | cut -c1-16)" ] && [ "$n" = $((last + 1)) ]; then last=$n; else bad=$((bad + 1)); fi
  done <$j
fi
echo "journal: $last records intact, $bad bad"
cat /proc/sys/kernel/random/boot_id >/www/boot_id
httpd -p 80 -h /www
n=$last
while [ $n -lt $((last + 100000)) ]; do
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
  servers.push(p);
  const m = await p.waitFor(/coronafs-server serving (\{.*\})/);
  return JSON.parse(m[1]!).admin as string;
}

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

const getVm = () => vms.getVm(project, vmName);
const consoleLog = (host: string) => {
  const path = join(cloud.dataDir, host, "vms", project, vmName, "console.log");
  return existsSync(path) ? readFileSync(path, "latin1") : "";
};
const lastAck = (text: string) =>
  Math.max(0, ...[...text.matchAll(/user-data: ack (\d+)/g)].map((m) => Number(m[1])));
const bootId = (vm: Vm) =>
  until(
    "the guest's boot id over HTTP",
    async () => {
      const p = vm.status.ports[0]!;
      try {
        const res = await fetch(`http://${p.hostAddress}:${p.hostPort}/boot_id`, {
          signal: AbortSignal.timeout(2000),
        });
        return res.ok ? (await res.text()).trim() : undefined;
      } catch {
        return undefined;
      }
    },
    120_000,
  );
const qemus = () => {
  try {
    return execFileSync("pgrep", ["-f", `process=photon-vm-${vmName}`], { encoding: "utf8" })
      .trim()
      .split("\n").length;
  } catch {
    return 0;
  }
};

before(async () => {
  cloud = await testCloud();
  const image = await buildGuestImage(join(cloud.dataDir, "image"));
  const a = await startServer("a");
  const b = await startServer("b");
  await cloud.start(lightningstorRole);
  await cloud.start(coronafsRole, { servers: { a, b }, serverPollMs: 200, serverDeadAfterMs: 1000 });
  await cloud.start(plasmavmcRole, { heartbeatGraceMs: 5000 });
  for (const host of hosts)
    await cloud.start(plasmavmcWorkerRole, { host, dataDir: join(cloud.dataDir, host), syncMs: 300 });
  const token = async () => cloud.token;
  const images = new LightningstorClient({ baseUrl: cloud.endpoints.lightningstor!, token });
  await images.createImage(project, "guest", { format: "raw" });
  await images.uploadImage(project, "guest", image.path);
  vms = new PlasmavmcClient({ baseUrl: cloud.endpoints.plasmavmc!, token, timeoutMs: 30_000 });
});

after(async () => {
  await cloud?.close();
  for (const p of servers) await p.kill("SIGKILL");
  try {
    execFileSync("pkill", ["-KILL", "-f", `process=photon-vm-${vmName}`]);
  } catch {
    // none left: the point
  }
});

/** Migrates and waits for the VM to run on `to`; returns it with the wall time taken. */
async function migrate(to: string, name?: string): Promise<{ vm: Vm; ms: number }> {
  const t0 = Date.now();
  const started = await vms.migrate(project, vmName, name);
  assert.equal(started.status.migration?.target, to);
  const vm = await until(
    `the VM to run on ${to}`,
    async () => {
      const v = await getVm();
      if (v.status.migration) return undefined;
      if (v.status.host !== to) throw new Error(`the migration did not happen: ${v.status.message}`);
      return v;
    },
    180_000,
  );
  return { vm, ms: Date.now() - t0 };
}

test("a VM on a volume moves to the other worker and back while it runs, losing nothing", {
  timeout: 600_000,
}, async () => {
  await cloud.coronafs.createVolume(project, "root", {
    sizeGib: 1,
    replicas: 2,
    source: { image: { name: "guest" } },
  });
  await cloud.coronafs.waitVolume(project, "root", 120_000);
  await vms.createVm(project, vmName, {
    flavor: { vcpus: 1, memoryMib: 256 },
    volumes: [{ name: "root" }],
    ports: [{ guestPort: 80, protocol: "tcp" }],
    userData,
  });
  let vm = await until(
    "the VM to run",
    async () => {
      const v = await getVm();
      assert.notEqual(v.status.phase, "Failed", v.status.message);
      return v.status.phase === "Running" && v.status.ports.length ? v : undefined;
    },
    180_000,
  );
  const first = vm.status.host!;
  const other = hosts.find((h) => h !== first)!;
  const id = await bootId(vm);
  await until("records", async () => (lastAck(consoleLog(first)) >= 5 ? true : undefined), 120_000);
  await assert.rejects(vms.migrate(project, vmName, first), (e: ApiError) => e.code === "InvalidArgument");

  // To the scheduler's choice (the only other host), while the guest writes.
  const there = await migrate(other);
  vm = there.vm;
  assert.equal(vm.status.phase, "Running");
  assert.match(vm.status.message, new RegExp(`migrated from ${first}`));
  assert.equal(await bootId(vm), id, "the same boot: the guest was not restarted");
  assert.equal(qemus(), 1, "one QEMU runs the VM");
  const ackedOnFirst = lastAck(consoleLog(first));
  await until(
    "the guest to go on writing on the new host",
    async () => (lastAck(consoleLog(other)) > ackedOnFirst ? true : undefined),
    60_000,
  );
  assert.doesNotMatch(consoleLog(other), /booting kernel|I\/O error|EXT4-fs error/);
  const volume = await cloud.coronafs.getVolume(project, "root");
  assert.match(volume.status.attachment?.holder ?? "", new RegExp(`^vm/${project}/${vmName}/`));

  // And back, naming the host.
  const back = await migrate(first, first);
  assert.equal(await bootId(back.vm), id, "still the same boot");
  assert.equal(qemus(), 1);
  const ackedOnOther = lastAck(consoleLog(other));
  await until(
    "the guest to go on writing back on the first host",
    async () => (lastAck(consoleLog(first)) > ackedOnOther ? true : undefined),
    60_000,
  );
  console.log(`# migration wall time: ${there.ms} ms and ${back.ms} ms (${vm.status.message})`);

  // A reboot: every record acknowledged on either host is on the volume, intact.
  await vms.setPowerState(project, vmName, "Stopped");
  await until(
    "the VM to stop",
    async () => ((await getVm()).status.phase === "Stopped" ? true : undefined),
    120_000,
  );
  const acknowledged = Math.max(...hosts.map((h) => lastAck(consoleLog(h))));
  const mark = new Map(hosts.map((h) => [h, consoleLog(h).length]));
  await vms.setPowerState(project, vmName, "Running");
  const journal = await until(
    "the guest's journal check",
    async () => {
      for (const h of hosts) {
        const m = /user-data: journal: (\d+) records intact, (\d+) bad/.exec(
          consoleLog(h).slice(mark.get(h)),
        );
        if (m) return { intact: Number(m[1]), bad: Number(m[2]) };
      }
      return undefined;
    },
    180_000,
  );
  assert.equal(journal.bad, 0, "no record is corrupt");
  assert.ok(
    journal.intact >= acknowledged,
    `found ${journal.intact} records, ${acknowledged} were acknowledged`,
  );

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
  assert.equal(qemus(), 0, "no QEMU left");
});
