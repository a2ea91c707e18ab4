// A VM's life as an operator lives it, through `photon up` and the CLI: import the default
// image, create a coronafs volume from it, create a VM booting from that volume whose
// user-data serves HTTP, reach it through its published port, read its console, stop and
// start it (the volume keeps what the guest wrote), delete it — and no QEMU is left behind.
// Then a VM booting from a local overlay of the image, the other kind of root disk.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Vm } from "../../src/plasmavmc/client.ts";
import { buildGuestImage, type GuestImage } from "../support/guest-image.ts";
import { type PhotonProcess, runPhoton, spawnPhoton } from "../support/spawn-photon.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("photon-vm-e2e-");
const vmName = `web-${randomBytes(3).toString("hex")}`;
let photon: PhotonProcess | undefined;
let image: GuestImage;

const cli = (...args: string[]) => {
  const r = runPhoton(args, { cwd: dir.path });
  assert.equal(r.status, 0, `photon ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
};
const getVm = (name = vmName) => JSON.parse(cli("vm", "get", name, "-p", "demo", "-o", "json")) as Vm;
const qemuRunning = (name = vmName) => {
  try {
    return execFileSync("pgrep", ["-f", `process=photon-vm-${name}`], { encoding: "utf8" }).trim() !== "";
  } catch {
    return false;
  }
};

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

async function phase(p: string, timeoutMs = 240_000, name = vmName): Promise<Vm> {
  let vm = getVm(name);
  await until(
    `VM ${p}`,
    () => {
      vm = getVm(name);
      assert.notEqual(vm.status.phase, "Failed", vm.status.message);
      return vm.status.phase === p;
    },
    timeoutMs,
  );
  return vm;
}

async function httpAnswer(vm: Vm): Promise<string> {
  const port = vm.status.ports.find((p) => p.guestPort === 80);
  assert.ok(port, "port 80 is published");
  let text = "";
  await until(
    "the guest's HTTP answer",
    async () => {
      try {
        const res = await fetch(`http://${port.hostAddress}:${port.hostPort}/`, {
          signal: AbortSignal.timeout(3000),
        });
        text = await res.text();
        return res.ok && text.startsWith("boot number");
      } catch {
        return false;
      }
    },
    180_000,
  );
  return text;
}

before(async () => {
  image = await buildGuestImage(join(dir.path, "image"));
  photon = spawnPhoton(["up", "--ephemeral-ports", "--log-level", "warn"], { cwd: dir.path });
  await photon.waitFor(/Ctrl-C stops it/, 120_000);
});

after(async () => {
  await photon?.kill("SIGTERM");
  for (const name of [vmName, `${vmName}-img`])
    if (qemuRunning(name)) execFileSync("pkill", ["-KILL", "-f", `process=photon-vm-${name}`]);
  dir.remove();
});

test("create, reach, console, stop, start, delete a VM through photon up and the CLI", {
  timeout: 600_000,
}, async () => {
  cli("image", "import", "photon-guest", image.path, "-p", "demo", "--format", "raw", "-o", "json");
  const userData = join(dir.path, "user-data.sh");
  writeFileSync(
    userData,
    [
      "#!/bin/sh",
      "boots=$(cat /data/boots 2>/dev/null || echo 0)",
      "echo $((boots + 1)) > /data/boots",
      "sync",
      'echo "boot number $((boots + 1)) of $(hostname)" > /www/index.html',
      "httpd -p 80 -h /www",
      "",
    ].join("\n"),
  );
  const volume = JSON.parse(
    cli(
      "volume",
      "create",
      `${vmName}-root`,
      "-p",
      "demo",
      "--image",
      "photon-guest",
      "--size-gib",
      "1",
      "--wait",
      "-o",
      "json",
    ),
  );
  assert.equal(volume.status.phase, "Available");
  cli(
    "vm",
    "create",
    vmName,
    "-p",
    "demo",
    "--volume",
    `${vmName}-root`,
    "--memory",
    "256",
    "--port",
    "80",
    "--user-data",
    userData,
    "--no-wait",
  );
  let vm = await phase("Running");
  assert.equal(await httpAnswer(vm), `boot number 1 of ${vmName}\n`);
  assert.ok(vm.status.host, "the VM is placed on a host");
  assert.deepEqual(
    vm.status.volumes.map((v) => v.name),
    [`${vmName}-root`],
  );
  assert.match(cli("vm", "console", vmName, "-p", "demo"), /Linux version 6\.[\s\S]*photon-guest: ready/);
  assert.match(cli("vm", "list", "-p", "demo"), new RegExp(`${vmName}\\s*│\\s*Running`));

  cli("vm", "stop", vmName, "-p", "demo", "--no-wait");
  vm = await phase("Stopped", 90_000);
  assert.match(vm.status.message, /guest powered off/);
  assert.equal(qemuRunning(), false, "no QEMU once stopped");

  cli("vm", "start", vmName, "-p", "demo", "--no-wait");
  vm = await phase("Running");
  assert.equal(await httpAnswer(vm), `boot number 2 of ${vmName}\n`, "the volume kept what the guest wrote");

  cli("vm", "delete", vmName, "-p", "demo");
  await until(
    "the VM to be gone",
    () => runPhoton(["vm", "get", vmName, "-p", "demo"], { cwd: dir.path }).status !== 0,
    90_000,
  );
  assert.equal(qemuRunning(), false, "no QEMU once deleted");
  const released = JSON.parse(cli("volume", "get", `${vmName}-root`, "-p", "demo", "-o", "json"));
  assert.equal(released.status.attachment, undefined, "the deleted VM let go of its volume");
  cli("volume", "delete", `${vmName}-root`, "-p", "demo");

  // Booting from a local copy-on-write overlay of the image instead of a volume.
  const img = `${vmName}-img`;
  cli(
    "vm",
    "create",
    img,
    "-p",
    "demo",
    "--image",
    "photon-guest",
    "--memory",
    "256",
    "--port",
    "80",
    "--user-data",
    userData,
    "--no-wait",
  );
  assert.equal(await httpAnswer(await phase("Running", 240_000, img)), `boot number 1 of ${img}\n`);
  // The worker's /metrics has the VM's CPU time and disk reads.
  const endpoints = JSON.parse(readFileSync(join(dir.path, ".photon", "endpoints.json"), "utf8"));
  const metrics = await (await fetch(`${endpoints["plasmavmc-worker"]}/metrics`)).text();
  const sample = (name: string) =>
    Number(new RegExp(`^${name}\\{[^}]*vm="${img}"[^}]*\\} (\\S+)$`, "m").exec(metrics)?.[1] ?? Number.NaN);
  assert.ok(sample("plasmavmc_vm_cpu_seconds_total") > 0, "the VM's CPU time is exported");
  assert.ok(sample("plasmavmc_vm_disk_read_bytes_total") > 0, "the VM's disk reads are exported");
  assert.ok(sample("plasmavmc_vm_memory_resident_bytes") > 0, "the VM's memory is exported");
  // A reboot (ACPI power-off and a new start) keeps the overlay disk: the guest counts boot 2.
  cli("vm", "reboot", img, "-p", "demo", "--timeout", "240");
  assert.equal(await httpAnswer(await phase("Running", 240_000, img)), `boot number 2 of ${img}\n`);
  cli("vm", "delete", img, "-p", "demo");
  await until(
    "the image VM to be gone",
    () => runPhoton(["vm", "get", img, "-p", "demo"], { cwd: dir.path }).status !== 0,
    90_000,
  );
  assert.equal(qemuRunning(img), false, "no QEMU once deleted");
});
