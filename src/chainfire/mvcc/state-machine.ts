// The MVCC key-value state machine, pure: apply(index, command) mutates in-memory state and
// returns the result, the changes to persist and the watch events. No I/O, no clock: the same
// log of commands applied on every member gives the same state, which is what lets Raft
// replicate it. A command that fails validation changes nothing and returns its error.
import assert from "node:assert/strict";
import { EtcdError, etcdErrors } from "../etcd-errors.ts";
import { MAX_LEASES, MAX_TXN_DEPTH, MAX_TXN_OPS } from "../limits.ts";
import { inSpan, type KeySpan, lowerBound, spanOf, toKeyString } from "./key-range.ts";
import type {
  Command,
  CommandResult,
  Compare,
  DeleteRangeRequest,
  DeleteRangeResult,
  Event,
  KeyValue,
  Member,
  PutRequest,
  PutResult,
  RangeRequest,
  RangeResult,
  RequestOp,
  ResponseOp,
  TxnRequest,
  TxnResult,
} from "./types.ts";

/** One stored version of a key; a tombstone marks a delete. `sub` orders changes within a revision. */
export interface StoredVersion {
  rev: number;
  sub: number;
  kv: KeyValue;
  tombstone: boolean;
}

export interface LeaseRecord {
  id: number;
  ttlSeconds: number;
  /** Keys (latin1) currently attached. Derived state: rebuilt from versions on load. */
  keys: Set<string>;
}

/** What the durable shell writes for one applied command, in one transaction. */
export type Change =
  | { type: "version"; v: StoredVersion }
  | { type: "dropVersion"; rev: number; sub: number }
  | { type: "lease"; id: number; ttlSeconds: number }
  | { type: "dropLease"; id: number }
  | { type: "member"; member: Member }
  | { type: "dropMember"; id: string };

export interface ApplyOutcome {
  index: number;
  result?: CommandResult;
  error?: EtcdError;
  changes: Change[];
  events: Event[];
  /** Store revision after the command. */
  revision: number;
}

export interface Meta {
  revision: number;
  compactRevision: number;
  appliedIndex: number;
}

/** A write in progress: all its changes share the main revision `main`. */
interface WriteCtx {
  main: number;
  sub: number;
  changes: Change[];
  events: Event[];
}

export class MvccState {
  private readonly keys = new Map<string, StoredVersion[]>();
  /** Keys with any retained version, sorted: the ordered index for ranges. */
  private sorted: string[] = [];
  private readonly leases = new Map<number, LeaseRecord>();
  private readonly members = new Map<string, Member>();
  revision = 0;
  compactRevision = 0;
  appliedIndex = 0;

  // ---- loading (restart) ----

  /** Restores state from what the shell persisted; versions must come in (rev, sub) order. */
  static restore(
    meta: Meta,
    versions: Iterable<StoredVersion>,
    leases: Iterable<[number, number]>,
    members: Iterable<Member>,
  ): MvccState {
    const s = new MvccState();
    s.revision = meta.revision;
    s.compactRevision = meta.compactRevision;
    s.appliedIndex = meta.appliedIndex;
    for (const [id, ttlSeconds] of leases) s.leases.set(id, { id, ttlSeconds, keys: new Set() });
    for (const m of members) s.members.set(m.id, m);
    const touched: string[] = [];
    for (const v of versions) {
      const k = toKeyString(v.kv.key);
      let list = s.keys.get(k);
      if (!list) {
        list = [];
        s.keys.set(k, list);
        touched.push(k);
      }
      list.push(v);
    }
    s.sorted = touched.sort();
    for (const [k, list] of s.keys) {
      const last = list.at(-1)!;
      if (!last.tombstone && last.kv.lease) s.leases.get(last.kv.lease)?.keys.add(k);
    }
    return s;
  }

  // ---- reads ----

  range(req: RangeRequest, atRevision?: number): RangeResult {
    const rev = req.revision && req.revision > 0 ? req.revision : (atRevision ?? this.revision);
    if (rev > this.revision && atRevision === undefined) throw etcdErrors.futureRev();
    if (rev < this.compactRevision) throw etcdErrors.compacted();
    let kvs = this.liveIn(spanOf(req.key, req.rangeEnd), rev);
    const count = kvs.length;
    kvs = kvs.filter(
      (kv) =>
        (!req.minModRevision || kv.modRevision >= req.minModRevision) &&
        (!req.maxModRevision || kv.modRevision <= req.maxModRevision) &&
        (!req.minCreateRevision || kv.createRevision >= req.minCreateRevision) &&
        (!req.maxCreateRevision || kv.createRevision <= req.maxCreateRevision),
    );
    sortKvs(kvs, req.sortOrder ?? "NONE", req.sortTarget ?? "KEY");
    let more = false;
    if (req.limit && req.limit > 0 && kvs.length > req.limit) {
      kvs = kvs.slice(0, req.limit);
      more = true;
    }
    if (req.countOnly) return { kvs: [], more, count };
    if (req.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: Buffer.alloc(0) }));
    return { kvs, more, count };
  }

  /** The live versions in `span` at revision `rev`, in key order. */
  private liveIn(span: KeySpan, rev: number): KeyValue[] {
    const out: KeyValue[] = [];
    if (span.end === undefined) {
      const kv = this.versionAt(span.start, rev);
      if (kv) out.push(kv);
      return out;
    }
    for (let i = lowerBound(this.sorted, span.start); i < this.sorted.length; i++) {
      const k = this.sorted[i]!;
      if (span.end !== null && k >= span.end) break;
      const kv = this.versionAt(k, rev);
      if (kv) out.push(kv);
    }
    return out;
  }

  private versionAt(k: string, rev: number): KeyValue | undefined {
    const list = this.keys.get(k);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const v = list[i]!;
      if (v.rev <= rev) return v.tombstone ? undefined : v.kv;
    }
    return undefined;
  }

  /**
   * Changes with revision >= fromRev in `span`, in (revision, sub) order, each with the
   * version it replaced: what a watch from a past revision replays.
   */
  history(span: KeySpan, fromRev: number, toRev = this.revision): Event[] {
    if (fromRev < this.compactRevision) throw etcdErrors.compacted();
    const found: Array<{ v: StoredVersion; prev: StoredVersion | undefined }> = [];
    const visit = (k: string) => {
      const list = this.keys.get(k);
      if (!list) return;
      for (let i = list.length - 1; i >= 0; i--) {
        const v = list[i]!;
        if (v.rev < fromRev) break;
        if (v.rev <= toRev) found.push({ v, prev: list[i - 1] });
      }
    };
    if (span.end === undefined) visit(span.start);
    else {
      for (let i = lowerBound(this.sorted, span.start); i < this.sorted.length; i++) {
        const k = this.sorted[i]!;
        if (span.end !== null && k >= span.end) break;
        visit(k);
      }
    }
    found.sort((a, b) => a.v.rev - b.v.rev || a.v.sub - b.v.sub);
    return found.map(({ v, prev }) => toEvent(v, prev));
  }

  lease(id: number): { id: number; ttlSeconds: number; keys: Buffer[] } | undefined {
    const l = this.leases.get(id);
    if (!l) return undefined;
    return { id, ttlSeconds: l.ttlSeconds, keys: [...l.keys].sort().map((k) => Buffer.from(k, "latin1")) };
  }

  leaseIds(): number[] {
    return [...this.leases.keys()];
  }

  /** Every retained version, key by key (for snapshots). */
  *allVersions(): Generator<StoredVersion> {
    for (const list of this.keys.values()) yield* list;
  }

  memberList(): Member[] {
    return [...this.members.values()];
  }

  keyCount(): number {
    return this.sorted.length;
  }

  /** A hash over every live key-value at `rev` (etcd's HashKV, for comparing members). */
  hashKV(rev = this.revision): number {
    let h = 0x811c9dc5;
    const mix = (n: number) => {
      h ^= n & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    };
    for (const kv of this.liveIn({ start: "", end: null }, rev)) {
      for (const b of kv.key) mix(b);
      for (const b of kv.value) mix(b);
      for (const n of [kv.createRevision, kv.modRevision, kv.version, kv.lease]) {
        for (let x = n, i = 0; i < 8; i++, x = Math.floor(x / 256)) mix(x);
      }
    }
    return h;
  }

  // ---- writes ----

  /** Applies the command at log position `index`. Every member gets the same outcome. */
  apply(index: number, cmd: Command): ApplyOutcome {
    assert.ok(index > this.appliedIndex, `log index ${index} applied after ${this.appliedIndex}`);
    const ctx: WriteCtx = { main: this.revision + 1, sub: 0, changes: [], events: [] };
    let result: CommandResult | undefined;
    let error: EtcdError | undefined;
    try {
      result = this.dispatch(cmd, ctx);
    } catch (err) {
      // Validation runs before any mutation, so an error here leaves the state untouched.
      if (!(err instanceof EtcdError)) throw err;
      assert.equal(ctx.changes.length, 0, "a failed command must not have changed anything");
      error = err;
    }
    if (ctx.sub > 0) this.revision = ctx.main;
    this.appliedIndex = index;
    return { index, result, error, changes: ctx.changes, events: ctx.events, revision: this.revision };
  }

  private dispatch(cmd: Command, ctx: WriteCtx): CommandResult {
    switch (cmd.op) {
      case "put":
        checkPut(cmd.req);
        this.checkPutAgainstState(cmd.req);
        return { op: "put", put: this.put(cmd.req, ctx) };
      case "deleteRange":
        checkDelete(cmd.req);
        return { op: "deleteRange", deleteRange: this.deleteRange(cmd.req, ctx) };
      case "txn":
        checkTxnShape(cmd.req, 0);
        this.checkTxnAgainstState(cmd.req);
        return { op: "txn", txn: this.txn(cmd.req, ctx) };
      case "compact":
        return this.compact(cmd.revision, ctx);
      case "leaseGrant":
        return this.leaseGrant(cmd.id, cmd.ttlSeconds, ctx);
      case "leaseRevoke":
        return this.leaseRevoke(cmd.id, ctx);
      case "memberAdd":
        return this.memberAdd(cmd.member, ctx);
      case "memberRemove":
        return this.memberRemove(cmd.id, ctx);
      case "memberUpdate":
        return this.memberUpdate(cmd.id, cmd.peerURLs, ctx);
      case "memberAttrs":
        return this.memberAttrs(cmd.id, cmd.name, cmd.clientURLs, ctx);
      case "memberPromote":
        return this.memberPromote(cmd.id, ctx);
    }
  }

  /** Reads inside a write see the write's own earlier changes, as in etcd. */
  private readRev(ctx: WriteCtx): number {
    return ctx.sub > 0 ? ctx.main : this.revision;
  }

  private checkPutAgainstState(req: PutRequest, ctx?: WriteCtx): void {
    if (req.lease && !this.leases.has(req.lease)) throw etcdErrors.leaseNotFound();
    if (req.ignoreValue || req.ignoreLease) {
      const rev = ctx ? this.readRev(ctx) : this.revision;
      if (!this.versionAt(toKeyString(req.key), rev)) throw etcdErrors.keyNotFound();
    }
  }

  private put(req: PutRequest, ctx: WriteCtx): PutResult {
    const k = toKeyString(req.key);
    const prev = this.versionAt(k, this.readRev(ctx));
    const value = req.ignoreValue
      ? (prev?.value ?? Buffer.alloc(0))
      : Buffer.from(req.value ?? Buffer.alloc(0));
    const lease = req.ignoreLease ? (prev?.lease ?? 0) : (req.lease ?? 0);
    const kv: KeyValue = {
      key: Buffer.from(req.key),
      createRevision: prev ? prev.createRevision : ctx.main,
      modRevision: ctx.main,
      version: prev ? prev.version + 1 : 1,
      value,
      lease,
    };
    if (prev?.lease && prev.lease !== lease) this.leases.get(prev.lease)?.keys.delete(k);
    if (lease) this.leases.get(lease)?.keys.add(k);
    this.append(k, { rev: ctx.main, sub: ctx.sub, kv, tombstone: false }, ctx);
    return req.prevKv && prev ? { prevKv: prev } : {};
  }

  private deleteRange(req: DeleteRangeRequest, ctx: WriteCtx): DeleteRangeResult {
    const live = this.liveIn(spanOf(req.key, req.rangeEnd), this.readRev(ctx));
    for (const prev of live) this.tombstone(prev, ctx);
    return { deleted: live.length, prevKvs: req.prevKv ? live : [] };
  }

  private tombstone(prev: KeyValue, ctx: WriteCtx): void {
    const k = toKeyString(prev.key);
    if (prev.lease) this.leases.get(prev.lease)?.keys.delete(k);
    const kv: KeyValue = {
      key: prev.key,
      createRevision: 0,
      modRevision: ctx.main,
      version: 0,
      value: Buffer.alloc(0),
      lease: 0,
    };
    this.append(k, { rev: ctx.main, sub: ctx.sub, kv, tombstone: true }, ctx);
  }

  private append(k: string, v: StoredVersion, ctx: WriteCtx): void {
    let list = this.keys.get(k);
    if (!list) {
      list = [];
      this.keys.set(k, list);
      this.sorted.splice(lowerBound(this.sorted, k), 0, k);
    }
    const prev = list.at(-1);
    list.push(v);
    ctx.sub++;
    ctx.changes.push({ type: "version", v });
    ctx.events.push(toEvent(v, prev));
  }

  private txn(req: TxnRequest, ctx: WriteCtx): TxnResult {
    const rev = this.readRev(ctx);
    const succeeded = req.compare.every((c) => this.compare(c, rev));
    const ops = succeeded ? req.success : req.failure;
    const responses: ResponseOp[] = ops.map((op) => this.op(op, ctx));
    return { succeeded, responses };
  }

  private op(op: RequestOp, ctx: WriteCtx): ResponseOp {
    if ("range" in op)
      return { range: this.range({ ...op.range, revision: op.range.revision || 0 }, this.readRev(ctx)) };
    if ("put" in op) return { put: this.put(op.put, ctx) };
    if ("deleteRange" in op) return { deleteRange: this.deleteRange(op.deleteRange, ctx) };
    return { txn: this.txn(op.txn, ctx) };
  }

  private compare(c: Compare, rev: number): boolean {
    const kvs = this.liveIn(spanOf(c.key, c.rangeEnd), rev);
    if (kvs.length === 0) {
      // etcd: a value compare on a missing key always fails (nil and "" look alike on the wire).
      if (c.target === "VALUE") return false;
      return compareKv(c, undefined);
    }
    return kvs.every((kv) => compareKv(c, kv));
  }

  /** Checks the branch a txn will take, before anything is written (etcd's checkTxn). */
  private checkTxnAgainstState(req: TxnRequest): void {
    const succeeded = req.compare.every((c) => this.compare(c, this.revision));
    for (const op of succeeded ? req.success : req.failure) {
      if ("range" in op) {
        const r = op.range.revision ?? 0;
        if (r > this.revision) throw etcdErrors.futureRev();
        if (r > 0 && r < this.compactRevision) throw etcdErrors.compacted();
      } else if ("put" in op) this.checkPutAgainstState(op.put);
      else if ("txn" in op) this.checkTxnAgainstState(op.txn);
    }
  }

  private compact(rev: number, ctx: WriteCtx): CommandResult {
    if (rev <= this.compactRevision) throw etcdErrors.compacted();
    if (rev > this.revision) throw etcdErrors.futureRev();
    const emptied: string[] = [];
    for (const [k, list] of this.keys) {
      // Keep the newest version at or below `rev` (reads at rev still need it), unless it is a tombstone.
      let keepFrom = list.length;
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i]!.rev <= rev) {
          keepFrom = list[i]!.tombstone ? i + 1 : i;
          break;
        }
        keepFrom = i;
      }
      if (keepFrom === 0) continue;
      for (const v of list.slice(0, keepFrom))
        ctx.changes.push({ type: "dropVersion", rev: v.rev, sub: v.sub });
      list.splice(0, keepFrom);
      if (list.length === 0) emptied.push(k);
    }
    for (const k of emptied) this.keys.delete(k);
    if (emptied.length) {
      const gone = new Set(emptied);
      this.sorted = this.sorted.filter((k) => !gone.has(k));
    }
    this.compactRevision = rev;
    return { op: "compact" };
  }

  private leaseGrant(id: number, ttlSeconds: number, ctx: WriteCtx): CommandResult {
    if (!Number.isSafeInteger(id) || id <= 0)
      throw etcdErrors.malformed("lease id must be a positive integer");
    if (this.leases.has(id)) throw etcdErrors.leaseExist();
    if (this.leases.size >= MAX_LEASES) throw etcdErrors.tooManyRequests();
    this.leases.set(id, { id, ttlSeconds, keys: new Set() });
    ctx.changes.push({ type: "lease", id, ttlSeconds });
    return { op: "leaseGrant", id, ttlSeconds };
  }

  private leaseRevoke(id: number, ctx: WriteCtx): CommandResult {
    const lease = this.leases.get(id);
    if (!lease) throw etcdErrors.leaseNotFound();
    // All attached keys go in one revision, like a txn, so watchers see them vanish together.
    for (const k of [...lease.keys].sort()) {
      const kv = this.versionAt(k, this.readRev(ctx));
      if (kv) this.tombstone(kv, ctx);
    }
    this.leases.delete(id);
    ctx.changes.push({ type: "dropLease", id });
    return { op: "leaseRevoke" };
  }

  private memberAdd(member: Member, ctx: WriteCtx): CommandResult {
    if (this.members.has(member.id)) throw etcdErrors.memberExist();
    const urls = new Set(member.peerURLs);
    for (const m of this.members.values())
      if (m.peerURLs.some((u) => urls.has(u))) throw etcdErrors.peerURLExist();
    this.members.set(member.id, member);
    ctx.changes.push({ type: "member", member });
    return { op: "member", members: this.memberList(), member };
  }

  private memberRemove(id: string, ctx: WriteCtx): CommandResult {
    if (!this.members.has(id)) throw etcdErrors.memberNotFound();
    this.members.delete(id);
    ctx.changes.push({ type: "dropMember", id });
    return { op: "member", members: this.memberList() };
  }

  private memberAttrs(id: string, name: string, clientURLs: string[], ctx: WriteCtx): CommandResult {
    const m = this.members.get(id);
    if (!m) throw etcdErrors.memberNotFound();
    const updated = { ...m, name, clientURLs };
    this.members.set(id, updated);
    ctx.changes.push({ type: "member", member: updated });
    return { op: "member", members: this.memberList() };
  }

  private memberPromote(id: string, ctx: WriteCtx): CommandResult {
    const m = this.members.get(id);
    if (!m) throw etcdErrors.memberNotFound();
    if (!m.isLearner) throw etcdErrors.memberNotLearner();
    const updated = { ...m, isLearner: false };
    this.members.set(id, updated);
    ctx.changes.push({ type: "member", member: updated });
    return { op: "member", members: this.memberList(), member: updated };
  }

  private memberUpdate(id: string, peerURLs: string[], ctx: WriteCtx): CommandResult {
    const m = this.members.get(id);
    if (!m) throw etcdErrors.memberNotFound();
    const updated = { ...m, peerURLs };
    this.members.set(id, updated);
    ctx.changes.push({ type: "member", member: updated });
    return { op: "member", members: this.memberList() };
  }
}

function toEvent(v: StoredVersion, prev: StoredVersion | undefined): Event {
  const e: Event = { type: v.tombstone ? "DELETE" : "PUT", kv: v.kv };
  if (prev && !prev.tombstone) e.prevKv = prev.kv;
  return e;
}

function compareKv(c: Compare, kv: KeyValue | undefined): boolean {
  let r: number;
  switch (c.target) {
    case "VALUE":
      r = Buffer.compare(kv?.value ?? Buffer.alloc(0), c.value ?? Buffer.alloc(0));
      break;
    case "VERSION":
      r = Math.sign((kv?.version ?? 0) - (c.version ?? 0));
      break;
    case "CREATE":
      r = Math.sign((kv?.createRevision ?? 0) - (c.createRevision ?? 0));
      break;
    case "MOD":
      r = Math.sign((kv?.modRevision ?? 0) - (c.modRevision ?? 0));
      break;
    case "LEASE":
      r = Math.sign((kv?.lease ?? 0) - (c.lease ?? 0));
      break;
  }
  switch (c.result) {
    case "EQUAL":
      return r === 0;
    case "NOT_EQUAL":
      return r !== 0;
    case "GREATER":
      return r > 0;
    case "LESS":
      return r < 0;
  }
}

const sortKey: Record<string, (kv: KeyValue) => number | Buffer> = {
  VERSION: (kv) => kv.version,
  CREATE: (kv) => kv.createRevision,
  MOD: (kv) => kv.modRevision,
  VALUE: (kv) => kv.value,
};

function sortKvs(kvs: KeyValue[], order: string, target: string): void {
  // etcd: a non-key target with no order means ascending; key order is the natural order.
  const effective = order === "NONE" && target !== "KEY" ? "ASCEND" : order;
  if (effective === "NONE") return;
  if (target !== "KEY") {
    const f = sortKey[target]!;
    kvs.sort((a, b) => {
      const x = f(a);
      const y = f(b);
      return typeof x === "number" ? x - (y as number) : Buffer.compare(x, y as Buffer);
    });
  }
  if (effective === "DESCEND") kvs.reverse();
}

// ---- request validation that needs no state (etcd's checkPutRequest/checkTxnReqs) ----

export function checkPut(req: PutRequest): void {
  if (req.key.length === 0) throw etcdErrors.emptyKey();
  if (req.ignoreValue && req.value && req.value.length > 0) throw etcdErrors.valueProvided();
  if (req.ignoreLease && req.lease) throw etcdErrors.leaseProvided();
}

export function checkDelete(req: DeleteRangeRequest): void {
  if (req.key.length === 0) throw etcdErrors.emptyKey();
}

export function checkRange(req: RangeRequest): void {
  if (req.key.length === 0) throw etcdErrors.emptyKey();
}

export function checkTxnShape(req: TxnRequest, depth: number): void {
  if (depth > MAX_TXN_DEPTH) throw etcdErrors.malformed(`txn nested deeper than ${MAX_TXN_DEPTH}`);
  if (
    req.compare.length > MAX_TXN_OPS ||
    req.success.length > MAX_TXN_OPS ||
    req.failure.length > MAX_TXN_OPS
  ) {
    throw etcdErrors.tooManyOps();
  }
  for (const c of req.compare) if (c.key.length === 0) throw etcdErrors.emptyKey();
  for (const branch of [req.success, req.failure]) {
    for (const op of branch) {
      if ("range" in op) checkRange(op.range);
      else if ("put" in op) checkPut(op.put);
      else if ("deleteRange" in op) checkDelete(op.deleteRange);
      else checkTxnShape(op.txn, depth + 1);
    }
    checkNoDuplicateWrites(branch);
  }
}

/** A branch may not put one key twice, nor put a key it also deletes (etcd: duplicate key). */
function checkNoDuplicateWrites(ops: RequestOp[]): void {
  const puts = new Set<string>();
  const deletes: KeySpan[] = [];
  const collect = (list: RequestOp[], into: { puts: Set<string>; deletes: KeySpan[] }) => {
    for (const op of list) {
      if ("put" in op) {
        const k = toKeyString(op.put.key);
        if (into.puts.has(k)) throw etcdErrors.duplicateKey();
        into.puts.add(k);
      } else if ("deleteRange" in op) into.deletes.push(spanOf(op.deleteRange.key, op.deleteRange.rangeEnd));
      else if ("txn" in op) {
        // Only one of a nested txn's branches runs, so each is checked against the outer writes alone.
        const base = { puts: new Set(into.puts), deletes: [...into.deletes] };
        for (const inner of [op.txn.success, op.txn.failure]) {
          const scratch = { puts: new Set(base.puts), deletes: [...base.deletes] };
          collect(inner, scratch);
          for (const k of scratch.puts) into.puts.add(k);
          into.deletes.push(...scratch.deletes.slice(base.deletes.length));
        }
      }
    }
  };
  collect(ops, { puts, deletes });
  for (const d of deletes) for (const k of puts) if (inSpan(d, k)) throw etcdErrors.duplicateKey();
}
