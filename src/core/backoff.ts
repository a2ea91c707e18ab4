// Exponential backoff with full jitter. Pure: the caller passes the random draw.
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 50, maxMs: 5_000 };

/** Delay before retry number `attempt` (1-based), given a uniform draw in [0, 1). */
export function backoffDelayMs(
  attempt: number,
  random: number,
  policy: BackoffPolicy = defaultBackoff,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random * ceiling);
}
