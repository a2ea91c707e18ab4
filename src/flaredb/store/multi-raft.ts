// Runs every region replica of a store: one tick loop, one transport, and one Ready loop that
// takes the Readies of all groups at once and persists them — entries, hard states, received
// snapshots and the application of committed entries — in ONE LMDB transaction, so a batch of
// writes across hundreds of regions costs one fsync. Messages go out only after that fsync.
import type { Logger } from "pino";
import { ApiError } from "../../core/errors.ts";
import {
  type ConfChange,
  type Message,
  ProposalDroppedError,
  ReadIndexDroppedError,
  type Ready,
} from "../../core/raft/index.ts";
import { TcpTransport } from "../../core/raft/transport.ts";
import type { RegionDescriptor } from "../api.ts";
import { GroupLog } from "./group-log.ts";
import { rangesOverlap } from "./key-range.ts";
import { LmdbKv } from "./kv-view.ts";
import {
  COMPACT_LOG_ENTRIES,
  type FollowUp,
  type RegionEntry,
  RegionPeer,
  type RegionSnapshotImage,
  TICK_MS,
} from "./region-peer.ts";
import type { StoreDb } from "./store-db.ts";

/** A proposal not applied within this long fails; its outcome is unknown to the client. */
export const PROPOSAL_TIMEOUT_MS = 10_000;
/** A read that gets no confirmed read index within this long fails. */
export const READ_TIMEOUT_MS = 5_000;
/** Reads waiting for one region's next read-index request at most. */
export const MAX_QUEUED_READS_PER_REGION = 10_000;
/** Uninitialized replicas (created by a leader's message before their data arrives) at most. */
export const MAX_UNINITIALIZED_PEERS = 1_000;
/**
 * A replica the placement driver calls stale is destroyed only after no leader has written to
 * it for this long. Replica ids are store ids, so a replica the PD saw removed may already be a
 * member again (re-added by a conf change the PD has not heard of yet) with the leader counting
 * its log (progress match): destroying it then loses acknowledged entries from that replica and
 * leaves the leader sending `commit N` to an empty recreated replica that can never catch up
 * (its rejections look stale to the leader). A member hears a heartbeat every
 * HEARTBEAT_TICKS × TICK_MS (200 ms); a removed replica hears nothing.
 */
export const STALE_REPLICA_QUIET_MS = 5_000;
/** Ready-loop turns in a row before it yields to the event loop's timers and I/O. */
export const MAX_TURNS_WITHOUT_YIELD = 64;

export interface MultiRaftOptions {
  db: StoreDb;
  storeId: string;
  log: Logger;
  host: string;
  raftPort: number;
  random: () => number;
  now: () => number;
}

/** Messages a leader may send before its own log is fsynced. */
function isLeaderBroadcast(m: Message): boolean {
  return m.type === "app" || m.type === "heartbeat";
}

/** What a read served at once under the leader's lease awaits. */
const RESOLVED: Promise<void> = Promise.resolve();

export class MultiRaft {
  readonly peers = new Map<number, RegionPeer>();
  private transport!: TcpTransport;
  private ticker!: NodeJS.Timeout;
  private running = false;
  private scheduled = false;
  private closed = false;
  private nextRead = 0;
  /**
   * Regions whose destroy transaction has not committed: a message for one must not recreate
   * it yet, or the new replica would load the old log and hard state still on disk (commit N
   * with entries about to vanish: a Ready loop that never empties, the store starved).
   */
  private readonly destroying = new Set<number>();
  /** Regions with reads waiting for their next read-index request. */
  private readonly readsQueued = new Set<RegionPeer>();
  /** A Ready transaction is committing: replicas' `applied` may be ahead of what reads see. */
  private applyInFlight = false;
  fatal: Error | undefined;

  private constructor(private readonly o: MultiRaftOptions) {}

  static async start(o: MultiRaftOptions): Promise<MultiRaft> {
    const m = new MultiRaft(o);
    for (const { key, value } of o.db.regions.getRange({})) {
      const id = key as number;
      m.addPeer(new GroupLog(o.db, id), value.region, value.applied);
    }
    m.transport = await TcpTransport.start({
      id: o.storeId,
      host: o.host,
      port: o.raftPort,
      log: o.log,
      onMessages: (msgs) => m.onMessages(msgs),
      onUnreachable: (to, groups) => {
        for (const g of groups) m.peers.get(Number(g))?.node.reportUnreachable(to);
      },
    });
    m.ticker = setInterval(() => {
      for (const p of m.peers.values()) {
        try {
          p.node.tick();
        } catch (err) {
          // One broken group must not take the store (and every other region) down with it.
          o.log.error({ err, region: p.id }, "flaredb: a raft tick failed");
        }
      }
      m.kick();
    }, TICK_MS);
    m.ticker.unref();
    m.kick();
    return m;
  }

  get raftPort(): number {
    return this.transport.port;
  }

  setStoreAddress(storeId: string, raftAddress: string): void {
    if (storeId !== this.o.storeId) this.transport.setPeer(storeId, raftAddress);
  }

  private addPeer(log: GroupLog, region: RegionDescriptor | undefined, applied: number): RegionPeer {
    const ctx = {
      db: this.o.db,
      storeId: this.o.storeId,
      peerOf: (id: number) => this.peers.get(id),
    };
    const p = new RegionPeer(log.regionId, log, region, applied, ctx, this.o.random);
    this.peers.set(p.id, p);
    return p;
  }

  /** A founding replica of a region the placement driver bootstraps. */
  async bootstrap(region: RegionDescriptor): Promise<void> {
    if (this.peers.get(region.id)?.region || this.destroying.has(region.id)) return;
    const log = this.peers.get(region.id)?.log ?? new GroupLog(this.o.db, region.id);
    await this.o.db.root.transaction(() => {
      log.stageBootstrap(region.peers);
      this.o.db.regions.putSync(region.id, { region, applied: 1 });
    });
    log.commitStaged();
    this.addPeer(log, region, 1);
    this.kick();
  }

  private onMessages(msgs: Message[]): void {
    for (const m of msgs) {
      const id = Number(m.groupId);
      let p = this.peers.get(id);
      if (!p) {
        if (this.destroying.has(id)) continue;
        // A leader talks to a replica we do not hold yet (added to us, or the right half of a
        // split we have not applied): create it empty; it learns the region from a snapshot.
        if (!["app", "heartbeat", "snap"].includes(m.type) || !Number.isInteger(id) || id < 1) continue;
        // A heartbeat's commit is capped at what the leader believes we hold: a commit > 0 to a
        // replica we do not have was sent to a copy destroyed since (its removal applied here
        // before the leader's): a new, empty replica could not take it (commit beyond last index).
        if (m.type === "heartbeat" && m.commit > 0) continue;
        const uninit = [...this.peers.values()].filter((x) => !x.region).length;
        if (uninit >= MAX_UNINITIALIZED_PEERS) continue;
        p = this.addPeer(new GroupLog(this.o.db, id), undefined, 0);
      }
      if (m.type === "snap" && m.snapshot && !this.snapshotFits(p, m.snapshot.data)) continue;
      if (m.type === "app" || m.type === "heartbeat" || m.type === "snap") p.heardFromLeaderMs = this.o.now();
      try {
        p.node.step(m);
      } catch (err) {
        this.o.log.warn({ err, region: id }, "flaredb: stepping a raft message failed");
      }
    }
    this.kick();
  }

  /** A snapshot must not overlap another region this store holds (a split not yet applied here). */
  private snapshotFits(p: RegionPeer, data: Uint8Array): boolean {
    let image: RegionSnapshotImage;
    try {
      image = JSON.parse(new TextDecoder().decode(data)) as RegionSnapshotImage;
    } catch {
      return false;
    }
    for (const other of this.peers.values()) {
      if (other === p || !other.region) continue;
      if (rangesOverlap(other.region, image.region)) return false;
    }
    return true;
  }

  // ---- client operations ----

  peerFor(id: number): RegionPeer | undefined {
    const p = this.peers.get(id);
    return p && !p.destroyed ? p : undefined;
  }

  /** Proposes a JSON entry or a binary command entry (command-entry.ts); resolves once applied. */
  propose(p: RegionPeer, entry: RegionEntry | Uint8Array): Promise<unknown> {
    const data = entry instanceof Uint8Array ? entry : new TextEncoder().encode(JSON.stringify(entry));
    let at: { index: number; term: number };
    try {
      at = p.node.propose(data);
    } catch (err) {
      return Promise.reject(this.dropped(p, err));
    }
    this.kick();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        p.proposals.delete(at.index);
        reject(
          new ApiError(
            "DeadlineExceeded",
            `region ${p.id}: write not applied within ${PROPOSAL_TIMEOUT_MS} ms; its outcome is unknown`,
          ),
        );
      }, PROPOSAL_TIMEOUT_MS);
      p.proposals.set(at.index, { term: at.term, resolve, reject, timer });
    });
  }

  proposeConfChange(p: RegionPeer, cc: ConfChange): void {
    p.node.proposeConfChange(cc);
    this.kick();
  }

  transferLeader(p: RegionPeer, to: string): void {
    p.node.transferLeadership(to);
    this.kick();
  }

  /**
   * Resolves when reading the region's local state is linearizable (leader lease or ReadIndex).
   * Reads are batched: all that arrive before the Ready loop's next turn share one read-index
   * request, issued at that turn (never earlier than the read, so the index it returns covers
   * every write acknowledged before the read arrived).
   */
  readIndex(p: RegionPeer): Promise<void> {
    if (
      p.readQueue.length >= MAX_QUEUED_READS_PER_REGION ||
      p.appliedWaiters.length >= MAX_QUEUED_READS_PER_REGION
    )
      return Promise.reject(
        new ApiError("Unavailable", `region ${p.id}: ${MAX_QUEUED_READS_PER_REGION} reads queued; retry`),
      );
    // Under a valid lease the leader knows its read index now: no Ready turn, no timer, unless
    // the state machine has not made that index visible yet (apply staged in a transaction
    // that has not committed, or not applied at all): then wait for the apply.
    const leaseIndex = p.node.leaseReadIndex();
    if (leaseIndex !== undefined) {
      if (!this.applyInFlight && p.applied >= leaseIndex) return RESOLVED;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = p.appliedWaiters.findIndex((w) => w.timer === timer);
          if (i >= 0) p.appliedWaiters.splice(i, 1);
          reject(new ApiError("Unavailable", `region ${p.id}: not caught up to the read index`));
        }, READ_TIMEOUT_MS);
        p.appliedWaiters.push({ index: leaseIndex, resolve, reject, timer });
      });
    }
    return new Promise<void>((resolve, reject) => {
      p.readQueue.push({ resolve, reject });
      this.readsQueued.add(p);
      this.kick();
    });
  }

  /** One read-index request per region for the reads queued since the last turn. */
  private issueReads(): void {
    for (const p of this.readsQueued) {
      const waiters = p.readQueue;
      p.readQueue = [];
      if (waiters.length === 0 || p.destroyed) continue;
      const ctx = `${this.o.storeId}:${++this.nextRead}`;
      const fail = (err: Error) => {
        for (const w of waiters) w.reject(err);
      };
      const timer = setTimeout(() => {
        p.reads.delete(ctx);
        fail(
          new ApiError(
            "Unavailable",
            `region ${p.id}: read index not confirmed within ${READ_TIMEOUT_MS} ms`,
          ),
        );
      }, READ_TIMEOUT_MS);
      const done = () => {
        for (const w of waiters) w.resolve();
      };
      p.reads.set(ctx, {
        resolve: (index) => {
          if (p.applied >= index) {
            done();
            return;
          }
          const t = setTimeout(
            () => fail(new ApiError("Unavailable", `region ${p.id}: not caught up to the read index`)),
            READ_TIMEOUT_MS,
          );
          p.appliedWaiters.push({ index, resolve: done, reject: fail, timer: t });
        },
        reject: fail,
        timer,
      });
      try {
        p.node.readIndex(ctx);
      } catch (err) {
        clearTimeout(timer);
        p.reads.delete(ctx);
        fail(
          err instanceof ReadIndexDroppedError ? new ApiError("Unavailable", err.message) : (err as Error),
        );
      }
    }
    this.readsQueued.clear();
  }

  private dropped(p: RegionPeer, err: unknown): Error {
    if (err instanceof ProposalDroppedError) {
      if (err.reason === "notLeader" || err.reason === "transferring" || err.reason === "removed") {
        return new ApiError("FailedPrecondition", `region ${p.id}: this store is not the leader`, {
          reason: "NotLeader",
          regionId: p.id,
          leader: err.leaderHint || undefined,
        });
      }
      return new ApiError("Unavailable", `region ${p.id}: ${err.message}; retry`);
    }
    return err as Error;
  }

  // ---- the Ready loop ----

  kick(): void {
    if (this.scheduled || this.running || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.loop();
    });
  }

  private async loop(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    let turns = 0;
    try {
      for (;;) {
        // A turn without a write awaits nothing but microtasks: yield to timers and sockets
        // now and then, so no replica's Ready (however it misbehaves) can starve the heartbeat.
        if (++turns % MAX_TURNS_WITHOUT_YIELD === 0) await new Promise((r) => setImmediate(r));
        if (this.readsQueued.size) this.issueReads();
        const batch: Array<{ p: RegionPeer; rd: Ready }> = [];
        for (const p of this.peers.values())
          if (!p.destroyed && p.node.hasReady()) batch.push({ p, rd: p.node.ready() });
        if (batch.length === 0 || this.closed) break;
        await this.process(batch);
      }
    } catch (err) {
      this.fatal = err as Error;
      this.o.log.fatal({ err }, "flaredb: processing a batch of Readies failed; this store stops serving");
      this.closed = true;
    } finally {
      this.running = false;
    }
  }

  private async process(batch: Array<{ p: RegionPeer; rd: Ready }>): Promise<void> {
    const results = new Map<RegionPeer, Map<number, unknown>>();
    const followUps: FollowUp[] = [];
    let settled = false;
    const needsWrite = batch.some(
      ({ rd }) => rd.snapshot || rd.entries.length || rd.hardState || rd.committedEntries.length,
    );
    // A leader's appends and heartbeats promise nothing about its own disk (it counts itself
    // towards a quorum only after advance()), so they leave before the fsync and followers
    // persist in parallel with the leader, as core/raft's node driver does. Votes, acks and
    // anything sent while the term or vote changes wait for the fsync.
    const late: Array<readonly Message[]> = [];
    for (const { p, rd } of batch) {
      if (!rd.messages.length || !this.sendsEarly(p, rd)) {
        late.push(rd.messages);
        continue;
      }
      const first = rd.messages.filter(isLeaderBroadcast);
      if (first.length) this.transport.send(first);
      late.push(first.length === rd.messages.length ? [] : rd.messages.filter((m) => !isLeaderBroadcast(m)));
    }
    if (needsWrite) {
      this.applyInFlight = true;
      try {
        await this.o.db.root.transaction(() => {
          for (const { p, rd } of batch) {
            if (rd.snapshot) p.stageSnapshot(rd.snapshot);
            p.log.stageEntries(rd.entries);
            if (rd.hardState) p.log.stageHardState(rd.hardState);
            if (rd.committedEntries.length) {
              const r = new Map<number, unknown>();
              p.stageApply(rd.committedEntries, r, followUps);
              results.set(p, r);
              if (p.applied - p.log.firstIndex() > COMPACT_LOG_ENTRIES)
                p.log.stageCompact(p.applied, p.node.confState());
            }
          }
          // Committed entries are durable on a quorum already (the leader counts its own
          // log only once persisted), so their writers are answered now rather than after
          // this transaction's fsync; a crash replays them from the log. Reads still wait
          // until the apply is visible (applyInFlight). A split's follow-ups go first.
          if (followUps.length === 0) {
            for (const { p, rd } of batch) {
              const r = results.get(p);
              if (r) this.settleProposals(p, rd, r);
            }
            settled = true;
          }
        });
      } catch (err) {
        for (const { p } of batch) p.log.dropStaged();
        throw err;
      } finally {
        this.applyInFlight = false;
      }
    }
    for (const { p } of batch) p.log.commitStaged();
    for (const [i, { p, rd }] of batch.entries()) {
      if (rd.softState) {
        p.lead = rd.softState.lead;
        p.leading = rd.softState.role === "leader";
      }
      if (late[i]!.length) this.transport.send(late[i]!);
      const r = results.get(p);
      if (r && !settled) this.settleProposals(p, rd, r);
      for (const rs of rd.readStates) {
        const w = p.reads.get(rs.requestCtx);
        if (!w) continue;
        clearTimeout(w.timer);
        p.reads.delete(rs.requestCtx);
        w.resolve(rs.index);
      }
      p.node.advance(rd);
      for (let i = p.appliedWaiters.length - 1; i >= 0; i--) {
        const w = p.appliedWaiters[i]!;
        if (w.index <= p.applied) {
          clearTimeout(w.timer);
          p.appliedWaiters.splice(i, 1);
          w.resolve();
        }
      }
    }
    for (const f of followUps) {
      if (f.type === "created") {
        f.log.commitStaged();
        const old = this.peers.get(f.log.regionId);
        if (old) this.failWaiters(old, "replaced by the split that created it");
        const p = this.addPeer(f.log, f.region, 1);
        // The parent's leader campaigns at once, so the new region serves without waiting
        // out an election timeout (its peers hold the same log and vote for it).
        if (f.parentLeader) p.node.campaign();
      } else await this.destroy(f.id);
    }
  }

  /** Whether this Ready's leader broadcasts may leave before its fsync (see process()). */
  private sendsEarly(p: RegionPeer, rd: Ready): boolean {
    const leading = rd.softState ? rd.softState.role === "leader" : p.leading;
    if (!leading || rd.snapshot) return false;
    if (!rd.hardState) return true;
    const stored = p.log.persistedHardState;
    return rd.hardState.term === stored.term && rd.hardState.vote === stored.vote;
  }

  private settleProposals(p: RegionPeer, rd: Ready, results: Map<number, unknown>): void {
    for (const e of rd.committedEntries) {
      const w = p.proposals.get(e.index);
      if (!w) continue;
      p.proposals.delete(e.index);
      clearTimeout(w.timer);
      if (w.term !== e.term) {
        // Another leader's entry took this index: ours was never committed, so retrying is safe.
        w.reject(
          new ApiError(
            "FailedPrecondition",
            `region ${p.id}: leadership changed before the write committed`,
            { reason: "NotLeader", regionId: p.id, leader: p.lead || undefined },
          ),
        );
        continue;
      }
      const r = results.get(e.index) as
        | { result?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } }
        | undefined;
      if (r?.error) w.reject(new ApiError(r.error.code as "Internal", r.error.message, r.error.details));
      else w.resolve(r?.result ?? r);
    }
  }

  private failWaiters(p: RegionPeer, why: string): void {
    const err = new ApiError("FailedPrecondition", `region ${p.id}: ${why}`, {
      reason: "RegionNotFound",
      regionId: p.id,
    });
    for (const w of p.proposals.values()) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    p.proposals.clear();
    for (const r of p.reads.values()) {
      clearTimeout(r.timer);
      r.reject(err);
    }
    p.reads.clear();
    for (const r of p.readQueue.splice(0)) r.reject(err);
    for (const w of p.appliedWaiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  /**
   * Destroys a replica the placement driver reports removed from its region, unless a leader
   * still treats it as a member (see STALE_REPLICA_QUIET_MS) or it leads; the PD asks again on
   * the next heartbeat. Returns whether it was destroyed.
   */
  async destroyStale(id: number): Promise<boolean> {
    const p = this.peers.get(id);
    if (!p || p.destroyed || p.isLeader) return false;
    if (this.o.now() - p.heardFromLeaderMs < STALE_REPLICA_QUIET_MS) {
      this.o.log.debug({ region: id }, "flaredb: a leader still writes to this replica; not destroying it");
      return false;
    }
    await this.destroy(id);
    return true;
  }

  /** Removes a replica from this store: its log, its state and (if no other region holds it) its data. */
  async destroy(id: number): Promise<void> {
    const p = this.peers.get(id);
    if (!p) return;
    p.destroyed = true;
    this.peers.delete(id);
    this.failWaiters(p, "replica removed from this store");
    const region = p.region;
    const overlapped =
      region && [...this.peers.values()].some((o) => o.region && rangesOverlap(o.region, region));
    this.destroying.add(id);
    try {
      await this.o.db.root.transaction(() => {
        p.log.stageDestroy();
        this.o.db.regions.removeSync(id);
        if (region && !overlapped) {
          const kv = new LmdbKv(this.o.db.data);
          for (const [s, e] of p.ranges(region))
            for (const [k] of [...kv.scan(s, e, Number.MAX_SAFE_INTEGER, false)]) kv.delete(k);
        }
      });
    } finally {
      this.destroying.delete(id);
    }
    this.o.log.info({ region: id }, "flaredb: replica destroyed");
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.ticker);
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    for (const p of this.peers.values()) this.failWaiters(p, "store shutting down");
    await this.transport.close();
  }
}
