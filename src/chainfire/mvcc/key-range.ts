// etcd's key-range conventions over byte strings held as latin1 JS strings, whose code-unit
// order is the byte order. An empty range end means "just the key"; "\0" means "to the end".

export const toKeyString = (b: Buffer | Uint8Array): string => Buffer.from(b).toString("latin1");
export const fromKeyString = (s: string): Buffer => Buffer.from(s, "latin1");

export interface KeySpan {
  start: string;
  /** Exclusive end; undefined for a single key; null for "every key from start on". */
  end: string | undefined | null;
}

export function spanOf(key: Buffer, rangeEnd?: Buffer): KeySpan {
  const start = toKeyString(key);
  if (!rangeEnd || rangeEnd.length === 0) return { start, end: undefined };
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return { start, end: null };
  return { start, end: toKeyString(rangeEnd) };
}

export function inSpan(span: KeySpan, k: string): boolean {
  if (span.end === undefined) return k === span.start;
  return k >= span.start && (span.end === null || k < span.end);
}

/** The range end that selects every key with `prefix` (etcd's clientv3.GetPrefixRangeEnd). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** Index of the first element >= k in a sorted array. */
export function lowerBound(sorted: readonly string[], k: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
