// One snapshot-isolation transaction: reads at startTs (resolving locks of crashed or finished
// txns on the way), writes buffered in memory, and a Percolator two-phase commit — prewrite the
// primary's region first, then the others in parallel; take a commit ts; commit the primary
// (the commit point); then the secondaries.

import { ApiError } from "../../core/errors.ts";
import { compareBytes } from "../engine/byte-order.ts";
import { type KeyError, keySchema, type LockInfo, type Mutation, valueSchema } from "../engine/commands.ts";
import { MAX_SCAN_LIMIT } from "../engine/limits.ts";
import type { ReadError } from "../engine/read.ts";
import {
  CommitUnknownError,
  LockConflictError,
  RegionUnavailableError,
  SnapshotTooOldError,
  TxnAbortedError,
  TxnClosedError,
  WriteConflictError,
} from "./errors.ts";
import type { LockResolver } from "./lock-resolver.ts";
import type { RegionCalls } from "./region-calls.ts";

/** What the metadata layer (and any caller) needs of a transaction. */
export interface KvTransaction {
  readonly startTs: number;
  get(key: Uint8Array): Promise<Uint8Array | null>;
  /** Values aligned with `keys` (null: absent). */
  batchGet(keys: readonly Uint8Array[]): Promise<(Uint8Array | null)[]>;
  scan(
    start: Uint8Array,
    end: Uint8Array | undefined,
    opts: ScanOptions,
  ): Promise<[Uint8Array, Uint8Array][]>;
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  /** Take a write lock without writing: a concurrent writer of `key` then conflicts (write-skew guard). */
  lockKey(key: Uint8Array): void;
}

export interface ScanOptions {
  readonly limit: number;
  readonly reverse?: boolean;
}

const hexOf = (k: Uint8Array) => Buffer.from(k).toString("hex");

/** Rounds of lock resolution one read or prewrite goes through before it gives up. */
export const MAX_LOCK_ROUNDS = 64;

function validKey(key: Uint8Array): Uint8Array {
  const r = keySchema.safeParse(key);
  if (!r.success) throw new ApiError("InvalidArgument", `bad key: ${r.error.issues[0]?.message}`);
  return key;
}

export class Transaction implements KvTransaction {
  private readonly buffer = new Map<string, Mutation>();
  private state: "open" | "committing" | "done" = "open";

  constructor(
    private readonly calls: RegionCalls,
    private readonly resolver: LockResolver,
    readonly startTs: number,
    private readonly readOnly = false,
    /** Told once when the txn commits, fails or is rolled back (the client's active-txn registry). */
    private readonly onClose: (startTs: number) => void = () => {},
  ) {}

  private finish(): void {
    if (this.state === "done") return;
    this.state = "done";
    this.onClose(this.startTs);
  }

  // ---- reads ----------------------------------------------------------------------------------

  private checkOpen(): void {
    if (this.state !== "open") throw new TxnClosedError(this.startTs);
  }

  /** Runs a read until it meets no live lock, resolving finished ones; bounded wait on live ones. */
  private async withLocks<T>(
    read: () => Promise<{ ok: true; v: T } | { ok: false; error: ReadError }>,
  ): Promise<T> {
    const waited = { ms: 0 };
    for (let attempt = 0; ; attempt++) {
      const r = await read();
      if (r.ok) return r.v;
      if (r.error.kind === "snapshotTooOld") throw new SnapshotTooOldError(r.error.ts, r.error.safePoint);
      await this.resolveOrWait(r.error.locks, attempt, waited);
    }
  }

  /**
   * Resolves the locks met; if some belong to live txns, backs off. Gives up with a
   * LockConflictError after maxLockWaitMs of waiting or MAX_LOCK_ROUNDS rounds (new locks may
   * keep appearing on a hot key even when each one is resolvable).
   */
  private async resolveOrWait(
    locks: readonly LockInfo[],
    attempt: number,
    waited: { ms: number },
  ): Promise<void> {
    if (attempt >= MAX_LOCK_ROUNDS) throw lockConflict(locks[0]!);
    const pending = await this.resolver.resolve(locks);
    if (pending.length === 0) return;
    if (waited.ms >= this.calls.o.maxLockWaitMs) throw lockConflict(pending[0]!);
    const ms = this.calls.backoff(attempt);
    waited.ms += ms;
    await this.calls.o.sleep(ms);
  }

  async get(key: Uint8Array): Promise<Uint8Array | null> {
    this.checkOpen();
    validKey(key);
    const m = this.buffer.get(hexOf(key));
    if (m?.op === "put") return m.value;
    if (m?.op === "delete") return null;
    return this.withLocks(async () => {
      const r = await this.calls.read({ op: "get", key, ts: this.startTs });
      return r.ok ? { ok: true, v: r.value } : r;
    });
  }

  async batchGet(keys: readonly Uint8Array[]): Promise<(Uint8Array | null)[]> {
    this.checkOpen();
    const found = new Map<string, Uint8Array>();
    const fromStore = keys.filter((k) => {
      validKey(k);
      const m = this.buffer.get(hexOf(k));
      return m === undefined || m.op === "lock";
    });
    if (fromStore.length > 0) {
      await this.calls.grouped(fromStore, async (group) => {
        const pairs = await this.withLocks(async () => {
          const r = await this.calls.read({ op: "batchGet", keys: group, ts: this.startTs });
          return r.ok ? { ok: true, v: r.pairs } : r;
        });
        for (const [k, v] of pairs) found.set(hexOf(k), v);
      });
    }
    return keys.map((k) => {
      const m = this.buffer.get(hexOf(k));
      if (m?.op === "put") return m.value;
      if (m?.op === "delete") return null;
      return found.get(hexOf(k)) ?? null;
    });
  }

  /** Store pairs of [start, end) at startTs, across regions, up to `limit`. */
  private async scanStore(
    start: Uint8Array,
    end: Uint8Array | undefined,
    limit: number,
    reverse: boolean,
  ): Promise<[Uint8Array, Uint8Array][]> {
    const out: [Uint8Array, Uint8Array][] = [];
    let s = start;
    let e = end;
    while (out.length < limit) {
      const want = limit - out.length;
      const r = await this.withLocks(async () => {
        const res = await this.calls.read({
          op: "scan",
          start: s,
          end: e,
          limit: want,
          reverse,
          ts: this.startTs,
        });
        return res.ok ? { ok: true, v: res } : res;
      });
      out.push(...r.pairs);
      if (r.resume === null) break;
      if (reverse) e = r.resume;
      else s = r.resume;
      if (e !== undefined && compareBytes(s, e) >= 0) break;
    }
    return out;
  }

  async scan(
    start: Uint8Array,
    end: Uint8Array | undefined,
    opts: ScanOptions,
  ): Promise<[Uint8Array, Uint8Array][]> {
    this.checkOpen();
    const limit = Math.min(Math.max(1, opts.limit), MAX_SCAN_LIMIT);
    const reverse = opts.reverse ?? false;
    const inRange = (k: Uint8Array) =>
      compareBytes(k, start) >= 0 && (end === undefined || compareBytes(k, end) < 0);
    const mine = [...this.buffer.values()].filter((m) => m.op !== "lock" && inRange(m.key));
    const deletes = mine.filter((m) => m.op === "delete").length;
    // Buffered deletes may hide up to that many store pairs, so fetch that many more.
    const stored = await this.scanStore(start, end, Math.min(limit + deletes, MAX_SCAN_LIMIT), reverse);
    const merged = new Map<string, [Uint8Array, Uint8Array]>();
    for (const [k, v] of stored) merged.set(hexOf(k), [k, v]);
    for (const m of mine) {
      if (m.op === "put") merged.set(hexOf(m.key), [m.key, m.value]);
      else merged.delete(hexOf(m.key));
    }
    const sorted = [...merged.values()].sort((a, b) => compareBytes(a[0], b[0]));
    if (reverse) sorted.reverse();
    return sorted.slice(0, limit);
  }

  // ---- writes ---------------------------------------------------------------------------------

  private buffered(m: Mutation): void {
    this.checkOpen();
    if (this.readOnly)
      throw new ApiError("FailedPrecondition", `txn at ${this.startTs} is a read-only snapshot`);
    validKey(m.key);
    const id = hexOf(m.key);
    if (!this.buffer.has(id) && this.buffer.size >= this.calls.o.maxBufferedKeys) {
      throw new ApiError(
        "InvalidArgument",
        `txn ${this.startTs} buffers more than ${this.calls.o.maxBufferedKeys} keys; split it into smaller txns`,
      );
    }
    const prev = this.buffer.get(id);
    // A lock never downgrades a pending write.
    if (m.op === "lock" && prev !== undefined) return;
    this.buffer.set(id, m);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    const r = valueSchema.safeParse(value);
    if (!r.success) throw new ApiError("InvalidArgument", `bad value: ${r.error.issues[0]?.message}`);
    this.buffered({ op: "put", key: key.slice(), value: value.slice() });
  }

  delete(key: Uint8Array): void {
    this.buffered({ op: "delete", key: key.slice() });
  }

  lockKey(key: Uint8Array): void {
    this.buffered({ op: "lock", key: key.slice() });
  }

  get mutationCount(): number {
    return this.buffer.size;
  }

  rollback(): void {
    // Nothing reached the store before commit(), so dropping the buffer is the whole rollback.
    this.finish();
    this.buffer.clear();
  }

  // ---- commit ---------------------------------------------------------------------------------

  /** Commits and returns the commit ts (the start ts for a txn that wrote nothing). */
  async commit(): Promise<number> {
    this.checkOpen();
    this.state = "committing";
    const mutations = [...this.buffer.values()].sort((a, b) => compareBytes(a.key, b.key));
    if (mutations.length === 0) {
      this.finish();
      return this.startTs;
    }
    const primary = mutations[0]!.key;
    const byKey = new Map(mutations.map((m) => [hexOf(m.key), m]));
    const allKeys = mutations.map((m) => m.key);
    try {
      const groups = await this.calls.router.groupByRegion(allKeys).catch(() => [allKeys]);
      const primaryGroup = groups.find((g) => g.some((k) => compareBytes(k, primary) === 0)) ?? [primary];
      const primaryIds = new Set(primaryGroup.map(hexOf));
      await this.prewrite(primaryGroup, primary, byKey);
      const rest = allKeys.filter((k) => !primaryIds.has(hexOf(k)));
      if (rest.length > 0) await this.prewrite(rest, primary, byKey);
    } catch (e) {
      await this.abandon(allKeys);
      throw e;
    }
    let commitTs: number;
    try {
      commitTs = await this.calls.tso();
    } catch (e) {
      await this.abandon(allKeys);
      throw e;
    }
    await this.commitPrimary(primary, commitTs, allKeys);
    this.finish();
    const secondaries = allKeys.filter((k) => compareBytes(k, primary) !== 0);
    if (secondaries.length > 0) {
      // The txn is committed now; a secondary that fails here is rolled forward by readers.
      const done = this.calls
        .grouped(secondaries, async (keys) => {
          await this.calls.execute(keys[0]!, { type: "commit", keys, startTs: this.startTs, commitTs });
        })
        .catch(() => undefined);
      if (this.calls.o.awaitSecondaries) await done;
    }
    return commitTs;
  }

  private async prewrite(
    keys: readonly Uint8Array[],
    primary: Uint8Array,
    byKey: Map<string, Mutation>,
  ): Promise<void> {
    await this.calls.grouped(keys, async (group) => {
      const waited = { ms: 0 };
      for (let attempt = 0; ; attempt++) {
        const r = await this.calls.execute(group[0]!, {
          type: "prewrite",
          mutations: group.map((k) => byKey.get(hexOf(k))!),
          primary,
          startTs: this.startTs,
          lockTtlMs: this.calls.o.lockTtlMs,
        });
        if (r.ok) return;
        const locks: LockInfo[] = [];
        for (const err of r.errors) {
          if (err.kind === "locked") locks.push(err.lock);
          else throw this.keyErrorToTxnError(err);
        }
        await this.resolveOrWait(locks, attempt, waited);
      }
    });
  }

  private keyErrorToTxnError(err: KeyError): Error {
    switch (err.kind) {
      case "writeConflict":
        return new WriteConflictError(err.key, err.startTs, err.conflictStartTs, err.conflictCommitTs);
      case "startTsTooOld":
        return new TxnAbortedError(this.startTs, `it outlived the GC safe point ${err.safePoint}`);
      case "txnAborted":
      case "lockNotFound":
        return new TxnAbortedError(
          this.startTs,
          `its lock on ${hexOf(err.key)} was resolved by another client`,
        );
      default:
        return new ApiError("Internal", `unexpected ${err.kind} for txn ${this.startTs}`);
    }
  }

  private async commitPrimary(primary: Uint8Array, commitTs: number, allKeys: Uint8Array[]): Promise<void> {
    let r: Awaited<ReturnType<RegionCalls["execute"]>>;
    try {
      r = await this.calls.execute(primary, {
        type: "commit",
        keys: [primary],
        startTs: this.startTs,
        commitTs,
      });
    } catch (e) {
      this.finish();
      if (e instanceof RegionUnavailableError)
        throw new CommitUnknownError(this.startTs, commitTs, e.message);
      throw e;
    }
    if (!r.ok) {
      this.finish();
      await this.abandon(allKeys);
      throw this.keyErrorToTxnError(r.errors[0]!);
    }
  }

  /** Best-effort cleanup of a txn that will not commit: its locks would otherwise wait for TTL. */
  private async abandon(keys: readonly Uint8Array[]): Promise<void> {
    this.finish();
    await this.calls
      .grouped(keys, async (group) => {
        await this.calls.execute(group[0]!, { type: "rollback", keys: group, startTs: this.startTs });
      })
      .catch(() => undefined);
  }
}

function lockConflict(l: LockInfo): LockConflictError {
  return new LockConflictError(l.key, l.startTs, l.primary);
}
