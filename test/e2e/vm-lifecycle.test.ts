// A VM's life as an operator lives it, through `photon up` and the CLI: import the default
// image, create a VM whose user-data serves HTTP, reach it through its published port, read
// its console, stop and start it (its disk keeps what the guest wrote), delete it — and no
// QEMU is left behind.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
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
const getVm = () => JSON.parse(cli("vm", "get", vmName, "-p", "demo", "-o", "json")) as Vm;
const qemuRunning = () => {
  try {
    return execFileSync("pgrep", ["-f", `process=photon-vm-${vmName}`], { encoding: "utf8" }).trim() !== "";
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

async function phase(p: string, timeoutMs = 240_000): Promise<Vm> {
  let vm = getVm();
  await until(
    `VM ${p}`,
    () => {
      vm = getVm();
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
  if (qemuRunning()) execFileSync("pkill", ["-KILL", "-f", `process=photon-vm-${vmName}`]);
  dir.remove();
});

test("create, reach, console, stop, start, delete a VM through photon up and the CLI", async () => {
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
  cli(
    "vm",
    "create",
    vmName,
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
  let vm = await phase("Running");
  assert.equal(await httpAnswer(vm), `boot number 1 of ${vmName}\n`);
  assert.ok(vm.status.host, "the VM is placed on a host");
  assert.match(cli("vm", "console", vmName, "-p", "demo"), /Linux version 6\.[\s\S]*photon-guest: ready/);
  assert.match(cli("vm", "list", "-p", "demo"), new RegExp(`${vmName}\\s*│\\s*Running`));

  cli("vm", "stop", vmName, "-p", "demo", "--no-wait");
  vm = await phase("Stopped", 90_000);
  assert.match(vm.status.message, /guest powered off/);
  assert.equal(qemuRunning(), false, "no QEMU once stopped");

  cli("vm", "start", vmName, "-p", "demo", "--no-wait");
  vm = await phase("Running");
  assert.equal(await httpAnswer(vm), `boot number 2 of ${vmName}\n`, "the disk kept what the guest wrote");

  cli("vm", "delete", vmName, "-p", "demo");
  await until(
    "the VM to be gone",
    () => runPhoton(["vm", "get", vmName, "-p", "demo"], { cwd: dir.path }).status !== 0,
    90_000,
  );
  assert.equal(qemuRunning(), false, "no QEMU once deleted");
});
