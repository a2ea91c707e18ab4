import type { NodeId } from "./types.ts";

interface ReadIndexStatus {
  readonly index: number;
  /** Who asked: the leader itself (local read) or a follower that forwarded the request. */
  readonly from: NodeId;
  readonly ctx: string;
  readonly acks: Set<NodeId>;
}

/**
 * ReadIndex requests waiting for a heartbeat round to confirm the leader is still the leader.
 * A quorum acknowledging the heartbeat that carried ctx confirms every request queued up to
 * and including ctx. Bounded by the caller (maxPendingReadIndex).
 */
export class ReadOnlyQueue {
  private readonly pending = new Map<string, ReadIndexStatus>();
  private queue: string[] = [];

  has(ctx: string): boolean {
    return this.pending.has(ctx);
  }

  size(): number {
    return this.queue.length;
  }

  add(index: number, from: NodeId, ctx: string): void {
    if (this.pending.has(ctx)) return;
    this.pending.set(ctx, { index, from, ctx, acks: new Set() });
    this.queue.push(ctx);
  }

  /** Records an ack of ctx; returns the number of distinct acks (undefined if unknown ctx). */
  recvAck(id: NodeId, ctx: string): Set<NodeId> | undefined {
    const rs = this.pending.get(ctx);
    if (!rs) return undefined;
    rs.acks.add(id);
    return rs.acks;
  }

  /** Removes and returns every request queued up to and including ctx. */
  advance(ctx: string): ReadIndexStatus[] {
    const i = this.queue.indexOf(ctx);
    if (i < 0) return [];
    const done = this.queue.slice(0, i + 1);
    this.queue = this.queue.slice(i + 1);
    return done.map((c) => {
      const rs = this.pending.get(c)!;
      this.pending.delete(c);
      return rs;
    });
  }

  lastPendingCtx(): string | undefined {
    return this.queue[this.queue.length - 1];
  }

  clear(): void {
    this.pending.clear();
    this.queue = [];
  }
}
