// Two workers and two coronafs volume servers (their own processes) on this machine, and a
// guest that journals checksummed records to its volume: shared by the tests that move a VM
// between workers (by stop and start, by failover, by live migration).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { adminTokenFile } from "../../src/cli/local-admin.ts";
import { coronafsRole } from "../../src/coronafs/server.ts";
import { LightningstorClient } from "../../src/lightningstor/client.ts";
import { lightningstorRole } from "../../src/lightningstor/server.ts";
import { PlasmavmcClient } from "../../src/plasmavmc/client.ts";
import { plasmavmcRole, plasmavmcWorkerRole } from "../../src/plasmavmc/server.ts";
import { type TestCloud, testCloud } from "../coronafs/cloud.ts";
import { buildGuestImage } from "../support/guest-image.ts";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";

export const project = "demo";
export const hosts = ["host-a", "host-b"];

/**
 * Every boot: check the journal (each line "<n> <first 16 hex of sha256("photon-<n>")>") and
 * print the result, run `beforeWriting`, then append `records` records, each synced before it
 * is acknowledged on the console ("ack <n>").
 */
export function journalUserData(records: number, beforeWriting = ""): string {
  return `#!/bin/sh
j=/data/journal
last=0; bad=0
if [ -f $j ]; then
  while read -r n sum; do
    if [ "$sum" = "$(echo "photon-$n" | sha256sum | cut -c1-16)" ] && [ "$n" = $((last + 1)) ]; then last=$n; else bad=$((bad + 1)); fi
  done <$j
fi
echo "journal: $last records intact, $bad bad"
${beforeWriting}
n=$last
while [ $n -lt $((last + ${records})) ]; do
  n=$((n + 1))
  echo "$n $(echo "photon-$n" | sha256sum | cut -c1-16)" >>$j
  sync
  echo "ack $n"
done
`;
}

/** The highest record the guest acknowledged in this console text. */
export const lastAck = (text: string) =>
  Math.max(0, ...[...text.matchAll(/user-data: ack (\d+)/g)].map((m) => Number(m[1])));

/** The journal check a boot printed, if it has yet. */
export function journalResult(text: string): { intact: number; bad: number } | undefined {
  const m = /user-data: journal: (\d+) records intact, (\d+) bad/.exec(text);
  return m ? { intact: Number(m[1]), bad: Number(m[2]) } : undefined;
}

export async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

export interface TwoWorkers {
  cloud: TestCloud;
  vms: PlasmavmcClient;
  /** The volume servers' processes, by id ("a", "b"). */
  servers: Map<string, PhotonProcess>;
  /** A worker's console log of the VM (kept across its boots there). */
  consoleLog(host: string, vm: string): string;
  /** Stops everything, and any QEMU of `vm` left behind. */
  close(vm: string): Promise<void>;
}

export async function twoWorkers(worker: { stopGraceMs?: number } = {}): Promise<TwoWorkers> {
  const cloud = await testCloud();
  const servers = new Map<string, PhotonProcess>();
  const startServer = async (id: string) => {
    const dir = join(cloud.dataDir, `server-${id}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(adminTokenFile(cloud.dataDir), adminTokenFile(dir));
    const p = spawnPhoton(["coronafs-server", "--data-dir", dir, "--nbd-port", "0", "--api-port", "0"]);
    servers.set(id, p);
    const m = await p.waitFor(/coronafs-server serving (\{.*\})/);
    return JSON.parse(m[1]!).admin as string;
  };
  const image = await buildGuestImage(join(cloud.dataDir, "image"));
  const a = await startServer("a");
  const b = await startServer("b");
  await cloud.start(lightningstorRole);
  await cloud.start(coronafsRole, { servers: { a, b }, serverPollMs: 200, serverDeadAfterMs: 1000 });
  await cloud.start(plasmavmcRole, { heartbeatGraceMs: 5000 });
  for (const host of hosts)
    await cloud.start(plasmavmcWorkerRole, {
      host,
      dataDir: join(cloud.dataDir, host),
      syncMs: 300,
      ...worker,
    });
  const token = async () => cloud.token;
  const images = new LightningstorClient({ baseUrl: cloud.endpoints.lightningstor!, token });
  await images.createImage(project, "guest", { format: "raw" });
  await images.uploadImage(project, "guest", image.path);
  return {
    cloud,
    vms: new PlasmavmcClient({ baseUrl: cloud.endpoints.plasmavmc!, token, timeoutMs: 30_000 }),
    servers,
    consoleLog(host, vm) {
      const path = join(cloud.dataDir, host, "vms", project, vm, "console.log");
      return existsSync(path) ? readFileSync(path, "latin1") : "";
    },
    async close(vm) {
      await cloud.close();
      for (const p of servers.values()) await p.kill("SIGKILL");
      try {
        execFileSync("pkill", ["-KILL", "-f", `process=photon-vm-${vm}`]);
      } catch {
        // none left: the point
      }
    },
  };
}
