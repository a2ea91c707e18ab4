// chainfire's command log on Raft: one group whose entries are encoded Commands. The leader
// proposes; a follower forwards its clients' commands to the leader over the peer transport
// and answers once the entry is applied locally (apply is deterministic, so the outcome is the
// leader's). Lease keep-alives are forwarded too, because lease deadlines live on the leader.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import type { Logger } from "pino";
import { LmdbRaftEnv } from "../core/raft/lmdb-log-storage.ts";
import { RaftDriver } from "../core/raft/node-driver.ts";
import { RaftNode } from "../core/raft/raft-node.ts";
import type { DurableRaftStorage } from "../core/raft/storage.ts";
import { TcpTransport } from "../core/raft/transport.ts";
import type { ConfState, Entry, SoftState } from "../core/raft/types.ts";
import { WalLogStorage } from "../core/raft/wal-log-storage.ts";
import { EtcdError, etcdErrors } from "./etcd-errors.ts";
import type { MembershipChange, RaftView } from "./grpc/context.ts";
import type { KvStore, Replicator } from "./kv-store.ts";
import { decodeCommand, encodeCommand } from "./mvcc/command-codec.ts";
import type { ApplyOutcome } from "./mvcc/state-machine.ts";
import type { Command } from "./mvcc/types.ts";

export const RAFT_GROUP = "chainfire";
/** Raft tick; elections after 10 ticks (1 s), heartbeats every tick, as etcd's defaults. */
export const TICK_MS = 100;
export const ELECTION_TICKS = 10;
/** A proposal not applied within this long fails with "request timed out". */
export const PROPOSAL_TIMEOUT_MS = 7_000;
/** How long a proposal waits for a leader to exist before "no leader". */
export const LEADER_WAIT_MS = 3_000;
/** Outcomes kept for forwarded proposals whose reply arrives after the local apply. */
const RECENT_OUTCOMES = 4_096;
/** Forwarded requests in flight per member. */
const MAX_FORWARDED = 10_000;
/**
 * A learner is promoted only once its log holds this share of the leader's (etcd's 90 %), so a
 * new voter that is far behind cannot make the quorum wait for its catch-up.
 */
export const LEARNER_READY_FRACTION = 0.9;

export interface InitialMember {
  name: string;
  peerURL: string;
  id: string;
}

/** "a=http://h:2380,b=http://h:2381" → members with ids every member derives identically. */
export function parseInitialCluster(spec: string): InitialMember[] {
  return spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      if (eq <= 0) throw new Error(`initial cluster entry "${part}" is not name=peerURL`);
      const name = part.slice(0, eq);
      const peerURL = part.slice(eq + 1);
      return { name, peerURL, id: memberIdFor(peerURL) };
    });
}

export function clusterIdFrom(members: InitialMember[]): string {
  return idFrom(
    members
      .map((m) => m.id)
      .sort()
      .join(","),
  );
}

/** A member's id, from its (first) peer URL: MemberAdd and the joining member agree on it. */
export function memberIdFor(peerURL: string): string {
  return idFrom(peerURL);
}

function idFrom(text: string): string {
  const v = createHash("sha256").update(text).digest().readBigUInt64BE(0);
  return (v === 0n ? 1n : v).toString();
}

type Forward =
  | { t: "propose"; rid: number; bin: Uint8Array }
  | { t: "proposed"; rid: number; index: number; term: number }
  | { t: "keepalive"; rid: number; id: number }
  | { t: "conf"; rid: number; type: MembershipChange; nodeId: string }
  | { t: "ttl"; rid: number; ttl: number }
  | { t: "error"; rid: number; code: number; message: string };

interface Pending {
  term: number;
  resolve: (o: ApplyOutcome) => void;
  reject: (e: Error) => void;
}

export interface ReplicationOptions {
  store: KvStore;
  self: InitialMember;
  members: InitialMember[];
  dataDir: string;
  listen: string;
  peerPort: number;
  log: Logger;
  onLeaderChange?: (isLeader: boolean) => void;
  /** Joining a running cluster (etcd's --initial-cluster-state existing): no bootstrap membership. */
  join?: boolean;
  /** Compact the Raft log into a snapshot every this many applied entries. */
  snapshotEveryEntries?: number;
  /** Observes each fdatasync of the Raft log (seconds). */
  onLogSync?: (seconds: number) => void;
}

/**
 * The Raft log: a write-ahead log in <data-dir>/wal (one fdatasync per batch), or, for a data
 * dir created before the WAL existed, the LMDB log it already holds in <data-dir>/raft.
 */
async function openLog(
  o: ReplicationOptions,
  bootstrap: ConfState | undefined,
): Promise<{ storage: DurableRaftStorage; close: () => Promise<void> }> {
  const legacy = `${o.dataDir}/raft`;
  if (existsSync(`${legacy}/data.mdb`)) {
    const env = new LmdbRaftEnv(legacy);
    return { storage: env.group(RAFT_GROUP, bootstrap), close: () => env.close() };
  }
  const wal = await WalLogStorage.open(`${o.dataDir}/wal`, { log: o.log, bootstrap });
  if (o.onLogSync) {
    const observe = o.onLogSync;
    wal.onSync = (seconds) => observe(seconds);
  }
  return { storage: wal, close: () => wal.close() };
}

/** Default for snapshotEveryEntries (etcd: --snapshot-count 100 000; our entries are bigger). */
export const SNAPSHOT_EVERY_ENTRIES = 10_000;

export class RaftReplication implements Replicator, RaftView {
  private readonly pending = new Map<number, Pending>();
  private readonly recent = new Map<number, { term: number; outcome: ApplyOutcome | undefined }>();
  private readonly forwarded = new Map<
    number,
    { resolve: (f: Forward) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private nextRid = 0;
  private currentBarrier: Promise<void> | undefined;
  private nextBarrier: Promise<void> | undefined;
  private lead = "0";
  private leading = false;

  private constructor(
    private readonly o: ReplicationOptions,
    private readonly closeLog: () => Promise<void>,
    private readonly transport: TcpTransport,
    private readonly driver: RaftDriver,
  ) {}

  static async start(o: ReplicationOptions): Promise<RaftReplication> {
    const log = await openLog(o, o.join ? undefined : { voters: o.members.map((m) => m.id), learners: [] });
    const storage = log.storage;
    // The state image may lag the log after a power loss (it is not fsynced on its own); if the
    // log was compacted past it, the Raft snapshot holds the state to start from.
    const snap = storage.snapshot();
    if (snap.data.length > 0 && snap.metadata.index > o.store.appliedIndex) {
      o.store.restoreSnapshot(snap.data, snap.metadata.index);
    }
    const node = new RaftNode({
      groupId: RAFT_GROUP,
      id: o.self.id,
      storage,
      random: Math.random,
      electionTicks: ELECTION_TICKS,
      heartbeatTicks: 1,
      applied: Math.max(o.store.appliedIndex, storage.firstIndex() - 1),
    });
    let self: RaftReplication | undefined;
    const transport = await TcpTransport.start({
      id: o.self.id,
      host: o.listen,
      port: o.peerPort,
      log: o.log,
      onMessages: (ms) => {
        for (const m of ms) self?.driverStep(m);
      },
      onUnreachable: (to) => self?.driverUnreachable(to),
      onApp: (from, payload) => self?.onForward(from, payload as unknown as Forward),
    });
    for (const m of o.members) if (m.id !== o.self.id) transport.setPeer(m.id, m.peerURL);
    // Members that joined after bootstrap are known from the replicated member list.
    for (const m of o.store.view.memberList())
      if (m.id !== o.self.id && m.peerURLs[0]) transport.setPeer(m.id, m.peerURLs[0]);
    const driver = new RaftDriver({
      node,
      storage,
      send: (ms) => transport.send(ms),
      tickMs: TICK_MS,
      log: o.log,
      apply: (entries) => self?.apply(entries),
      restore: (snapshot) => o.store.restoreSnapshot(snapshot.data, snapshot.metadata.index),
      snapshotDue: (applied) =>
        applied - storage.firstIndex() + 1 >= (o.snapshotEveryEntries ?? SNAPSHOT_EVERY_ENTRIES)
          ? o.store.snapshotImage()
          : undefined,
      onSoftState: (s) => self?.onSoftState(s),
      onFatal: () => process.exitCode === undefined && o.log.fatal("chainfire: raft stopped"),
    });
    self = new RaftReplication(o, log.close, transport, driver);
    return self;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  // ---- RaftView ----

  term(): number {
    return this.driver.term;
  }

  /** Member id of the current leader, "0" if none is known. */
  leader(): string {
    return this.lead;
  }

  commitIndex(): number {
    return this.driver.commitIndex;
  }

  appliedIndex(): number {
    return this.driver.appliedIndex;
  }

  async keepAlive(id: number): Promise<number> {
    if (this.leading) return this.renewLocal(id);
    const reply = await this.forward({ t: "keepalive", rid: 0, id });
    return reply.t === "ttl" ? reply.ttl : 0;
  }

  private renewLocal(id: number): number {
    const lease = this.o.store.view.lease(id);
    return lease ? this.o.store.lessor.renew(id, lease.ttlSeconds) : 0;
  }

  // ---- Replicator ----

  async propose(cmd: Command): Promise<ApplyOutcome> {
    const data = encodeCommand(cmd);
    await this.awaitLeader();
    let at: { index: number; term: number };
    if (this.leading) {
      try {
        at = this.driver.propose(data);
      } catch {
        throw etcdErrors.noLeader();
      }
    } else {
      const reply = await this.forward({ t: "propose", rid: 0, bin: data });
      if (reply.t !== "proposed") throw etcdErrors.timeout();
      at = { index: reply.index, term: reply.term };
    }
    return this.outcomeAt(at.index, at.term);
  }

  /**
   * Reads that arrive while a ReadIndex round is in flight share the next round (etcd's
   * linearizable read loop): one heartbeat round serves a whole batch of reads, and every read
   * still uses a round that started after it arrived.
   */
  readBarrier(): Promise<void> {
    this.nextBarrier ??= (this.currentBarrier ?? Promise.resolve()).then(() => {
      const round = this.runBarrier();
      this.currentBarrier = round.catch(() => undefined);
      this.nextBarrier = undefined;
      return round;
    });
    return this.nextBarrier;
  }

  private async runBarrier(): Promise<void> {
    await this.awaitLeader();
    try {
      await this.driver.readIndex();
    } catch {
      throw etcdErrors.timeout();
    }
  }

  private outcomeAt(index: number, term: number): Promise<ApplyOutcome> {
    const done = this.recent.get(index);
    if (done) {
      if (done.term !== term || !done.outcome) return Promise.reject(etcdErrors.timeout());
      return Promise.resolve(done.outcome);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(index);
        reject(etcdErrors.timeout());
      }, PROPOSAL_TIMEOUT_MS);
      this.pending.set(index, {
        term,
        resolve: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  private async awaitLeader(): Promise<void> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    while (this.lead === "0") {
      if (Date.now() > deadline) throw etcdErrors.noLeader();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // ---- driver callbacks ----

  private driverStep(m: Parameters<RaftDriver["step"]>[0]): void {
    this.driver.step(m);
  }

  private driverUnreachable(to: string): void {
    this.driver.node.reportUnreachable(to);
  }

  private apply(entries: readonly Entry[]): void {
    for (const e of entries) {
      let outcome: ApplyOutcome | undefined;
      if (e.type === "normal" && e.data.length > 0) {
        try {
          const cmd = decodeCommand(e.data);
          outcome = this.o.store.applyEntry(e.index, cmd);
          if (outcome && !outcome.error) this.trackPeers(cmd);
        } catch (err) {
          this.o.log.error({ err, index: e.index }, "chainfire: applying a log entry failed");
        }
      }
      this.recent.set(e.index, { term: e.term, outcome });
      if (this.recent.size > RECENT_OUTCOMES) this.recent.delete(this.recent.keys().next().value!);
      const p = this.pending.get(e.index);
      if (!p) continue;
      this.pending.delete(e.index);
      // Another leader's entry took this index: our proposal was lost with the old term.
      if (p.term !== e.term || !outcome) p.reject(etcdErrors.timeout());
      else p.resolve(outcome);
    }
  }

  /** The transport follows the member list: added members become peers, removed ones stop being. */
  private trackPeers(cmd: Command): void {
    if (cmd.op === "memberAdd" && cmd.member.id !== this.o.self.id && cmd.member.peerURLs[0]) {
      this.transport.setPeer(cmd.member.id, cmd.member.peerURLs[0]);
    } else if (cmd.op === "memberUpdate" && cmd.id !== this.o.self.id && cmd.peerURLs[0]) {
      this.transport.setPeer(cmd.id, cmd.peerURLs[0]);
    } else if (cmd.op === "memberRemove" && cmd.id !== this.o.self.id) {
      this.transport.removePeer(cmd.id);
    }
  }

  /** Proposes a membership change on the leader; a learner must be caught up to be promoted. */
  private proposeConf(type: MembershipChange, nodeId: string): { index: number; term: number } {
    if (type === "promoteLearner") {
      const st = this.driver.status();
      const pr = st.progress.get(nodeId);
      if (!pr) throw etcdErrors.memberNotFound();
      // Already a voter (an earlier promote got this far): only the member list is left to do.
      if (!pr.isLearner) return { index: st.commit, term: st.term };
      if (pr.match < st.lastIndex * LEARNER_READY_FRACTION) throw etcdErrors.learnerNotReady();
    }
    try {
      return this.driver.proposeConfChange({ type, nodeId });
    } catch {
      throw etcdErrors.timeout();
    }
  }

  /** Adds, promotes or removes a Raft member (after the member list records it); via the leader. */
  async changeMembership(type: MembershipChange, nodeId: string): Promise<void> {
    await this.awaitLeader();
    let index: number;
    if (this.leading) {
      index = this.proposeConf(type, nodeId).index;
    } else {
      const reply = await this.forward({ t: "conf", rid: 0, type, nodeId });
      if (reply.t !== "proposed") throw etcdErrors.timeout();
      index = reply.index;
    }
    try {
      await this.driver.waitApplied(index, PROPOSAL_TIMEOUT_MS);
    } catch {
      throw etcdErrors.timeout();
    }
  }

  private onSoftState(s: SoftState): void {
    const wasLeader = this.leading;
    this.lead = s.lead || "0";
    this.leading = s.role === "leader";
    if (this.leading && !wasLeader) {
      // A new leader gives every lease a fresh TTL: it cannot know how long the old one waited.
      for (const id of this.o.store.view.leaseIds()) this.renewLocal(id);
    }
    if (this.leading !== wasLeader) this.o.onLeaderChange?.(this.leading);
  }

  // ---- forwarding ----

  private forward(f: Forward): Promise<Forward> {
    if (this.forwarded.size >= MAX_FORWARDED) return Promise.reject(etcdErrors.tooManyRequests());
    const rid = ++this.nextRid;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.forwarded.delete(rid);
        reject(etcdErrors.timeout());
      }, PROPOSAL_TIMEOUT_MS);
      this.forwarded.set(rid, { resolve, reject, timer });
      if (!this.transport.sendApp(this.lead, { ...f, rid })) {
        clearTimeout(timer);
        this.forwarded.delete(rid);
        reject(etcdErrors.noLeader());
      }
    });
  }

  private onForward(from: string, f: Forward): void {
    switch (f.t) {
      case "propose": {
        let reply: Forward;
        try {
          if (!this.leading) throw etcdErrors.noLeader();
          const at = this.driver.propose(f.bin);
          reply = { t: "proposed", rid: f.rid, ...at };
        } catch (err) {
          const e = err instanceof EtcdError ? err : etcdErrors.noLeader();
          reply = { t: "error", rid: f.rid, code: e.code, message: e.message };
        }
        this.transport.sendApp(from, reply);
        return;
      }
      case "conf": {
        let reply: Forward;
        try {
          if (!this.leading) throw etcdErrors.noLeader();
          const at = this.proposeConf(f.type, f.nodeId);
          reply = { t: "proposed", rid: f.rid, ...at };
        } catch (err) {
          const e = err instanceof EtcdError ? err : etcdErrors.timeout();
          reply = { t: "error", rid: f.rid, code: e.code, message: e.message };
        }
        this.transport.sendApp(from, reply);
        return;
      }
      case "keepalive":
        this.transport.sendApp(from, { t: "ttl", rid: f.rid, ttl: this.leading ? this.renewLocal(f.id) : 0 });
        return;
      default: {
        const w = this.forwarded.get(f.rid);
        if (!w) return;
        clearTimeout(w.timer);
        this.forwarded.delete(f.rid);
        if (f.t === "error") w.reject(new EtcdError(f.code, f.message));
        else w.resolve(f);
      }
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
    await this.transport.close();
    for (const p of this.pending.values()) p.reject(etcdErrors.stopped());
    this.pending.clear();
    for (const w of this.forwarded.values()) {
      clearTimeout(w.timer);
      w.reject(etcdErrors.stopped());
    }
    this.forwarded.clear();
    await this.closeLog();
  }
}
