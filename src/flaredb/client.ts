// The flaredb client: a region cache in front of the stores. It locates a key's region through
// the placement driver once, then talks to that region's leader directly over HTTP/2, and
// repairs its cache from the errors stores answer with: NotLeader (with the leader's id),
// EpochStale and KeyNotInRegion (with the region as the store knows it), RegionNotFound and
// unreachable stores. It is the RegionRouter the transaction layer (src/flaredb/txn) runs on,
// and offers the raw API: get, batch get, put, delete, compare-and-set, TTL, scans.
import { setTimeout as sleep } from "node:timers/promises";
import { ApiError } from "../core/errors.ts";
import {
  b64ToKey,
  type Epoch,
  keyToB64,
  type LocateReply,
  MAX_BATCH_COMMANDS,
  MAX_BATCH_KEYS,
  type RegionDescriptor,
  type RegionView,
  type StoreInfo,
} from "./api.ts";
import { type Command, type CommandResult, commandKeys, encodeCommand } from "./engine/commands.ts";
import type { BatchGetResult, GetResult, ScanResult } from "./engine/read.ts";
import { H2JsonClient } from "./rpc/h2-json-client.ts";
import { compareKeys, holdsKeyBelow, keyInRegion } from "./store/key-range.ts";
import type { ReadRequest, ReadResponse, RegionRouter } from "./txn/router.ts";
import { fromWire, toWire } from "./wire-codec.ts";

export type { ReadRequest, ReadResponse, RegionRouter } from "./txn/router.ts";

/** Attempts of one call across cache repairs and leader changes. */
export const MAX_ROUTE_ATTEMPTS = 30;
/** Backoff between attempts that found no usable leader: doubles from the first to the last. */
export const ROUTE_BACKOFF_MS = [20, 500] as const;
/** Regions kept in the cache; beyond, the cache is dropped and refilled on demand. */
export const MAX_CACHED_REGIONS = 100_000;
/** Times a batch get regroups its keys after the regions under it split. */
export const MAX_REGROUP_DEPTH = 4;
/** Timestamps fetched from the TSO in one request at most. */
export const MAX_TSO_BATCH = 1_024;

export interface FlareClientOptions {
  /** Placement driver addresses (host:port). */
  pd: string[];
  timeoutMs?: number;
}

/** Calls to one region waiting for the end of this event-loop turn, to go as one request. */
interface Coalesced<T> {
  regionId: number;
  items: Array<{ key: Uint8Array; cmd?: Command; resolve: (v: T) => void; reject: (e: Error) => void }>;
  table: Map<number, Coalesced<T>>;
}

interface Cached {
  region: RegionDescriptor;
  leader: string | undefined;
}

type Bytes = Uint8Array | string;
const bytes = (k: Bytes): Uint8Array => (typeof k === "string" ? new TextEncoder().encode(k) : k);

export class FlareClient implements RegionRouter {
  private readonly rpc = new H2JsonClient();
  private readonly cache = new Map<number, Cached>();
  private readonly stores = new Map<string, StoreInfo>();
  private pdIndex = 0;
  private tsoWaiters: Array<{ resolve: (ts: number) => void; reject: (e: Error) => void }> = [];
  private tsoBusy = false;
  private readonly pendingGets = new Map<number, Coalesced<Uint8Array | null>>();
  private readonly pendingPuts = new Map<number, Coalesced<void>>();
  /** Counters a benchmark or test may read. */
  readonly stats = { attempts: 0, notLeader: 0, epochStale: 0, relocations: 0, unreachable: 0 };

  constructor(private readonly o: FlareClientOptions) {
    if (o.pd.length === 0)
      throw new ApiError("InvalidArgument", "at least one placement driver address is needed");
  }

  // ---- placement driver ----

  async pdCall<T>(method: string, body: unknown = {}): Promise<T> {
    let last: unknown;
    for (let i = 0; i < this.o.pd.length; i++) {
      const pd = this.o.pd[(this.pdIndex + i) % this.o.pd.length]!;
      try {
        return await this.rpc.call<T>(pd, method, body, this.o.timeoutMs);
      } catch (err) {
        last = err;
        if (
          err instanceof ApiError &&
          err.details?.reason !== "Unreachable" &&
          err.code !== "DeadlineExceeded"
        )
          throw err;
        this.pdIndex = (this.pdIndex + 1) % this.o.pd.length;
      }
    }
    throw last;
  }

  regions(): Promise<{ regions: RegionView[] }> {
    return this.pdCall("/pd/v1/regions");
  }
  listStores(): Promise<{ stores: StoreInfo[] }> {
    return this.pdCall("/pd/v1/stores");
  }

  private async locate(key: Uint8Array, before: boolean): Promise<Cached> {
    for (const c of this.cache.values())
      if (before ? holdsKeyBelow(c.region, key) : keyInRegion(c.region, key)) return c;
    this.stats.relocations++;
    const r = await this.pdCall<LocateReply>("/pd/v1/locate", { key: keyToB64(key), before });
    for (const s of r.stores) this.stores.set(s.id, s);
    return this.remember(r.region, r.leader);
  }

  private remember(region: RegionDescriptor, leader: string | undefined): Cached {
    if (this.cache.size >= MAX_CACHED_REGIONS) this.cache.clear();
    // Drop every cached region this one overlaps: they are older views of the same keys.
    for (const [id, c] of this.cache) {
      if (id === region.id) continue;
      if (overlaps(c.region, region)) this.cache.delete(id);
    }
    const have = this.cache.get(region.id);
    if (have && newerOrSame(have.region.epoch, region.epoch) && !sameEpoch(have.region.epoch, region.epoch))
      return have;
    const c: Cached = {
      region,
      leader: leader ?? (have?.region.peers.includes(have.leader ?? "") ? have.leader : undefined),
    };
    this.cache.set(region.id, c);
    return c;
  }

  // ---- routing ----

  /** Runs `call` against the leader of the region holding `key`, repairing the cache until it works. */
  private async route<T>(
    key: Uint8Array,
    before: boolean,
    call: (c: Cached, address: string) => Promise<T>,
    retryUnknown: boolean,
    multiKey = false,
  ): Promise<T> {
    let last: unknown;
    let backoff: number = ROUTE_BACKOFF_MS[0];
    let peerTurn = 0;
    for (let attempt = 0; attempt < MAX_ROUTE_ATTEMPTS; attempt++) {
      this.stats.attempts++;
      let c: Cached;
      try {
        c = await this.locate(key, before);
      } catch (err) {
        last = err;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, ROUTE_BACKOFF_MS[1]);
        continue;
      }
      const target = c.leader ?? c.region.peers[peerTurn++ % c.region.peers.length]!;
      const address = this.stores.get(target)?.address;
      if (!address) {
        this.cache.delete(c.region.id);
        await sleep(backoff);
        continue;
      }
      try {
        return await call(c, address);
      } catch (err) {
        last = err;
        if (!(err instanceof ApiError)) throw err;
        const d = err.details ?? {};
        switch (d.reason) {
          case "NotLeader": {
            this.stats.notLeader++;
            const leader = typeof d.leader === "string" && d.leader !== target ? d.leader : undefined;
            if (typeof d.leaderAddress === "string" && leader)
              this.stores.set(leader, {
                ...(this.stores.get(leader) ?? storeStub(leader)),
                address: d.leaderAddress,
              });
            c.leader = leader;
            if (!leader) {
              await sleep(backoff);
              backoff = Math.min(backoff * 2, ROUTE_BACKOFF_MS[1]);
            }
            continue;
          }
          case "EpochStale":
          case "KeyNotInRegion": {
            this.stats.epochStale++;
            this.cache.delete(c.region.id);
            const fresh = d.region as RegionDescriptor | undefined;
            if (fresh) this.remember(fresh, target);
            // Keys of one request now span regions: the caller must group them again.
            if (multiKey) throw err;
            continue;
          }
          case "RegionNotFound":
            this.cache.delete(c.region.id);
            await sleep(backoff);
            backoff = Math.min(backoff * 2, ROUTE_BACKOFF_MS[1]);
            continue;
          case "Unreachable":
            this.stats.unreachable++;
            if (c.leader === target) c.leader = undefined;
            await sleep(backoff);
            backoff = Math.min(backoff * 2, ROUTE_BACKOFF_MS[1]);
            // The store list may have changed (a replacement store): ask again now and then.
            if (attempt % 4 === 3) this.cache.delete(c.region.id);
            continue;
        }
        if (err.code === "Unavailable" || (retryUnknown && err.code === "DeadlineExceeded")) {
          c.leader = undefined;
          await sleep(backoff);
          backoff = Math.min(backoff * 2, ROUTE_BACKOFF_MS[1]);
          continue;
        }
        throw err;
      }
    }
    throw last instanceof ApiError
      ? last
      : new ApiError(
          "Unavailable",
          `flaredb: no region answered after ${MAX_ROUTE_ATTEMPTS} attempts: ${(last as Error)?.message}`,
        );
  }

  private epochOf(c: Cached): { regionId: number; epoch: Epoch } {
    return { regionId: c.region.id, epoch: c.region.epoch };
  }

  /** Applies an engine command through the Raft log of the region holding `key`. */
  execute(key: Uint8Array, cmd: Command, retryUnknown = false): Promise<CommandResult> {
    const wire = Buffer.from(encodeCommand(cmd)).toString("base64");
    const multiKey = commandKeys(cmd).length > 1;
    return this.route(
      key,
      false,
      async (c, address) => {
        const r = await this.rpc.call<{ result: unknown }>(
          address,
          "/v1/execute",
          { ...this.epochOf(c), cmd: wire },
          this.o.timeoutMs,
        );
        return fromWire(r.result) as CommandResult;
      },
      retryUnknown,
      multiKey,
    );
  }

  private readAt<T>(
    key: Uint8Array,
    before: boolean,
    build: (c: Cached) => Record<string, unknown>,
    multiKey = false,
  ): Promise<{ c: Cached; result: T }> {
    return this.route(
      key,
      before,
      async (c, address) => {
        const r = await this.rpc.call<{ result: unknown }>(
          address,
          "/v1/read",
          { ...this.epochOf(c), read: toWire(build(c)) },
          this.o.timeoutMs,
        );
        return { c, result: fromWire(r.result) as T };
      },
      true,
      multiKey,
    );
  }

  async groupByRegion(keys: readonly Uint8Array[]): Promise<Uint8Array[][]> {
    const groups = new Map<number, Uint8Array[]>();
    for (const k of keys) {
      const c = await this.locate(k, false);
      const g = groups.get(c.region.id) ?? [];
      g.push(k);
      groups.set(c.region.id, g);
    }
    return [...groups.values()];
  }

  async read<R extends ReadRequest>(req: R): Promise<ReadResponse<R>> {
    const ignore = req.ignoreLocksOf ? { ignoreLocksOf: [...req.ignoreLocksOf] } : {};
    if (req.op === "get") {
      const { result } = await this.readAt<GetResult>(req.key, false, () => ({
        op: "get",
        key: req.key,
        ts: req.ts,
        ...ignore,
      }));
      return result as ReadResponse<R>;
    }
    if (req.op === "batchGet") {
      if (req.keys.length === 0) return { ok: true, pairs: [] } as unknown as ReadResponse<R>;
      const { result } = await this.readAt<BatchGetResult>(
        req.keys[0]!,
        false,
        () => ({ op: "batchGet", keys: req.keys, ts: req.ts, ...ignore }),
        req.keys.length > 1,
      );
      return result as ReadResponse<R>;
    }
    const s = req as Extract<ReadRequest, { op: "scan" }>;
    return (await this.scanOneRegion("scan", s.start, s.end, s.limit, s.reverse, {
      ts: s.ts,
      ...ignore,
    })) as ReadResponse<R>;
  }

  /** One region's part of a scan, clamped to it; `resume` continues in the next region. */
  private async scanOneRegion(
    op: "scan" | "rawScan",
    start: Uint8Array,
    end: Uint8Array | undefined,
    limit: number,
    reverse: boolean,
    extra: Record<string, unknown>,
  ): Promise<ScanResult> {
    const anchor = reverse ? (end ?? new Uint8Array(0)) : start;
    const { c, result } = await this.readAt<ScanResult>(anchor, reverse, (c) => {
      const rs = c.region.start ? b64ToKey(c.region.start) : new Uint8Array(0);
      const re = c.region.end ? b64ToKey(c.region.end) : undefined;
      const s = compareKeys(start, rs) < 0 ? rs : start;
      const e = re && (end === undefined || compareKeys(re, end) < 0) ? re : end;
      return { op, start: s, ...(e ? { end: e } : {}), limit, reverse, ...extra };
    });
    if (!result.ok || result.resume !== null) return result;
    // The engine exhausted this region: continue past its edge if the range goes on.
    if (!reverse && c.region.end) {
      const re = b64ToKey(c.region.end);
      if (end === undefined || compareKeys(re, end) < 0) return { ...result, resume: re };
    }
    if (reverse && c.region.start) {
      const rs = b64ToKey(c.region.start);
      if (compareKeys(rs, start) > 0) return { ...result, resume: rs };
    }
    return result;
  }

  /** A fresh timestamp; concurrent callers share one TSO request. */
  tso(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.tsoWaiters.push({ resolve, reject });
      if (!this.tsoBusy) void this.fetchTso();
    });
  }

  private async fetchTso(): Promise<void> {
    this.tsoBusy = true;
    try {
      while (this.tsoWaiters.length > 0) {
        const batch = this.tsoWaiters.splice(0, MAX_TSO_BATCH);
        try {
          const { ts } = await this.pdCall<{ ts: number }>("/pd/v1/tso", { count: batch.length });
          for (const [i, w] of batch.entries()) w.resolve(ts + i);
        } catch (err) {
          for (const w of batch) w.reject(err as Error);
        }
      }
    } finally {
      this.tsoBusy = false;
    }
  }

  // ---- the raw API ----

  /**
   * The value of `key` (null: absent). Concurrent gets to one region are coalesced into one
   * batch read per event-loop turn (as TiKV's client batches commands): each get still gets its
   * own answer, read after it was asked (the batch is sent after its last get joined).
   */
  async get(key: Bytes): Promise<Uint8Array | null> {
    const k = bytes(key);
    const c = await this.locate(k, false);
    return new Promise((resolve, reject) => {
      const b = this.coalescer(this.pendingGets, c.region.id, () => this.flushGets(b));
      b.items.push({ key: k, resolve, reject });
      if (b.items.length >= MAX_BATCH_KEYS) this.flushGets(b);
    });
  }

  private async getOne(k: Uint8Array): Promise<Uint8Array | null> {
    const { result } = await this.readAt<{ ok: true; value: Uint8Array | null }>(k, false, () => ({
      op: "rawGet",
      key: k,
    }));
    return result.value;
  }

  /** The open batch of `regionId` in `table`, created (and its flush scheduled) if none. */
  private coalescer<T>(table: Map<number, Coalesced<T>>, regionId: number, flush: () => void): Coalesced<T> {
    let b = table.get(regionId);
    if (!b) {
      b = { regionId, items: [], table };
      table.set(regionId, b);
      setImmediate(flush);
    }
    return b;
  }

  private flushGets(b: Coalesced<Uint8Array | null>): void {
    if (b.table.get(b.regionId) !== b) return;
    b.table.delete(b.regionId);
    const items = b.items;
    if (items.length === 1) {
      const it = items[0]!;
      this.getOne(it.key).then(it.resolve, it.reject);
      return;
    }
    const keys = items.map((it) => it.key);
    this.readAt<{ values: Array<Uint8Array | null> }>(
      keys[0]!,
      false,
      () => ({ op: "rawBatchGet", keys }),
      true,
    ).then(
      ({ result }) => {
        for (const [i, it] of items.entries()) it.resolve(result.values[i] ?? null);
      },
      (err) => {
        // The region split or moved under the batch: each get finds its own region again.
        if (err instanceof ApiError && ["KeyNotInRegion", "EpochStale"].includes(String(err.details?.reason)))
          for (const it of items) this.getOne(it.key).then(it.resolve, it.reject);
        else for (const it of items) it.reject(err);
      },
    );
  }

  /** Values in the order of `keys` (null: absent), one request per region. */
  batchGet(keys: readonly Bytes[]): Promise<Array<Uint8Array | null>> {
    return this.batchGetAt(keys.map(bytes), 0);
  }

  private async batchGetAt(ks: Uint8Array[], depth: number): Promise<Array<Uint8Array | null>> {
    const out = new Array<Uint8Array | null>(ks.length).fill(null);
    const byRegion = new Map<number, number[]>();
    for (let i = 0; i < ks.length; i++) {
      const c = await this.locate(ks[i]!, false);
      const g = byRegion.get(c.region.id) ?? [];
      g.push(i);
      byRegion.set(c.region.id, g);
    }
    await Promise.all(
      [...byRegion.values()].map(async (idx) => {
        const group = idx.map((i) => ks[i]!);
        try {
          const { result } = await this.readAt<{ values: Array<Uint8Array | null> }>(
            group[0]!,
            false,
            () => ({ op: "rawBatchGet", keys: group }),
            group.length > 1,
          );
          idx.forEach((i, j) => {
            out[i] = result.values[j] ?? null;
          });
        } catch (err) {
          // The region split under us (the store named it and the cache dropped it): group
          // these keys again by the fresh regions, a bounded number of times.
          if (
            !(err instanceof ApiError) ||
            !["KeyNotInRegion", "EpochStale"].includes(String(err.details?.reason)) ||
            depth >= MAX_REGROUP_DEPTH
          )
            throw err;
          const again = await this.batchGetAt(
            idx.map((i) => ks[i]!),
            depth + 1,
          );
          idx.forEach((i, j) => {
            out[i] = again[j] ?? null;
          });
        }
      }),
    );
    return out;
  }

  /**
   * Sets `key` (with an optional TTL). Concurrent puts to one region are coalesced into one
   * batch request per event-loop turn (each is its own Raft entry; all land in one Ready).
   */
  async put(key: Bytes, value: Bytes, o: { ttlMs?: number } = {}): Promise<void> {
    const k = bytes(key);
    const cmd: Command = { type: "rawPut", key: k, value: bytes(value), ttlMs: o.ttlMs ?? 0 };
    const c = await this.locate(k, false);
    return new Promise((resolve, reject) => {
      const b = this.coalescer(this.pendingPuts, c.region.id, () => this.flushPuts(b));
      b.items.push({ key: k, cmd, resolve, reject });
      if (b.items.length >= MAX_BATCH_COMMANDS) this.flushPuts(b);
    });
  }

  private async putOne(k: Uint8Array, cmd: Command): Promise<void> {
    raise(await this.execute(k, cmd, true));
  }

  private flushPuts(b: Coalesced<void>): void {
    if (b.table.get(b.regionId) !== b) return;
    b.table.delete(b.regionId);
    const items = b.items;
    if (items.length === 1) {
      const it = items[0]!;
      this.putOne(it.key, it.cmd!).then(it.resolve, it.reject);
      return;
    }
    const wire = items.map((it) => Buffer.from(encodeCommand(it.cmd!)).toString("base64"));
    this.route(
      items[0]!.key,
      false,
      (c, address) =>
        this.rpc.call<{ results: unknown[] }>(
          address,
          "/v1/execute-batch",
          { ...this.epochOf(c), cmds: wire },
          this.o.timeoutMs,
        ),
      true,
      true,
    ).then(
      (out) =>
        items.forEach((it, i) => {
          try {
            raise(fromWire(out.results[i]) as CommandResult);
            it.resolve();
          } catch (err) {
            it.reject(err as Error);
          }
        }),
      (err) => {
        // Puts are idempotent: after a split each one finds its own region again.
        if (err instanceof ApiError && ["KeyNotInRegion", "EpochStale"].includes(String(err.details?.reason)))
          for (const it of items) this.putOne(it.key, it.cmd!).then(it.resolve, it.reject);
        else for (const it of items) it.reject(err);
      },
    );
  }

  /**
   * Writes many pairs: one request per region (each pair its own Raft entry, one fsync per
   * region batch). Not atomic; the batch is retried as a whole, which is safe for puts.
   */
  batchPut(pairs: ReadonlyArray<readonly [Bytes, Bytes]>, o: { ttlMs?: number } = {}): Promise<void> {
    const cmds = pairs.map(([k, v]) => {
      const key = bytes(k);
      return { key, cmd: { type: "rawPut" as const, key, value: bytes(v), ttlMs: o.ttlMs ?? 0 } };
    });
    return this.batchExecuteAt(cmds, 0);
  }

  private async batchExecuteAt(cmds: Array<{ key: Uint8Array; cmd: Command }>, depth: number): Promise<void> {
    const byRegion = new Map<number, Array<{ key: Uint8Array; cmd: Command }>>();
    for (const c of cmds) {
      const r = await this.locate(c.key, false);
      const g = byRegion.get(r.region.id) ?? [];
      g.push(c);
      byRegion.set(r.region.id, g);
    }
    await Promise.all(
      [...byRegion.values()].map(async (group) => {
        for (let i = 0; i < group.length; i += MAX_BATCH_COMMANDS) {
          const part = group.slice(i, i + MAX_BATCH_COMMANDS);
          const wire = part.map((c) => Buffer.from(encodeCommand(c.cmd)).toString("base64"));
          try {
            const out = await this.route(
              part[0]!.key,
              false,
              (c, address) =>
                this.rpc.call<{ results: unknown[] }>(
                  address,
                  "/v1/execute-batch",
                  { ...this.epochOf(c), cmds: wire },
                  this.o.timeoutMs,
                ),
              true,
              part.length > 1,
            );
            for (const r of out.results) raise(fromWire(r) as CommandResult);
          } catch (err) {
            // The region split under us: group these commands again by the fresh regions.
            if (
              !(err instanceof ApiError) ||
              !["KeyNotInRegion", "EpochStale"].includes(String(err.details?.reason)) ||
              depth >= MAX_REGROUP_DEPTH
            )
              throw err;
            await this.batchExecuteAt(part, depth + 1);
          }
        }
      }),
    );
  }

  /** Whether the key existed. */
  async delete(key: Bytes): Promise<boolean> {
    const k = bytes(key);
    const r = await this.execute(k, { type: "rawDelete", key: k }, true);
    raise(r);
    return r.ok && r.type === "rawDelete" ? r.existed : false;
  }

  /** Sets `value` (null: delete) if the current value is `expected` (null: absent). Not retried when its outcome is unknown. */
  async cas(
    key: Bytes,
    expected: Bytes | null,
    value: Bytes | null,
    o: { ttlMs?: number } = {},
  ): Promise<{ swapped: boolean; current: Uint8Array | null }> {
    const k = bytes(key);
    const r = await this.execute(k, {
      type: "rawCas",
      key: k,
      expected: expected === null ? null : bytes(expected),
      value: value === null ? null : bytes(value),
      ttlMs: o.ttlMs ?? 0,
    });
    raise(r);
    if (r.ok && r.type === "rawCas") return { swapped: r.swapped, current: r.current };
    throw new ApiError("Internal", "unexpected compare-and-set result");
  }

  /** Pairs in [start, end) (end undefined: to the end), across regions, at most `limit`. */
  async scan(
    start: Bytes,
    end: Bytes | undefined,
    o: { limit?: number; reverse?: boolean } = {},
  ): Promise<Array<[Uint8Array, Uint8Array]>> {
    const limit = o.limit ?? 1_000;
    const reverse = o.reverse ?? false;
    let s = bytes(start);
    let e = end === undefined ? undefined : bytes(end);
    const out: Array<[Uint8Array, Uint8Array]> = [];
    while (out.length < limit) {
      const r = await this.scanOneRegion("rawScan", s, e, limit - out.length, reverse, {});
      if (!r.ok) throw new ApiError("Internal", `scan failed: ${r.error.kind}`);
      out.push(...r.pairs);
      if (r.resume === null) break;
      if (reverse) e = r.resume;
      else s = r.resume;
    }
    return out;
  }

  close(): void {
    this.rpc.close();
    for (const w of this.tsoWaiters.splice(0)) w.reject(new ApiError("Unavailable", "client closed"));
  }
}

function raise(r: CommandResult): void {
  if (!r.ok)
    throw new ApiError(
      "FailedPrecondition",
      `${r.type} failed: ${JSON.stringify(toWire(r.errors)).slice(0, 500)}`,
    );
}

function storeStub(id: string): StoreInfo {
  return {
    id,
    address: "",
    raftAddress: "",
    state: "up",
    lastHeartbeatMs: 0,
    regionCount: 0,
    leaderCount: 0,
  };
}

function overlaps(a: RegionDescriptor, b: RegionDescriptor): boolean {
  const aEndsBeforeB = a.end !== "" && b.start !== "" && compareKeys(b64ToKey(a.end), b64ToKey(b.start)) <= 0;
  const bEndsBeforeA = b.end !== "" && a.start !== "" && compareKeys(b64ToKey(b.end), b64ToKey(a.start)) <= 0;
  return !aEndsBeforeB && !bEndsBeforeA;
}

const sameEpoch = (a: Epoch, b: Epoch) => a.version === b.version && a.confVer === b.confVer;
const newerOrSame = (a: Epoch, b: Epoch) =>
  a.version > b.version || (a.version === b.version && a.confVer >= b.confVer);
