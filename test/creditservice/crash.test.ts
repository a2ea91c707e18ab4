// A service that dies between reserve and commit must not leak quota: its reservation
// expires. Real processes, real SIGKILL.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CreditClient } from "../../src/creditservice/client.ts";
import { type PhotonProcess, spawnPhoton } from "../support/spawn-photon.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("photon-credit-crash-");
const procs: PhotonProcess[] = [];
after(async () => {
  for (const p of procs) await p.kill("SIGKILL");
  dir.remove();
});

async function startServer(): Promise<{ proc: PhotonProcess; client: CreditClient }> {
  const proc = spawnPhoton([
    "creditservice",
    "--data-dir",
    dir.path,
    "--port",
    "0",
    "--resync-ms",
    "200",
    "--log-level",
    "info",
  ]);
  procs.push(proc);
  const m = await proc.waitFor(/"api":"(http:\/\/[^"]+)"/);
  const { readFileSync } = await import("node:fs");
  const token = readFileSync(join(dir.path, "admin-token"), "utf8").trim();
  return { proc, client: new CreditClient({ baseUrl: m[1]!, token }) };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("creditservice under SIGKILL", () => {
  test("a client killed between reserve and commit leaks nothing: the reservation expires", async () => {
    const { client } = await startServer();
    await client.setLimits("crash", { vcpu: 2 });
    // A separate process plays the service that reserves and then dies before committing.
    const script = join(dir.path, "reserver.mjs");
    writeFileSync(
      script,
      `const [url, token] = process.argv.slice(2);
       const r = await fetch(url + "/v1/projects/crash/reservations", { method: "POST",
         headers: { authorization: "Bearer " + token, "content-type": "application/json" },
         body: JSON.stringify({ requestId: "vm-doomed", amounts: { vcpu: 2 }, ttlSeconds: 2 }) });
       console.log("reserved", r.status);
       setInterval(() => {}, 1000);`,
    );
    const reserver = spawn(
      process.execPath,
      [
        script,
        client.http.baseUrl,
        (await import("node:fs")).readFileSync(join(dir.path, "admin-token"), "utf8").trim(),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve) =>
      reserver.stdout.on("data", (d: Buffer) => d.toString().includes("reserved 201") && resolve()),
    );
    reserver.kill("SIGKILL");
    await assert.rejects(
      client.reserve("crash", "vm-next", { vcpu: 1 }),
      (e: unknown) => (e as { code: string }).code === "QuotaExceeded",
    );
    // The controller drops the expired reservation without anyone calling.
    await until("the reservation to expire", async () =>
      (await client.getQuota("crash")).status.reservations.length === 0 ? true : undefined,
    );
    const q = await client.getQuota("crash");
    assert.deepEqual(q.status.used, {});
    await client.reserve("crash", "vm-next", { vcpu: 2 });
  });

  test("the server killed with SIGKILL keeps acknowledged reservations and usage across a restart, then expires them", async () => {
    let { proc, client } = await startServer();
    await client.setLimits("restart", { vcpu: 10 });
    await client.reserve("restart", "a", { vcpu: 3 });
    await client.commit("restart", "a");
    // Long enough to outlive a restart on a loaded machine (12 s did not, once, in CI).
    await client.reserve("restart", "b", { vcpu: 4 }, 40);
    await proc.kill("SIGKILL");
    ({ proc, client } = await startServer());
    const q = await client.getQuota("restart");
    assert.deepEqual(q.status.used, { vcpu: 3 });
    assert.deepEqual(
      q.status.reservations.map((r) => r.id),
      ["b"],
    );
    await until(
      "b to expire",
      async () => ((await client.getQuota("restart")).status.reservations.length === 0 ? true : undefined),
      60_000,
    );
    await client.reserve("restart", "c", { vcpu: 7 });
    await proc.kill("SIGTERM");
  });
});
