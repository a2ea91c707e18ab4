// Lookups in one user key's columns, shared by apply and read.

import type { LockInfo } from "./commands.ts";
import { lockKey, readTsDesc, writeRange } from "./keys.ts";
import type { KvReader } from "./kv.ts";
import { MAX_TS } from "./limits.ts";
import { decodeLock, decodeWrite, type Lock, type WriteRecord } from "./records.ts";

export function loadLock(kv: KvReader, key: Uint8Array): Lock | undefined {
  const b = kv.get(lockKey(key));
  return b === undefined ? undefined : decodeLock(b);
}

export function lockInfo(key: Uint8Array, l: Lock): LockInfo {
  return {
    key,
    primary: l.primary,
    startTs: l.startTs,
    op: l.op,
    ttlMs: l.ttlMs,
    createdAtMs: l.createdAtMs,
  };
}

export interface VersionedWrite {
  readonly commitTs: number;
  readonly write: WriteRecord;
}

/** Write records of `key` with commit ts ≤ maxTs, newest first (lazy). */
export function* writesAtOrBelow(kv: KvReader, key: Uint8Array, maxTs: number): Iterable<VersionedWrite> {
  const range = writeRange(key, maxTs);
  const len = range.tsAt + 8;
  for (const [pk, pv] of kv.scan(range.start, range.end, Number.MAX_SAFE_INTEGER, false)) {
    if (pk.length !== len) continue; // not a write record of this key (a foreign key in the range)
    yield { commitTs: readTsDesc(pk, range.tsAt), write: decodeWrite(pv) };
  }
}

/** The newest put or delete visible at ts (rollback and lock records hide nothing). */
export function visibleWrite(kv: KvReader, key: Uint8Array, ts: number): VersionedWrite | undefined {
  for (const vw of writesAtOrBelow(kv, key, ts)) {
    if (vw.write.kind === "put" || vw.write.kind === "delete") return vw;
  }
  return undefined;
}

/**
 * This txn's own record on `key` (a commit or a rollback), found among records with commit
 * ts ≥ startTs: a commit record sits at its commit ts, a rollback record at startTs.
 */
export function ownRecord(kv: KvReader, key: Uint8Array, startTs: number): VersionedWrite | undefined {
  for (const vw of writesAtOrBelow(kv, key, MAX_TS)) {
    if (vw.commitTs < startTs) return undefined;
    if (vw.write.startTs === startTs) return vw;
  }
  return undefined;
}
