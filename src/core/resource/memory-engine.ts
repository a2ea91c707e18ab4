// The in-memory engine: a sorted key index over a Map. For tests and throwaway clusters.
import { BufferedTx, type Engine, type EngineTx } from "./engine.ts";
import type { AnyResource } from "./model.ts";
import { storeLimits, type WatchEvent } from "./store.ts";

export class MemoryEngine implements Engine {
  private readonly values = new Map<string, AnyResource>();
  private sortedKeys: string[] = [];
  private readonly events: WatchEvent[] = [];
  private rev = 0;

  constructor(private readonly historyLimit = storeLimits.eventHistory) {}

  get(key: string): AnyResource | undefined {
    return this.values.get(key);
  }

  scan(prefix: string, after: string | undefined, limit: number): Array<[string, AnyResource]> {
    const out: Array<[string, AnyResource]> = [];
    let i = lowerBound(this.sortedKeys, after !== undefined && after >= prefix ? `${after}\u0000` : prefix);
    for (; i < this.sortedKeys.length && out.length < limit; i++) {
      const k = this.sortedKeys[i]!;
      if (!k.startsWith(prefix)) break;
      out.push([k, this.values.get(k)!]);
    }
    return out;
  }

  revision(): number {
    return this.rev;
  }

  eventsSince(from: number, limit: number): WatchEvent[] | "compacted" {
    const oldest = this.events[0]?.revision ?? this.rev + 1;
    if (from + 1 < oldest && from < this.rev) return "compacted";
    const start = this.events.findIndex((e) => e.revision > from);
    return start < 0 ? [] : this.events.slice(start, start + limit);
  }

  async transact<T>(fn: (tx: EngineTx) => T): Promise<T> {
    const tx = new BufferedTx((k) => this.values.get(k), this.rev);
    const result = fn(tx);
    for (const [k, v] of tx.writes) {
      if (v === undefined) {
        if (this.values.delete(k)) this.sortedKeys.splice(lowerBound(this.sortedKeys, k), 1);
      } else {
        if (!this.values.has(k)) this.sortedKeys.splice(lowerBound(this.sortedKeys, k), 0, k);
        this.values.set(k, v);
      }
    }
    for (const e of tx.events) this.events.push(e);
    if (this.events.length > this.historyLimit) this.events.splice(0, this.events.length - this.historyLimit);
    this.rev = tx.revision();
    return result;
  }

  async close(): Promise<void> {}
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
