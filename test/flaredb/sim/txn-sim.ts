// A deterministic simulation of flaredb transactions: three stores, each holding a replica of
// every region (one Raft group per region, RaftNode from core/raft), the engine applying the
// committed entries, and concurrent transaction clients (the real txn client from
// src/flaredb/txn) routing over a faulty network. It reuses core/raft/sim's seeded PRNG, event
// queue and network model. Faults: message loss, duplication and delay, partitions between
// stores, store crash-restarts (volatile state lost, rebuilt from snapshot and log), clients
// that crash mid-commit (their locks are left for others to resolve), leadership transfers.
// Every client txn runs the list-append workload; the history goes to the SI checker.

import { ProposalDroppedError, ReadIndexDroppedError } from "../../../src/core/raft/errors.ts";
import { MemoryStorage } from "../../../src/core/raft/memory-storage.ts";
import { RaftNode, type Ready } from "../../../src/core/raft/raft-node.ts";
import { EventQueue } from "../../../src/core/raft/sim/event-queue.ts";
import { RELIABLE, SimNetwork } from "../../../src/core/raft/sim/network.ts";
import { Prng } from "../../../src/core/raft/sim/prng.ts";
import type { Message } from "../../../src/core/raft/types.ts";
import { applyCommand } from "../../../src/flaredb/engine/apply.ts";
import { BinaryReader, BinaryWriter } from "../../../src/flaredb/engine/binary-codec.ts";
import type { EngineBugs } from "../../../src/flaredb/engine/bugs.ts";
import type { Command, CommandResult } from "../../../src/flaredb/engine/commands.ts";
import { MemoryKv } from "../../../src/flaredb/engine/kv.ts";
import { decodeProposal, encodeProposal } from "../../../src/flaredb/engine/proposal.ts";
import { type ScanLocksResult, scanLocks, txnBatchGet, txnGet } from "../../../src/flaredb/engine/read.ts";
import { CommitUnknownError } from "../../../src/flaredb/txn/errors.ts";
import { collectGarbage } from "../../../src/flaredb/txn/gc-driver.ts";
import {
  type RegionRange,
  regionHolds,
  regionStartsScan,
  scanInRegion,
} from "../../../src/flaredb/txn/region-scan.ts";
import type { ReadRequest, ReadResponse, RegionRouter } from "../../../src/flaredb/txn/router.ts";
import { TxnClient } from "../../../src/flaredb/txn/txn-client.ts";
import { type Anomaly, checkSnapshotIsolation, type Op, type TxnRecord } from "./si-checker.ts";

export interface TxnSimOptions {
  readonly seed: number;
  /** Ticks (10 ms) of faults and load; a quiet phase and a final read follow. */
  readonly steps: number;
  readonly clients: number;
  readonly bugs?: EngineBugs;
  /** Run GC rounds at the oldest live txn during the run (default on). */
  readonly gc?: boolean;
}

export interface TxnSimResult {
  readonly seed: number;
  readonly anomalies: readonly Anomaly[];
  readonly stats: {
    committed: number;
    aborted: number;
    unknown: number;
    clientCrashes: number;
    storeCrashes: number;
    gcRounds: number;
    gcRemoved: number;
    partitions: number;
    transfers: number;
    events: number;
    virtualMs: number;
  };
  readonly history: readonly TxnRecord[];
}

const TICK_MS = 10;
const ELECTION_TICKS = 10;
const HEARTBEAT_TICKS = 2;
const STORES = ["s1", "s2", "s3"];
const KEYS = ["k0", "k1", "k2", "k3", "k4", "k5"];
const SPLITS = ["k2", "k4"];
const RPC_TIMEOUT_MS = 250;
const QUIET_MS = 1000;
const COMPACT_EVERY_ENTRIES = 40;
const LOCK_TTL_MS = 300;
const GC_EVERY_MS = 250;
/** Hard bound on events per run, so a livelock fails loudly instead of hanging the test. */
const MAX_EVENTS = 400_000;

const enc = new TextEncoder();
const dec = new TextDecoder();
const toList = (b: Uint8Array | null): string[] =>
  b === null || b.length === 0 ? [] : dec.decode(b).split(",");
const fromList = (l: readonly string[]) => enc.encode(l.join(","));

interface Region extends RegionRange {
  readonly id: string;
}

interface Replica {
  raft: RaftNode | undefined;
  readonly storage: MemoryStorage;
  kv: MemoryKv;
  applied: number;
  /** The highest GC safe point this replica applied (part of its state machine). */
  safePoint: number;
  readonly range: RegionRange;
  /** index → the proposal waiting for it (leader side). */
  pending: Map<number, { term: number; reply: (r: Reply) => void }>;
  reads: Map<string, { index: number | undefined; serve: () => void }>;
}

interface Store {
  readonly id: string;
  up: boolean;
  incarnation: number;
  readonly replicas: Map<string, Replica>;
}

type Reply =
  | { ok: true; value: unknown }
  | { ok: false; notLeader: true; hint: string | undefined }
  | { ok: false; dropped: true };

type Ev =
  | { kind: "tick"; store: string; incarnation: number }
  | { kind: "deliver"; msg: Message }
  | { kind: "call"; fn: () => void }
  | { kind: "fault" }
  | { kind: "heal" }
  | { kind: "restart"; store: string };

/** A replica's state-machine image: its applied GC safe point and every pair. */
function snapshotKv(kv: MemoryKv, safePoint: number): Uint8Array {
  const w = new BinaryWriter().uint(safePoint);
  const entries = kv.entries();
  w.uint(entries.length);
  for (const [k, v] of entries) w.bytes(k).bytes(v);
  return w.finish();
}

function restoreKv(b: Uint8Array): { kv: MemoryKv; safePoint: number } {
  const kv = new MemoryKv();
  if (b.length === 0) return { kv, safePoint: 0 };
  const r = new BinaryReader(b);
  const safePoint = r.uint();
  const n = r.uint();
  for (let i = 0; i < n; i++) kv.put(r.bytes(), r.bytes());
  return { kv, safePoint };
}

export class TxnSimulation {
  private now = 0;
  private readonly rng: Prng;
  private readonly queue = new EventQueue<Ev>();
  private readonly network: SimNetwork;
  private readonly stores = new Map<string, Store>();
  private readonly regions: Region[];
  private readonly history: TxnRecord[] = [];
  private readonly endMs: number;
  private faultsActive = true;
  private tsoCounter = 0;
  private events = 0;
  private microtaskWork = false;
  private readonly liveClients = new Set<TxnClient>();
  private gcRunning = false;
  private finalError: unknown;
  private readonly stats = {
    committed: 0,
    aborted: 0,
    unknown: 0,
    clientCrashes: 0,
    storeCrashes: 0,
    gcRounds: 0,
    gcRemoved: 0,
    partitions: 0,
    transfers: 0,
    events: 0,
    virtualMs: 0,
  };

  constructor(private readonly o: TxnSimOptions) {
    this.rng = new Prng(o.seed);
    this.network = new SimNetwork(this.rng.fork(), {
      dropRate: 0.01 + this.rng.next() * 0.05,
      duplicateRate: 0.02,
      jitterMs: this.rng.between(2, 15),
      longDelayRate: 0.005,
    });
    this.endMs = o.steps * TICK_MS;
    const bounds = [undefined, ...SPLITS.map((s) => enc.encode(s)), undefined];
    this.regions = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      this.regions.push({ id: `r${i}`, start: bounds[i] ?? new Uint8Array(0), end: bounds[i + 1] });
    }
    for (const id of STORES) {
      const store: Store = { id, up: true, incarnation: 0, replicas: new Map() };
      for (const r of this.regions) {
        store.replicas.set(r.id, {
          raft: undefined,
          storage: MemoryStorage.bootstrap({ voters: STORES, learners: [] }),
          kv: new MemoryKv(),
          applied: 0,
          safePoint: 0,
          range: r,
          pending: new Map(),
          reads: new Map(),
        });
      }
      this.stores.set(id, store);
      this.startStore(store);
    }
  }

  private at(delayMs: number, ev: Ev): void {
    this.queue.push(this.now + delayMs, ev);
  }

  /** A promise settled by a future event: how async client code waits on virtual time. */
  private later<T>(delayMs: number, value: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      this.at(delayMs, {
        kind: "call",
        fn: () => {
          this.microtaskWork = true;
          try {
            resolve(value());
          } catch (e) {
            reject(e);
          }
        },
      });
    });
  }

  // ---- stores -----------------------------------------------------------------------------------

  private startStore(store: Store): void {
    store.up = true;
    for (const [regionId, rep] of store.replicas) {
      const snap = rep.storage.snapshot();
      ({ kv: rep.kv, safePoint: rep.safePoint } = restoreKv(snap.data));
      rep.applied = snap.metadata.index;
      rep.pending = new Map();
      rep.reads = new Map();
      const nodeRng = this.rng.fork();
      rep.raft = new RaftNode({
        groupId: regionId,
        id: store.id,
        storage: rep.storage,
        random: () => nodeRng.next(),
        electionTicks: ELECTION_TICKS,
        heartbeatTicks: HEARTBEAT_TICKS,
        readOnlyOption: "safe",
      });
    }
    this.at(1 + this.rng.int(TICK_MS), { kind: "tick", store: store.id, incarnation: store.incarnation });
  }

  private crashStore(store: Store): void {
    store.up = false;
    store.incarnation++;
    for (const rep of store.replicas.values()) {
      rep.raft = undefined;
      rep.pending = new Map();
      rep.reads = new Map();
    }
    this.stats.storeCrashes++;
    this.at(this.rng.between(50, 600), { kind: "restart", store: store.id });
  }

  private drain(store: Store, regionId: string): void {
    const rep = store.replicas.get(regionId)!;
    const raft = rep.raft;
    if (!raft) return;
    while (raft.hasReady()) {
      const rd = raft.ready();
      this.finishReady(rep, raft, rd);
    }
  }

  private finishReady(rep: Replica, raft: RaftNode, rd: Ready): void {
    if (rd.snapshot) {
      rep.storage.applySnapshot(rd.snapshot);
      ({ kv: rep.kv, safePoint: rep.safePoint } = restoreKv(rd.snapshot.data));
      rep.applied = rd.snapshot.metadata.index;
    }
    rep.storage.append(rd.entries);
    if (rd.hardState) rep.storage.setHardState(rd.hardState);
    for (const m of rd.messages) {
      for (const d of this.network.schedule(m)) this.at(d, { kind: "deliver", msg: m });
    }
    for (const e of rd.committedEntries) {
      if (e.index <= rep.applied) continue;
      rep.applied = e.index;
      const waiting = rep.pending.get(e.index);
      rep.pending.delete(e.index);
      if (e.type !== "normal" || e.data.byteLength === 0) {
        waiting?.reply({ ok: false, dropped: true });
        continue;
      }
      const { nowMs, command } = decodeProposal(e.data);
      const result = applyCommand(rep.kv, command, nowMs, {
        bugs: this.o.bugs ?? {},
        safePoint: rep.safePoint,
        range: rep.range,
      });
      if (command.type === "gc") rep.safePoint = Math.max(rep.safePoint, command.safePoint);
      if (waiting)
        waiting.reply(waiting.term === e.term ? { ok: true, value: result } : { ok: false, dropped: true });
    }
    for (const rs of rd.readStates) {
      const r = rep.reads.get(rs.requestCtx);
      if (r) r.index = rs.index;
    }
    raft.advance(rd);
    for (const [ctx, r] of rep.reads) {
      if (r.index !== undefined && rep.applied >= r.index) {
        rep.reads.delete(ctx);
        r.serve();
      }
    }
    if (rep.applied - rep.storage.snapshot().metadata.index >= COMPACT_EVERY_ENTRIES) {
      rep.storage.createSnapshot(rep.applied, raft.confState(), snapshotKv(rep.kv, rep.safePoint));
      const to = rep.applied - 5;
      if (to > rep.storage.firstIndex()) rep.storage.compact(to);
    }
  }

  // ---- RPC: a client call to one store -----------------------------------------------------------

  /** Sends a request to `storeId`; the reply travels back over the network (or is lost). */
  private rpc(client: string, storeId: string, handle: (reply: (r: Reply) => void) => void): Promise<Reply> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (r: Reply | Error) => {
        if (settled) return;
        settled = true;
        this.microtaskWork = true;
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      this.at(RPC_TIMEOUT_MS, { kind: "call", fn: () => settle(new Error(`rpc to ${storeId} timed out`)) });
      const there = this.network.schedule({ from: client, to: storeId } as Message);
      if (there.length === 0) return;
      this.at(there[0]!, {
        kind: "call",
        fn: () => {
          const store = this.stores.get(storeId)!;
          if (!store.up) return;
          handle((r) => {
            const back = this.network.schedule({ from: storeId, to: client } as Message);
            if (back.length > 0) this.at(back[0]!, { kind: "call", fn: () => settle(r) });
          });
        },
      });
    });
  }

  private regionOf(key: Uint8Array): Region {
    return this.regions.find((r) => regionHolds(r, key))!;
  }

  private handleExecute(storeId: string, region: Region, cmd: Command, reply: (r: Reply) => void): void {
    const store = this.stores.get(storeId)!;
    const rep = store.replicas.get(region.id)!;
    const raft = rep.raft!;
    try {
      const { index, term } = raft.propose(encodeProposal({ nowMs: this.now, command: cmd }));
      rep.pending.set(index, { term, reply });
    } catch (e) {
      if (!(e instanceof ProposalDroppedError)) throw e;
      reply({ ok: false, notLeader: true, hint: e.leaderHint || undefined });
      return;
    }
    this.drain(store, region.id);
  }

  private handleRead(storeId: string, region: Region, serve: () => unknown, reply: (r: Reply) => void): void {
    const store = this.stores.get(storeId)!;
    const rep = store.replicas.get(region.id)!;
    const raft = rep.raft!;
    if (raft.status().role !== "leader") {
      reply({ ok: false, notLeader: true, hint: raft.status().lead || undefined });
      return;
    }
    const ctx = `${this.events}:${this.rng.next()}`;
    rep.reads.set(ctx, { index: undefined, serve: () => reply({ ok: true, value: serve() }) });
    try {
      raft.readIndex(ctx);
    } catch (e) {
      if (!(e instanceof ReadIndexDroppedError)) throw e;
      rep.reads.delete(ctx);
      reply({ ok: false, notLeader: true, hint: undefined });
      return;
    }
    this.drain(store, region.id);
  }

  /** The router one client incarnation uses; `alive()` false makes every call hang (a crash). */
  router(client: string, alive: () => boolean): RegionRouter {
    const leaderHint = new Map<string, string>();
    const call = async (
      region: Region,
      handle: (storeId: string, reply: (r: Reply) => void) => void,
    ): Promise<unknown> => {
      // A few store hops per call (not-leader redirects); the txn client retries beyond that.
      let lastErr: unknown;
      for (let hop = 0; hop < 3; hop++) {
        if (!alive()) return new Promise(() => {});
        const storeId = leaderHint.get(region.id) ?? this.rng.pick(STORES);
        let r: Reply;
        try {
          r = await this.rpc(client, storeId, (reply) => handle(storeId, reply));
        } catch (e) {
          leaderHint.delete(region.id);
          lastErr = e;
          continue;
        }
        if (!alive()) return new Promise(() => {});
        if (r.ok) {
          leaderHint.set(region.id, storeId);
          return r.value;
        }
        if ("notLeader" in r && r.hint && r.hint !== storeId) leaderHint.set(region.id, r.hint);
        else leaderHint.delete(region.id);
        lastErr = new Error(`region ${region.id}: ${"notLeader" in r ? "not leader" : "proposal dropped"}`);
        await this.later(this.rng.between(2, 10), () => undefined);
      }
      throw lastErr;
    };
    return {
      groupByRegion: async (keys) => {
        const groups = new Map<string, Uint8Array[]>();
        for (const k of keys) {
          const id = this.regionOf(k).id;
          groups.set(id, [...(groups.get(id) ?? []), k]);
        }
        return [...groups.values()];
      },
      execute: async (key: Uint8Array, cmd: Command): Promise<CommandResult> => {
        const region = this.regionOf(key);
        return (await call(region, (s, reply) => this.handleExecute(s, region, cmd, reply))) as CommandResult;
      },
      read: async <R extends ReadRequest>(req: R): Promise<ReadResponse<R>> => {
        const region =
          req.op === "get"
            ? this.regionOf(req.key)
            : req.op === "batchGet"
              ? this.regionOf(req.keys[0]!)
              : this.regions.find((r) => regionStartsScan(r, req))!;
        const serve = (storeId: string) => () => {
          const rep = this.stores.get(storeId)!.replicas.get(region.id)!;
          const kv = rep.kv;
          const opts = {
            ignoreLocksOf: req.ignoreLocksOf ?? [],
            bugs: this.o.bugs ?? {},
            safePoint: rep.safePoint,
          };
          if (req.op === "get") return txnGet(kv, req.key, req.ts, opts);
          if (req.op === "batchGet") return txnBatchGet(kv, req.keys, req.ts, opts);
          return scanInRegion(kv, region, req, req.ts, opts);
        };
        return (await call(region, (s, reply) =>
          this.handleRead(s, region, serve(s), reply),
        )) as ReadResponse<R>;
      },
      tso: async () => {
        if (!alive()) return new Promise(() => {});
        return this.later(1 + this.rng.int(3), () => ++this.tsoCounter);
      },
    };
  }

  // ---- clients ----------------------------------------------------------------------------------

  private async clientLoop(clientNo: number, incarnation: number): Promise<void> {
    const name = `c${clientNo}`;
    let crashed = false;
    let client: TxnClient | undefined;
    // Per txn, maybe a crash after a random number of router calls (mid-read or mid-commit).
    let budget = Number.POSITIVE_INFINITY;
    const alive = () => {
      if (crashed) return false;
      if (budget-- <= 0) {
        crashed = true;
        if (client) this.liveClients.delete(client);
        this.stats.clientCrashes++;
        // A new incarnation of the client starts a little later; the old one's locks stay.
        this.at(this.rng.between(20, 200), {
          kind: "call",
          fn: () => {
            this.microtaskWork = true;
            void this.clientLoop(clientNo, incarnation + 1);
          },
        });
        return false;
      }
      return true;
    };
    client = new TxnClient(this.router(`${name}.${incarnation}`, alive), {
      sleep: (ms) => this.later(ms, () => undefined),
      lockTtlMs: LOCK_TTL_MS,
      maxLockWaitMs: 1500,
      awaitSecondaries: this.rng.chance(0.7),
    });
    // Only live clients hold the safe point back: a crashed one's txns are resolved by GC.
    this.liveClients.add(client);
    let seq = 0;
    while (this.faultsActive && !crashed) {
      const id = `${name}.${incarnation}.${seq++}`;
      budget = this.rng.chance(0.08) ? this.rng.between(1, 12) : Number.POSITIVE_INFINITY;
      await this.runOneTxn(client, id);
      if (crashed) return;
      await this.later(this.rng.int(15), () => undefined);
    }
  }

  private async runOneTxn(client: TxnClient, id: string, final = false): Promise<void> {
    const ops: Op[] = [];
    // Recorded up front as unknown: a client that crashes mid-way never comes back to finish it.
    const rec: { -readonly [K in keyof TxnRecord]: TxnRecord[K] } = {
      id,
      status: "unknown",
      beginMs: this.now,
      ops,
      ...(final ? { final } : {}),
    };
    this.history.push(rec);
    try {
      const tx = final ? await client.snapshot() : await client.begin();
      const shape = final
        ? "scan"
        : this.rng.pick(["rw", "rw", "rw", "rw", "scan", "scan", "batch", "slow"] as const);
      if (shape === "rw") {
        const keys = this.rng.pick([1, 2, 2, 3]);
        const chosen = new Set<string>();
        while (chosen.size < keys) chosen.add(this.rng.pick(KEYS));
        let appended = false;
        for (const k of chosen) {
          const list = toList(await tx.get(enc.encode(k)));
          ops.push({ kind: "read", key: k, value: list });
          if (!appended || this.rng.chance(0.6)) {
            tx.put(enc.encode(k), fromList([...list, id]));
            ops.push({ kind: "append", key: k, prev: list });
            appended = true;
          }
        }
      } else if (shape === "slow") {
        // A long reader: one key at a time with pauses, while writers and GC go on; its snapshot
        // holds the safe point back, so every read sees the same snapshot.
        for (const k of KEYS) {
          await this.later(this.rng.between(20, 150), () => undefined);
          ops.push({ kind: "read", key: k, value: toList(await tx.get(enc.encode(k))) });
        }
      } else if (shape === "scan") {
        const i = final ? 0 : this.rng.int(KEYS.length);
        const j = final ? KEYS.length : this.rng.between(i + 1, KEYS.length);
        const start = enc.encode(KEYS[i]!);
        const end = j < KEYS.length ? enc.encode(KEYS[j]!) : undefined;
        const pairs = await tx.scan(start, end, { limit: 100, reverse: this.rng.chance(0.5) });
        const found = new Map(pairs.map(([k, v]) => [dec.decode(k), toList(v)]));
        for (const k of KEYS.slice(i, j)) ops.push({ kind: "read", key: k, value: found.get(k) ?? [] });
      } else {
        const keys = [...new Set([this.rng.pick(KEYS), this.rng.pick(KEYS), this.rng.pick(KEYS)])];
        const values = await tx.batchGet(keys.map((k) => enc.encode(k)));
        keys.forEach((k, i) => {
          ops.push({ kind: "read", key: k, value: toList(values[i]!) });
        });
      }
      await tx.commit();
      rec.status = "committed";
      rec.endMs = this.now;
    } catch (e) {
      // Before the primary commit nothing can commit the txn; after it was sent, only an
      // unanswered primary commit leaves the outcome open.
      rec.status = e instanceof CommitUnknownError ? "unknown" : "aborted";
      if (final) this.finalError = e;
    }
  }

  // ---- GC -------------------------------------------------------------------------------------

  /** A GC round at the oldest live txn, through the real GC driver, now and then. */
  private startGc(): void {
    if (this.faultsActive) this.at(GC_EVERY_MS, { kind: "call", fn: () => this.startGc() });
    if (this.gcRunning || this.o.gc === false) return;
    let safePoint = this.tsoCounter;
    for (const c of this.liveClients) {
      const oldest = c.oldestActiveTs();
      if (oldest !== undefined) safePoint = Math.min(safePoint, oldest - 1);
    }
    if (safePoint < 1) return;
    this.gcRunning = true;
    this.microtaskWork = true;
    const client = new TxnClient(
      this.router("gc", () => true),
      {
        sleep: (ms) => this.later(ms, () => undefined),
        lockTtlMs: LOCK_TTL_MS,
      },
    );
    void collectGarbage({
      client,
      regions: this.regions,
      safePoint,
      scanLocks: (start, maxTs, limit) => this.scanLocksRpc(start, maxTs, limit),
    })
      .then((r) => {
        this.stats.gcRounds++;
        this.stats.gcRemoved += r.versionsRemoved;
      })
      .catch(() => undefined) // a live lock below the safe point or an unreachable region: next round
      .finally(() => {
        this.gcRunning = false;
      });
  }

  private async scanLocksRpc(start: Uint8Array, maxTs: number, limit: number): Promise<ScanLocksResult> {
    const region = this.regionOf(start.length > 0 ? start : new Uint8Array([0]));
    for (let attempt = 0; attempt < 20; attempt++) {
      const storeId = this.rng.pick(STORES);
      try {
        const r = await this.rpc("gc", storeId, (reply) =>
          this.handleRead(
            storeId,
            region,
            () =>
              scanLocks(
                this.stores.get(storeId)!.replicas.get(region.id)!.kv,
                start,
                region.end,
                maxTs,
                limit,
              ),
            reply,
          ),
        );
        if (r.ok) return r.value as ScanLocksResult;
      } catch {
        // timed out: try another store
      }
      await this.later(20, () => undefined);
    }
    throw new Error("scanLocks: no leader answered");
  }

  // ---- faults -----------------------------------------------------------------------------------

  private injectFault(): void {
    const kind = this.rng.pick(["partition", "partition", "crash", "transfer"] as const);
    if (kind === "partition") {
      if (this.network.hasPartition()) return;
      this.stats.partitions++;
      const victim = this.rng.pick(STORES);
      const oneWay = this.rng.chance(0.3);
      for (const other of STORES) {
        if (other === victim) continue;
        this.network.cutLink(victim, other);
        if (!oneWay) this.network.cutLink(other, victim);
      }
      this.at(this.rng.between(100, 600), { kind: "heal" });
    } else if (kind === "crash") {
      const up = [...this.stores.values()].filter((s) => s.up);
      if (up.length < STORES.length) return; // keep a majority of every region alive
      this.crashStore(this.rng.pick(up));
    } else {
      const region = this.rng.pick(this.regions);
      for (const s of this.stores.values()) {
        const raft = s.replicas.get(region.id)!.raft;
        if (raft?.status().role === "leader") {
          const to = this.rng.pick(STORES.filter((x) => x !== s.id));
          raft.transferLeadership(to);
          this.stats.transfers++;
          this.drain(s, region.id);
          return;
        }
      }
    }
  }

  private handle(ev: Ev): void {
    switch (ev.kind) {
      case "tick": {
        const store = this.stores.get(ev.store)!;
        if (!store.up || store.incarnation !== ev.incarnation) return;
        for (const [regionId, rep] of store.replicas) {
          rep.raft!.tick();
          this.drain(store, regionId);
        }
        this.at(TICK_MS, ev);
        return;
      }
      case "deliver": {
        const store = this.stores.get(ev.msg.to);
        if (!store?.up || this.network.isCut(ev.msg.from, ev.msg.to)) return;
        const rep = store.replicas.get(ev.msg.groupId)!;
        rep.raft!.step(ev.msg);
        this.drain(store, ev.msg.groupId);
        return;
      }
      case "call":
        ev.fn();
        return;
      case "fault":
        if (!this.faultsActive) return;
        this.injectFault();
        this.at(this.rng.between(100, 400), { kind: "fault" });
        return;
      case "heal":
        this.network.healAll();
        return;
      case "restart": {
        const store = this.stores.get(ev.store)!;
        if (!store.up) this.startStore(store);
        return;
      }
    }
  }

  async run(): Promise<TxnSimResult> {
    for (let c = 0; c < this.o.clients; c++) {
      this.at(this.rng.int(50), {
        kind: "call",
        fn: () => {
          this.microtaskWork = true;
          void this.clientLoop(c, 0);
        },
      });
    }
    this.at(this.rng.between(100, 300), { kind: "fault" });
    this.at(GC_EVERY_MS, { kind: "call", fn: () => this.startGc() });
    let finalDone = false;
    const hardStop = this.endMs + QUIET_MS * 2;
    for (;;) {
      const ev = this.queue.pop();
      if (!ev || ev.timeMs > hardStop || this.events > MAX_EVENTS) break;
      this.now = ev.timeMs;
      this.events++;
      if (this.faultsActive && this.now >= this.endMs) {
        this.faultsActive = false;
        this.network.healAll();
        this.network.faults = RELIABLE;
        for (const s of this.stores.values()) if (!s.up) this.at(1, { kind: "restart", store: s.id });
        // After the quiet phase, one final snapshot read of every key.
        this.at(QUIET_MS, {
          kind: "call",
          fn: () => {
            this.microtaskWork = true;
            const client = new TxnClient(
              this.router("final", () => true),
              {
                sleep: (ms) => this.later(ms, () => undefined),
                lockTtlMs: LOCK_TTL_MS,
                maxLockWaitMs: QUIET_MS,
              },
            );
            void this.runOneTxn(client, "final", true).then(() => {
              finalDone = true;
            });
          },
        });
      }
      this.handle(ev.item);
      if (this.microtaskWork) {
        this.microtaskWork = false;
        // Let the client code that this event woke run to its next wait, at this virtual time.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (finalDone) break;
    }
    if (!finalDone)
      throw new Error(`seed ${this.o.seed}: the final read did not finish (livelock or lost liveness)`);
    for (const t of this.history) {
      if (t.final) continue;
      if (t.status === "committed") this.stats.committed++;
      else if (t.status === "aborted") this.stats.aborted++;
      else this.stats.unknown++;
    }
    if (this.finalError !== undefined) {
      throw new Error(`seed ${this.o.seed}: the final read failed: ${String(this.finalError)}`);
    }
    this.stats.events = this.events;
    this.stats.virtualMs = this.now;
    return {
      seed: this.o.seed,
      anomalies: checkSnapshotIsolation(this.history),
      stats: this.stats,
      history: this.history,
    };
  }
}

export function runTxnSimulation(o: TxnSimOptions): Promise<TxnSimResult> {
  return new TxnSimulation(o).run();
}
