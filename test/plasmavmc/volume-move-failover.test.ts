// A VM on a replicated coronafs volume, with two workers and two volume servers on this
// machine: the guest appends checksummed records to its disk and prints each one's number once
// `sync` returned (acknowledged). Stopped on one worker and started on the other, it finds
// every record; the primary volume server SIGKILLed under its writes, the volume fails over,
// the worker swaps the disk under the running guest, the guest keeps writing, and after a
// reboot every acknowledged record is still there, intact.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Vm } from "../../src/plasmavmc/client.ts";
import {
  hosts,
  journalResult,
  journalUserData,
  lastAck,
  project,
  type TwoWorkers,
  twoWorkers,
  until,
} from "./two-workers.ts";

const vmName = `journal-${process.pid}`;
let t: TwoWorkers;
const userData = journalUserData(5000);

const getVm = () => t.vms.getVm(project, vmName);
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
// Each worker keeps a VM's console log across its boots; a boot's lines are what follows the
// log's size when it was started.
const consoleLog = (host: string) => t.consoleLog(host, vmName);
const mark = () => new Map(hosts.map((h) => [h, consoleLog(h).length]));
const bootConsole = async (since: Map<string, number>) => {
  const host = (await getVm()).status.host;
  return host ? consoleLog(host).slice(since.get(host) ?? 0) : "";
};
const everyConsole = () => hosts.map(consoleLog).join("");
const journalCheck = (since: Map<string, number>) =>
  until("the guest's journal check", async () => journalResult(await bootConsole(since)), 120_000);
const ackAtLeast = (n: number, timeoutMs = 120_000) =>
  until(
    `the guest to acknowledge record ${n}`,
    async () => (lastAck(everyConsole()) >= n ? true : undefined),
    timeoutMs,
  );

before(async () => {
  t = await twoWorkers({ stopGraceMs: 60_000 });
});

after(() => t?.close(vmName));

// Three boots under TCG on a shared machine: longer than the runner's default per-test bound.
test("a volume-backed VM moves between workers and survives its primary volume server's death", {
  timeout: 600_000,
}, async () => {
  await t.cloud.coronafs.createVolume(project, "root", {
    sizeGib: 1,
    replicas: 2,
    source: { image: { name: "guest" } },
  });
  await t.cloud.coronafs.waitVolume(project, "root", 120_000);
  let boot = mark();
  await t.vms.createVm(project, vmName, {
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
  await t.vms.setPowerState(project, vmName, "Stopped");
  vm = await phase("Stopped", 120_000);
  const before = lastAck(everyConsole());
  await until(
    "the VM to let go of its host",
    async () => ((await getVm()).status.host ? undefined : true),
    30_000,
  );
  const volume = await t.cloud.coronafs.getVolume(project, "root");
  assert.equal(volume.status.attachment, undefined, "a stopped VM's volume is detached");
  await t.vms.setSchedulable(first, false);
  boot = mark();
  await t.vms.setPowerState(project, vmName, "Running");
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
  const attached = await t.cloud.coronafs.getVolume(project, "root");
  const primary = attached.status.copies.find((c) => c.role === "primary")!;
  await t.servers.get(primary.server)!.kill("SIGKILL");
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
  await t.vms.setPowerState(project, vmName, "Stopped");
  await phase("Stopped", 120_000);
  const acknowledged = lastAck(everyConsole());
  await t.vms.setSchedulable(first, true);
  boot = mark();
  await t.vms.setPowerState(project, vmName, "Running");
  await phase("Running");
  const final = await journalCheck(boot);
  assert.equal(final.bad, 0, "no record is corrupt");
  assert.ok(final.intact >= acknowledged, `found ${final.intact} records, ${acknowledged} were acknowledged`);

  await t.vms.deleteVm(project, vmName);
  await until(
    "the VM to be gone",
    () =>
      getVm().then(
        () => undefined,
        () => true,
      ),
    120_000,
  );
  assert.equal((await t.cloud.coronafs.getVolume(project, "root")).status.attachment, undefined);
});
