// Per-tenant ingestion limits: a cap on active (head) series and a token bucket on samples per
// second. High cardinality is what runs Prometheus out of memory, so the cap is enforced at
// series creation with an error that names the limit and what to do.

export interface LimitsConfig {
  /** Active series a tenant may hold in the head. */
  maxSeriesPerTenant: number;
  /** Sustained samples per second a tenant may write. */
  maxSamplesPerSecond: number;
  /** Bucket depth, in seconds of the sustained rate. */
  burstSeconds: number;
}

export const defaultLimits: LimitsConfig = {
  maxSeriesPerTenant: 1_000_000,
  maxSamplesPerSecond: 5_000_000,
  burstSeconds: 10,
};

/** Tenants tracked by the rate limiter at once (oldest forgotten beyond this). */
export const maxTrackedTenants = 100_000;

export class SampleRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  constructor(private readonly cfg: LimitsConfig) {}

  /** Takes `n` tokens for the tenant at `nowMs`; false = over the limit, nothing taken. */
  take(tenant: string, n: number, nowMs: number): boolean {
    const cap = this.cfg.maxSamplesPerSecond * this.cfg.burstSeconds;
    let b = this.buckets.get(tenant);
    if (!b) {
      if (this.buckets.size >= maxTrackedTenants) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: cap, atMs: nowMs };
      this.buckets.set(tenant, b);
    }
    b.tokens = Math.min(cap, b.tokens + ((nowMs - b.atMs) / 1000) * this.cfg.maxSamplesPerSecond);
    b.atMs = nowMs;
    if (n > b.tokens) return false;
    b.tokens -= n;
    return true;
  }
}
