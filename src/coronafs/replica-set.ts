// The replicas a primary forwards every write to, over NBD. A write is acknowledged to the
// client only once every in-sync replica has acknowledged it, and FLUSH/FUA reach the
// replicas as FLUSH/FUA, so what the client was told is durable is fsynced on every copy.
// A replica that fails is dropped only if `onLost` confirms (the control plane removed it
// from the in-sync set first, so it can never be promoted with missing writes); otherwise
// the write fails with EIO rather than be acknowledged with fewer copies than promised.
import type { Logger } from "pino";
import { NbdClient } from "./nbd-client.ts";
import { nbdErr } from "./nbd-protocol.ts";
import { NbdError } from "./nbd-server.ts";

export interface ReplicaTarget {
  address: string;
  exportName: string;
}

export type OnReplicaLost = (address: string, reason: string) => Promise<void>;

export const replicaConnectTimeoutMs = 5_000;
/**
 * A replica that leaves a request unanswered this long is treated as failed (a frozen
 * process or a black-holed link would otherwise hang every write of the volume).
 */
export const replicaRequestTimeoutMs = 30_000;
/** How often the links are checked for unanswered requests. */
const stallCheckEveryMs = 250;

export class ReplicaSet {
  private readonly links = new Map<string, Promise<NbdClient>>();
  /** Links whose handshake finished: requests go straight onto their sockets. */
  private readonly ready = new Map<string, NbdClient>();
  private readonly dropped = new Set<string>();
  /**
   * Replicas being resynced: they get every write (so they do not fall further behind) but
   * are not in the quorum yet, so one that fails is just removed, nothing is reported.
   */
  private readonly catchingUp = new Set<string>();
  private closed = false;
  private readonly watchdog: NodeJS.Timeout;
  private readonly targets: ReplicaTarget[];

  constructor(
    targets: ReplicaTarget[],
    private readonly log: Logger,
    private readonly onLost?: OnReplicaLost,
    private readonly requestTimeoutMs: number = replicaRequestTimeoutMs,
  ) {
    this.targets = [...targets];
    this.watchdog = setInterval(() => this.cutStalled(), Math.min(stallCheckEveryMs, requestTimeoutMs));
    this.watchdog.unref();
  }

  /** Destroys links with a request older than the timeout: its writes fail over to `lose`. */
  private cutStalled(): void {
    const now = performance.now();
    for (const [address, c] of this.ready) {
      const waited = c.oldestPendingMs(now);
      if (waited > this.requestTimeoutMs)
        c.destroy(new Error(`replica ${address} left a request unanswered for ${Math.round(waited)} ms`));
    }
  }

  get inSync(): string[] {
    return this.targets.map((t) => t.address).filter((a) => !this.dropped.has(a) && !this.catchingUp.has(a));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts forwarding to a replica being resynced (replacing any earlier link to it). */
  addCatchingUp(t: ReplicaTarget): void {
    this.remove(t.address);
    this.targets.push(t);
    this.catchingUp.add(t.address);
  }

  /** The resync of `address` is complete: from now on it is in the write quorum. */
  promote(address: string): void {
    this.catchingUp.delete(address);
  }

  isCatchingUp(address: string): boolean {
    return this.catchingUp.has(address);
  }

  /** Stops forwarding to a replica (a resync that failed). */
  remove(address: string): void {
    const i = this.targets.findIndex((t) => t.address === address);
    if (i >= 0) this.targets.splice(i, 1);
    this.catchingUp.delete(address);
    this.dropped.delete(address);
    this.forgetLink(address);
  }

  /** Sends one request to one replica being resynced (the resync's chunk copies). */
  sendTo(address: string, op: (c: NbdClient) => Promise<void>): Promise<void> {
    const t = this.targets.find((x) => x.address === address);
    if (!t || !this.catchingUp.has(address))
      return Promise.reject(new Error(`replica ${address} is no longer being resynced`));
    return this.link(t).then(op);
  }

  write(offset: number, data: Buffer[], fua: boolean): Promise<void> {
    return this.each((c) => c.write(offset, data, fua));
  }
  zero(offset: number, length: number, opts: { fua: boolean; noHole: boolean }): Promise<void> {
    return this.each((c) => c.writeZeroes(offset, length, opts));
  }
  flush(): Promise<void> {
    return this.each((c) => c.flush());
  }

  /**
   * Sends op to every in-sync replica. On an established link the request is on the socket
   * before this returns (no await in between), so it travels while the caller writes locally.
   */
  private each(op: (c: NbdClient) => Promise<void>): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const t of this.targets) {
      if (this.dropped.has(t.address)) continue;
      const ready = this.ready.get(t.address);
      const sent = ready ? op(ready) : this.link(t).then(op);
      waits.push(sent.catch((e) => this.failed(t, e)));
    }
    if (waits.length === 1) return waits[0]!;
    return Promise.all(waits).then(() => undefined);
  }

  private async failed(t: ReplicaTarget, e: unknown): Promise<void> {
    if (this.catchingUp.has(t.address)) {
      // Not in the quorum yet: the client's request does not depend on it.
      this.log.warn({ replica: t.address, reason: (e as Error).message }, "replica being resynced failed");
      this.remove(t.address);
      return;
    }
    if ((e as { errno?: number }).errno === nbdErr.perm)
      // The replica moved to a newer epoch: this primary is fenced.
      throw new NbdError(nbdErr.perm, `replica ${t.address} refused the write: fenced`);
    this.forgetLink(t.address);
    await this.lose(t, (e as Error).message);
  }

  private async lose(t: ReplicaTarget, reason: string): Promise<void> {
    if (this.dropped.has(t.address)) return;
    this.log.warn({ replica: t.address, reason }, "replica failed");
    if (!this.onLost) throw new NbdError(nbdErr.io, `replica ${t.address} failed: ${reason}`);
    try {
      await this.onLost(t.address, reason);
    } catch (e) {
      throw new NbdError(
        nbdErr.io,
        `replica ${t.address} failed and could not be removed: ${(e as Error).message}`,
      );
    }
    this.dropped.add(t.address);
  }

  private link(t: ReplicaTarget): Promise<NbdClient> {
    let l = this.links.get(t.address);
    if (!l) {
      if (this.closed) return Promise.reject(new Error("replica set closed"));
      const connecting = NbdClient.connect(t.address, t.exportName, replicaConnectTimeoutMs);
      l = connecting;
      connecting.then(
        (c) => {
          if (this.links.get(t.address) === connecting) this.ready.set(t.address, c);
        },
        () => this.forgetLink(t.address),
      );
      this.links.set(t.address, l);
    }
    return l;
  }

  private forgetLink(address: string): void {
    this.ready.get(address)?.destroy();
    this.links.delete(address);
    this.ready.delete(address);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    for (const l of this.links.values()) {
      const c = await l.catch(() => undefined);
      c?.close();
    }
    this.links.clear();
    this.ready.clear();
  }
}
