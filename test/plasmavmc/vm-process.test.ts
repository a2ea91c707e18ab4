// A real guest under QEMU (TCG here): the default image boots, reads its metadata and
// user-data, serves HTTP through a forwarded port, writes to its data disk, powers off on the
// ACPI button; the data is there on the next boot, and no QEMU is left behind.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePort } from "../../src/core/free-port.ts";
import { silentLogger } from "../../src/core/log.ts";
import { AccelChooser } from "../../src/plasmavmc/accel.ts";
import { MetadataService } from "../../src/plasmavmc/metadata-service.ts";
import { VmProcess } from "../../src/plasmavmc/vm-process.ts";
import { buildGuestImage } from "../support/guest-image.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("photon-vm-process-");
const metadata = new MetadataService();
let disk = "";

before(async () => {
  const image = await buildGuestImage(join(dir.path, "image"));
  disk = join(dir.path, "disk.raw");
  execFileSync("cp", ["--sparse=always", image.path, disk]);
  await metadata.listen();
});

after(async () => {
  await metadata.close();
  dir.remove();
});

const userData = `#!/bin/sh
boots=$(cat /data/boots 2>/dev/null || echo 0)
echo $((boots + 1)) > /data/boots
sync
echo "boot number $((boots + 1)) of $(hostname)" > /www/index.html
httpd -p 80 -h /www
`;

async function boot(accel: AccelChooser, vmDir: string) {
  const port = await freePort();
  const { token, url } = metadata.register({
    instanceId: "vm-0001",
    hostname: "web-1",
    publicKeys: ["ssh-ed25519 AAAA test"],
    userData,
  });
  let onLine: (l: string) => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onLine = (line) => {
      if (line.includes("photon-guest: user-data exited 0")) resolve();
    };
  });
  execFileSync("mkdir", ["-p", vmDir]);
  const vm = await VmProcess.start({
    spec: {
      name: "web-1",
      vcpus: 1,
      memoryMib: 256,
      disks: [{ kind: "file", path: disk, format: "raw" }],
      portForwards: [{ hostAddress: "127.0.0.1", hostPort: port, guestPort: 80, protocol: "tcp" }],
      metadataUrl: url,
    },
    dir: vmDir,
    accel,
    log: silentLogger,
    onConsoleLine: (l) => onLine(l),
  });
  return { vm, port, token, ready };
}

test("the default image boots, runs its user-data and answers HTTP; data survives a clean stop", async () => {
  const accel = new AccelChooser();
  for (const round of [1, 2]) {
    const vmDir = join(dir.path, `vm-${round}`);
    const { vm, port, token, ready } = await boot(accel, vmDir);
    try {
      await Promise.race([
        ready,
        vm.exited().then((e) => assert.fail(`QEMU exited: ${e.stderrTail}`)),
        new Promise((_, rej) => setTimeout(() => rej(new Error("guest not ready within 120 s")), 120_000)),
      ]);
      const res = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(await res.text(), `boot number ${round} of web-1\n`);
      const { graceful } = await vm.stop(30_000);
      assert.ok(graceful, "the guest powers off on the ACPI button");
      const log = execFileSync("cat", [vm.consoleLogPath], { encoding: "utf8" });
      assert.match(log, /Linux version 6\./, "the console log shows the kernel's boot");
      assert.match(log, /photon-guest: shutting down/);
      assert.equal(pidAlive(vm.pid!), false, "QEMU is gone");
    } finally {
      metadata.unregister(token);
      if (pidAlive(vm.pid!)) await vm.kill();
    }
  }
});

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
