// Lease deadlines. The replicated state knows which leases exist and their TTLs; when each
// one runs out is leader-local, as in etcd: a new leader (or a restart) gives every lease a
// fresh full TTL, so a lease never expires early because of a failover. The clock comes in
// through the constructor; the server's sweep turns expired leases into revoke commands.

export class Lessor {
  private readonly deadlines = new Map<number, number>();

  constructor(private readonly nowMs: () => number) {}

  /** Starts or restarts the lease's countdown; returns the TTL granted. */
  renew(id: number, ttlSeconds: number): number {
    this.deadlines.set(id, this.nowMs() + ttlSeconds * 1000);
    return ttlSeconds;
  }

  forget(id: number): void {
    this.deadlines.delete(id);
  }

  /** Whole seconds left, rounded up as etcd reports them; -1 if unknown. */
  remainingSeconds(id: number): number {
    const d = this.deadlines.get(id);
    if (d === undefined) return -1;
    return Math.max(0, Math.ceil((d - this.nowMs()) / 1000));
  }

  /** Leases past their deadline, oldest first, at most `max` of them. */
  expired(max: number): number[] {
    const now = this.nowMs();
    return [...this.deadlines]
      .filter(([, d]) => d <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, max)
      .map(([id]) => id);
  }
}
