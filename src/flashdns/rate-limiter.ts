// Response rate limiting for UDP (in the spirit of BIND/NSD RRL): a token bucket per client
// network, so a spoofed-source flood cannot turn the server into an amplifier. Over the
// limit, most responses are dropped and every `slip`-th goes out truncated (TC, no records),
// which sends a real client to TCP, where spoofing does not work. Pure: time is passed in.

import { ipv6ToBytes } from "./wire/address.ts";

export interface RateLimitOptions {
  /** Responses per second per client network; 0 turns limiting off. */
  responsesPerSecond: number;
  /** Every Nth limited response is sent truncated instead of dropped (0: drop all). */
  slip: number;
  /** Client networks tracked; at the bound the oldest are forgotten. */
  maxTrackedNetworks: number;
}

export type RateDecision = "send" | "truncate" | "drop";

interface Bucket {
  tokens: number;
  updatedMs: number;
  limited: number;
}

/** The network a client is counted in: /24 for IPv4, /56 for IPv6 (as RRL does). */
export function clientNetwork(address: string): string {
  if (address.includes(":")) {
    const v4 = /^::ffff:(\d+\.\d+\.\d+)\.\d+$/i.exec(address);
    if (v4) return v4[1] as string;
    const b = ipv6ToBytes(address);
    return b ? Buffer.from(b.subarray(0, 7)).toString("hex") : address;
  }
  return address.slice(0, address.lastIndexOf("."));
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly opts: RateLimitOptions) {}

  decide(address: string, nowMs: number): RateDecision {
    const rate = this.opts.responsesPerSecond;
    if (rate <= 0) return "send";
    const key = clientNetwork(address);
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.opts.maxTrackedNetworks) {
        const oldest = this.buckets.keys().next().value as string;
        this.buckets.delete(oldest);
      }
      b = { tokens: rate, updatedMs: nowMs, limited: 0 };
      this.buckets.set(key, b);
    } else {
      // Refill for the time passed, up to one second's worth (the burst allowance).
      b.tokens = Math.min(rate, b.tokens + ((nowMs - b.updatedMs) / 1000) * rate);
      b.updatedMs = nowMs;
      // Keep map order by last use, so the bound forgets idle networks first.
      this.buckets.delete(key);
      this.buckets.set(key, b);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return "send";
    }
    b.limited++;
    return this.opts.slip > 0 && b.limited % this.opts.slip === 0 ? "truncate" : "drop";
  }

  get trackedNetworks(): number {
    return this.buckets.size;
  }
}

/** A truncated copy of a response: header and question kept, TC set, no records. */
export function truncatedReply(response: Uint8Array): Uint8Array {
  if (response.length < 12) return response;
  // Walk the question (it is uncompressed: the first name in the message).
  let o = 12;
  const qd = ((response[4] as number) << 8) | (response[5] as number);
  for (let i = 0; i < qd && o < response.length; i++) {
    while (o < response.length && response[o] !== 0) {
      const l = response[o] as number;
      if ((l & 0xc0) === 0xc0) {
        o += 1;
        break;
      }
      o += l + 1;
    }
    o += 1 + 4;
  }
  const out = response.slice(0, Math.min(o, response.length));
  out[2] = (out[2] as number) | 0x02;
  out.fill(0, 6, 12);
  return out;
}
