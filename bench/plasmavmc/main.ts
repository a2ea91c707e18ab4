// bench/plasmavmc: create-to-guest-ready through the whole platform (`photon up`: API,
// quota, placement, worker, image cache, QEMU) against a bare qemu-system-x86_64 boot of the
// same image with the same user-data, in one run, interleaved. "Ready" is the guest's HTTP
// answer on its published port (its user-data starts the server), for both.
// Target (issue 10): platform overhead ≤ 20 % of the bare boot.
//   npm run bench -- plasmavmc [--rounds 3]
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../src/core/free-port.ts";
import { CoronafsClient } from "../../src/coronafs/client.ts";
import { LightningstorClient } from "../../src/lightningstor/client.ts";
import { PlasmavmcClient, type Vm } from "../../src/plasmavmc/client.ts";
import { MetadataService } from "../../src/plasmavmc/metadata-service.ts";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const rounds = arg("rounds", 3);
const repo = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "photon-bench-plasmavmc-"));
const userData = "#!/bin/sh\necho ready > /www/index.html\nhttpd -p 80 -h /www\n";
const children: ChildProcess[] = [];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function httpReady(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      if (res.ok && (await res.text()) === "ready\n") return;
    } catch {
      // not yet
    }
    await sleep(50);
  }
  throw new Error("the guest did not answer in time");
}

async function bareBoot(image: string, accel: string, metadata: MetadataService): Promise<number> {
  const overlay = join(dir, `bare-${Date.now()}.qcow2`);
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "raw", "-b", image, overlay]);
  const port = await freePort();
  const { token, url } = metadata.register({
    instanceId: "bare",
    hostname: "bare",
    publicKeys: [],
    userData,
  });
  const t0 = Date.now();
  const q = spawn(
    "qemu-system-x86_64",
    [
      "-machine",
      `q35,accel=${accel}`,
      "-m",
      "256",
      "-nodefaults",
      "-display",
      "none",
      "-serial",
      "null",
      "-drive",
      `file=${overlay},format=qcow2,if=virtio`,
      "-netdev",
      `user,id=n0,hostfwd=tcp:127.0.0.1:${port}-:80`,
      "-device",
      "virtio-net-pci,netdev=n0",
      "-smbios",
      `type=11,value=photon-metadata=${url}`,
    ],
    { stdio: "ignore" },
  );
  children.push(q);
  try {
    await httpReady(port, Date.now() + 300_000);
    return Date.now() - t0;
  } finally {
    q.kill("SIGKILL");
    metadata.unregister(token);
    rmSync(overlay, { force: true });
  }
}

/** Boots from a local overlay of the image, or from a coronafs volume cloned from it. */
async function platformBoot(
  vms: PlasmavmcClient,
  name: string,
  disk: { image: { name: string } } | { volumes: { name: string }[] },
): Promise<{ ms: number; vm: Vm }> {
  const t0 = Date.now();
  await vms.createVm("bench", name, {
    flavor: { vcpus: 1, memoryMib: 256 },
    ...disk,
    ports: [{ guestPort: 80, protocol: "tcp" }],
    userData,
  });
  const deadline = Date.now() + 300_000;
  let vm = await vms.getVm("bench", name);
  // When each phase was first seen (polled every 50 ms), to tell the platform's own time
  // (API, placement, disks, QEMU spawn) from the guest's boot.
  const phases: Record<string, number> = {};
  while (!vm.status.ports.length) {
    if (vm.status.phase === "Failed" || Date.now() > deadline)
      throw new Error(`VM ${name}: ${vm.status.message}`);
    phases[vm.status.phase] ??= Date.now() - t0;
    await sleep(50);
    vm = await vms.getVm("bench", name);
  }
  phases.Running ??= Date.now() - t0;
  await httpReady(vm.status.ports[0]!.hostPort, deadline);
  const ms = Date.now() - t0;
  console.log(
    `  ${name}: ${Object.entries(phases)
      .map(([p, t]) => `${p} +${(t / 1000).toFixed(2)} s`)
      .join(", ")}, guest ready +${(ms / 1000).toFixed(2)} s`,
  );
  await vms.deleteVm("bench", name);
  while (Date.now() < deadline) {
    try {
      await vms.getVm("bench", name);
      await sleep(200);
    } catch {
      break;
    }
  }
  return { ms, vm };
}

async function main() {
  console.log(
    `bench/plasmavmc: ${rounds} rounds; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const imageDir = join(dir, "image");
  execFileSync("bash", [join(repo, "scripts/guest-image/build.sh"), imageDir], { stdio: "ignore" });
  const image = join(imageDir, "photon-guest.raw");
  const cwd = join(dir, "cloud");
  mkdirSync(cwd);
  const up = spawn(
    process.execPath,
    [join(repo, "bin/photon.js"), "up", "--ephemeral-ports", "--log-level", "warn"],
    {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(up);
  let out = "";
  up.stdout.on("data", (d) => (out += d));
  up.stderr.on("data", (d) => (out += d));
  for (let i = 0; !out.includes("Ctrl-C stops it"); i++) {
    if (i > 1200 || up.exitCode !== null) throw new Error(`photon up did not start:\n${out.slice(-2000)}`);
    await sleep(100);
  }
  const endpoints = JSON.parse(readFileSync(join(cwd, ".photon/endpoints.json"), "utf8")) as Record<
    string,
    string
  >;
  const token = readFileSync(join(cwd, ".photon/admin-token"), "utf8").trim();
  const store = new LightningstorClient({ baseUrl: endpoints.lightningstor!, token, timeoutMs: 120_000 });
  await store.createImage("bench", "photon-guest", { format: "raw" });
  await store.uploadImage("bench", "photon-guest", image);
  const vms = new PlasmavmcClient({ baseUrl: endpoints.plasmavmc!, token, timeoutMs: 30_000 });

  // The first VM fills the worker's image cache; later ones measure the steady state.
  const overlay = { image: { name: "photon-guest" } };
  const warm = await platformBoot(vms, "warm-up", overlay);
  const accel = warm.vm.status.accel ?? "tcg";
  console.log(
    `warm-up (image download into the worker's cache included): ${(warm.ms / 1000).toFixed(2)} s, ${accel}`,
  );
  const metadata = new MetadataService();
  await metadata.listen();
  const volumes = new CoronafsClient({ baseUrl: endpoints.coronafs!, token, timeoutMs: 120_000 });
  const bare: number[] = [];
  const platform: number[] = [];
  const onVolume: number[] = [];
  const volumeCreate: number[] = [];
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  for (let r = 0; r < rounds; r++) {
    bare.push(await bareBoot(image, accel, metadata));
    platform.push((await platformBoot(vms, `vm-${r}`, overlay)).ms);
    // The volume is made first (a clone of the image: no copy), then the VM boots from it.
    const t0 = Date.now();
    await volumes.createVolume("bench", `root-${r}`, {
      sizeGib: 1,
      source: { image: { name: "photon-guest" } },
    });
    await volumes.waitVolume("bench", `root-${r}`, 300_000, 50);
    volumeCreate.push(Date.now() - t0);
    onVolume.push((await platformBoot(vms, `vol-${r}`, { volumes: [{ name: `root-${r}` }] })).ms);
    await volumes.deleteVolume("bench", `root-${r}`);
    console.log(
      `round ${r + 1}: bare ${s(bare[r]!)}, platform (image overlay) ${s(platform[r]!)}, platform (coronafs volume) ${s(onVolume[r]!)} after volume create ${s(volumeCreate[r]!)}`,
    );
  }
  await metadata.close();
  const b = median(bare);
  const overhead = (p: number) => `${(((p - b) / b) * 100).toFixed(1)} %`;
  console.log(`\ncreate-to-guest-ready, median of ${rounds} interleaved rounds:`);
  console.log(`  bare QEMU (local qcow2 overlay)       ${s(b)}`);
  console.log(
    `  platform, image overlay               ${s(median(platform))}  overhead ${overhead(median(platform))} of the bare boot (target ≤ 20 %)`,
  );
  console.log(
    `  platform, boot volume over NBD        ${s(median(onVolume))}  overhead ${overhead(median(onVolume))}`,
  );
  console.log(`  volume create from the image (clone)  ${s(median(volumeCreate))}`);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
}

try {
  await main();
} finally {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await sleep(2000);
  rmSync(dir, { recursive: true, force: true });
}
