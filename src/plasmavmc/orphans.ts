// QEMUs a worker left behind when it was killed: QEMU outlives its parent, so a worker that
// starts again finds them by the pid files in its VM directories and stops them before it
// starts anything (the VMs that should run are then started afresh, their volumes attached
// again). A pid is only signalled if its command line is still that VM's QEMU.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { qemuPidFile } from "./vm-process.ts";

/** How long a SIGTERMed QEMU gets before SIGKILL. */
const termGraceMs = 3000;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid if it still runs QEMU for this VM (pids are reused). */
function qemuOf(pidFile: string, name: string): number | undefined {
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return undefined;
  }
  return cmdline.includes(`process=photon-vm-${name}`) ? pid : undefined;
}

/** Stops every QEMU left under `<dataDir>/vms/<project>/<name>/`; returns "project/name" of each. */
export async function reapOrphans(dataDir: string): Promise<string[]> {
  const root = join(dataDir, "vms");
  if (!existsSync(root)) return [];
  const found: { key: string; pid: number }[] = [];
  for (const project of readdirSync(root))
    for (const name of readdirSync(join(root, project))) {
      const pidFile = join(root, project, name, qemuPidFile);
      if (!existsSync(pidFile)) continue;
      const pid = qemuOf(pidFile, name);
      if (pid) found.push({ key: `${project}/${name}`, pid });
      rmSync(pidFile, { force: true });
    }
  for (const { pid } of found) process.kill(pid, "SIGTERM");
  const end = Date.now() + termGraceMs;
  while (found.some((f) => isAlive(f.pid)) && Date.now() < end) await sleep(50);
  for (const { pid } of found) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  return found.map((f) => f.key);
}
