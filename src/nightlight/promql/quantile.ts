// Quantile estimators with Prometheus's exact arithmetic: φ-quantile of values (quantile,
// quantile_over_time) and of cumulative histogram buckets (histogram_quantile).

export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...values].sort(goFloatCompare);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

/** Go's sort.Float64s order: NaN first, then ascending. */
export function goFloatCompare(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface Bucket {
  upperBound: number;
  count: number;
}

export function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
  const uppers = new Float64Array(sorted.length);
  const counts = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    uppers[i] = sorted[i]!.upperBound;
    counts[i] = sorted[i]!.count;
  }
  return sortedBucketQuantile(q, uppers, counts, sorted.length);
}

/**
 * bucketQuantile over buckets already in ascending order of bound (`uppers[0..len)`, with their
 * `counts`), which it overwrites: a range query sorts each group's buckets once, not per step.
 */
export function sortedBucketQuantile(
  q: number,
  uppers: Float64Array,
  counts: Float64Array,
  len: number,
): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (len === 0 || uppers[len - 1] !== Number.POSITIVE_INFINITY) return Number.NaN;
  // Buckets with the same upper bound (from different series) are summed, in place.
  let n = 0;
  for (let i = 0; i < len; i++) {
    if (n > 0 && uppers[n - 1] === uppers[i]) counts[n - 1] = counts[n - 1]! + counts[i]!;
    else {
      uppers[n] = uppers[i]!;
      counts[n] = counts[i]!;
      n++;
    }
  }
  // Counts must not fall as bounds rise (a scrape can race a histogram's update).
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (counts[i]! > max) max = counts[i]!;
    else counts[i] = max;
  }
  if (n < 2) return Number.NaN;
  const observations = counts[n - 1]!;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let b = 0;
  while (b < n - 1 && !(counts[b]! >= rank)) b++;
  if (b === n - 1) return uppers[n - 2]!;
  if (b === 0 && uppers[0]! <= 0) return uppers[0]!;
  let bucketStart = 0;
  const bucketEnd = uppers[b]!;
  let count = counts[b]!;
  if (b > 0) {
    bucketStart = uppers[b - 1]!;
    count -= counts[b - 1]!;
    rank -= counts[b - 1]!;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
