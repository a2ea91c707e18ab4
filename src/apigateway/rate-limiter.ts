// Rate limits per principal and per project. Each gateway replica decides locally (no hop on
// the request path) and tells its peers what it let through every syncIntervalMs; peers charge
// the same buckets, so the configured rate holds across replicas to within one interval.
import type { Logger } from "pino";
import { HttpClient } from "../core/http-client.ts";
import { type BucketPolicy, BucketSet, type Take } from "./token-bucket.ts";

export interface RateLimiterOptions {
  principal: BucketPolicy;
  project: BucketPolicy;
  peers: string[];
  /** Other processes of this same gateway (--workers), reached over IPC rather than HTTP. */
  siblings?: ((deltas: Record<string, number>) => void) | undefined;
  syncIntervalMs: number;
  serviceToken: () => Promise<string | undefined>;
  log: Logger;
  clock?: () => number;
}

/** Keys carried in one sync message at most; the busiest go first. */
const maxKeysPerSync = 10_000;

export class RateLimiter {
  private readonly principals: BucketSet;
  private readonly projects: BucketSet;
  private pending = new Map<string, number>();
  private pendingSiblings = new Map<string, number>();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly peers: HttpClient[];
  private readonly clock: () => number;
  /** Usage goes to peers or sibling processes. */
  private readonly syncing: boolean;

  constructor(private readonly o: RateLimiterOptions) {
    this.principals = new BucketSet(o.principal);
    this.projects = new BucketSet(o.project);
    this.clock = o.clock ?? Date.now;
    this.peers = o.peers.map(
      (baseUrl) => new HttpClient({ baseUrl, token: o.serviceToken, timeoutMs: 1000, attempts: 1 }),
    );
    this.syncing = this.peers.length > 0 || o.siblings !== undefined;
    if (this.syncing) {
      this.timer = setInterval(() => void this.flush(), o.syncIntervalMs);
      this.timer.unref();
    }
  }

  /** Takes one token from the caller's bucket and its project's; refuses if either is empty. */
  admit(principalKey: string, project: string | undefined): Take {
    const now = this.clock();
    // Buckets are keyed by the bare name (a caller's subject is the same string each time, so
    // its hash is computed once); the u:/j: prefixes exist only in sync messages.
    const p = this.principals.take(principalKey, now);
    if (!p.allowed) return p;
    if (project) {
      const j = this.projects.take(project, now);
      if (!j.allowed) return j;
      if (this.syncing) this.note(`j:${project}`);
    }
    if (this.syncing) this.note(`u:${principalKey}`);
    return p;
  }

  /**
   * Applies what a peer or sibling let through. `passToPeers` when it came from a sibling
   * process: this process then tells the HTTP peers too, as if it had let it through itself.
   */
  absorb(deltas: Record<string, number>, passToPeers = false): void {
    const now = this.clock();
    for (const [key, n] of Object.entries(deltas)) {
      if (key.startsWith("u:")) this.principals.charge(key.slice(2), now, n);
      else if (key.startsWith("j:")) this.projects.charge(key.slice(2), now, n);
      else continue;
      if (passToPeers && this.peers.length && this.pending.size < maxKeysPerSync)
        this.pending.set(key, (this.pending.get(key) ?? 0) + n);
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private note(key: string): void {
    if (this.peers.length) this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    if (this.o.siblings && (this.pendingSiblings.size < maxKeysPerSync || this.pendingSiblings.has(key)))
      this.pendingSiblings.set(key, (this.pendingSiblings.get(key) ?? 0) + 1);
  }

  private async flush(): Promise<void> {
    if (this.o.siblings && this.pendingSiblings.size) {
      const batch = this.pendingSiblings;
      this.pendingSiblings = new Map();
      this.o.siblings(Object.fromEntries(batch));
    }
    if (this.pending.size === 0) return;
    const batch = [...this.pending.entries()].sort((a, b) => b[1] - a[1]).slice(0, maxKeysPerSync);
    this.pending = new Map();
    const deltas = Object.fromEntries(batch);
    await Promise.all(
      this.peers.map((peer) =>
        peer
          .post("/internal/v1/ratelimit/sync", { deltas })
          .catch((err) => this.o.log.debug({ err, peer: peer.baseUrl }, "rate sync failed")),
      ),
    );
  }
}
