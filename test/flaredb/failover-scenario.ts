// The acceptance scenario on real processes: five stores under write load; regions split and
// balance; one store is SIGKILLed; its regions re-replicate to the others; no acknowledged
// write is lost. Bounded in writes and time; the fast and slow tests differ only in sizes.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { RegionView, StoreInfo } from "../../src/flaredb/api.ts";
import type { FlareClient } from "../../src/flaredb/client.ts";
import { type ProcessCluster, startProcessCluster } from "./process-cluster.ts";

export interface FailoverOptions {
  writers: number;
  valueBytes: number;
  /** Writes before the kill (split + balance phase), then during the failure. */
  writesBeforeKill: number;
  writesAfterKill: number;
  minRegions: number;
  regionSplitBytes: number;
  storeDownMs: number;
  launcher?: "photon" | "role";
}

export interface FailoverResult {
  acked: number;
  regionsBeforeKill: number;
  balanceBefore: string;
  reReplicatedMs: number;
  balanceAfter: string;
  regionsAfter: number;
  phasesMs: Record<string, number>;
}

async function until<T>(what: string, timeoutMs: number, f: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(250);
  }
  throw new Error(
    `timed out (${timeoutMs} ms) waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`,
  );
}

function replicaSpread(regions: RegionView[], stores: StoreInfo[]): { ratio: number; text: string } {
  const counts = new Map(stores.filter((s) => s.state === "up").map((s) => [s.id, 0]));
  for (const r of regions)
    for (const p of r.region.peers) if (counts.has(p)) counts.set(p, counts.get(p)! + 1);
  const v = [...counts.values()];
  const ratio = Math.max(...v) / Math.max(1, Math.min(...v));
  return { ratio, text: [...counts].map(([s, n]) => `${s}:${n}`).join(" ") };
}

async function writeLoad(
  client: FlareClient,
  o: FailoverOptions,
  total: number,
  offset: number,
  acked: Map<string, string>,
): Promise<void> {
  let next = 0;
  const value = (k: string) => `${k}:${"v".repeat(Math.max(0, o.valueBytes - k.length - 1))}`;
  await Promise.all(
    Array.from({ length: o.writers }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        // Sequential keys (the hot-tail case) from each writer's own range.
        const k = `user/${String(offset + i).padStart(8, "0")}`;
        try {
          await client.put(k, value(k));
          acked.set(k, value(k));
        } catch {
          // Not acknowledged: it may or may not be there; only acknowledged writes are checked.
        }
      }
    }),
  );
}

export async function runFailover(o: FailoverOptions): Promise<FailoverResult> {
  const c: ProcessCluster = await startProcessCluster({
    stores: 5,
    storeDownMs: o.storeDownMs,
    regionSplitBytes: o.regionSplitBytes,
    loadSplitWritesPerSec: 200,
    ...(o.launcher ? { launcher: o.launcher } : {}),
  });
  const phasesMs: Record<string, number> = {};
  let mark = Date.now();
  const phase = (name: string) => {
    phasesMs[name] = Date.now() - mark;
    mark = Date.now();
  };
  phase("start");
  try {
    const acked = new Map<string, string>();
    await until("the first region's leader", 40_000, async () =>
      (await c.client.regions()).regions.some((r) => r.leader) ? true : undefined,
    );
    phase("bootstrap");
    await writeLoad(c.client, o, o.writesBeforeKill, 0, acked);
    phase("writes");
    // Splits and balance.
    let seen = "";
    const before = await until(`≥ ${o.minRegions} regions balanced within 1.5×`, 40_000, async () => {
      const [{ regions }, { stores }] = await Promise.all([c.client.regions(), c.client.listStores()]);
      const spread = replicaSpread(regions, stores);
      seen = `${regions.length} regions, replicas ${spread.text}, ${regions.filter((r) => !r.leader).length} without a leader, ${regions.filter((r) => r.region.peers.length !== 3).length} not at 3 peers, stores up ${stores.filter((s) => s.state === "up").length}, processes exited ${c.stores.filter((s) => s.proc.child.exitCode !== null || s.proc.child.signalCode !== null).length}`;
      const downAddresses = new Set(stores.filter((s) => s.state !== "up").map((s) => s.address));
      if (
        Date.now() - mark > 39_000 &&
        c.stores.some((s) => s.proc.child.exitCode !== null || downAddresses.has(s.address))
      )
        seen += `\n${c.stores
          .filter((s) => s.proc.child.exitCode !== null || downAddresses.has(s.address))
          .map((s) => `${s.address}:\n${s.proc.output().slice(-3000)}`)
          .join("\n---\n")}`;
      if (Date.now() - mark > 39_000)
        throw new Error(`last seen: ${seen}\nplacement driver:\n${c.pd.output().slice(-3000)}`);
      const settled =
        regions.every((r) => r.leader && r.region.peers.length === 3) &&
        stores.filter((s) => s.state === "up").length === 5;
      return regions.length >= o.minRegions && settled && spread.ratio <= 1.5
        ? { regions, spread }
        : undefined;
    });
    phase("balance");
    const dead = c.stores.filter((s) => s.proc.child.exitCode !== null || s.proc.child.signalCode !== null);
    assert.equal(
      dead.length,
      0,
      `a store exited before the kill:\n${dead.map((d) => d.proc.output().slice(-3000)).join("\n---\n")}`,
    );
    const upBefore = (await c.client.listStores()).stores.filter((s) => s.state === "up").length;
    assert.equal(upBefore, 5, "every store is up before the kill");
    // Kill the store holding the most leaders, under load.
    const { stores } = await c.client.listStores();
    const victimInfo = [...stores].sort((a, b) => b.leaderCount - a.leaderCount)[0]!;
    const victim = c.stores.find((s) => s.address === victimInfo.address)!;
    await victim.proc.kill("SIGKILL");
    const killedAt = Date.now();
    const load = writeLoad(c.client, o, o.writesAfterKill, o.writesBeforeKill, acked);
    let lastView: RegionView[] = [];
    const after = await until("every region re-replicated off the killed store", 30_000, async () => {
      const { regions } = await c.client.regions();
      lastView = regions;
      // ≥ 3: a balancing move (add, then remove) may be in flight at any moment.
      const done = regions.every(
        (r) =>
          r.leader &&
          r.leader !== victimInfo.id &&
          r.region.peers.length >= 3 &&
          !r.region.peers.includes(victimInfo.id),
      );
      return done ? regions : undefined;
    }).catch((err: Error) => {
      const view = lastView.map(
        (r) =>
          `${r.region.id}[${r.region.epoch.confVer}/${r.region.epoch.version}] ${r.region.peers.join(",")} L=${r.leader}`,
      );
      throw new Error(`${err.message}; killed ${victimInfo.id}; regions: ${view.join(" | ")}`);
    });
    const reReplicatedMs = Date.now() - killedAt;
    await load;
    phase("reReplicate");
    // Every acknowledged write is readable.
    const keys = [...acked.keys()];
    for (let i = 0; i < keys.length; i += 200) {
      const chunk = keys.slice(i, i + 200);
      const got = await c.client.batchGet(chunk);
      chunk.forEach((k, j) => {
        assert.equal(
          got[j] ? new TextDecoder().decode(got[j]!) : null,
          acked.get(k),
          `acknowledged write ${k} lost`,
        );
      });
    }
    const balanced = await until("balance among the four remaining stores", 30_000, async () => {
      const [{ regions }, { stores: s2 }] = await Promise.all([c.client.regions(), c.client.listStores()]);
      const spread = replicaSpread(regions, s2);
      return spread.ratio <= 1.5 ? spread : undefined;
    });
    phase("verify");
    return {
      phasesMs,
      acked: acked.size,
      regionsBeforeKill: before.regions.length,
      balanceBefore: before.spread.text,
      reReplicatedMs,
      balanceAfter: balanced.text,
      regionsAfter: after.length,
    };
  } finally {
    await c.close();
  }
}
