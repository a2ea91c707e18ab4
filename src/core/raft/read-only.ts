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
 * A quorum acknowledging the heartbeat that carried a request's key confirms every request
 * queued up to and including it. Bounded by the caller (maxPendingReadIndex).
 *
 * Requests are keyed by (requester, ctx): a ctx need only be unique per requesting node, so
 * two followers that both number their reads "r1", "r2"… do not collide.
 */
export class ReadOnlyQueue {
  private readonly pending = new Map<string, ReadIndexStatus>();
  private queue: string[] = [];

  static key(from: NodeId, ctx: string): string {
    return `${from}\u0001${ctx}`;
  }

  has(key: string): boolean {
    return this.pending.has(key);
  }

  size(): number {
    return this.queue.length;
  }

  /** Queues a request; returns its key, which travels as the heartbeat context. */
  add(index: number, from: NodeId, ctx: string): string {
    const key = ReadOnlyQueue.key(from, ctx);
    if (this.pending.has(key)) return key;
    this.pending.set(key, { index, from, ctx, acks: new Set() });
    this.queue.push(key);
    return key;
  }

  /** Records an ack of the request `key`; returns who has acked it (undefined if unknown). */
  recvAck(id: NodeId, key: string): Set<NodeId> | undefined {
    const rs = this.pending.get(key);
    if (!rs) return undefined;
    rs.acks.add(id);
    return rs.acks;
  }

  /** Removes and returns every request queued up to and including `key`. */
  advance(key: string): ReadIndexStatus[] {
    const i = this.queue.indexOf(key);
    if (i < 0) return [];
    const done = this.queue.slice(0, i + 1);
    this.queue = this.queue.slice(i + 1);
    return done.map((c) => {
      const rs = this.pending.get(c)!;
      this.pending.delete(c);
      return rs;
    });
  }

  lastPendingKey(): string | undefined {
    return this.queue[this.queue.length - 1];
  }

  clear(): void {
    this.pending.clear();
    this.queue = [];
  }
}
