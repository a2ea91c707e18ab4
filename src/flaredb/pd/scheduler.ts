// The placement decisions, pure: given the cluster view, the store that just reported and the
// time, which operators should that store's regions run? Order of concern: membership repair
// (down stores, missing or extra replicas), splits (size, then load), then balance (replicas,
// then leaders). At most one operator per region is in flight.
import type { Operator } from "../api.ts";
import {
  type ClusterView,
  epochKey,
  leaderCounts,
  type PlacementConfig,
  type RegionRecord,
  replicaCounts,
  storeIsUp,
} from "./cluster-view.ts";

export function schedule(
  v: ClusterView,
  storeId: string,
  nowMs: number,
  cfg: PlacementConfig,
  allocId: () => number,
): Operator[] {
  const ops: Operator[] = [];
  const replicas = replicaCounts(v);
  const leaders = leaderCounts(v);
  const up = (s: string) => storeIsUp(v, s, nowMs, cfg);
  // Moves asked for but not yet reported count as done, so concurrent decisions (from other
  // stores' heartbeats) do not all pick the same emptiest store and overshoot.
  let moves = 0;
  for (const r of v.regions.values()) {
    const p = r.pending;
    if (!p || p.untilMs <= nowMs || epochKey(r.region) !== p.epochKey) continue;
    if (p.op.type === "addPeer") replicas.set(p.op.storeId, (replicas.get(p.op.storeId) ?? 0) + 1);
    else if (p.op.type === "removePeer") replicas.set(p.op.storeId, (replicas.get(p.op.storeId) ?? 0) - 1);
    else continue;
    moves++;
  }

  for (const r of v.regions.values()) {
    if (r.leader !== storeId) continue;
    if (r.pending && r.pending.untilMs > nowMs && r.pending.epochKey === epochKey(r.region)) {
      // Repair outranks whatever was asked before a store died (a transfer to it never lands).
      const downPeer = r.region.peers.some((s) => !up(s));
      const isRepair = r.pending.op.type === "removePeer" && !up(r.pending.op.storeId);
      if (!downPeer || isRepair) continue;
    }
    const op = decide(v, r, up, replicas, leaders, cfg, allocId, moves);
    if (!op) continue;
    if (op.type === "addPeer" || op.type === "removePeer") moves++;
    r.pending = { op, untilMs: nowMs + cfg.operatorTimeoutMs, epochKey: epochKey(r.region) };
    // Count the effect now so the next region's decision sees it.
    if (op.type === "addPeer") replicas.set(op.storeId, (replicas.get(op.storeId) ?? 0) + 1);
    if (op.type === "removePeer") replicas.set(op.storeId, (replicas.get(op.storeId) ?? 0) - 1);
    if (op.type === "transferLeader") {
      leaders.set(op.storeId, (leaders.get(op.storeId) ?? 0) + 1);
      leaders.set(storeId, (leaders.get(storeId) ?? 0) - 1);
    }
    ops.push(op);
  }
  return ops;
}

function decide(
  v: ClusterView,
  r: RegionRecord,
  up: (s: string) => boolean,
  replicas: Map<string, number>,
  leaders: Map<string, number>,
  cfg: PlacementConfig,
  allocId: () => number,
  movesInFlight: number,
): Operator | undefined {
  const region = r.region;
  const id = region.id;
  const peers = region.peers;
  const manual = v.manual.get(id)?.shift();
  if (manual)
    return manual.type === "split" && manual.newRegionId === 0
      ? { ...manual, newRegionId: allocId() }
      : manual;

  const down = peers.filter((s) => !up(s));
  const upStores = [...v.stores.keys()].filter(up);
  const candidates = upStores
    .filter((s) => !peers.includes(s))
    .sort((a, b) => (replicas.get(a) ?? 0) - (replicas.get(b) ?? 0) || a.localeCompare(b));
  const want = Math.min(cfg.maxReplicas, upStores.length + down.length);

  // Repair: drop a dead replica first (keeps the quorum of the alive ones), then re-add.
  if (down.length > 0 && peers.length >= want) return { type: "removePeer", regionId: id, storeId: down[0]! };
  if (peers.length < cfg.maxReplicas && candidates.length > 0)
    return { type: "addPeer", regionId: id, storeId: candidates[0]! };
  if (peers.length > cfg.maxReplicas) {
    const victim = [...peers].sort(
      (a, b) => (replicas.get(b) ?? 0) - (replicas.get(a) ?? 0) || b.localeCompare(a),
    )[0]!;
    if (victim === r.leader) {
      const to = peers.find((s) => s !== victim && up(s));
      return to ? { type: "transferLeader", regionId: id, storeId: to } : undefined;
    }
    return { type: "removePeer", regionId: id, storeId: victim };
  }

  // Splits.
  const st = r.stats;
  if (st?.sizeSplitKey && st.sizeBytes > cfg.regionSplitBytes)
    return { type: "split", regionId: id, splitKey: st.sizeSplitKey, newRegionId: allocId() };
  if (st?.loadSplitKey && st.writesPerSec > cfg.loadSplitWritesPerSec)
    return { type: "split", regionId: id, splitKey: st.loadSplitKey, newRegionId: allocId() };

  // Replica balance: move one replica from the fullest store to the emptiest (add, then the
  // over-replicated region sheds the fullest store's replica above).
  if (movesInFlight < cfg.maxConcurrentMoves && candidates.length > 0 && down.length === 0) {
    const fullest = [...peers].sort((a, b) => (replicas.get(b) ?? 0) - (replicas.get(a) ?? 0))[0]!;
    const emptiest = candidates[0]!;
    if ((replicas.get(fullest) ?? 0) - (replicas.get(emptiest) ?? 0) >= 2)
      return { type: "addPeer", regionId: id, storeId: emptiest };
  }

  // Leader balance: hand the lead to the follower whose store leads the fewest regions.
  if (r.leader) {
    const to = peers
      .filter((s) => s !== r.leader && up(s))
      .sort((a, b) => (leaders.get(a) ?? 0) - (leaders.get(b) ?? 0))[0];
    if (to && (leaders.get(r.leader) ?? 0) - (leaders.get(to) ?? 0) >= 2)
      return { type: "transferLeader", regionId: id, storeId: to };
  }
  return undefined;
}
