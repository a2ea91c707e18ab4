import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { spawnPhoton } from "../support/spawn-photon.ts";
import { type InProcessCluster, startCluster, waitFor } from "./in-process-cluster.ts";

/** The CLI as a child process, without blocking this process (it serves the cluster). */
async function photon(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const p = spawnPhoton(args);
  let stdout = "";
  let stderr = "";
  p.child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  p.child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const status = await new Promise<number | null>((r) => p.child.once("exit", (code) => r(code)));
  return { status, stdout, stderr };
}

describe("flaredb operations: CLI and metrics", () => {
  let c: InProcessCluster;
  before(async () => {
    c = await startCluster(3);
    await waitFor("a leader", async () => ((await c.client.regions()).regions[0]?.leader ? true : undefined));
    for (let i = 0; i < 20; i++) await c.client.put(`op/${i}`, "v");
  });
  after(async () => c?.close());

  it("photon flaredb stores and regions show the cluster", async () => {
    const stores = await photon(["flaredb", "stores", "--pd", c.pd.address]);
    assert.equal(stores.status, 0, stores.stderr);
    for (const s of c.stores) assert.match(stores.stdout, new RegExp(`${s.id}\\s.*up`));
    const regions = await photon(["-o", "json", "flaredb", "regions", "--pd", c.pd.address]);
    assert.equal(regions.status, 0, regions.stderr);
    const list = JSON.parse(regions.stdout) as Array<{ region: { peers: string[] } }>;
    assert.equal(list.length, 1);
    assert.equal(list[0]!.region.peers.length, 3);
  });

  it("photon flaredb split splits a region at a key; a bad request is refused with a message", async () => {
    const { regions } = await c.client.regions();
    const id = regions[0]!.region.id;
    const r = await photon(["flaredb", "split", String(id), "--key", "op/5", "--pd", c.pd.address]);
    assert.equal(r.status, 0, r.stderr);
    await waitFor("two regions", async () =>
      (await c.client.regions()).regions.length === 2 ? true : undefined,
    );
    assert.equal(new TextDecoder().decode((await c.client.get("op/7"))!), "v");
    const bad = await photon(["flaredb", "move", "999", "--from", "s1", "--to", "s2", "--pd", c.pd.address]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr + bad.stdout, /region 999 not found/);
  });

  it("/metrics reports per-region QPS, size, leadership and raft lag", async () => {
    const leader = c.stores.find((s) => s.status().regions.some((r) => r.role === "leader"))!;
    const text = await waitFor("region gauges", async () => {
      const t = await (await fetch(`${leader.metricsUrl}/metrics`)).text();
      return /flaredb_region_leader\{region="\d+"[^}]*\} 1/.test(t) &&
        /flaredb_region_raft_lag_entries/.test(t)
        ? t
        : undefined;
    });
    assert.match(text, /flaredb_region_qps\{region="\d+",kind="write"/);
    assert.match(text, /flaredb_region_size_bytes\{region="\d+"/);
    const health = await fetch(`${leader.metricsUrl}/healthz`);
    assert.equal(health.status, 200);
  });
});
