// Snapshot reads at a timestamp, and raw reads. A read meets a lock of an older txn (start ts ≤
// read ts) as "locked" and hands the lock back so the client can resolve it; locks of younger
// txns cannot affect the snapshot and are ignored. Reads have no lifetime of their own: any ts
// at or above the GC safe point can be read, however long ago it was taken.

import { type EngineBugs, NO_BUGS } from "./bugs.ts";
import { bytesEqual } from "./byte-order.ts";
import type { LockInfo } from "./commands.ts";
import { KeyParser, lockKey, physicalRange, rawKey } from "./keys.ts";
import type { KvReader } from "./kv.ts";
import { MAX_SCAN_LIMIT, MAX_SCAN_WORK_ENTRIES } from "./limits.ts";
import { lockInfo, visibleWrite } from "./mvcc.ts";
import { decodeLock, decodeRaw, decodeWrite, type Lock, rawLive } from "./records.ts";

export interface ReadOptions {
  /** Reads below the GC safe point fail: the versions they need may be gone. */
  readonly safePoint?: number;
  /**
   * Start timestamps of txns whose locks this read may pass: the client learned they committed
   * above the read ts, or rolled back, but their locks are not cleaned up yet.
   */
  readonly ignoreLocksOf?: readonly number[];
  readonly bugs?: EngineBugs;
}

export type ReadError =
  | { readonly kind: "locked"; readonly locks: readonly LockInfo[] }
  | { readonly kind: "snapshotTooOld"; readonly ts: number; readonly safePoint: number };

export type GetResult =
  | { readonly ok: true; readonly value: Uint8Array | null }
  | { readonly ok: false; readonly error: ReadError };
export type BatchGetResult =
  | { readonly ok: true; readonly pairs: readonly [Uint8Array, Uint8Array][] }
  | { readonly ok: false; readonly error: ReadError };
export type ScanResult =
  | {
      readonly ok: true;
      readonly pairs: readonly [Uint8Array, Uint8Array][];
      /**
       * Where to continue, or null when the range is exhausted. Forward: the next start
       * (inclusive). Reverse: the next end (exclusive).
       */
      readonly resume: Uint8Array | null;
    }
  | { readonly ok: false; readonly error: ReadError };

export interface ScanRequest {
  /** Inclusive user-key start; empty = from the beginning. */
  readonly start: Uint8Array;
  /** Exclusive user-key end; undefined = to the end. */
  readonly end: Uint8Array | undefined;
  readonly limit: number;
  readonly reverse: boolean;
}

/** The smallest key greater than k. */
export function keyAfter(k: Uint8Array): Uint8Array {
  const out = new Uint8Array(k.length + 1);
  out.set(k);
  return out;
}

function tooOld(ts: number, o: ReadOptions): ReadError | undefined {
  if (o.safePoint !== undefined && ts < o.safePoint)
    return { kind: "snapshotTooOld", ts, safePoint: o.safePoint };
  return undefined;
}

function blocks(lock: Lock, ts: number, o: ReadOptions): boolean {
  if ((o.bugs ?? NO_BUGS).ignoreLocksOnRead) return false;
  return lock.startTs <= ts && lock.op !== "lock" && !(o.ignoreLocksOf ?? []).includes(lock.startTs);
}

function pointLock(kv: KvReader, key: Uint8Array, ts: number, o: ReadOptions): LockInfo | undefined {
  const b = kv.get(lockKey(key));
  if (b === undefined) return undefined;
  const lock = decodeLock(b);
  return blocks(lock, ts, o) ? lockInfo(key, lock) : undefined;
}

function visibleValue(kv: KvReader, key: Uint8Array, ts: number): Uint8Array | null {
  const vw = visibleWrite(kv, key, ts);
  return vw?.write.kind === "put" ? vw.write.value : null;
}

export function txnGet(kv: KvReader, key: Uint8Array, ts: number, o: ReadOptions = {}): GetResult {
  const old = tooOld(ts, o);
  if (old) return { ok: false, error: old };
  const lock = pointLock(kv, key, ts, o);
  if (lock) return { ok: false, error: { kind: "locked", locks: [lock] } };
  return { ok: true, value: visibleValue(kv, key, ts) };
}

/** Values of the keys that exist at ts; every blocking lock is reported at once. */
export function txnBatchGet(
  kv: KvReader,
  keys: readonly Uint8Array[],
  ts: number,
  o: ReadOptions = {},
): BatchGetResult {
  const old = tooOld(ts, o);
  if (old) return { ok: false, error: old };
  const locks: LockInfo[] = [];
  const pairs: [Uint8Array, Uint8Array][] = [];
  for (const key of keys) {
    const lock = pointLock(kv, key, ts, o);
    if (lock) {
      locks.push(lock);
      continue;
    }
    const v = visibleValue(kv, key, ts);
    if (v !== null) pairs.push([key, v]);
  }
  if (locks.length > 0) return { ok: false, error: { kind: "locked", locks } };
  return { ok: true, pairs };
}

/**
 * One pass over the physical range. Forward, a key's columns arrive lock first, then writes
 * newest first; reverse, writes oldest first, then the lock — so reverse keeps the newest
 * visible version seen so far and emits it when the key ends.
 */
export function txnScan(kv: KvReader, req: ScanRequest, ts: number, o: ReadOptions = {}): ScanResult {
  const old = tooOld(ts, o);
  if (old) return { ok: false, error: old };
  const limit = Math.min(Math.max(req.limit, 1), MAX_SCAN_LIMIT);
  const range = physicalRange(req.start, req.end);
  const pairs: [Uint8Array, Uint8Array][] = [];
  let current: Uint8Array | undefined;
  let done = false; // forward: this key's visible version has been decided
  let candidate: Uint8Array | null = null; // reverse: newest visible value so far
  let work = 0;
  const finishReverseKey = (): boolean => {
    if (current !== undefined && candidate !== null) pairs.push([current, candidate]);
    candidate = null;
    return pairs.length >= limit;
  };
  const parser = new KeyParser();
  for (const [pk, pv] of kv.scan(range.start, range.end, MAX_SCAN_WORK_ENTRIES + 1, req.reverse)) {
    const p = parser.parse(pk);
    if (!p) continue;
    if (current === undefined || !bytesEqual(current, p.key)) {
      if (req.reverse && finishReverseKey()) return { ok: true, pairs, resume: current! };
      if (++work > MAX_SCAN_WORK_ENTRIES) {
        return { ok: true, pairs, resume: req.reverse ? keyAfter(p.key) : p.key };
      }
      current = p.key;
      done = false;
    } else if (++work > MAX_SCAN_WORK_ENTRIES) {
      // Mid-key: the key is read again from its start next time.
      return { ok: true, pairs, resume: req.reverse ? keyAfter(p.key) : p.key };
    }
    if (p.col === "lock") {
      const lock = decodeLock(pv);
      if (blocks(lock, ts, o))
        return { ok: false, error: { kind: "locked", locks: [lockInfo(p.key, lock)] } };
      continue;
    }
    if (p.col !== "write" || p.commitTs > ts || done) continue;
    const w = decodeWrite(pv);
    if (w.kind !== "put" && w.kind !== "delete") continue;
    if (req.reverse) {
      candidate = w.kind === "put" ? w.value : null;
      continue;
    }
    done = true;
    if (w.kind === "put" && w.value !== null) {
      pairs.push([p.key, w.value]);
      if (pairs.length >= limit) return { ok: true, pairs, resume: keyAfter(p.key) };
    }
  }
  if (req.reverse && finishReverseKey()) return { ok: true, pairs, resume: current! };
  return { ok: true, pairs, resume: null };
}

// ---- raw --------------------------------------------------------------------------------------

export function rawGet(kv: KvReader, key: Uint8Array, nowMs: number): Uint8Array | null {
  const b = kv.get(rawKey(key));
  if (b === undefined) return null;
  const v = decodeRaw(b);
  return rawLive(v, nowMs) ? v.value : null;
}

/** Live raw pairs in [start, end); same resume rules as txnScan. */
export function rawScan(kv: KvReader, req: ScanRequest, nowMs: number): ScanResult {
  const limit = Math.min(Math.max(req.limit, 1), MAX_SCAN_LIMIT);
  const range = physicalRange(req.start, req.end);
  const pairs: [Uint8Array, Uint8Array][] = [];
  let work = 0;
  const parser = new KeyParser();
  for (const [pk, pv] of kv.scan(range.start, range.end, MAX_SCAN_WORK_ENTRIES + 1, req.reverse)) {
    const p = parser.parse(pk);
    if (++work > MAX_SCAN_WORK_ENTRIES && p) {
      return { ok: true, pairs, resume: req.reverse ? keyAfter(p.key) : p.key };
    }
    if (p?.col !== "raw") continue;
    const v = decodeRaw(pv);
    if (!rawLive(v, nowMs)) continue;
    pairs.push([p.key, v.value]);
    if (pairs.length >= limit) return { ok: true, pairs, resume: req.reverse ? p.key : keyAfter(p.key) };
  }
  return { ok: true, pairs, resume: null };
}

// ---- locks for GC ---------------------------------------------------------------------------

export type ScanLocksResult = {
  readonly locks: readonly LockInfo[];
  /** Where to continue (a user key, inclusive), or null when [start, end) is done. */
  readonly resume: Uint8Array | null;
};

/**
 * Locks of txns that started at or below maxTs, in [start, end): the first phase of GC. Every
 * one must be resolved before versions at or below a safe point ≥ maxTs are collected — a
 * committed txn's secondary lock is rolled forward from its primary's commit record, which GC
 * could otherwise remove.
 */
export function scanLocks(
  kv: KvReader,
  start: Uint8Array,
  end: Uint8Array | undefined,
  maxTs: number,
  limit: number,
): ScanLocksResult {
  const range = physicalRange(start, end);
  const locks: LockInfo[] = [];
  const parser = new KeyParser();
  let work = 0;
  for (const [pk, pv] of kv.scan(range.start, range.end, MAX_SCAN_WORK_ENTRIES + 1, false)) {
    const p = parser.parse(pk);
    if (!p) continue;
    if (++work > MAX_SCAN_WORK_ENTRIES) return { locks, resume: p.key };
    if (p.col !== "lock") continue;
    const lock = decodeLock(pv);
    if (lock.startTs > maxTs) continue;
    locks.push(lockInfo(p.key, lock));
    if (locks.length >= Math.min(Math.max(limit, 1), MAX_SCAN_LIMIT))
      return { locks, resume: keyAfter(p.key) };
  }
  return { locks, resume: null };
}
