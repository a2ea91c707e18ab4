// Every bound chainfire keeps, in one place, with what happens at the bound. The values follow
// etcd 3.4's defaults where etcd has one, so clients see the same limits.

/** Largest request a client may send (etcd --max-request-bytes): "request is too large". */
export const MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
/** gRPC framing allowance on top of MAX_REQUEST_BYTES; a larger frame is refused (RESOURCE_EXHAUSTED) unread. */
export const GRPC_OVERHEAD_BYTES = 512 * 1024;
/** Operations in one txn branch (etcd --max-txn-ops): "too many operations in txn request". */
export const MAX_TXN_OPS = 128;
/** Nesting depth of txn-in-txn; deeper requests are rejected as malformed. */
export const MAX_TXN_DEPTH = 8;
/** Shortest lease; shorter grants are raised to it, as etcd does (3 election timeouts / 2). */
export const MIN_LEASE_TTL_SECONDS = 2;
/** Longest lease (etcd MaxLeaseTTL): "too large lease TTL". */
export const MAX_LEASE_TTL_SECONDS = 9_000_000_000;
/** Live leases at once; grants beyond it fail with "too many requests". */
export const MAX_LEASES = 100_000;
/** Expired leases revoked per sweep, so a mass expiry does not stall writes (etcd: 1000/s). */
export const LEASE_REVOKES_PER_SWEEP = 500;
/** How often the lessor looks for expired leases. */
export const LEASE_SWEEP_INTERVAL_MS = 500;
/** Watchers across all streams; creating more is refused with a cancel. */
export const MAX_WATCHERS = 10_000;
/** Watchers on one gRPC stream. */
export const MAX_WATCHERS_PER_STREAM = 1_000;
/** Events queued for one watcher whose client does not read; past it the watch is canceled. */
export const WATCH_BACKLOG_EVENTS = 10_000;
/** Events per WatchResponse when replaying history. */
export const WATCH_BATCH_EVENTS = 1_000;
/** How often watchers that asked for progress_notify get an empty response (etcd: 10 min). */
export const WATCH_PROGRESS_INTERVAL_MS = 10 * 60 * 1000;
/** Kvs in one Range response when the client set no limit; past it the reply is refused. */
export const MAX_RANGE_KVS = 1_000_000;
/** LMDB map size: the space quota of the store (etcd default quota is 2 GiB). */
export const DB_QUOTA_BYTES = 8 * 1024 * 1024 * 1024;
/** Concurrent calls (unary, keep-alive and watch streams) per client connection (HTTP/2 SETTINGS). */
export const MAX_CONCURRENT_STREAMS = 1_000;
