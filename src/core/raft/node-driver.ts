// Drives one RaftNode: the tick loop, and the Ready loop in the order the state machine asks
// for (persist with fsync → send → apply → advance), with two overlaps etcd also makes: a
// leader's appends leave before its own fsync, and entries already durable are applied during it. Proposals made while a Ready is being
// fsynced pile up in the node and go out together in the next one: that is the batching.
// Linearizable reads wait for a ReadIndex and for the application to catch up to it.
import type { Logger } from "pino";
import type { ConfChange } from "./conf-change.ts";
import type { RaftNode, RaftStatus, Ready } from "./raft-node.ts";
import type { DurableRaftStorage } from "./storage.ts";
import type { Entry, HardState, Message, Snapshot, SoftState } from "./types.ts";

/** Messages a leader may send before its own log is fsynced. */
function isLeaderBroadcast(m: Message): boolean {
  return m.type === "app" || m.type === "heartbeat";
}

/** Reads and apply-waits that are not answered within this long fail (e.g. leadership moved). */
export const READ_INDEX_TIMEOUT_MS = 5_000;

export interface DriverOptions {
  node: RaftNode;
  storage: DurableRaftStorage;
  send: (msgs: readonly Message[]) => void;
  tickMs: number;
  log: Logger;
  /** Applies committed entries, in order, synchronously. */
  apply: (entries: readonly Entry[]) => void;
  /** Loads a snapshot received from the leader into the application. */
  restore?: (snapshot: Snapshot) => void;
  onSoftState?: (s: SoftState) => void;
  /**
   * After each Ready: returns the application's snapshot when it wants the log compacted up to
   * the applied index (taken inside the loop, so it never races a log write).
   */
  snapshotDue?: (appliedIndex: number) => Uint8Array | undefined;
  /** Persisting failed: the member must stop (its memory is ahead of its disk). */
  onFatal?: (err: Error) => void;
}

interface Waiter {
  index: number;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class RaftDriver {
  private readonly ticker: NodeJS.Timeout;
  private running = false;
  private scheduled = false;
  private closed = false;
  private applied: number;
  private readonly reads = new Map<
    string,
    { resolve: (index: number) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private readonly appliedWaiters: Waiter[] = [];
  private nextRead = 0;
  private leading = false;
  private deferredHardState: HardState | undefined;
  /** The latest hard state handed out by the node (status() is too costly per request). */
  private hardState: HardState;

  constructor(private readonly o: DriverOptions) {
    const st = o.node.status();
    this.applied = st.applied;
    this.hardState = { term: st.term, vote: st.vote, commit: st.commit };
    this.ticker = setInterval(() => {
      this.o.node.tick();
      this.kick();
    }, o.tickMs);
    this.ticker.unref();
    this.kick();
  }

  get node(): RaftNode {
    return this.o.node;
  }

  status(): RaftStatus {
    return this.o.node.status();
  }

  /** Current term, cheaply (as of the latest Ready). */
  get term(): number {
    return this.hardState.term;
  }

  /** Commit index, cheaply (as of the latest Ready). */
  get commitIndex(): number {
    return this.hardState.commit;
  }

  /** Highest index applied through this driver. */
  get appliedIndex(): number {
    return this.applied;
  }

  step(m: Message): void {
    if (this.closed) return;
    this.o.node.step(m);
    this.kick();
  }

  /** Throws ProposalDroppedError on a follower (with the leader hint) or when overloaded. */
  propose(data: Uint8Array): { index: number; term: number } {
    const r = this.o.node.propose(data);
    this.kick();
    return r;
  }

  /** Proposes a membership change (one at a time; throws ProposalDroppedError otherwise). */
  proposeConfChange(cc: ConfChange): { index: number; term: number } {
    const r = this.o.node.proposeConfChange(cc);
    this.kick();
    return r;
  }

  /** Resolves once it is linearizable to read local state (applied ≥ a confirmed commit index). */
  async readIndex(): Promise<void> {
    // Contexts must be unique across the group: the leader queues forwarded ones beside its own.
    const ctx = `${this.o.node.status().id}:${++this.nextRead}`;
    const index = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reads.delete(ctx);
        reject(new Error("read index timed out"));
      }, READ_INDEX_TIMEOUT_MS);
      this.reads.set(ctx, { resolve, reject, timer });
      try {
        this.o.node.readIndex(ctx);
      } catch (err) {
        clearTimeout(timer);
        this.reads.delete(ctx);
        reject(err as Error);
        return;
      }
      this.kick();
    });
    await this.waitApplied(index);
  }

  waitApplied(index: number, timeoutMs = READ_INDEX_TIMEOUT_MS): Promise<void> {
    if (this.applied >= index) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        index,
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.appliedWaiters.indexOf(w);
          if (i >= 0) this.appliedWaiters.splice(i, 1);
          reject(new Error(`index ${index} not applied within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.appliedWaiters.push(w);
    });
  }

  private kick(): void {
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
    try {
      while (!this.closed && this.o.node.hasReady()) {
        const rd = this.o.node.ready();
        if (rd.hardState) this.hardState = rd.hardState;
        if (rd.softState) {
          this.leading = rd.softState.role === "leader";
          this.o.onSoftState?.(rd.softState);
        }
        // A leader's appends and heartbeats promise nothing about its own disk (it counts itself
        // towards a quorum only after advance()), so they go out before the fsync and the
        // followers persist in parallel with the leader, as etcd does. Everything else (votes,
        // acks) waits for the fsync. Not when the term or vote is about to change: those must be
        // on disk before anyone hears from this term.
        const early = this.sendsEarly(rd);
        let late = rd.messages;
        if (early) {
          const first = rd.messages.filter(isLeaderBroadcast);
          if (first.length) {
            this.o.send(first);
            late = rd.messages.filter((m) => !isLeaderBroadcast(m));
          }
        }
        // A Ready that only moves the commit index writes nothing: losing the commit index in a
        // crash is harmless (it is re-learned from the leader, and an application that applied
        // further proves those entries committed), and a write of its own would cost a whole
        // LMDB commit that the next Ready's entries would queue behind. It rides along with the
        // next write instead.
        const commitOnly = !rd.snapshot && rd.entries.length === 0 && !rd.mustSync;
        let persisted: Promise<void> | undefined;
        if (commitOnly) {
          if (rd.hardState) this.deferredHardState = rd.hardState;
        } else {
          persisted = this.o.storage.persist({
            snapshot: rd.snapshot,
            entries: rd.entries,
            hardState: rd.hardState ?? this.deferredHardState,
          });
          this.deferredHardState = undefined;
        }
        // Committed entries that are already on disk (always so on a leader) are applied while
        // this Ready's new entries are being fsynced: their clients need not wait for it.
        const applyNow =
          !rd.snapshot &&
          rd.committedEntries.length > 0 &&
          rd.committedEntries.at(-1)!.index <= this.o.storage.lastIndex();
        if (applyNow) this.applyCommitted(rd.committedEntries);
        if (persisted) {
          await persisted;
          if (this.closed) return;
        }
        if (rd.snapshot) {
          this.o.restore?.(rd.snapshot);
          this.applied = Math.max(this.applied, rd.snapshot.metadata.index);
        }
        if (late.length) this.o.send(late);
        if (!applyNow && rd.committedEntries.length) this.applyCommitted(rd.committedEntries);
        for (const rs of rd.readStates) {
          const r = this.reads.get(rs.requestCtx);
          if (!r) continue;
          clearTimeout(r.timer);
          this.reads.delete(rs.requestCtx);
          r.resolve(rs.index);
        }
        this.o.node.advance(rd);
        this.releaseWaiters();
        const image = rd.committedEntries.length ? this.o.snapshotDue?.(this.applied) : undefined;
        if (image) await this.o.storage.compact(this.applied, this.o.node.confState(), image);
      }
    } catch (err) {
      this.o.log.fatal({ err }, "raft driver: processing a Ready failed; stopping this member");
      this.closed = true;
      this.o.onFatal?.(err as Error);
    } finally {
      this.running = false;
      if (!this.closed && this.o.node.hasReady()) this.kick();
    }
  }

  private applyCommitted(entries: readonly Entry[]): void {
    this.o.apply(entries);
    this.applied = entries.at(-1)!.index;
  }

  /** Whether this Ready's leader broadcasts may leave before its fsync (see loop()). */
  private sendsEarly(rd: Ready): boolean {
    if (!this.leading || rd.snapshot) return false;
    const hs = rd.hardState;
    if (!hs) return true;
    const stored = this.o.storage.hardState();
    return hs.term === stored.term && hs.vote === stored.vote;
  }

  private releaseWaiters(): void {
    for (let i = this.appliedWaiters.length - 1; i >= 0; i--) {
      const w = this.appliedWaiters[i]!;
      if (w.index <= this.applied) {
        clearTimeout(w.timer);
        this.appliedWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.ticker);
    for (const r of this.reads.values()) {
      clearTimeout(r.timer);
      r.reject(new Error("raft driver closed"));
    }
    this.reads.clear();
    for (const w of this.appliedWaiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error("raft driver closed"));
    }
    // Let a Ready that is mid-fsync finish before the storage is closed underneath it.
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    if (this.deferredHardState) {
      const hardState = this.deferredHardState;
      this.deferredHardState = undefined;
      await this.o.storage.persist({ entries: [], hardState }).catch((err: Error) => {
        this.o.log.warn({ err }, "raft driver: the last commit index was not saved (harmless)");
      });
    }
  }
}
