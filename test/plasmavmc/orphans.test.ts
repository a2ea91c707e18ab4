// A worker that starts again stops the QEMUs its killed predecessor left, found by their pid
// files, and leaves alone a pid that is no longer that VM's QEMU.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { reapOrphans } from "../../src/plasmavmc/orphans.ts";
import { tempDir } from "../support/temp-dir.ts";

test("QEMUs left by a killed worker are stopped; unrelated pids are not", async () => {
  const dir = tempDir("plasmavmc-orphans-");
  const vmDir = join(dir.path, "vms", "demo", "left");
  mkdirSync(vmDir, { recursive: true });
  const pidFile = join(vmDir, "qemu.pid");
  const qemu = spawn(
    "qemu-system-x86_64",
    [
      "-name",
      "left,process=photon-vm-left",
      "-machine",
      "none",
      "-nodefaults",
      "-display",
      "none",
      "-pidfile",
      pidFile,
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise((r) => qemu.once("exit", r));
  const other = spawn("sleep", ["30"], { stdio: "ignore" });
  try {
    for (let i = 0; !existsSync(pidFile) && i < 200; i++) await sleep(50);
    assert.ok(existsSync(pidFile), "QEMU wrote its pid file");
    // A stale pid file naming some other process.
    const staleDir = join(dir.path, "vms", "demo", "stale");
    mkdirSync(staleDir, { recursive: true });
    writeFileSync(join(staleDir, "qemu.pid"), `${other.pid}\n`);

    assert.deepEqual(await reapOrphans(dir.path), ["demo/left"]);
    await exited;
    assert.equal(other.exitCode, null, "the unrelated process still runs");
    assert.deepEqual(await reapOrphans(dir.path), [], "nothing left the second time");
  } finally {
    qemu.kill("SIGKILL");
    other.kill("SIGKILL");
    dir.remove();
  }
});
