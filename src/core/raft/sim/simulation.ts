import { AssertionError } from "node:assert";
import { ProposalDroppedError, ReadIndexDroppedError } from "../errors.ts";
import { MemoryStorage } from "../memory-storage.ts";
import { RaftNode, type Ready } from "../raft-node.ts";
import type { Message, NodeId } from "../types.ts";
import { EventQueue } from "./event-queue.ts";
import { decodeCommand, encodeCommand, type KvCommand, KvMachine, type KvResult } from "./kv-machine.ts";
import { type KvOp, kvPartition, kvRegisterModel } from "./kv-model.ts";
import { checkLinearizable, type TimedOp } from "./linearizability.ts";
import { RELIABLE, SimNetwork } from "./network.ts";
import {
  CLIENT_OP_TIMEOUT_MS,
  CLIENT_READ_RETRY_MS,
  LOG_MATCHING_EVERY_TICKS,
  MAX_ADDED_MEMBERS,
  QUIESCE_TICKS,
  SIM_CLOCK_DRIFT,
  SIM_ELECTION_TICKS,
  SIM_HEARTBEAT_TICKS,
  SIM_TICK_MS,
  type SimOptions,
} from "./options.ts";
import { Prng } from "./prng.ts";
import { type LogView, SafetyChecker, type Violation, ViolationError } from "./safety-checker.ts";

const GROUP = "sim";

export interface SimStats {
  readonly virtualMs: number;
  readonly events: number;
  readonly messages: number;
  readonly dropped: number;
  readonly elections: number;
  readonly maxTerm: number;
  readonly maxCommit: number;
  readonly crashes: number;
  readonly partitions: number;
  readonly confChanges: number;
  readonly snapshotsInstalled: number;
  readonly transfers: number;
  readonly opsOk: number;
  readonly opsIndeterminate: number;
  readonly readMode: "safe" | "lease";
  readonly linSteps: number;
  /** Liveness, reported but not enforced: after the quiet phase one leader leads everyone to the same commit. */
  readonly converged: boolean;
}

export interface SimResult {
  readonly options: SimOptions;
  readonly violation?: Violation;
  readonly linearizability: "ok" | "violation" | "unknown";
  readonly stats: SimStats;
  readonly trace: readonly string[];
}

interface Host {
  readonly id: NodeId;
  /** The "disk": only what a Ready asked to persist reaches it, so a crash keeps exactly it. */
  readonly storage: MemoryStorage;
  raft: RaftNode | undefined;
  kv: KvMachine;
  /** Bumped on crash so stale tick events of the previous life are ignored. */
  incarnation: number;
  /** Read requests in flight at this node: ctx → op id and, once known, the read index. */
  reads: Map<string, { opId: string; index: number | undefined }>;
  lastRole: string;
  compactEvery: number;
  keepEntries: number;
  /** Crash in the middle of persisting the next Ready (a torn write), instead of between events. */
  tornCrashPending: boolean;
  /** This node's tick period: clocks drift a little, as on real hardware. */
  readonly tickMs: number;
  /** A Ready handed out but not yet persisted (fsync in progress). */
  pendingReady: Ready | undefined;
}

interface ClientOp {
  readonly id: string;
  readonly clientId: number;
  readonly cmd: KvCommand;
  /** Reads are served through ReadIndex unless they go through the log. */
  readonly viaReadIndex: boolean;
  readonly callMs: number;
  proposed: boolean;
  attempt: number;
  done: boolean;
}

interface Client {
  readonly id: number;
  seq: number;
  leaderHint: NodeId | undefined;
  lastSeen: Map<string, string | null>;
}

type SimEvent =
  | { kind: "tick"; host: NodeId; incarnation: number }
  | { kind: "deliver"; msg: Message }
  | { kind: "clientStart"; client: number }
  | { kind: "clientAttempt"; opId: string; attempt: number }
  | { kind: "clientDeadline"; opId: string }
  | { kind: "fault" }
  | { kind: "heal" }
  | { kind: "restart"; host: NodeId }
  | { kind: "persisted"; host: NodeId; incarnation: number };

interface HistoryRecord {
  op: KvOp;
  readonly callMs: number;
  returnMs: number;
}

const decoder = new TextDecoder();

/** One seeded run: a cluster, a faulty network, clients, and the checkers watching. */
export class Simulation {
  private now = 0;
  private readonly rng: Prng;
  private readonly queue = new EventQueue<SimEvent>();
  private readonly hosts = new Map<NodeId, Host>();
  private readonly network: SimNetwork;
  private readonly safety: SafetyChecker;
  private readonly clients: Client[] = [];
  private readonly ops = new Map<string, ClientOp>();
  private readonly history = new Map<string, HistoryRecord>();
  private readonly trace: string[] = [];
  private readonly readMode: "safe" | "lease";
  /** Per seed: from one entry per message (every step visible) to real batching. */
  private readonly maxSizePerMsgBytes: number;
  private readonly maxInflightMsgs: number;
  private readonly maxEntriesPerMsg: number;
  /** Per seed: 0 persists each Ready at once; otherwise it takes up to this long (virtual ms). */
  private readonly fsyncMs: number;
  private readonly endMs: number;
  private faultsActive = true;
  private added = 0;
  private events = 0;
  private crashes = 0;
  private partitions = 0;
  private confChanges = 0;
  private snapshotsInstalled = 0;
  private transfers = 0;
  private maxTerm = 0;
  private maxCommit = 0;
  private lastLogCheckTick = 0;

  constructor(private readonly o: SimOptions) {
    this.rng = new Prng(o.seed);
    const f = o.faults;
    this.readMode = o.readMode === "mixed" ? (this.rng.chance(0.5) ? "lease" : "safe") : o.readMode;
    this.network = new SimNetwork(this.rng.fork(), {
      dropRate: f.has("drop") ? 0.01 + this.rng.next() * 0.09 : 0,
      duplicateRate: f.has("dup") ? 0.01 + this.rng.next() * 0.05 : 0,
      jitterMs: f.has("reorder") ? this.rng.between(5, 30) : 0,
      longDelayRate: f.has("reorder") ? 0.005 + this.rng.next() * 0.02 : 0,
    });
    this.maxSizePerMsgBytes = this.rng.pick([1, 64, 512]);
    this.maxInflightMsgs = this.rng.pick([1, 4, 16]);
    this.maxEntriesPerMsg = this.rng.pick([2, 8, 4096]);
    this.fsyncMs = this.rng.pick([0, 2, 5]);
    this.safety = new SafetyChecker(() => this.now);
    this.endMs = o.steps * SIM_TICK_MS;
    const founders = Array.from({ length: o.nodes }, (_, i) => `n${i + 1}`);
    for (const id of founders)
      this.startHost(id, MemoryStorage.bootstrap({ voters: founders, learners: [] }));
    for (let c = 0; c < o.clients; c++) {
      this.clients.push({ id: c, seq: 0, leaderHint: undefined, lastSeen: new Map() });
      this.queue.push(this.rng.int(50), { kind: "clientStart", client: c });
    }
    if (f.size > 0) this.queue.push(this.rng.between(100, 300), { kind: "fault" });
  }

  private log(line: string): void {
    if (this.o.trace) this.trace.push(`${String(this.now).padStart(6)}ms ${line}`);
  }

  run(): SimResult {
    let violation: Violation | undefined;
    let lin: SimResult["linearizability"] = "ok";
    let linSteps = 0;
    const hardStopMs = this.endMs + QUIESCE_TICKS * SIM_TICK_MS;
    try {
      for (;;) {
        const ev = this.queue.pop();
        if (!ev || ev.timeMs > hardStopMs) break;
        this.now = ev.timeMs;
        if (this.faultsActive && this.now >= this.endMs) this.quiesce();
        this.events++;
        this.handle(ev.item);
      }
      this.now = hardStopMs;
      this.checkLogs();
    } catch (e) {
      violation = this.toViolation(e);
    }
    if (!violation) {
      const timed: TimedOp<KvOp>[] = [];
      for (const r of this.history.values()) timed.push({ callMs: r.callMs, returnMs: r.returnMs, op: r.op });
      const res = checkLinearizable(kvRegisterModel, timed, kvPartition);
      linSteps = res.steps;
      lin = res.outcome;
      if (res.outcome === "violation") {
        violation = {
          kind: "linearizability",
          message: `the history of key ${res.partition} is not linearizable (${timed.filter((t) => t.op.key === res.partition).length} ops)`,
          atMs: this.now,
        };
      }
    } else {
      lin = "unknown";
    }
    if (violation) this.log(`VIOLATION ${violation.kind}: ${violation.message}`);
    let opsOk = 0;
    let opsIndeterminate = 0;
    for (const r of this.history.values()) {
      if (r.returnMs === Number.POSITIVE_INFINITY) opsIndeterminate++;
      else opsOk++;
    }
    return {
      options: this.o,
      ...(violation ? { violation } : {}),
      linearizability: lin,
      trace: this.trace,
      stats: {
        virtualMs: this.now,
        events: this.events,
        messages: this.network.sent,
        dropped: this.network.dropped,
        elections: this.safety.elections,
        maxTerm: this.maxTerm,
        maxCommit: this.maxCommit,
        crashes: this.crashes,
        partitions: this.partitions,
        confChanges: this.confChanges,
        snapshotsInstalled: this.snapshotsInstalled,
        transfers: this.transfers,
        opsOk,
        opsIndeterminate,
        readMode: this.readMode,
        linSteps,
        converged: violation ? false : this.converged(),
      },
    };
  }

  private converged(): boolean {
    const leader = this.leaderHost();
    if (!leader) return false;
    const st = leader.raft!.status();
    for (const id of [...st.confState.voters, ...st.confState.learners]) {
      const h = this.hosts.get(id);
      if (!h?.raft) return false;
      const hs = h.raft.status();
      if (hs.commit !== st.commit || hs.lastIndex !== st.lastIndex || hs.lead !== leader.id) return false;
    }
    return true;
  }

  private toViolation(e: unknown): Violation {
    if (e instanceof ViolationError) return e.violation;
    if (e instanceof AssertionError) return { kind: "assertion", message: e.message, atMs: this.now };
    throw e;
  }

  // ---- hosts ----------------------------------------------------------------------------------

  private startHost(id: NodeId, storage: MemoryStorage): Host {
    const snap = storage.snapshot();
    const existing = this.hosts.get(id);
    const host: Host = existing ?? {
      id,
      storage,
      raft: undefined,
      kv: new KvMachine(),
      incarnation: 0,
      reads: new Map(),
      lastRole: "follower",
      compactEvery: this.rng.between(8, 40),
      keepEntries: this.rng.int(6),
      tornCrashPending: false,
      pendingReady: undefined,
      tickMs: SIM_TICK_MS * (1 + (this.rng.next() * 2 - 1) * SIM_CLOCK_DRIFT),
    };
    host.kv = KvMachine.restore(snap.data, snap.metadata.index);
    host.reads = new Map();
    host.lastRole = "follower";
    host.tornCrashPending = false;
    const nodeRng = this.rng.fork();
    host.raft = new RaftNode({
      groupId: GROUP,
      id,
      storage,
      random: () => nodeRng.next(),
      electionTicks: SIM_ELECTION_TICKS,
      heartbeatTicks: SIM_HEARTBEAT_TICKS,
      readOnlyOption: this.readMode === "lease" ? "leaseBased" : "safe",
      // Small bounds so batching, flow control and the uncommitted limit are exercised.
      maxSizePerMsgBytes: this.maxSizePerMsgBytes,
      maxEntriesPerMsg: this.maxEntriesPerMsg,
      maxInflightMsgs: this.maxInflightMsgs,
      maxUncommittedEntriesBytes: 4096,
      snapshotTimeoutTicks: 20,
      ...(this.o.bug ? { bugs: { [this.o.bug]: true } } : {}),
    });
    this.hosts.set(id, host);
    this.queue.push(this.now + 1 + this.rng.int(SIM_TICK_MS), {
      kind: "tick",
      host: id,
      incarnation: host.incarnation,
    });
    this.drain(host);
    return host;
  }

  private crash(host: Host): void {
    host.raft = undefined;
    host.pendingReady = undefined;
    host.incarnation++;
    host.reads = new Map();
    this.crashes++;
    this.log(`crash ${host.id}`);
  }

  private upHosts(): Host[] {
    return [...this.hosts.values()].filter((h) => h.raft !== undefined);
  }

  private leaderHost(): Host | undefined {
    let best: Host | undefined;
    for (const h of this.upHosts()) {
      const st = h.raft!.status();
      if (st.role === "leader" && (!best || st.term > best.raft!.status().term)) best = h;
    }
    return best;
  }

  private logView(h: Host): LogView {
    const raft = h.raft!;
    const storage = h.storage;
    return {
      id: h.id,
      firstIndex: () => raft.status().firstIndex,
      lastIndex: () => raft.status().lastIndex,
      term: (i) => raft.logTerm(i),
      data: (i) => {
        if (i < storage.firstIndex() || i > storage.lastIndex()) return undefined;
        if (storage.term(i) !== raft.logTerm(i)) return undefined;
        const e = storage.entries(i, i + 1, Number.MAX_SAFE_INTEGER)[0]!;
        return `${e.type}:${decoder.decode(e.data)}`;
      },
    };
  }

  private checkLogs(): void {
    this.safety.checkLogMatching(this.upHosts().map((h) => this.logView(h)));
  }

  /** Runs the Ready loop of one node until it has nothing left to do, like a real driver. */
  /**
   * Runs the Ready loop of one node like a real driver. With a non-zero fsync latency the
   * Ready is persisted later (a "persisted" event); meanwhile the node keeps receiving
   * messages and ticks, and a crash loses the whole unpersisted Ready.
   */
  private drain(host: Host): void {
    const raft = host.raft;
    if (!raft || host.pendingReady) return;
    while (raft.hasReady()) {
      const rd = raft.ready();
      this.observe(host, raft, rd);
      if (host.tornCrashPending) {
        // Only a prefix of the new entries (and maybe the snapshot) reached the disk; the hard
        // state and the messages did not. What was never persisted is lost with the process.
        const snapshotSurvives = rd.snapshot !== undefined && this.rng.chance(0.5);
        if (snapshotSurvives) host.storage.applySnapshot(rd.snapshot!);
        if (!rd.snapshot || snapshotSurvives) {
          host.storage.append(rd.entries.slice(0, this.rng.int(rd.entries.length + 1)));
        }
        this.log(`torn write on ${host.id}: crash while persisting`);
        this.crash(host);
        this.queue.push(this.now + this.rng.between(30, 500), { kind: "restart", host: host.id });
        return;
      }
      if (this.fsyncMs > 0 && (rd.entries.length > 0 || rd.hardState || rd.snapshot)) {
        // As the drivers do (node-driver.ts, flaredb's multi-raft): a leader's appends and
        // heartbeats leave before its fsync, unless the term or vote changes in this Ready.
        const early = this.leaderBroadcastsEarly(host, raft, rd);
        host.pendingReady = early.length
          ? { ...rd, messages: rd.messages.filter((m) => !early.includes(m)) }
          : rd;
        for (const m of early) {
          for (const d of this.network.schedule(m))
            this.queue.push(this.now + d, { kind: "deliver", msg: m });
        }
        this.queue.push(this.now + this.rng.between(1, this.fsyncMs), {
          kind: "persisted",
          host: host.id,
          incarnation: host.incarnation,
        });
        return;
      }
      this.finishReady(host, raft, rd);
    }
  }

  private leaderBroadcastsEarly(host: Host, raft: RaftNode, rd: Ready): Message[] {
    if (rd.snapshot || raft.status().role !== "leader") return [];
    const stored = host.storage.hardStateValue();
    if (rd.hardState && (rd.hardState.term !== stored.term || rd.hardState.vote !== stored.vote)) return [];
    return rd.messages.filter((m) => m.type === "app" || m.type === "heartbeat");
  }

  /** Persist, send, apply, advance: the second half of the Ready loop. */
  private finishReady(host: Host, raft: RaftNode, rd: Ready): void {
    if (rd.snapshot) {
      host.storage.applySnapshot(rd.snapshot);
      host.kv = KvMachine.restore(rd.snapshot.data, rd.snapshot.metadata.index);
      this.snapshotsInstalled++;
    }
    host.storage.append(rd.entries);
    if (rd.hardState) host.storage.setHardState(rd.hardState);
    for (const m of rd.messages) {
      for (const d of this.network.schedule(m)) this.queue.push(this.now + d, { kind: "deliver", msg: m });
    }
    for (const e of rd.committedEntries) {
      this.safety.onApply(host.id, e);
      if (e.index > host.kv.appliedIndex + 1) {
        throw new ViolationError({
          kind: "stateMachineSafety",
          message: `${host.id} skipped from ${host.kv.appliedIndex} to ${e.index}`,
          atMs: this.now,
        });
      }
      if (e.index <= host.kv.appliedIndex) continue;
      host.kv.appliedIndex = e.index;
      if (e.type === "confChange") {
        this.confChanges++;
        this.log(`${host.id} applied conf change ${decoder.decode(e.data)} at ${e.index}`);
        continue;
      }
      if (e.data.byteLength === 0) continue;
      const cmd = decodeCommand(e.data);
      const result = host.kv.apply(cmd);
      this.complete(cmd.id, result);
    }
    for (const rs of rd.readStates) {
      const r = host.reads.get(rs.requestCtx);
      if (r) r.index = rs.index;
    }
    raft.advance(rd);
    if (rd.committedEntries.length > 0) this.maybeCompact(host, raft);
    this.serveReads(host);
  }

  private observe(host: Host, raft: RaftNode, rd: Ready): void {
    if (rd.hardState) {
      if (rd.hardState.term > this.maxTerm) this.maxTerm = rd.hardState.term;
      if (rd.hardState.commit > this.maxCommit) this.maxCommit = rd.hardState.commit;
    }
    if (!rd.softState || rd.softState.role === host.lastRole) return;
    host.lastRole = rd.softState.role;
    const st = raft.status();
    if (rd.softState.role !== "follower") {
      this.safety.onCampaign(host.id, st.confState.voters.includes(host.id), rd.softState.role);
    }
    if (rd.softState.role === "leader") {
      this.log(`${host.id} is leader of term ${st.term} (last index ${st.lastIndex})`);
      this.safety.onLeader(st.term, this.logView(host));
    }
  }

  private maybeCompact(host: Host, raft: RaftNode): void {
    const applied = host.kv.appliedIndex;
    const snapIndex = host.storage.snapshot().metadata.index;
    if (applied - snapIndex < host.compactEvery) return;
    host.storage.createSnapshot(applied, raft.confState(), host.kv.serialize());
    const compactTo = applied - host.keepEntries;
    if (compactTo > host.storage.firstIndex()) host.storage.compact(compactTo);
  }

  // ---- events ---------------------------------------------------------------------------------

  private handle(ev: SimEvent): void {
    switch (ev.kind) {
      case "tick": {
        const host = this.hosts.get(ev.host)!;
        if (!host.raft || host.incarnation !== ev.incarnation) return;
        host.raft.tick();
        this.drain(host);
        this.queue.push(this.now + host.tickMs, ev);
        const tickNo = Math.floor(this.now / SIM_TICK_MS);
        if (tickNo - this.lastLogCheckTick >= LOG_MATCHING_EVERY_TICKS) {
          this.lastLogCheckTick = tickNo;
          this.checkLogs();
        }
        return;
      }
      case "deliver": {
        const host = this.hosts.get(ev.msg.to);
        if (!host?.raft || this.network.isCut(ev.msg.from, ev.msg.to)) return;
        host.raft.step(ev.msg);
        this.drain(host);
        return;
      }
      case "clientStart":
        if (this.faultsActive) this.startOp(this.clients[ev.client]!);
        return;
      case "clientAttempt":
        this.attempt(ev.opId, ev.attempt);
        return;
      case "clientDeadline":
        this.deadline(ev.opId);
        return;
      case "fault":
        if (!this.faultsActive) return;
        this.injectFault();
        this.queue.push(this.now + this.rng.between(80, 400), { kind: "fault" });
        return;
      case "heal":
        if (this.network.hasPartition()) this.log("heal partitions");
        this.network.healAll();
        return;
      case "persisted": {
        const host = this.hosts.get(ev.host)!;
        const rd = host.pendingReady;
        if (!host.raft || host.incarnation !== ev.incarnation || !rd) return;
        host.pendingReady = undefined;
        this.finishReady(host, host.raft, rd);
        this.drain(host);
        return;
      }
      case "restart": {
        const host = this.hosts.get(ev.host)!;
        if (host.raft) return;
        this.log(`restart ${host.id}`);
        this.startHost(host.id, host.storage);
        return;
      }
    }
  }

  /** End of the faulty phase: heal everything and let the cluster finish what is pending. */
  private quiesce(): void {
    this.faultsActive = false;
    this.network.healAll();
    this.network.faults = RELIABLE;
    this.log("quiesce: faults off");
    for (const h of this.hosts.values())
      if (!h.raft) this.queue.push(this.now + 1, { kind: "restart", host: h.id });
  }

  // ---- faults ---------------------------------------------------------------------------------

  private injectFault(): void {
    const f = this.o.faults;
    const kinds = (["partition", "crash", "membership", "transfer"] as const).filter((k) => f.has(k));
    if (kinds.length === 0) return;
    switch (this.rng.pick(kinds)) {
      case "partition":
        this.partition();
        return;
      case "crash":
        this.crashSome();
        return;
      case "membership":
        this.changeMembership();
        return;
      case "transfer": {
        const leader = this.leaderHost();
        if (!leader) return;
        const voters = leader.raft!.status().confState.voters.filter((v) => v !== leader.id);
        if (voters.length === 0) return;
        const to = this.rng.pick(voters);
        this.transfers++;
        this.log(`transfer leadership ${leader.id} -> ${to}`);
        leader.raft!.transferLeadership(to);
        this.drain(leader);
        return;
      }
    }
  }

  private partition(): void {
    if (this.network.hasPartition()) return;
    const ids = [...this.hosts.keys()];
    const style = this.rng.int(4);
    this.partitions++;
    if (style === 0) {
      // Symmetric split into two sides.
      const side = new Set(ids.filter(() => this.rng.chance(0.5)));
      for (const a of ids) for (const b of ids) if (side.has(a) !== side.has(b)) this.network.cutLink(a, b);
      this.log(`partition {${[...side].join(",")}} | rest`);
    } else if (style === 1) {
      // Isolate the leader, the classic case for CheckQuorum and leases.
      const l = this.leaderHost()?.id ?? this.rng.pick(ids);
      for (const b of ids) {
        if (b === l) continue;
        this.network.cutLink(l, b);
        this.network.cutLink(b, l);
      }
      this.log(`isolate ${l}`);
    } else if (style === 2) {
      // Asymmetric: one node can send but not receive (or the reverse).
      const n = this.rng.pick(ids);
      const inbound = this.rng.chance(0.5);
      for (const b of ids) if (b !== n) inbound ? this.network.cutLink(b, n) : this.network.cutLink(n, b);
      this.log(`asymmetric: ${n} ${inbound ? "cannot receive" : "cannot send"}`);
    } else {
      // A single one-way link.
      const a = this.rng.pick(ids);
      const b = this.rng.pick(ids.filter((x) => x !== a));
      this.network.cutLink(a, b);
      this.log(`cut link ${a} -> ${b}`);
    }
    this.queue.push(this.now + this.rng.between(100, 700), { kind: "heal" });
  }

  private crashSome(): void {
    const up = this.upHosts();
    const down = this.hosts.size - up.length;
    // Usually keep a majority up, but sometimes take down more (even everyone) to test recovery.
    if (up.length === 0 || (down >= Math.floor((this.o.nodes - 1) / 2) && !this.rng.chance(0.15))) return;
    const victim = this.rng.chance(0.4) ? (this.leaderHost() ?? this.rng.pick(up)) : this.rng.pick(up);
    if (this.rng.chance(0.4)) {
      victim.tornCrashPending = true;
      return;
    }
    this.crash(victim);
    this.queue.push(this.now + this.rng.between(30, 500), { kind: "restart", host: victim.id });
  }

  private changeMembership(): void {
    const leader = this.leaderHost();
    if (!leader) return;
    const raft = leader.raft!;
    const cs = raft.status().confState;
    try {
      if (cs.learners.length > 0) {
        const l = this.rng.pick(cs.learners);
        raft.proposeConfChange({ type: "promoteLearner", nodeId: l });
        this.log(`propose promoteLearner ${l}`);
      } else if (this.added < MAX_ADDED_MEMBERS && cs.voters.length < 5 && this.rng.chance(0.6)) {
        const id = `n${this.o.nodes + this.added + 1}`;
        const type = this.rng.chance(0.75) ? "addLearner" : "addVoter";
        raft.proposeConfChange({ type, nodeId: id });
        this.added++;
        this.log(`propose ${type} ${id}`);
        // The new member starts empty: it learns the group from the leader (via a snapshot).
        this.startHost(id, new MemoryStorage());
      } else if (cs.voters.length > 3) {
        const victim = this.rng.pick(cs.voters);
        raft.proposeConfChange({ type: "removeNode", nodeId: victim });
        this.log(`propose removeNode ${victim}`);
      } else {
        return;
      }
    } catch (e) {
      if (e instanceof ProposalDroppedError) return;
      throw e;
    }
    this.drain(leader);
  }

  // ---- clients --------------------------------------------------------------------------------

  private startOp(client: Client): void {
    const key = `k${this.rng.int(this.o.keys)}`;
    const id = `c${client.id}.${client.seq++}`;
    const value = `v${id}`;
    const r = this.rng.next();
    let cmd: KvCommand;
    if (r < 0.35) cmd = { id, op: "put", key, value };
    else if (r < 0.55) cmd = { id, op: "cas", key, expected: client.lastSeen.get(key) ?? null, value };
    else cmd = { id, op: "get", key };
    const op: ClientOp = {
      id,
      clientId: client.id,
      cmd,
      viaReadIndex: cmd.op === "get" && this.rng.chance(0.7),
      callMs: this.now,
      proposed: false,
      attempt: 0,
      done: false,
    };
    this.ops.set(id, op);
    this.queue.push(this.now + CLIENT_OP_TIMEOUT_MS, { kind: "clientDeadline", opId: id });
    this.attempt(id, 0);
  }

  private attempt(opId: string, attempt: number): void {
    const op = this.ops.get(opId);
    if (!op || op.done || attempt !== op.attempt) return;
    if (op.proposed && !op.viaReadIndex) return;
    op.attempt++;
    const client = this.clients[op.clientId]!;
    const hinted = client.leaderHint ? this.hosts.get(client.leaderHint) : undefined;
    const up = this.upHosts();
    const host =
      hinted?.raft && this.rng.chance(0.7) ? hinted : up.length > 0 ? this.rng.pick(up) : undefined;
    const retry = (ms: number) =>
      this.queue.push(this.now + ms, { kind: "clientAttempt", opId, attempt: op.attempt });
    if (!host?.raft) {
      retry(this.rng.between(10, 30));
      return;
    }
    try {
      if (op.viaReadIndex) {
        const ctx = `${op.id}#${op.attempt}`;
        // Half the lease-mode reads take the leader's synchronous lease read (no Ready turn).
        const now =
          this.readMode === "lease" && this.rng.chance(0.5) ? host.raft.leaseReadIndex() : undefined;
        host.reads.set(ctx, { opId, index: now });
        if (now === undefined) host.raft.readIndex(ctx);
        op.proposed = true;
        retry(CLIENT_READ_RETRY_MS);
        if (now !== undefined) this.serveReads(host);
      } else {
        host.raft.propose(encodeCommand(op.cmd));
        op.proposed = true;
        if (!this.history.has(op.id)) this.record(op);
      }
      client.leaderHint = host.id;
    } catch (e) {
      if (e instanceof ProposalDroppedError) {
        client.leaderHint = e.leaderHint || undefined;
      } else if (e instanceof ReadIndexDroppedError) {
        client.leaderHint = undefined;
      } else {
        throw e;
      }
      retry(this.rng.between(5, 25));
      return;
    }
    this.drain(host);
  }

  /** Writes (and log reads) enter the history once proposed: from then on they may take effect. */
  private record(op: ClientOp): void {
    const c = op.cmd;
    const kvop: KvOp =
      c.op === "put"
        ? { key: c.key, kind: "put", value: c.value }
        : c.op === "cas"
          ? { key: c.key, kind: "cas", expected: c.expected, value: c.value }
          : { key: c.key, kind: "get" };
    this.history.set(op.id, { op: kvop, callMs: op.callMs, returnMs: Number.POSITIVE_INFINITY });
  }

  private complete(opId: string, result: KvResult): void {
    const op = this.ops.get(opId);
    if (!op || op.done) return;
    op.done = true;
    if (!this.history.has(op.id)) this.record(op);
    const rec = this.history.get(op.id)!;
    rec.returnMs = this.now;
    const c = op.cmd;
    const client = this.clients[op.clientId]!;
    if (c.op === "put") {
      rec.op = { key: c.key, kind: "put", value: c.value, output: "ok" };
      client.lastSeen.set(c.key, c.value);
    } else if (c.op === "cas") {
      rec.op = { key: c.key, kind: "cas", expected: c.expected, value: c.value, output: result === true };
      if (result === true) client.lastSeen.set(c.key, c.value);
    } else {
      rec.op = { key: c.key, kind: "get", output: result as string | null };
      client.lastSeen.set(c.key, result as string | null);
    }
    this.ops.delete(opId);
    this.queue.push(this.now + this.rng.int(20), { kind: "clientStart", client: op.clientId });
  }

  private deadline(opId: string): void {
    const op = this.ops.get(opId);
    if (!op || op.done) return;
    op.done = true;
    this.ops.delete(opId);
    // A read that never answered had no effect: leave it out. A proposed write stays in the
    // history as indeterminate (return = ∞); one never proposed had no effect either.
    if (op.cmd.op === "get" || !op.proposed) this.history.delete(op.id);
    this.queue.push(this.now + this.rng.int(20), { kind: "clientStart", client: op.clientId });
  }

  private serveReads(host: Host): void {
    if (host.reads.size === 0) return;
    for (const [ctx, r] of host.reads) {
      if (r.index === undefined || host.kv.appliedIndex < r.index) continue;
      host.reads.delete(ctx);
      const op = this.ops.get(r.opId);
      if (!op || op.done || op.cmd.op !== "get") continue;
      this.complete(op.id, host.kv.get(op.cmd.key));
    }
  }
}

export function runSimulation(o: SimOptions): SimResult {
  return new Simulation(o).run();
}
