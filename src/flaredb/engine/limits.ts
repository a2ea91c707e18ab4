// The named bounds of the engine. Commands and reads beyond them are rejected at the boundary
// (zod) or cut short with a resume key, so one request can never hold a region's apply loop.

/** Largest user key, in bytes (LMDB keys max out near 1978 bytes; the MVCC suffix needs 10). */
export const MAX_KEY_BYTES = 1024;
/** Largest value, in bytes: values travel inline in raft entries and in lock records. */
export const MAX_VALUE_BYTES = 1024 * 1024;
/** Most keys (mutations) one command may carry; the txn client batches above this. */
export const MAX_KEYS_PER_COMMAND = 4096;
/** Longest lock TTL a prewrite may ask for. */
export const MAX_LOCK_TTL_MS = 10 * 60 * 1000;
/** Longest raw-key TTL. */
export const MAX_RAW_TTL_MS = 10 * 365 * 24 * 3600 * 1000;
/** Most user pairs one scan returns. */
export const MAX_SCAN_LIMIT = 10_000;
/**
 * Most physical entries one read or GC step visits before it stops with a resume key: old
 * versions and locks cost work without producing output, so output limits alone do not bound it.
 */
export const MAX_SCAN_WORK_ENTRIES = 100_000;
/** Timestamps are positive safe integers (the TSO packs physical ms and a logical counter). */
export const MAX_TS = Number.MAX_SAFE_INTEGER;
