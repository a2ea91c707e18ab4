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

/** A kept bucket is moved to the recent end of the eviction order at most this often. */
const recencyRefreshMs = 1_000;

interface KeptBucket extends BucketState {
  touchedMs: number;
}

const allowed: Take = Object.freeze({
  allowed: true,
  retryAfterSeconds: 0,
  state: Object.freeze({ tokens: 0, updatedMs: 0 }),
});

/**
 * Buckets by key with a bound on how many are kept (least recently used go first). Updated in
 * place: this runs once or twice per request on the gateway's hot path.
 */
export class BucketSet {
  private readonly buckets = new Map<string, KeptBucket>();
  constructor(
    private readonly policy: BucketPolicy,
    readonly maxKeys = 100_000,
  ) {}

  /** Consumes what another gateway replica let through, even into debt, so the shared rate holds. */
  charge(key: string, nowMs: number, cost: number): void {
    const b = this.bucket(key, nowMs);
    this.refill(b, nowMs);
    b.tokens = Math.max(-this.policy.burst, b.tokens - cost);
  }

  /** Takes `cost` tokens if there are enough. An allowed answer is a shared frozen object. */
  take(key: string, nowMs: number, cost = 1): Take {
    const b = this.bucket(key, nowMs);
    this.refill(b, nowMs);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return allowed;
    }
    const wait = (cost - b.tokens) / this.policy.ratePerSecond;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(wait)),
      state: { tokens: b.tokens, updatedMs: b.updatedMs },
    };
  }

  private refill(b: KeptBucket, nowMs: number): void {
    const elapsed = Math.max(0, nowMs - b.updatedMs) / 1000;
    b.tokens = Math.min(this.policy.burst, b.tokens + elapsed * this.policy.ratePerSecond);
    b.updatedMs = Math.max(b.updatedMs, nowMs);
  }

  private bucket(key: string, nowMs: number): KeptBucket {
    let b = this.buckets.get(key);
    if (b === undefined) {
      b = { tokens: this.policy.burst, updatedMs: nowMs, touchedMs: nowMs };
      this.buckets.set(key, b);
      if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    } else if (nowMs - b.touchedMs > recencyRefreshMs) {
      this.buckets.delete(key);
      this.buckets.set(key, b);
      b.touchedMs = nowMs;
    }
    return b;
  }
}
