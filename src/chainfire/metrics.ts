// chainfire's Prometheus metrics, sampled from the store when scraped, plus the durable-write
// latency, which is chainfire's fsync latency.
import { Counter, Gauge, Histogram, latencyBuckets, type Registry } from "../core/metrics.ts";
import type { KvStore } from "./kv-store.ts";
import type { WatchHub } from "./watch-hub.ts";

export interface ChainfireMetrics {
  writeSeconds: Histogram;
  proposals: Counter;
}

export function chainfireMetrics(
  registry: Registry,
  store: () => KvStore | undefined,
  hub: () => WatchHub | undefined,
): ChainfireMetrics {
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const v = read();
        if (v !== undefined) this.set(v);
      },
    });
  gauge("chainfire_revision", "current store revision", () => store()?.revision);
  gauge(
    "chainfire_compact_revision",
    "revision the store is compacted to",
    () => store()?.view.compactRevision,
  );
  gauge("chainfire_applied_index", "last applied log index", () => store()?.appliedIndex);
  gauge("chainfire_keys", "keys with retained versions", () => store()?.view.keyCount());
  gauge("chainfire_leases", "live leases", () => store()?.view.leaseIds().length);
  gauge("chainfire_watchers", "registered watchers", () => hub()?.size);
  gauge("chainfire_db_size_bytes", "size of the LMDB file", () => store()?.dbSizeBytes());
  gauge("chainfire_raft_term", "raft term (1 while single-member)", () => 1);
  return {
    writeSeconds: new Histogram({
      name: "chainfire_disk_write_seconds",
      help: "time from apply to fsync of a write batch",
      buckets: latencyBuckets,
      registers: [registry],
    }),
    proposals: new Counter({
      name: "chainfire_proposals_total",
      help: "commands applied, by operation and outcome",
      labelNames: ["op", "outcome"],
      registers: [registry],
    }),
  };
}
