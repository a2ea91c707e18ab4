// A capacity model of flaredb from 3 to N stores, fed by measured per-operation CPU costs.
// Pure (no I/O). Placement is not assumed: the placement driver's own scheduler (pd/scheduler.ts)
// is run on a simulated cluster that grows from 3 stores to N, applying its operators until it
// stops issuing them, so replica and leader balance are what the PD would really reach. Then
// every store's CPU per client operation is summed from the regions it leads or follows, and
// throughput is where the busiest store saturates.
//
// Assumptions (stated, not measured): each store has `coresPerStore` cores and its CPU is the
// only bottleneck (clients, network and disks scale out with it); a read costs CPU only on the
// region's leader; a write costs `leaderWriteShare` of its total CPU on the leader and the rest
// split evenly over the two followers; background work (heartbeats, PD) is ignored.
import type { RegionDescriptor } from "../../src/flaredb/api.ts";
import { type ClusterView, defaultPlacementConfig } from "../../src/flaredb/pd/cluster-view.ts";
import { schedule } from "../../src/flaredb/pd/scheduler.ts";
import { fnv1a32, WORKLOADS, type WorkloadName, ZIPFIAN_THETA } from "./ycsb.ts";

/** Regions per store the model keeps (data grows with the cluster at a fixed region size). */
export const REGIONS_PER_STORE = 20;
/** Heartbeat rounds the placement simulation runs at most. */
const MAX_ROUNDS = 20_000;

export interface Costs {
  /** Server CPU ms of one read (all on the leader). */
  readMs: number;
  /** Server CPU ms of one write, summed over the three replicas. */
  writeMs: number;
  /** Server CPU ms of one short scan (on the leader). */
  scanMs: number;
  /** The leader's share of a write's CPU. */
  leaderWriteShare: number;
  coresPerStore: number;
}

export interface Placement {
  stores: string[];
  regions: Array<{ leader: string; peers: string[] }>;
  rounds: number;
}

/** Runs the PD scheduler on a cluster whose regions all start on the first three stores. */
export function simulatePlacement(storeCount: number, regionCount: number): Placement {
  const stores = Array.from({ length: storeCount }, (_, i) => `s${i + 1}`);
  const v: ClusterView = { stores: new Map(), regions: new Map(), manual: new Map() };
  let now = 1_000_000;
  for (const s of stores) v.stores.set(s, { id: s, address: "", raftAddress: "", lastHeartbeatMs: now });
  for (let id = 1; id <= regionCount; id++) {
    const region: RegionDescriptor = {
      id,
      start: "",
      end: "",
      epoch: { confVer: 1, version: 1 },
      peers: ["s1", "s2", "s3"],
    };
    v.regions.set(id, { region, leader: region.peers[id % 3], stats: undefined, pending: undefined });
  }
  let nextId = regionCount + 1;
  const cfg = { ...defaultPlacementConfig };
  let quiet = 0;
  let rounds = 0;
  for (; rounds < MAX_ROUNDS && quiet < Math.ceil(cfg.operatorTimeoutMs / 1000) + 2; rounds++) {
    now += 1_000;
    let issued = 0;
    for (const s of stores) {
      v.stores.get(s)!.lastHeartbeatMs = now;
      for (const op of schedule(v, s, now, cfg, () => nextId++)) {
        issued++;
        const r = v.regions.get(op.regionId)!;
        const d = r.region;
        // Applied at once, as if the next heartbeat reported it done.
        if (op.type === "addPeer" && !d.peers.includes(op.storeId))
          r.region = {
            ...d,
            peers: [...d.peers, op.storeId],
            epoch: { ...d.epoch, confVer: d.epoch.confVer + 1 },
          };
        else if (op.type === "removePeer")
          r.region = {
            ...d,
            peers: d.peers.filter((p) => p !== op.storeId),
            epoch: { ...d.epoch, confVer: d.epoch.confVer + 1 },
          };
        else if (op.type === "transferLeader") {
          r.leader = op.storeId;
          r.pending = undefined;
        }
      }
    }
    quiet = issued === 0 ? quiet + 1 : 0;
  }
  return {
    stores,
    regions: [...v.regions.values()].map((r) => ({ leader: r.leader!, peers: [...r.region.peers] })),
    rounds,
  };
}

/**
 * Each region's share of requests when `records` records are cut into `regions` equal key
 * ranges: YCSB's scrambled Zipfian (rank r has weight 1/(r+1)^θ, its record is hash(r) mod n),
 * or uniform.
 */
export function regionShares(records: number, regions: number, zipfian: boolean): number[] {
  const shares = new Array<number>(regions).fill(0);
  const per = records / regions;
  if (!zipfian) return shares.fill(1 / regions);
  let total = 0;
  for (let rank = 0; rank < records; rank++) {
    const w = 1 / (rank + 1) ** ZIPFIAN_THETA;
    total += w;
    const item = fnv1a32(rank) % records;
    shares[Math.min(regions - 1, Math.floor(item / per))]! += w;
  }
  return shares.map((s) => s / total);
}

export interface Estimate {
  stores: number;
  opsPerSec: number;
  /** The busiest store's share of all server CPU. */
  hottestShare: number;
  maxRegionShare: number;
}

/** Throughput where the busiest store's CPU saturates. */
export function estimate(
  p: Placement,
  shares: readonly number[],
  workload: WorkloadName,
  c: Costs,
): Estimate {
  const mix = WORKLOADS[workload];
  const load = new Map<string, number>(p.stores.map((s) => [s, 0]));
  const writeFrac = mix.update + mix.insert;
  for (const [i, r] of p.regions.entries()) {
    const share = shares[i] ?? 0;
    const followers = r.peers.filter((s) => s !== r.leader);
    const onLeader = mix.read * c.readMs + mix.scan * c.scanMs + writeFrac * c.writeMs * c.leaderWriteShare;
    load.set(r.leader, load.get(r.leader)! + share * onLeader);
    const perFollower = (writeFrac * c.writeMs * (1 - c.leaderWriteShare)) / Math.max(1, followers.length);
    for (const f of followers) load.set(f, load.get(f)! + share * perFollower);
  }
  const busiest = Math.max(...load.values());
  const total = [...load.values()].reduce((a, b) => a + b, 0);
  return {
    stores: p.stores.length,
    opsPerSec: (1000 * c.coresPerStore) / busiest,
    hottestShare: busiest / total,
    maxRegionShare: Math.max(...shares),
  };
}
