// applyCommand: the deterministic state transition of a region. Every replica applies the same
// entries with the same `nowMs` (stamped by the proposer into the entry), so every replica ends
// in the same state. Commands are all-or-nothing: any key error means nothing is written.

import assert from "node:assert/strict";
import { type EngineBugs, NO_BUGS } from "./bugs.ts";
import { bytesEqual, compareBytes } from "./byte-order.ts";
import type {
  CheckTxnStatusCommand,
  Command,
  CommandResult,
  CommitCommand,
  GcCommand,
  KeyError,
  PrewriteCommand,
  RawCasCommand,
  ResolveLockCommand,
  RollbackCommand,
  TxnHeartbeatCommand,
} from "./commands.ts";
import { KeyParser, lockKey, physicalRange, rawKey, writeKey } from "./keys.ts";
import type { KvReader, KvWriter } from "./kv.ts";
import { MAX_TS } from "./limits.ts";
import { loadLock, lockInfo, ownRecord, writesAtOrBelow } from "./mvcc.ts";
import { decodeRaw, decodeWrite, encodeLock, encodeRaw, encodeWrite, type Lock, rawLive } from "./records.ts";

export interface ApplyOptions {
  /**
   * The region's GC safe point (the highest `gc` safePoint it has applied; the store keeps it
   * with the region's metadata). A prewrite at or below it is refused: the rollback and commit
   * records that would have stopped it may already be collected.
   */
  readonly safePoint?: number;
  /**
   * The region's user range. The KvWriter sees the whole store's keyspace, so a `gc` (the only
   * range command) is clamped to it; without it, gc trusts its own start and end.
   */
  readonly range?: { readonly start: Uint8Array; readonly end: Uint8Array | undefined };
  readonly bugs?: EngineBugs;
}

export function applyCommand(
  kv: KvWriter,
  cmd: Command,
  nowMs: number,
  options: ApplyOptions = {},
): CommandResult {
  switch (cmd.type) {
    case "prewrite":
      return prewrite(kv, cmd, nowMs, options.bugs ?? NO_BUGS, options.safePoint ?? 0);
    case "commit":
      return commit(kv, cmd);
    case "rollback":
      return rollback(kv, cmd);
    case "checkTxnStatus":
      return checkTxnStatus(kv, cmd, nowMs);
    case "resolveLock":
      return resolveLock(kv, cmd);
    case "txnHeartbeat":
      return txnHeartbeat(kv, cmd, nowMs);
    case "rawPut":
      kv.put(rawKey(cmd.key), encodeRaw({ expiresAtMs: expiry(cmd.ttlMs, nowMs), value: cmd.value }));
      return { ok: true, type: "rawPut" };
    case "rawDelete": {
      const existed = rawGetLive(kv, cmd.key, nowMs) !== null;
      kv.delete(rawKey(cmd.key));
      return { ok: true, type: "rawDelete", existed };
    }
    case "rawCas":
      return rawCas(kv, cmd, nowMs);
    case "gc":
      return gc(kv, clampGc(cmd, options.range), nowMs);
  }
}

function expiry(ttlMs: number, nowMs: number): number {
  return ttlMs === 0 ? 0 : nowMs + ttlMs;
}

export function rawGetLive(kv: KvReader, key: Uint8Array, nowMs: number): Uint8Array | null {
  const b = kv.get(rawKey(key));
  if (b === undefined) return null;
  const v = decodeRaw(b);
  return rawLive(v, nowMs) ? v.value : null;
}

function rawCas(kv: KvWriter, cmd: RawCasCommand, nowMs: number): CommandResult {
  const current = rawGetLive(kv, cmd.key, nowMs);
  const matches =
    current === null || cmd.expected === null
      ? current === null && cmd.expected === null
      : bytesEqual(current, cmd.expected);
  if (!matches) return { ok: true, type: "rawCas", swapped: false, current };
  if (cmd.value === null) kv.delete(rawKey(cmd.key));
  else kv.put(rawKey(cmd.key), encodeRaw({ expiresAtMs: expiry(cmd.ttlMs, nowMs), value: cmd.value }));
  return { ok: true, type: "rawCas", swapped: true, current };
}

// ---- Percolator -------------------------------------------------------------------------------

function prewrite(
  kv: KvWriter,
  cmd: PrewriteCommand,
  nowMs: number,
  bugs: EngineBugs,
  safePoint: number,
): CommandResult {
  if (cmd.startTs <= safePoint) {
    const key = cmd.mutations[0]!.key;
    return {
      ok: false,
      type: "prewrite",
      errors: [{ kind: "startTsTooOld", key, startTs: cmd.startTs, safePoint }],
    };
  }
  const errors: KeyError[] = [];
  const toLock: PrewriteCommand["mutations"] = [];
  for (const m of cmd.mutations) {
    const lock = loadLock(kv, m.key);
    if (lock) {
      if (lock.startTs === cmd.startTs) continue; // a retried prewrite: already locked by us
      errors.push({ kind: "locked", key: m.key, lock: lockInfo(m.key, lock) });
      continue;
    }
    let skip = false;
    for (const { commitTs, write } of writesAtOrBelow(kv, m.key, MAX_TS)) {
      if (commitTs < cmd.startTs) break;
      if (write.startTs === cmd.startTs) {
        // Our own record: a rollback means we were resolved away; a commit means this
        // prewrite is a late duplicate of one that already went through.
        if (write.kind === "rollback") errors.push({ kind: "txnAborted", key: m.key, startTs: cmd.startTs });
        else skip = true;
        break;
      }
      if (write.kind === "rollback" || bugs.skipWriteConflictCheck) continue;
      errors.push({
        kind: "writeConflict",
        key: m.key,
        startTs: cmd.startTs,
        conflictStartTs: write.startTs,
        conflictCommitTs: commitTs,
      });
      break;
    }
    if (!skip) toLock.push(m);
  }
  if (errors.length > 0) return { ok: false, type: "prewrite", errors };
  for (const m of toLock) {
    const lock: Lock = {
      op: m.op,
      primary: cmd.primary,
      startTs: cmd.startTs,
      ttlMs: cmd.lockTtlMs,
      createdAtMs: nowMs,
      value: m.op === "put" ? m.value : null,
    };
    kv.put(lockKey(m.key), encodeLock(lock));
  }
  return { ok: true, type: "prewrite" };
}

function commitKey(kv: KvWriter, key: Uint8Array, lock: Lock, commitTs: number): void {
  assert.ok(commitTs > lock.startTs, "commit ts above start ts");
  kv.put(writeKey(key, commitTs), encodeWrite({ kind: lock.op, startTs: lock.startTs, value: lock.value }));
  kv.delete(lockKey(key));
}

function rollbackKey(kv: KvWriter, key: Uint8Array, startTs: number, hasLock: boolean): void {
  if (hasLock) kv.delete(lockKey(key));
  // Timestamps are unique, so a record already at startTs can only be our own rollback.
  const wk = writeKey(key, startTs);
  if (kv.get(wk) === undefined) kv.put(wk, encodeWrite({ kind: "rollback", startTs, value: null }));
}

function commit(kv: KvWriter, cmd: CommitCommand): CommandResult {
  const errors: KeyError[] = [];
  const todo: [Uint8Array, Lock][] = [];
  for (const key of cmd.keys) {
    const lock = loadLock(kv, key);
    if (lock?.startTs === cmd.startTs) {
      todo.push([key, lock]);
      continue;
    }
    const own = ownRecord(kv, key, cmd.startTs);
    if (own === undefined) errors.push({ kind: "lockNotFound", key, startTs: cmd.startTs });
    else if (own.write.kind === "rollback") errors.push({ kind: "txnAborted", key, startTs: cmd.startTs });
    // else: committed already (a retry) — nothing to do.
  }
  if (errors.length > 0) return { ok: false, type: "commit", errors };
  for (const [key, lock] of todo) commitKey(kv, key, lock, cmd.commitTs);
  return { ok: true, type: "commit" };
}

function rollback(kv: KvWriter, cmd: RollbackCommand): CommandResult {
  const errors: KeyError[] = [];
  const todo: [Uint8Array, boolean][] = [];
  for (const key of cmd.keys) {
    const lock = loadLock(kv, key);
    if (lock?.startTs === cmd.startTs) {
      todo.push([key, true]);
      continue;
    }
    const own = ownRecord(kv, key, cmd.startTs);
    if (own && own.write.kind !== "rollback") {
      errors.push({ kind: "alreadyCommitted", key, startTs: cmd.startTs, commitTs: own.commitTs });
      continue;
    }
    if (!own) todo.push([key, false]);
  }
  if (errors.length > 0) return { ok: false, type: "rollback", errors };
  for (const [key, hasLock] of todo) rollbackKey(kv, key, cmd.startTs, hasLock);
  return { ok: true, type: "rollback" };
}

function checkTxnStatus(kv: KvWriter, cmd: CheckTxnStatusCommand, nowMs: number): CommandResult {
  const lock = loadLock(kv, cmd.primary);
  if (lock?.startTs === cmd.startTs) {
    const expiresAtMs = lock.createdAtMs + lock.ttlMs;
    if (nowMs < expiresAtMs) {
      return {
        ok: true,
        type: "checkTxnStatus",
        status: { state: "locked", lock: lockInfo(cmd.primary, lock), expiresAtMs },
      };
    }
    rollbackKey(kv, cmd.primary, cmd.startTs, true);
    return { ok: true, type: "checkTxnStatus", status: { state: "rolledBack" } };
  }
  const own = ownRecord(kv, cmd.primary, cmd.startTs);
  if (own) {
    return {
      ok: true,
      type: "checkTxnStatus",
      status:
        own.write.kind === "rollback"
          ? { state: "rolledBack" }
          : { state: "committed", commitTs: own.commitTs },
    };
  }
  if (!cmd.rollbackIfNotExist) {
    return {
      ok: false,
      type: "checkTxnStatus",
      errors: [{ kind: "txnNotFound", key: cmd.primary, startTs: cmd.startTs }],
    };
  }
  rollbackKey(kv, cmd.primary, cmd.startTs, false);
  return { ok: true, type: "checkTxnStatus", status: { state: "rolledBack" } };
}

function resolveLock(kv: KvWriter, cmd: ResolveLockCommand): CommandResult {
  let resolved = 0;
  for (const key of cmd.keys) {
    const lock = loadLock(kv, key);
    if (lock?.startTs !== cmd.startTs) continue; // resolved already, or another txn's lock
    if (cmd.commitTs === 0) rollbackKey(kv, key, cmd.startTs, true);
    else commitKey(kv, key, lock, cmd.commitTs);
    resolved++;
  }
  return { ok: true, type: "resolveLock", resolved };
}

function txnHeartbeat(kv: KvWriter, cmd: TxnHeartbeatCommand, nowMs: number): CommandResult {
  const lock = loadLock(kv, cmd.primary);
  if (lock?.startTs !== cmd.startTs) {
    const own = ownRecord(kv, cmd.primary, cmd.startTs);
    const error: KeyError =
      own?.write.kind === "rollback"
        ? { kind: "txnAborted", key: cmd.primary, startTs: cmd.startTs }
        : { kind: "lockNotFound", key: cmd.primary, startTs: cmd.startTs };
    return { ok: false, type: "txnHeartbeat", errors: [error] };
  }
  const ttlMs = Math.max(lock.ttlMs, nowMs - lock.createdAtMs + cmd.lockTtlMs);
  kv.put(lockKey(cmd.primary), encodeLock({ ...lock, ttlMs }));
  return { ok: true, type: "txnHeartbeat" };
}

// ---- garbage collection -----------------------------------------------------------------------

function clampGc(cmd: GcCommand, range: ApplyOptions["range"]): GcCommand {
  if (!range) return cmd;
  const start = compareBytes(cmd.start, range.start) >= 0 ? cmd.start : range.start;
  let end = cmd.end ?? range.end ?? null;
  if (end !== null && range.end !== undefined && compareBytes(end, range.end) > 0) end = range.end;
  return { ...cmd, start, end };
}

function gc(kv: KvWriter, cmd: GcCommand, nowMs: number): CommandResult {
  if (cmd.end !== null && compareBytes(cmd.start, cmd.end) >= 0)
    return { ok: true, type: "gc", removed: 0, next: null };
  const range = physicalRange(cmd.start, cmd.end ?? undefined);
  const deletes: Uint8Array[] = [];
  let current: Uint8Array | undefined;
  let firstKey: Uint8Array | undefined;
  /** The newest put/delete at or below the safe point has been seen for `current`. */
  let baseSeen = false;
  let visited = 0;
  let next: Uint8Array | null = null;
  const parser = new KeyParser();
  for (const [pk, pv] of kv.scan(range.start, range.end, Number.MAX_SAFE_INTEGER, false)) {
    const p = parser.parse(pk);
    if (!p) continue;
    if (current === undefined || !bytesEqual(current, p.key)) {
      // Stop only between user keys (a key's versions are judged together); the first key is
      // always finished so that a key with more versions than `limit` still makes progress.
      if (visited >= cmd.limit && firstKey !== undefined && !bytesEqual(firstKey, p.key)) {
        next = p.key;
        break;
      }
      current = p.key;
      firstKey ??= p.key;
      baseSeen = false;
    }
    visited++;
    if (p.col === "raw") {
      if (!rawLive(decodeRaw(pv), nowMs)) deletes.push(pk);
      continue;
    }
    if (p.col !== "write" || p.commitTs > cmd.safePoint) continue;
    const w = decodeWrite(pv);
    if (w.kind === "rollback" || w.kind === "lock" || baseSeen) {
      deletes.push(pk);
      continue;
    }
    // The version every snapshot at or above the safe point sees: keep a put, drop a delete.
    baseSeen = true;
    if (w.kind === "delete") deletes.push(pk);
  }
  for (const k of deletes) kv.delete(k);
  return { ok: true, type: "gc", removed: deletes.length, next };
}
