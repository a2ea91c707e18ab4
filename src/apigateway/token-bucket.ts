// Token buckets for rate limits, pure: the caller passes the time. Buckets refill
// continuously at `ratePerSecond` up to `burst`; an empty bucket says how long to wait.

export interface BucketState {
  tokens: number;
  updatedMs: number;
}

export interface BucketPolicy {
  ratePerSecond: number;
  burst: number;
}

export interface Take {
  allowed: boolean;
  /** When not allowed: seconds until one token is available (for Retry-After). */
  retryAfterSeconds: number;
  state: BucketState;
}

export function take(state: BucketState | undefined, policy: BucketPolicy, nowMs: number, cost = 1): Take {
  const prev = state ?? { tokens: policy.burst, updatedMs: nowMs };
  const elapsed = Math.max(0, nowMs - prev.updatedMs) / 1000;
  const tokens = Math.min(policy.burst, prev.tokens + elapsed * policy.ratePerSecond);
  if (tokens >= cost)
    return { allowed: true, retryAfterSeconds: 0, state: { tokens: tokens - cost, updatedMs: nowMs } };
  const wait = (cost - tokens) / policy.ratePerSecond;
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil(wait)),
    state: { tokens, updatedMs: nowMs },
  };
}

/** Buckets by key with a bound on how many are kept (least recently used go first). */
export class BucketSet {
  private readonly buckets = new Map<string, BucketState>();
  constructor(
    private readonly policy: BucketPolicy,
    readonly maxKeys = 100_000,
  ) {}

  /** Consumes what another gateway replica let through, even into debt, so the shared rate holds. */
  charge(key: string, nowMs: number, cost: number): void {
    const t = take(this.buckets.get(key), this.policy, nowMs, 0);
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: Math.max(-this.policy.burst, t.state.tokens - cost), updatedMs: nowMs });
  }

  take(key: string, nowMs: number, cost = 1): Take {
    const t = take(this.buckets.get(key), this.policy, nowMs, cost);
    this.buckets.delete(key);
    this.buckets.set(key, t.state);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return t;
  }
}
