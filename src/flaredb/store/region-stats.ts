// A leader's statistics for one region, reported to the placement driver: write/read rates
// since the last report, its real size and middle key (measured by a bounded scan only when
// the size estimate grew), and the key that halves the recent writes (the load-split key).
import { b64ToKey, keyToB64, type RegionStats } from "../api.ts";
import { userKeyOf } from "./engine-binding.ts";
import { compareKeys } from "./key-range.ts";
import { LmdbKv } from "./kv-view.ts";
import { MAX_SIZE_SCAN_KEYS, type RegionPeer } from "./region-peer.ts";
import type { StoreDb } from "./store-db.ts";

export function measureRegion(p: RegionPeer, db: StoreDb, remeasureBytes: number): void {
  if (!p.region) return;
  if (p.measured && p.sizeEstimateBytes - p.measured.atEstimate < remeasureBytes) return;
  const kv = new LmdbKv(db.data);
  const sizes: Array<[Uint8Array, number]> = [];
  let total = 0;
  for (const [s, e] of p.ranges(p.region)) {
    for (const [k, v] of kv.scan(s, e, MAX_SIZE_SCAN_KEYS, false)) {
      total += k.length + v.length;
      sizes.push([k, k.length + v.length]);
      if (sizes.length >= MAX_SIZE_SCAN_KEYS) break;
    }
  }
  let acc = 0;
  let middleKey: string | undefined;
  for (const [k, n] of sizes) {
    acc += n;
    if (acc * 2 >= total) {
      const u = userKeyOf(k);
      if (u) middleKey = keyToB64(u);
      break;
    }
  }
  p.sizeEstimateBytes = Math.max(p.sizeEstimateBytes, total);
  p.measured = { sizeBytes: total, keys: sizes.length, middleKey, atEstimate: p.sizeEstimateBytes };
}

/** The median of the recently written keys, if it lies strictly inside the region. */
export function loadSplitKey(p: RegionPeer): string | undefined {
  if (!p.region || p.sampleKeys.length < 16) return undefined;
  const sorted = p.sampleKeys.map(b64ToKey).sort(compareKeys);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  if (p.region.start && compareKeys(mid, b64ToKey(p.region.start)) <= 0) return undefined;
  if (compareKeys(mid, sorted[0]!) === 0) return undefined;
  return keyToB64(mid);
}

export function regionStats(p: RegionPeer, elapsedMs: number): RegionStats {
  const st = p.node.status();
  const leader = st.role === "leader";
  const lagByStore: Record<string, number> = {};
  if (leader)
    for (const [id, pr] of st.progress)
      if (id !== st.id) lagByStore[id] = Math.max(0, st.lastIndex - pr.match);
  const secs = Math.max(elapsedMs, 1) / 1000;
  const out: RegionStats = {
    region: p.region!,
    leader,
    sizeBytes: p.measured?.sizeBytes ?? p.sizeEstimateBytes,
    keys: p.measured?.keys ?? 0,
    writesPerSec: p.writes / secs,
    readsPerSec: p.reads_ / secs,
    lagByStore,
  };
  if (leader) {
    const lk = loadSplitKey(p);
    if (lk) out.loadSplitKey = lk;
    if (p.measured?.middleKey && p.measured.middleKey !== p.region!.start)
      out.sizeSplitKey = p.measured.middleKey;
  }
  return out;
}
