// The quick start, as a person runs it: `photon up`, curl, the CLI, Ctrl-C, restart.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CreditClient } from "../../src/creditservice/client.ts";
import { type PhotonProcess, runPhoton, spawnPhoton } from "../support/spawn-photon.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("photon-up-");
const procs: PhotonProcess[] = [];
after(async () => {
  for (const p of procs) await p.kill("SIGKILL");
  dir.remove();
});

async function up(): Promise<{ proc: PhotonProcess; endpoints: Record<string, string>; token: string }> {
  const proc = spawnPhoton(["up", "--ephemeral-ports", "--log-level", "warn"], { cwd: dir.path });
  procs.push(proc);
  await proc.waitFor(/PhotonCloud is up/, 60_000);
  await proc.waitFor(/Ctrl-C stops it/);
  const endpoints = JSON.parse(readFileSync(join(dir.path, ".photon", "endpoints.json"), "utf8")) as Record<
    string,
    string
  >;
  const token = readFileSync(join(dir.path, ".photon", "admin-token"), "utf8").trim();
  return { proc, endpoints, token };
}

const cli = (...args: string[]) => runPhoton(args, { cwd: dir.path });

describe("photon up", () => {
  test("serves healthz, CRUD through HTTP and the CLI, stops on SIGINT and keeps data across a restart", async () => {
    let { proc, endpoints, token } = await up();
    const base = endpoints.creditservice!;
    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: "ok" });
    assert.equal((await fetch(`${base}/v1/projects/demo/quotas/default`)).status, 401);

    // create and read through HTTP, as curl would
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    let res = await fetch(`${base}/v1/projects/demo/quotas`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ metadata: { name: "default" }, spec: { limits: { vcpu: 8 } } }),
    });
    assert.equal(res.status, 201);
    res = await fetch(`${base}/v1/projects/demo/quotas/default`, { headers: auth });
    assert.equal(((await res.json()) as { spec: { limits: { vcpu: number } } }).spec.limits.vcpu, 8);

    // update through the CLI; reserve and commit as a service would, over HTTP; the CLI shows
    // the refusal a person gets
    let r = cli("quota", "set", "demo", "vcpu=6", "memory_mib=1024");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /vcpu\s*│\s*6/);
    const credit = new CreditClient({ baseUrl: base, token });
    await credit.reserve("demo", "vm-1", { vcpu: 4 });
    await credit.commit("demo", "vm-1");
    await credit.addCredit("demo", "t1", 12_500);
    r = cli("quota", "reserve", "demo", "vcpu=3");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /QuotaExceeded: quota exceeded for vcpu in project demo: limit 6, in use 4/);
    const before = await credit.getQuota("demo");
    assert.deepEqual(before.status.used, { vcpu: 4 });
    assert.equal(before.status.balanceMilli, 12_500);

    // Ctrl-C stops it cleanly
    assert.equal(await proc.kill("SIGINT"), 0);

    ({ proc, endpoints, token } = await up());
    r = cli("-o", "json", "quota", "get", "demo");
    assert.equal(r.status, 0, r.stderr);
    const afterRestart = JSON.parse(r.stdout) as typeof before;
    assert.deepEqual(afterRestart.spec.limits, { vcpu: 6, memory_mib: 1024 });
    assert.deepEqual(afterRestart.status.used, { vcpu: 4 });
    assert.equal(afterRestart.status.balanceMilli, 12_500);

    // delete through the CLI
    r = cli("quota", "delete", "demo");
    assert.equal(r.status, 0, r.stderr);
    res = await fetch(`${endpoints.creditservice}/v1/projects/demo/quotas/default`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 404);
    await proc.kill("SIGTERM");
  });

  test("`photon creditservice --help` lists every option with its default", () => {
    const r = cli("creditservice", "--help");
    assert.equal(r.status, 0);
    for (const flag of [
      "--port <value>",
      "--data-dir <value>",
      "--listen <value>",
      "--reservation-ttl-seconds <value>",
      "--default-limits <value>",
      "--meter-interval-ms <value>",
    ]) {
      assert.ok(r.stdout.includes(flag), `${flag} in help`);
    }
    assert.match(r.stdout, /default: 7402/);
  });

  test("a CLI command without a running cloud says what to do next", () => {
    const empty = tempDir("photon-nocloud-");
    try {
      const r = runPhoton(["quota", "get", "x"], { cwd: empty.path, env: { HOME: empty.path } });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /photon up/);
    } finally {
      empty.remove();
    }
  });
});
