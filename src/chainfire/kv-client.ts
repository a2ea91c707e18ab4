// The chainfire gRPC client: KV, watches and leases with keep-alive over the etcd v3 API,
// so it works against a real etcd as well. Public through client.ts.
import type { ClientDuplexStream } from "@grpc/grpc-js";
import type { KeyValue, WatchEvent } from "./api.ts";
import { type Msg, num } from "./grpc/codec.ts";
import { call, connectRpc, type RpcClients } from "./grpc/rpc-client.ts";
import { prefixEnd } from "./mvcc/key-range.ts";

export type { KeyValue, WatchEvent } from "./api.ts";

type Bytes = string | Buffer;
const buf = (b: Bytes) => (typeof b === "string" ? Buffer.from(b) : b);

export interface RangeOptions {
  /** Every key starting with `key`. */
  prefix?: boolean;
  /** Exclusive end of the range (bytes); "\0" means every key >= key. */
  rangeEnd?: Bytes;
  limit?: number;
  revision?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
  sort?: { target: "KEY" | "VERSION" | "CREATE" | "MOD" | "VALUE"; order: "ASCEND" | "DESCEND" };
  minCreateRevision?: number;
  maxCreateRevision?: number;
  serializable?: boolean;
}

export interface RangeReply {
  kvs: KeyValue[];
  more: boolean;
  count: number;
  revision: number;
}

export type CompareTarget = "VERSION" | "CREATE" | "MOD" | "VALUE" | "LEASE";
export type CompareOp = "EQUAL" | "GREATER" | "LESS" | "NOT_EQUAL";

export interface Compare {
  key: Bytes;
  target: CompareTarget;
  result: CompareOp;
  /** A number for VERSION/CREATE/MOD/LEASE, bytes for VALUE. */
  value: number | Bytes;
}

export type Op =
  | { put: { key: Bytes; value: Bytes; lease?: number; prevKv?: boolean } }
  | { delete: { key: Bytes; prefix?: boolean; prevKv?: boolean } }
  | { range: { key: Bytes } & RangeOptions };

export interface TxnReply {
  succeeded: boolean;
  revision: number;
  /** Per op of the branch taken: kvs for a range, prevKv(s) for writes. */
  responses: Array<{ kvs?: KeyValue[]; prevKv?: KeyValue; deleted?: number }>;
}

export interface WatchOptions {
  prefix?: boolean;
  rangeEnd?: Bytes;
  /** First revision to deliver (0: from now). */
  startRevision?: number;
  prevKv?: boolean;
  noPut?: boolean;
  noDelete?: boolean;
}

export interface WatchHandle {
  /** Resolves once the server has registered the watch. */
  ready: Promise<void>;
  close(): void;
}

export class ChainfireError extends Error {
  constructor(
    /** gRPC status code. */
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "ChainfireError";
  }
}

function fail(err: unknown): never {
  const e = err as { code?: number; details?: string; message?: string };
  throw new ChainfireError(e.code ?? 2, e.details || e.message || String(err));
}

function toKv(m: Msg): KeyValue {
  return {
    key: Buffer.from(m.key ?? []),
    value: Buffer.from(m.value ?? []),
    createRevision: num(m.create_revision),
    modRevision: num(m.mod_revision),
    version: num(m.version),
    lease: num(m.lease),
  };
}

/**
 * range_end only when there is one. A present but empty range_end is not "no range" to etcd:
 * its decoder turns it into a non-nil empty slice, which etcd 3.4 reads as "every key from
 * `key` on" — a get would scan (and return) the rest of the keyspace, a delete delete it.
 */
function rangeEndField(k: Buffer, o: { prefix?: boolean; rangeEnd?: Bytes }): { range_end?: Buffer } {
  if (o.prefix) return { range_end: prefixEnd(k) };
  if (o.rangeEnd !== undefined && buf(o.rangeEnd).length > 0) return { range_end: buf(o.rangeEnd) };
  return {};
}

function rangeMsg(key: Bytes, o: RangeOptions = {}): Msg {
  const k = buf(key);
  return {
    key: k,
    ...rangeEndField(k, o),
    limit: o.limit ?? 0,
    revision: o.revision ?? 0,
    sort_order: o.sort?.order ?? "NONE",
    sort_target: o.sort?.target ?? "KEY",
    serializable: !!o.serializable,
    keys_only: !!o.keysOnly,
    count_only: !!o.countOnly,
    min_create_revision: o.minCreateRevision ?? 0,
    max_create_revision: o.maxCreateRevision ?? 0,
  };
}

function opMsg(op: Op): Msg {
  if ("put" in op) {
    return {
      request_put: {
        key: buf(op.put.key),
        value: buf(op.put.value),
        lease: op.put.lease ?? 0,
        prev_kv: !!op.put.prevKv,
      },
    };
  }
  if ("delete" in op) {
    const k = buf(op.delete.key);
    return {
      request_delete_range: {
        key: k,
        ...(op.delete.prefix ? { range_end: prefixEnd(k) } : {}),
        prev_kv: !!op.delete.prevKv,
      },
    };
  }
  return { request_range: rangeMsg(op.range.key, op.range) };
}

function compareMsg(c: Compare): Msg {
  const field = {
    VERSION: "version",
    CREATE: "create_revision",
    MOD: "mod_revision",
    VALUE: "value",
    LEASE: "lease",
  }[c.target];
  const value = c.target === "VALUE" ? buf(c.value as Bytes) : Number(c.value);
  return { key: buf(c.key), target: c.target, result: c.result, [field]: value };
}

export class ChainfireClient {
  readonly rpc: RpcClients;
  /** Streams this client opened; close() ends them (leases then expire on the server). */
  private readonly streams = new Set<{ stop(): void }>();

  constructor(endpoints: string | string[]) {
    this.rpc = connectRpc(Array.isArray(endpoints) ? endpoints : [endpoints]);
  }

  async range(key: Bytes, o: RangeOptions = {}): Promise<RangeReply> {
    const r = await call(this.rpc.kv, "Range", rangeMsg(key, o)).catch(fail);
    return {
      kvs: (r.kvs ?? []).map(toKv),
      more: !!r.more,
      count: num(r.count),
      revision: num(r.header?.revision),
    };
  }

  async get(key: Bytes, o: Omit<RangeOptions, "prefix" | "rangeEnd"> = {}): Promise<KeyValue | undefined> {
    return (await this.range(key, o)).kvs[0];
  }

  async put(
    key: Bytes,
    value: Bytes,
    o: { lease?: number; prevKv?: boolean } = {},
  ): Promise<{ revision: number; prevKv?: KeyValue }> {
    const r = await call(this.rpc.kv, "Put", {
      key: buf(key),
      value: buf(value),
      lease: o.lease ?? 0,
      prev_kv: !!o.prevKv,
    }).catch(fail);
    return { revision: num(r.header?.revision), ...(r.prev_kv ? { prevKv: toKv(r.prev_kv) } : {}) };
  }

  async delete(
    key: Bytes,
    o: { prefix?: boolean; prevKv?: boolean } = {},
  ): Promise<{ deleted: number; revision: number; prevKvs: KeyValue[] }> {
    const r = await call(
      this.rpc.kv,
      "DeleteRange",
      opMsg({ delete: { key, ...o } }).request_delete_range,
    ).catch(fail);
    return {
      deleted: num(r.deleted),
      revision: num(r.header?.revision),
      prevKvs: (r.prev_kvs ?? []).map(toKv),
    };
  }

  async txn(compare: Compare[], success: Op[], failure: Op[] = []): Promise<TxnReply> {
    const r = await call(this.rpc.kv, "Txn", {
      compare: compare.map(compareMsg),
      success: success.map(opMsg),
      failure: failure.map(opMsg),
    }).catch(fail);
    const responses = (r.responses ?? []).map((op: Msg) => {
      if (op.response_range) return { kvs: (op.response_range.kvs ?? []).map(toKv) };
      if (op.response_put) return op.response_put.prev_kv ? { prevKv: toKv(op.response_put.prev_kv) } : {};
      if (op.response_delete_range) return { deleted: num(op.response_delete_range.deleted) };
      return {};
    });
    return { succeeded: !!r.succeeded, revision: num(r.header?.revision), responses };
  }

  async compact(revision: number): Promise<void> {
    await call(this.rpc.kv, "Compact", { revision, physical: true }).catch(fail);
  }

  async status(): Promise<{
    version: string;
    revision: number;
    memberId: string;
    leader: string;
    dbSizeBytes: number;
    raftIndex: number;
  }> {
    const r = await call(this.rpc.maintenance, "Status", {}).catch(fail);
    return {
      version: r.version,
      revision: num(r.header?.revision),
      memberId: String(r.header?.member_id),
      leader: String(r.leader),
      dbSizeBytes: num(r.dbSize),
      raftIndex: num(r.raftIndex),
    };
  }

  /**
   * Watches a key or range. Events arrive in revision order, grouped per response; a
   * canceled watch (compaction, overload, server gone) ends with onError.
   */
  watch(
    key: Bytes,
    o: WatchOptions,
    onEvents: (events: WatchEvent[], revision: number) => void,
    onError?: (err: ChainfireError) => void,
  ): WatchHandle {
    const k = buf(key);
    const stream = (this.rpc.watch as unknown as { Watch(): ClientDuplexStream<Msg, Msg> }).Watch();
    let closed = false;
    let settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    ready.catch(() => undefined);
    const end = (err?: ChainfireError) => {
      if (closed) return;
      closed = true;
      stream.end();
      stream.cancel();
      if (err) {
        settle?.reject(err);
        onError?.(err);
      }
    };
    stream.on("data", (r: Msg) => {
      if (r.created) settle?.resolve();
      if (r.canceled) {
        const compacted = num(r.compact_revision);
        const reason =
          r.cancel_reason ||
          (compacted ? "etcdserver: mvcc: required revision has been compacted" : "watch canceled");
        end(new ChainfireError(compacted ? 11 : 1, reason));
        return;
      }
      const events: WatchEvent[] = (r.events ?? []).map((e: Msg) => ({
        type: e.type === "DELETE" ? "DELETE" : "PUT",
        kv: toKv(e.kv ?? {}),
        ...(e.prev_kv ? { prevKv: toKv(e.prev_kv) } : {}),
      }));
      if (events.length && !closed) onEvents(events, num(r.header?.revision));
    });
    stream.on("error", (err: { code?: number; details?: string }) => {
      if (!closed) end(new ChainfireError(err.code ?? 14, err.details ?? "watch stream failed"));
    });
    stream.on("end", () =>
      end(closed ? undefined : new ChainfireError(14, "watch stream ended by the server")),
    );
    const filters = [...(o.noPut ? ["NOPUT"] : []), ...(o.noDelete ? ["NODELETE"] : [])];
    stream.write({
      create_request: {
        key: k,
        ...rangeEndField(k, o),
        start_revision: o.startRevision ?? 0,
        prev_kv: !!o.prevKv,
        filters,
      },
    });
    const tracked = { stop: () => end() };
    this.streams.add(tracked);
    stream.on("close", () => this.streams.delete(tracked));
    return {
      ready,
      close: () => {
        this.streams.delete(tracked);
        end();
      },
    };
  }

  async leaseGrant(ttlSeconds: number, id = 0): Promise<{ id: number; ttlSeconds: number }> {
    const r = await call(this.rpc.lease, "LeaseGrant", { TTL: ttlSeconds, ID: id }).catch(fail);
    return { id: num(r.ID), ttlSeconds: num(r.TTL) };
  }

  async leaseRevoke(id: number): Promise<void> {
    await call(this.rpc.lease, "LeaseRevoke", { ID: id }).catch(fail);
  }

  async leaseTimeToLive(
    id: number,
    keys = false,
  ): Promise<{ ttlSeconds: number; grantedTtlSeconds: number; keys: Buffer[] }> {
    const r = await call(this.rpc.lease, "LeaseTimeToLive", { ID: id, keys }).catch(fail);
    return {
      ttlSeconds: num(r.TTL),
      grantedTtlSeconds: num(r.grantedTTL),
      keys: (r.keys ?? []).map((k: Buffer) => Buffer.from(k)),
    };
  }

  /** Grants a lease and keeps it alive until close(); onLost fires if it expires anyway. */
  async lease(ttlSeconds: number, onLost?: () => void): Promise<LeaseKeeper> {
    const { id, ttlSeconds: granted } = await this.leaseGrant(ttlSeconds);
    const keeper = new LeaseKeeper(this, id, granted, onLost);
    const tracked = { stop: () => keeper.stop() };
    this.streams.add(tracked);
    keeper.onClose = () => this.streams.delete(tracked);
    return keeper;
  }

  /** Ends watches and keep-alives (without revoking: close leases first for that) and the channel. */
  close(): void {
    for (const s of [...this.streams]) s.stop();
    this.streams.clear();
    this.rpc.close();
  }
}

/** Sends keep-alives every third of the TTL over one stream; revokes the lease on close. */
export class LeaseKeeper {
  private readonly stream: ClientDuplexStream<Msg, Msg>;
  private readonly timer: NodeJS.Timeout;
  private lost = false;
  private closed = false;
  onClose: (() => void) | undefined;

  constructor(
    private readonly client: ChainfireClient,
    readonly id: number,
    readonly ttlSeconds: number,
    private readonly onLost?: () => void,
  ) {
    this.stream = (
      client.rpc.lease as unknown as { LeaseKeepAlive(): ClientDuplexStream<Msg, Msg> }
    ).LeaseKeepAlive();
    this.stream.on("data", (r: Msg) => {
      if (num(r.TTL) <= 0) this.markLost();
    });
    this.stream.on("error", () => this.markLost());
    this.timer = setInterval(() => this.stream.write({ ID: id }), Math.max(500, (ttlSeconds * 1000) / 3));
    this.timer.unref();
  }

  get isLost(): boolean {
    return this.lost;
  }

  private markLost(): void {
    if (this.lost || this.closed) return;
    this.lost = true;
    clearInterval(this.timer);
    this.onLost?.();
  }

  /** Stops the keep-alives; the lease runs out on the server after its TTL. */
  stop(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.stream.end();
    this.stream.cancel();
    this.onClose?.();
  }

  /** Stops the keep-alives and revokes the lease (deleting its keys). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stop();
    if (!this.lost) await this.client.leaseRevoke(this.id).catch(() => undefined);
  }
}
