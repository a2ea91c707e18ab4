// Usage charges, pure and exact: integer millicredits, with the sub-millicredit remainder
// carried forward so many short periods charge exactly what one long period would.
import type { Amounts, ResourceClass } from "./api.ts";

const msPerHour = 3_600_000n;

export interface Charge {
  amountMilli: number;
  /** Remainder in millicredit·ms/h units, to pass to the next call. */
  carry: bigint;
}

export function chargeFor(
  used: Amounts,
  ratesMilliPerHour: Amounts,
  elapsedMs: number,
  carry: bigint,
): Charge {
  let perHour = 0n;
  for (const [c, n] of Object.entries(used) as [ResourceClass, number][])
    perHour += BigInt(n) * BigInt(ratesMilliPerHour[c] ?? 0);
  const total = perHour * BigInt(Math.max(0, Math.floor(elapsedMs))) + carry;
  return { amountMilli: Number(total / msPerHour), carry: total % msPerHour };
}
