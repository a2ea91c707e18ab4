// Key-range arithmetic on region descriptors (base64 bounds, "" = unbounded).
import { b64ToKey, type RegionDescriptor } from "../api.ts";

export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

export function keyInRegion(r: Pick<RegionDescriptor, "start" | "end">, key: Uint8Array): boolean {
  if (r.start && compareKeys(key, b64ToKey(r.start)) < 0) return false;
  if (r.end && compareKeys(key, b64ToKey(r.end)) >= 0) return false;
  return true;
}

/** Whether two ranges share a key. */
export function rangesOverlap(
  a: Pick<RegionDescriptor, "start" | "end">,
  b: Pick<RegionDescriptor, "start" | "end">,
): boolean {
  const aEndsBeforeB = a.end !== "" && b.start !== "" && compareKeys(b64ToKey(a.end), b64ToKey(b.start)) <= 0;
  const bEndsBeforeA = b.end !== "" && a.start !== "" && compareKeys(b64ToKey(b.end), b64ToKey(a.start)) <= 0;
  return !aEndsBeforeB && !bEndsBeforeA;
}

/** Whether the region holds the keys just below `end` (an empty end: the last region). */
export function holdsKeyBelow(r: Pick<RegionDescriptor, "start" | "end">, end: Uint8Array): boolean {
  if (end.length === 0) return r.end === "";
  if (r.start && compareKeys(b64ToKey(r.start), end) >= 0) return false;
  return r.end === "" || compareKeys(end, b64ToKey(r.end)) <= 0;
}
