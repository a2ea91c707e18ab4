// What the placement driver knows about the cluster: stores and their last heartbeat, regions
// with their newest descriptor, leader and statistics, and the operators in flight. Plain data,
// so the scheduler that reads it stays pure.
import type { Operator, RegionDescriptor, RegionStats } from "../api.ts";

export interface StoreState {
  id: string;
  address: string;
  raftAddress: string;
  lastHeartbeatMs: number;
}

export interface RegionRecord {
  region: RegionDescriptor;
  leader: string | undefined;
  stats: RegionStats | undefined;
  /** The operator sent for this region and when it stops blocking new ones. */
  pending: { op: Operator; untilMs: number; epochKey: string } | undefined;
}

export interface ClusterView {
  stores: Map<string, StoreState>;
  regions: Map<number, RegionRecord>;
  /** Operators asked for by an operator (CLI split/move), run before automatic ones. */
  manual: Map<number, Operator[]>;
}

export interface PlacementConfig {
  maxReplicas: number;
  /** A store silent for this long is down; its replicas are moved elsewhere. */
  storeDownMs: number;
  /** Split a region larger than this. */
  regionSplitBytes: number;
  /** Split a region written faster than this (writes/s) at the median of its recent writes. */
  loadSplitWritesPerSec: number;
  /** How long an operator blocks the next one for its region unless the region's epoch moves. */
  operatorTimeoutMs: number;
  /** Replica moves (add + remove) in flight at once across the cluster. */
  maxConcurrentMoves: number;
  /** Bootstrap with fewer stores than maxReplicas once this long has passed since start. */
  bootstrapWaitMs: number;
}

export const defaultPlacementConfig: PlacementConfig = {
  maxReplicas: 3,
  storeDownMs: 10_000,
  regionSplitBytes: 64 * 1024 * 1024,
  loadSplitWritesPerSec: 2_000,
  operatorTimeoutMs: 5_000,
  maxConcurrentMoves: 2,
  bootstrapWaitMs: 5_000,
};

export const epochKey = (r: RegionDescriptor) => `${r.epoch.confVer}/${r.epoch.version}`;

export function storeIsUp(v: ClusterView, id: string, nowMs: number, cfg: PlacementConfig): boolean {
  const s = v.stores.get(id);
  return !!s && nowMs - s.lastHeartbeatMs <= cfg.storeDownMs;
}

export function replicaCounts(v: ClusterView): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of v.stores.keys()) counts.set(id, 0);
  for (const r of v.regions.values()) for (const s of r.region.peers) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
}

export function leaderCounts(v: ClusterView): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of v.stores.keys()) counts.set(id, 0);
  for (const r of v.regions.values()) if (r.leader) counts.set(r.leader, (counts.get(r.leader) ?? 0) + 1);
  return counts;
}
