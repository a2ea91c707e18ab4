// Merges what several replicas return for one selector into one list of series: series with the
// same label set are joined sample by sample (sorted by time, one sample per timestamp, the first
// replica's value winning), because each replica may lack samples another one holds.
import { labelsKey } from "../tsdb/labels.ts";
import type { SelectedSeries } from "../tsdb/tsdb.ts";

export function mergeReplicaSeries(replicas: readonly (readonly SelectedSeries[])[]): SelectedSeries[] {
  const nonEmpty = replicas.filter((r) => r.length > 0);
  if (nonEmpty.length <= 1) return [...(nonEmpty[0] ?? [])];
  const byKey = new Map<string, SelectedSeries>();
  for (const list of nonEmpty) {
    for (const s of list) {
      const k = labelsKey(s.labels);
      const prev = byKey.get(k);
      byKey.set(k, prev ? mergeSamples(prev, s) : s);
    }
  }
  return [...byKey.values()];
}

/** Union of two time-sorted sample runs; on equal timestamps `a` wins. */
export function mergeSamples(a: SelectedSeries, b: SelectedSeries): SelectedSeries {
  const na = a.ts.length;
  const nb = b.ts.length;
  if (nb === 0) return a;
  if (na === 0) return { ...b, labels: a.labels };
  // The common case: both replicas hold the same samples.
  if (na === nb && a.ts[0] === b.ts[0] && a.ts[na - 1] === b.ts[nb - 1] && sameTimes(a.ts, b.ts)) return a;
  const ts = new Float64Array(na + nb);
  const vs = new Float64Array(na + nb);
  const stale = new Uint8Array(na + nb);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < na || j < nb) {
    const ta = i < na ? a.ts[i]! : Number.POSITIVE_INFINITY;
    const tb = j < nb ? b.ts[j]! : Number.POSITIVE_INFINITY;
    if (ta <= tb) {
      ts[o] = ta;
      vs[o] = a.vs[i]!;
      stale[o] = a.stale[i]!;
      i++;
      if (ta === tb) j++;
    } else {
      ts[o] = tb;
      vs[o] = b.vs[j]!;
      stale[o] = b.stale[j]!;
      j++;
    }
    o++;
  }
  return { labels: a.labels, ts: ts.subarray(0, o), vs: vs.subarray(0, o), stale: stale.subarray(0, o) };
}

function sameTimes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
