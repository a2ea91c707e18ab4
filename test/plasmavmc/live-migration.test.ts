// Live migration of a VM whose disk is a replicated coronafs volume, with two workers on this
// machine: the guest journals checksummed records (each acknowledged on the console after
// `sync`) and serves its boot id over HTTP. Moved to the other worker and back while it runs,
// it keeps its boot id (no reboot), its console goes on counting on the new host, one QEMU
// runs it, and after a reboot every acknowledged record is there, intact.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import type { ApiError } from "../../src/core/errors.ts";
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

const vmName = `mover-${process.pid}`;
let t: TwoWorkers;

// Every boot: the journal check, the boot id published over HTTP, then records.
const userData = journalUserData(
  100_000,
  "cat /proc/sys/kernel/random/boot_id >/www/boot_id\nhttpd -p 80 -h /www",
);

const getVm = () => t.vms.getVm(project, vmName);
const consoleLog = (host: string) => t.consoleLog(host, vmName);
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
  t = await twoWorkers();
});

after(() => t?.close(vmName));

/** Migrates and waits for the VM to run on `to`; returns it with the wall time taken. */
async function migrate(to: string, name?: string): Promise<{ vm: Vm; ms: number }> {
  const t0 = Date.now();
  const started = await t.vms.migrate(project, vmName, name);
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
  await t.cloud.coronafs.createVolume(project, "root", {
    sizeGib: 1,
    replicas: 2,
    source: { image: { name: "guest" } },
  });
  await t.cloud.coronafs.waitVolume(project, "root", 120_000);
  await t.vms.createVm(project, vmName, {
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
  await assert.rejects(t.vms.migrate(project, vmName, first), (e: ApiError) => e.code === "InvalidArgument");

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
  const volume = await t.cloud.coronafs.getVolume(project, "root");
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
  await t.vms.setPowerState(project, vmName, "Stopped");
  await until(
    "the VM to stop",
    async () => ((await getVm()).status.phase === "Stopped" ? true : undefined),
    120_000,
  );
  const acknowledged = Math.max(...hosts.map((h) => lastAck(consoleLog(h))));
  const mark = new Map(hosts.map((h) => [h, consoleLog(h).length]));
  await t.vms.setPowerState(project, vmName, "Running");
  const journal = await until(
    "the guest's journal check",
    async () => {
      for (const h of hosts) {
        const r = journalResult(consoleLog(h).slice(mark.get(h)));
        if (r) return r;
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
  assert.equal(qemus(), 0, "no QEMU left");
});
