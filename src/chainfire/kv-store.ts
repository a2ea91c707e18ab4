// The durable shell around the MVCC state machine: assigns log positions, applies commands,
// persists each result with fsync before answering, and hands committed events to watchers
// in revision order. Single member: "commit" is the local fsync. Replicated: the Raft driver
// calls applyEntry() with committed entries of its (fsynced) log.
import type { Logger } from "pino";
import { etcdErrors } from "./etcd-errors.ts";
import { Lessor } from "./lessor.ts";
import { type ClusterIdentity, LmdbPersistence } from "./mvcc/lmdb-persistence.ts";
import { type ApplyOutcome, type Meta, MvccState } from "./mvcc/state-machine.ts";
import { decodeState, encodeState } from "./mvcc/state-snapshot.ts";
import type { Command, CommandResult, Event } from "./mvcc/types.ts";

/** Writes folded into one LMDB transaction at most (bounds a transaction's size). */
const MAX_WRITES_PER_COMMIT = 1_000;
/**
 * Replicated members: how long applied writes gather before the state's LMDB image is written.
 * The Raft log is the durable record there, so nobody waits for this write; fewer, larger LMDB
 * transactions cost far less CPU than one per Ready. A full batch is written without waiting.
 * 100 ms, as etcd's backend batch interval: at 25 ms three members' LMDB fsyncs (40 a second
 * each) shared the disk with the Raft log's and its fdatasync took 2-3× longer.
 */
export const STATE_COMMIT_INTERVAL_MS = 100;

export type CommitListener = (events: Event[], revision: number) => void;

/** Puts commands through a replicated log; resolves with the local outcome once applied here. */
export interface Replicator {
  propose(cmd: Command): Promise<ApplyOutcome>;
  /** Resolves once local state reflects every write committed before the call. */
  readBarrier(): Promise<void>;
}

export interface KvStoreOptions {
  dataDir: string;
  log: Logger;
  nowMs?: () => number;
  /** Used the first time the data dir is initialised; persisted after that. */
  newIdentity: () => ClusterIdentity;
  /** Observes each durable write: seconds from apply to fsync. */
  onWrite?: (seconds: number) => void;
  /** Observes each applied command. */
  onApplied?: (op: string, ok: boolean) => void;
  /**
   * The commands come from a Raft log that is fsynced before they are applied: the state's own
   * image then need not wait for its fsync (see LmdbPersistence).
   */
  replicated?: boolean;
}

export class KvStore {
  readonly lessor: Lessor;
  readonly identity: ClusterIdentity;
  private state: MvccState;
  private readonly persistence: LmdbPersistence;
  private readonly listeners = new Set<CommitListener>();
  /** Resolves when everything applied so far is on disk. */
  private lastWrite: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closed = false;
  private replicator: Replicator | undefined;
  private readonly commitQueue: Array<{
    out: ApplyOutcome;
    meta: Meta;
    resolve: () => void;
    reject: (e: Error) => void;
  }> = [];
  private committing = false;
  /** Highest revision handed to watchers. */
  publishedRevision: number;

  constructor(private readonly opts: KvStoreOptions) {
    this.persistence = new LmdbPersistence(opts.dataDir, !opts.replicated);
    this.state = this.persistence.load();
    const stored = this.persistence.identity();
    this.identity =
      stored.clusterId && stored.memberId
        ? { clusterId: stored.clusterId, memberId: stored.memberId }
        : opts.newIdentity();
    this.publishedRevision = this.state.revision;
    this.lessor = new Lessor(opts.nowMs ?? Date.now);
    for (const id of this.state.leaseIds()) this.lessor.renew(id, this.state.lease(id)!.ttlSeconds);
  }

  /** Read-only view of the current state; for reads that must be durable use read(). */
  get view(): MvccState {
    return this.state;
  }

  get revision(): number {
    return this.state.revision;
  }

  get appliedIndex(): number {
    return this.state.appliedIndex;
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a command and resolves with its result once it is durable; rejects with its etcd error. */
  /** From now on commands go through the replicated log; the replicator calls applyEntry(). */
  replicate(r: Replicator): void {
    this.replicator = r;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get replicated(): boolean {
    return this.replicator !== undefined;
  }

  async propose(cmd: Command): Promise<{ result: CommandResult; revision: number }> {
    this.assertUsable();
    if (this.replicator) {
      // The Raft log is durable before anything is applied; the state's own LMDB image may lag.
      const out = await this.replicator.propose(cmd);
      if (out.error) throw out.error;
      return { result: out.result!, revision: out.revision };
    }
    const out = this.applyCommitted(this.state.appliedIndex + 1, cmd);
    await this.persist(out);
    if (out.error) throw out.error;
    return { result: out.result!, revision: out.revision };
  }

  /** Evaluates `fn` on the current state now; answers once every write it may have seen is durable. */
  async read<T>(fn: (s: MvccState) => T, linearizable = true): Promise<T> {
    this.assertUsable();
    if (this.replicator) {
      if (linearizable) await this.replicator.readBarrier();
      return fn(this.state);
    }
    const result = fn(this.state);
    await this.lastWrite;
    return result;
  }

  /** Replaces the whole state with a Raft snapshot's image (this member fell behind a compacted log). */
  restoreSnapshot(data: Uint8Array, index: number): void {
    // The founding snapshot carries no image: it stands for the empty state.
    const state = data.length ? decodeState(data) : new MvccState();
    state.appliedIndex = Math.max(state.appliedIndex, index);
    this.state = state;
    this.publishedRevision = state.revision;
    for (const id of state.leaseIds()) this.lessor.renew(id, state.lease(id)!.ttlSeconds);
    const written = this.lastWrite.then(() => this.persistence.replaceAll(state, this.identity));
    this.lastWrite = written.catch((err: Error) => {
      this.failure = err;
      this.opts.log.fatal({ err }, "chainfire: persisting a snapshot failed; the store is stopped");
    });
  }

  /** The state as a Raft snapshot image. */
  snapshotImage(): Uint8Array {
    return encodeState(this.state);
  }

  /** One committed log entry, from the replicator; entries at or below the applied index are skipped. */
  applyEntry(index: number, cmd: Command): ApplyOutcome | undefined {
    if (index <= this.state.appliedIndex) return undefined;
    const out = this.applyCommitted(index, cmd);
    // The entry is already durable in this member's Raft log: watchers hear of it now, and the
    // state's own image follows in a later, larger transaction.
    this.publish(out.events, out.revision);
    this.persist(out).catch(() => undefined);
    return out;
  }

  /** Applies one committed log entry (Raft calls this in log order). */
  applyCommitted(index: number, cmd: Command): ApplyOutcome {
    const out = this.state.apply(index, cmd);
    this.opts.onApplied?.(cmd.op, !out.error);
    if (!out.error && out.result) {
      if (out.result.op === "leaseGrant") this.lessor.renew(out.result.id, out.result.ttlSeconds);
      if (out.result.op === "leaseRevoke" && cmd.op === "leaseRevoke") this.lessor.forget(cmd.id);
    }
    return out;
  }

  /**
   * Group commit: writes queue up while one LMDB transaction is being fsynced and all go into
   * the next one, so N concurrent writers cost one fsync, not N.
   */
  private persist(out: ApplyOutcome): Promise<void> {
    if (out.changes.length === 0) return this.lastWrite;
    const meta = {
      revision: out.revision,
      compactRevision: this.state.compactRevision,
      appliedIndex: out.index,
    };
    const written = new Promise<void>((resolve, reject) =>
      this.commitQueue.push({ out, meta, resolve, reject }),
    );
    this.lastWrite = written.catch(() => undefined);
    if (!this.committing) void this.commitLoop();
    return written;
  }

  private async commitLoop(): Promise<void> {
    this.committing = true;
    while (this.commitQueue.length > 0) {
      // Waiting only while the batch is short keeps the queue bounded by LMDB's pace, not the timer's.
      if (this.opts.replicated && this.commitQueue.length < MAX_WRITES_PER_COMMIT) {
        await new Promise((r) => setTimeout(r, STATE_COMMIT_INTERVAL_MS));
      }
      const batch = this.commitQueue.splice(0, MAX_WRITES_PER_COMMIT);
      const started = performance.now();
      try {
        await this.persistence.write(
          batch.flatMap((b) => b.out.changes),
          batch.at(-1)!.meta,
          this.identity,
        );
      } catch (err) {
        // Memory is now ahead of disk: stop serving rather than answer from state that may vanish.
        this.failure = err as Error;
        this.opts.log.fatal({ err }, "chainfire: persisting a write failed; the store is stopped");
        for (const b of [...batch, ...this.commitQueue.splice(0)]) b.reject(etcdErrors.stopped());
        break;
      }
      this.opts.onWrite?.((performance.now() - started) / 1000);
      for (const b of batch) {
        this.publish(b.out.events, b.out.revision);
        b.resolve();
      }
    }
    this.committing = false;
  }

  private publish(events: Event[], revision: number): void {
    if (revision <= this.publishedRevision) return;
    this.publishedRevision = revision;
    if (events.length === 0) return;
    for (const l of this.listeners) {
      try {
        l(events, revision);
      } catch (err) {
        this.opts.log.error({ err }, "chainfire: a commit listener threw");
      }
    }
  }

  snapshotTo(file: string): Promise<void> {
    return this.persistence.backup(file);
  }

  dbSizeBytes(): number {
    return this.persistence.sizeBytes();
  }

  private assertUsable(): void {
    if (this.closed || this.failure) throw etcdErrors.stopped();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lastWrite;
    this.listeners.clear();
    await this.persistence.close();
  }
}
