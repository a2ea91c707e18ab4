// chainfire's Prometheus metrics, sampled from the store when scraped, plus the durable-write
// latency, which is chainfire's fsync latency.
import { Counter, Gauge, Histogram, latencyBuckets, type Registry } from "../core/metrics.ts";
import type { RaftView } from "./grpc/context.ts";
import type { KvStore } from "./kv-store.ts";
import type { WatchHub } from "./watch-hub.ts";

export interface ChainfireMetrics {
  writeSeconds: Histogram;
  walSyncSeconds: Histogram;
  proposals: Counter;
  leaderChanges: Counter;
}

export function chainfireMetrics(
  registry: Registry,
  store: () => KvStore | undefined,
  hub: () => WatchHub | undefined,
  raft: () => RaftView | undefined,
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
  gauge("chainfire_raft_term", "raft term (1 for a member without Raft)", () => raft()?.term());
  gauge("chainfire_raft_commit_index", "raft commit index", () => raft()?.commitIndex());
  gauge("chainfire_raft_apply_lag", "committed entries not yet applied", () => {
    const r = raft();
    return r ? r.commitIndex() - r.appliedIndex() : undefined;
  });
  gauge("chainfire_has_leader", "1 when this member knows a leader", () => {
    const r = raft();
    return r ? Number(r.leader() !== "0") : undefined;
  });
  return {
    writeSeconds: new Histogram({
      name: "chainfire_disk_write_seconds",
      help: "time from apply to fsync of a write batch",
      buckets: latencyBuckets,
      registers: [registry],
    }),
    walSyncSeconds: new Histogram({
      name: "chainfire_wal_fsync_seconds",
      help: "fdatasync latency of the Raft write-ahead log (one per batch of Readys)",
      buckets: latencyBuckets,
      registers: [registry],
    }),
    leaderChanges: new Counter({
      name: "chainfire_leader_changes_total",
      help: "times this member became or stopped being the leader",
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
