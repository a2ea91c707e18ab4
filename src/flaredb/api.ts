// flaredb's public schemas: region descriptors, the store data API, the placement driver API,
// and the error reasons a client's region cache acts on. Keys and values travel as base64.
import { z } from "zod";

export const FLAREDB_STORE_PORT = 20160;
export const FLAREDB_PD_PORT = 2479;

/** Largest key the data API accepts (LMDB keys stop below 2 KiB; the engine adds a suffix). */
export const MAX_KEY_BYTES = 1_024;
/** Largest value the data API accepts. */
export const MAX_VALUE_BYTES = 1024 * 1024;
/** Most keys in one batch get. */
export const MAX_BATCH_KEYS = 1_024;
/** Most pairs one scan returns (a larger limit is lowered to this). */
export const MAX_SCAN_LIMIT = 10_000;

export const b64 = z.string().max(Math.ceil((MAX_VALUE_BYTES * 4) / 3) + 4);

export const epochSchema = z.object({
  /** Bumped by every membership change. */
  confVer: z.number().int().min(0),
  /** Bumped by every split. */
  version: z.number().int().min(0),
});
export type Epoch = z.infer<typeof epochSchema>;

export const regionSchema = z.object({
  id: z.number().int().min(1),
  /** Inclusive start key (base64); "" is the start of the keyspace. */
  start: z.string(),
  /** Exclusive end key (base64); "" is the end of the keyspace. */
  end: z.string(),
  epoch: epochSchema,
  /** Store ids holding a replica (the Raft voters). */
  peers: z.array(z.string()),
});
export type RegionDescriptor = z.infer<typeof regionSchema>;

export const storeInfoSchema = z.object({
  id: z.string(),
  /** host:port of the data API, also the Raft transport's peer address is `raftAddress`. */
  address: z.string(),
  raftAddress: z.string(),
  state: z.enum(["up", "down"]).default("up"),
  lastHeartbeatMs: z.number().default(0),
  regionCount: z.number().int().default(0),
  leaderCount: z.number().int().default(0),
});
export type StoreInfo = z.infer<typeof storeInfoSchema>;

/** Why a data request was refused; the client's region cache reacts to each. */
export type RegionErrorReason = "NotLeader" | "EpochStale" | "KeyNotInRegion" | "RegionNotFound";

/** Every data request names the region and epoch the client routed it with. */
const routed = { regionId: z.number().int().min(1), epoch: epochSchema };

/** A replicated write: an engine command in the engine's binary codec, base64. */
export const executeRequestSchema = z.object({ ...routed, cmd: z.string().max(16 * 1024 * 1024) });
export type ExecuteRequest = z.infer<typeof executeRequestSchema>;

/** Most commands in one batch execute (bulk loading). */
export const MAX_BATCH_COMMANDS = 1_024;

/**
 * Several writes to one region in one request and one Raft entry (applied in order in one
 * transaction): bulk loads and the client's coalesced puts, for idempotent commands (raw
 * put/delete). Any failed command fails the call, and the client retries the whole batch.
 */
export const executeBatchRequestSchema = z.object({
  ...routed,
  cmds: z
    .array(z.string().max(2 * 1024 * 1024))
    .min(1)
    .max(MAX_BATCH_COMMANDS),
});
export type ExecuteBatchRequest = z.infer<typeof executeBatchRequestSchema>;

/**
 * A read on the leader (linearizable: lease or ReadIndex): get/batchGet/scan at a timestamp, or
 * the raw reads, with keys as {"$b": base64} (see wire-codec.ts). A scan is clamped to the region.
 */
export const readRequestSchema = z.object({ ...routed, read: z.record(z.string(), z.unknown()) });
export type ReadRequest = z.infer<typeof readRequestSchema>;

// ---- placement driver ----

export const regionStatsSchema = z.object({
  region: regionSchema,
  leader: z.boolean(),
  /** Approximate bytes of keys + values in the region. */
  sizeBytes: z.number().min(0),
  keys: z.number().int().min(0),
  writesPerSec: z.number().min(0),
  readsPerSec: z.number().min(0),
  /** Leader only: applied index minus each follower's match index. */
  lagByStore: z.record(z.string(), z.number()).default({}),
  /** Leader only: a key that splits the recent writes in half (load split). */
  loadSplitKey: z.string().optional(),
  /** Leader only: the middle key by size (size split). */
  sizeSplitKey: z.string().optional(),
});
export type RegionStats = z.infer<typeof regionStatsSchema>;

export const storeHeartbeatSchema = z.object({
  storeId: z.string(),
  address: z.string(),
  raftAddress: z.string(),
  regions: z.array(regionStatsSchema).max(100_000),
});
export type StoreHeartbeat = z.infer<typeof storeHeartbeatSchema>;

export const operatorSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("addPeer"), regionId: z.number(), storeId: z.string() }),
  z.object({ type: z.literal("removePeer"), regionId: z.number(), storeId: z.string() }),
  z.object({ type: z.literal("transferLeader"), regionId: z.number(), storeId: z.string() }),
  z.object({ type: z.literal("split"), regionId: z.number(), splitKey: z.string(), newRegionId: z.number() }),
]);
export type Operator = z.infer<typeof operatorSchema>;

export const heartbeatReplySchema = z.object({
  stores: z.array(storeInfoSchema),
  operators: z.array(operatorSchema),
  /** Regions this store must create as a founding replica (bootstrap). */
  create: z.array(regionSchema),
  /** Replicas this store holds that the cluster removed: destroy them. */
  destroy: z.array(z.number()),
  /** The driver's split size, so stores know when to measure their regions again. */
  regionSplitBytes: z.number().optional(),
});
export type HeartbeatReply = z.infer<typeof heartbeatReplySchema>;

export const locateReplySchema = z.object({
  region: regionSchema,
  leader: z.string().optional(),
  stores: z.array(storeInfoSchema),
});
export type LocateReply = z.infer<typeof locateReplySchema>;

export const regionViewSchema = z.object({
  region: regionSchema,
  leader: z.string().optional(),
  sizeBytes: z.number(),
  keys: z.number(),
  writesPerSec: z.number(),
  readsPerSec: z.number(),
  lagByStore: z.record(z.string(), z.number()),
});
export type RegionView = z.infer<typeof regionViewSchema>;

export const keyToB64 = (k: Uint8Array): string =>
  Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString("base64");
export const b64ToKey = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64"));
