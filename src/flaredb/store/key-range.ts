// Key-range arithmetic on region descriptors (base64 bounds, "" = unbounded).
import { b64ToKey, type RegionDescriptor } from "../api.ts";

/** Decoded region bounds kept (a store or client sees few distinct bounds; beyond, it restarts). */
const MAX_DECODED_BOUNDS = 4_096;
const decoded = new Map<string, Uint8Array>();

/**
 * The bytes of a base64 region bound, memoized: every routed request compares its keys with its
 * region's bounds, and decoding them each time was a visible share of a read's CPU.
 */
export function boundKey(b64: string): Uint8Array {
  let k = decoded.get(b64);
  if (k) return k;
  if (decoded.size >= MAX_DECODED_BOUNDS) decoded.clear();
  k = b64ToKey(b64);
  decoded.set(b64, k);
  return k;
}

export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

export function keyInRegion(r: Pick<RegionDescriptor, "start" | "end">, key: Uint8Array): boolean {
  if (r.start && compareKeys(key, boundKey(r.start)) < 0) return false;
  if (r.end && compareKeys(key, boundKey(r.end)) >= 0) return false;
  return true;
}

/** Whether two ranges share a key. */
export function rangesOverlap(
  a: Pick<RegionDescriptor, "start" | "end">,
  b: Pick<RegionDescriptor, "start" | "end">,
): boolean {
  const aEndsBeforeB = a.end !== "" && b.start !== "" && compareKeys(boundKey(a.end), boundKey(b.start)) <= 0;
  const bEndsBeforeA = b.end !== "" && a.start !== "" && compareKeys(boundKey(b.end), boundKey(a.start)) <= 0;
  return !aEndsBeforeB && !bEndsBeforeA;
}

/** Whether the region holds the keys just below `end` (an empty end: the last region). */
export function holdsKeyBelow(r: Pick<RegionDescriptor, "start" | "end">, end: Uint8Array): boolean {
  if (end.length === 0) return r.end === "";
  if (r.start && compareKeys(boundKey(r.start), end) >= 0) return false;
  return r.end === "" || compareKeys(end, boundKey(r.end)) <= 0;
}
