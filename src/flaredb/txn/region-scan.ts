// A scan on one region: the request clamped to the region's range, and the resume key set to
// the region's edge when the range goes on beyond it. Stores and routers share this so a
// client scan crosses regions the same way everywhere.

import { compareBytes } from "../engine/byte-order.ts";
import type { KvReader } from "../engine/kv.ts";
import { type ReadOptions, type ScanRequest, type ScanResult, txnScan } from "../engine/read.ts";

export interface RegionRange {
  /** Inclusive; empty = the first region. */
  readonly start: Uint8Array;
  /** Exclusive; undefined = the last region. */
  readonly end: Uint8Array | undefined;
}

/** Does the region hold `key`? */
export function regionHolds(r: RegionRange, key: Uint8Array): boolean {
  return compareBytes(key, r.start) >= 0 && (r.end === undefined || compareBytes(key, r.end) < 0);
}

/** Is `r` the region a scan starts in: the one holding start (forward) or the key below end (reverse)? */
export function regionStartsScan(r: RegionRange, req: ScanRequest): boolean {
  if (!req.reverse) return regionHolds(r, req.start);
  const afterStart = req.end === undefined ? r.end === undefined : compareBytes(req.end, r.start) > 0;
  const beforeEnd = req.end === undefined || r.end === undefined || compareBytes(req.end, r.end) <= 0;
  return afterStart && beforeEnd;
}

export function scanInRegion(
  kv: KvReader,
  r: RegionRange,
  req: ScanRequest,
  ts: number,
  o: ReadOptions = {},
): ScanResult {
  const start = compareBytes(req.start, r.start) >= 0 ? req.start : r.start;
  const end =
    req.end === undefined
      ? r.end
      : r.end === undefined || compareBytes(req.end, r.end) <= 0
        ? req.end
        : r.end;
  const res = txnScan(kv, { ...req, start, end }, ts, o);
  if (!res.ok || res.resume !== null) return res;
  if (!req.reverse) {
    const more = r.end !== undefined && (req.end === undefined || compareBytes(r.end, req.end) < 0);
    return more ? { ...res, resume: r.end! } : res;
  }
  const more = r.start.length > 0 && compareBytes(r.start, req.start) > 0;
  return more ? { ...res, resume: r.start } : res;
}
