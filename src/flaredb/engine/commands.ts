// The replicated commands a region applies (they travel in raft entries), their results, and
// a compact binary codec. Percolator two-phase commit (prewrite, commit, rollback,
// checkTxnStatus, resolveLock, txnHeartbeat), raw keys with TTL (put, delete, compare-and-set)
// and garbage collection of old versions below a safe point.

import { z } from "zod";
import { BinaryReader, BinaryWriter, CodecError } from "./binary-codec.ts";
import {
  MAX_KEY_BYTES,
  MAX_KEYS_PER_COMMAND,
  MAX_LOCK_TTL_MS,
  MAX_RAW_TTL_MS,
  MAX_SCAN_WORK_ENTRIES,
  MAX_TS,
  MAX_VALUE_BYTES,
} from "./limits.ts";

// Typed as plain Uint8Array (any backing buffer): keys come from Buffers, subarrays and LMDB.
const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, {
  message: "expected bytes (a Uint8Array)",
});
export const keySchema = bytes.refine((k) => k.length >= 1 && k.length <= MAX_KEY_BYTES, {
  message: `a key is 1..${MAX_KEY_BYTES} bytes`,
});
export const valueSchema = bytes.refine((v) => v.length <= MAX_VALUE_BYTES, {
  message: `a value is at most ${MAX_VALUE_BYTES} bytes`,
});
/** A user-range bound: the empty key means "from the start". */
const boundSchema = bytes.refine((k) => k.length <= MAX_KEY_BYTES, {
  message: `a range bound is at most ${MAX_KEY_BYTES} bytes`,
});
export const tsSchema = z.number().int().min(1).max(MAX_TS);
const keysSchema = z.array(keySchema).min(1).max(MAX_KEYS_PER_COMMAND);

export const mutationSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("put"), key: keySchema, value: valueSchema }),
  z.object({ op: z.literal("delete"), key: keySchema }),
  /** Lock without writing: commits a "lock" record that conflicts like a write (write-skew guard). */
  z.object({ op: z.literal("lock"), key: keySchema }),
]);
export type Mutation = z.infer<typeof mutationSchema>;

export const prewriteSchema = z.object({
  type: z.literal("prewrite"),
  mutations: z.array(mutationSchema).min(1).max(MAX_KEYS_PER_COMMAND),
  primary: keySchema,
  startTs: tsSchema,
  lockTtlMs: z.number().int().min(0).max(MAX_LOCK_TTL_MS),
});
export const commitSchema = z
  .object({ type: z.literal("commit"), keys: keysSchema, startTs: tsSchema, commitTs: tsSchema })
  .refine((c) => c.commitTs > c.startTs, { message: "commitTs must be greater than startTs" });
/** Roll back `keys` of the txn at startTs; leaves a rollback record so a late prewrite fails. */
export const rollbackSchema = z.object({ type: z.literal("rollback"), keys: keysSchema, startTs: tsSchema });
/**
 * Decide the fate of the txn at startTs from its primary key: committed, rolled back, or still
 * locked; a lock past its TTL is rolled back here. With rollbackIfNotExist, a primary with neither
 * a lock nor a record gets a rollback record (the prewrite was lost or has not arrived yet).
 */
export const checkTxnStatusSchema = z.object({
  type: z.literal("checkTxnStatus"),
  primary: keySchema,
  startTs: tsSchema,
  rollbackIfNotExist: z.boolean(),
});
/** Finish the locks of the txn at startTs on `keys`: commit at commitTs, or roll back if 0. */
export const resolveLockSchema = z
  .object({
    type: z.literal("resolveLock"),
    keys: keysSchema,
    startTs: tsSchema,
    commitTs: z.number().int().min(0).max(MAX_TS),
  })
  .refine((c) => c.commitTs === 0 || c.commitTs > c.startTs, {
    message: "commitTs must be 0 (roll back) or greater than startTs",
  });
/** Extend the TTL of a live primary lock (a long commit keeps its locks from being resolved). */
export const txnHeartbeatSchema = z.object({
  type: z.literal("txnHeartbeat"),
  primary: keySchema,
  startTs: tsSchema,
  lockTtlMs: z.number().int().min(0).max(MAX_LOCK_TTL_MS),
});
export const rawPutSchema = z.object({
  type: z.literal("rawPut"),
  key: keySchema,
  value: valueSchema,
  ttlMs: z.number().int().min(0).max(MAX_RAW_TTL_MS),
});
export const rawDeleteSchema = z.object({ type: z.literal("rawDelete"), key: keySchema });
/** Swap when the current value equals `expected` (null: absent); `value` null deletes. */
export const rawCasSchema = z.object({
  type: z.literal("rawCas"),
  key: keySchema,
  expected: valueSchema.nullable(),
  value: valueSchema.nullable(),
  ttlMs: z.number().int().min(0).max(MAX_RAW_TTL_MS),
});
/**
 * Drop versions no snapshot at or above safePoint can see, rollback records at or below it and
 * expired raw keys, for user keys in [start, end); stops after `limit` physical entries and
 * returns where to continue. The caller's safePoint must be below every running transaction.
 */
export const gcSchema = z.object({
  type: z.literal("gc"),
  safePoint: tsSchema,
  start: boundSchema,
  end: boundSchema.nullable(),
  limit: z.number().int().min(1).max(MAX_SCAN_WORK_ENTRIES),
});

export const commandSchema = z.union([
  prewriteSchema,
  commitSchema,
  rollbackSchema,
  checkTxnStatusSchema,
  resolveLockSchema,
  txnHeartbeatSchema,
  rawPutSchema,
  rawDeleteSchema,
  rawCasSchema,
  gcSchema,
]);
export type Command = z.infer<typeof commandSchema>;

/**
 * The schema of each command type: decoding validates against the one its type names instead
 * of trying the union's members in turn (a union parse was a tenth of a store's CPU).
 */
const schemaByType: Record<string, z.ZodType> = {
  prewrite: prewriteSchema,
  commit: commitSchema,
  rollback: rollbackSchema,
  checkTxnStatus: checkTxnStatusSchema,
  resolveLock: resolveLockSchema,
  txnHeartbeat: txnHeartbeatSchema,
  rawPut: rawPutSchema,
  rawDelete: rawDeleteSchema,
  rawCas: rawCasSchema,
  gc: gcSchema,
};
export type CommandType = Command["type"];
export type PrewriteCommand = z.infer<typeof prewriteSchema>;
export type CommitCommand = z.infer<typeof commitSchema>;
export type RollbackCommand = z.infer<typeof rollbackSchema>;
export type CheckTxnStatusCommand = z.infer<typeof checkTxnStatusSchema>;
export type ResolveLockCommand = z.infer<typeof resolveLockSchema>;
export type TxnHeartbeatCommand = z.infer<typeof txnHeartbeatSchema>;
export type RawPutCommand = z.infer<typeof rawPutSchema>;
export type RawDeleteCommand = z.infer<typeof rawDeleteSchema>;
export type RawCasCommand = z.infer<typeof rawCasSchema>;
export type GcCommand = z.infer<typeof gcSchema>;

// ---- results ------------------------------------------------------------------------------

/** A lock as clients see it (without the pending value). */
export interface LockInfo {
  readonly key: Uint8Array;
  readonly primary: Uint8Array;
  readonly startTs: number;
  readonly op: "put" | "delete" | "lock";
  readonly ttlMs: number;
  readonly createdAtMs: number;
}

/** Why a key of a command could not be applied. Commands are all-or-nothing per region. */
export type KeyError =
  /** Someone committed the key after this txn's snapshot (first committer wins). */
  | {
      readonly kind: "writeConflict";
      readonly key: Uint8Array;
      readonly startTs: number;
      readonly conflictStartTs: number;
      readonly conflictCommitTs: number;
    }
  /** Another txn holds a lock on the key. */
  | { readonly kind: "locked"; readonly key: Uint8Array; readonly lock: LockInfo }
  /** This txn was already rolled back on the key (its locks were resolved, e.g. after its TTL). */
  | { readonly kind: "txnAborted"; readonly key: Uint8Array; readonly startTs: number }
  /** A rollback reached a key this txn already committed. */
  | {
      readonly kind: "alreadyCommitted";
      readonly key: Uint8Array;
      readonly startTs: number;
      readonly commitTs: number;
    }
  /** Commit found neither this txn's lock nor any record of it. */
  | { readonly kind: "lockNotFound"; readonly key: Uint8Array; readonly startTs: number }
  /** A prewrite at or below the region's GC safe point (a txn that outlived the GC lifetime). */
  | {
      readonly kind: "startTsTooOld";
      readonly key: Uint8Array;
      readonly startTs: number;
      readonly safePoint: number;
    }
  /** checkTxnStatus without rollbackIfNotExist found nothing of the txn at its primary. */
  | { readonly kind: "txnNotFound"; readonly key: Uint8Array; readonly startTs: number };

export type TxnStatus =
  | { readonly state: "locked"; readonly lock: LockInfo; readonly expiresAtMs: number }
  | { readonly state: "committed"; readonly commitTs: number }
  | { readonly state: "rolledBack" };

export type CommandResult =
  | { readonly ok: true; readonly type: "prewrite" | "commit" | "rollback" | "txnHeartbeat" | "rawPut" }
  | { readonly ok: true; readonly type: "checkTxnStatus"; readonly status: TxnStatus }
  | { readonly ok: true; readonly type: "resolveLock"; readonly resolved: number }
  | { readonly ok: true; readonly type: "rawDelete"; readonly existed: boolean }
  | {
      readonly ok: true;
      readonly type: "rawCas";
      readonly swapped: boolean;
      readonly current: Uint8Array | null;
    }
  | {
      readonly ok: true;
      readonly type: "gc";
      readonly removed: number;
      /** Where to continue (a user key), or null when [start, end) is done. */
      readonly next: Uint8Array | null;
    }
  | { readonly ok: false; readonly type: CommandType; readonly errors: readonly KeyError[] };

// ---- codec --------------------------------------------------------------------------------

/** Version byte of the command encoding: bump on any incompatible change. */
export const COMMAND_CODEC_VERSION = 1;
const TYPES: readonly CommandType[] = [
  "prewrite",
  "commit",
  "rollback",
  "checkTxnStatus",
  "resolveLock",
  "txnHeartbeat",
  "rawPut",
  "rawDelete",
  "rawCas",
  "gc",
];
const MUTATION_OPS = ["put", "delete", "lock"] as const;

function writeKeys(w: BinaryWriter, keys: readonly Uint8Array[]): void {
  w.uint(keys.length);
  for (const k of keys) w.bytes(k);
}

function readKeys(r: BinaryReader): Uint8Array[] {
  const n = r.uint();
  if (n > MAX_KEYS_PER_COMMAND) throw new CodecError(`${n} keys exceeds ${MAX_KEYS_PER_COMMAND}`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(r.bytes());
  return out;
}

export function encodeCommand(c: Command): Uint8Array {
  const w = new BinaryWriter().u8(COMMAND_CODEC_VERSION).u8(TYPES.indexOf(c.type));
  switch (c.type) {
    case "prewrite":
      w.bytes(c.primary).uint(c.startTs).uint(c.lockTtlMs).uint(c.mutations.length);
      for (const m of c.mutations) {
        w.u8(MUTATION_OPS.indexOf(m.op)).bytes(m.key);
        if (m.op === "put") w.bytes(m.value);
      }
      break;
    case "commit":
      writeKeys(w, c.keys);
      w.uint(c.startTs).uint(c.commitTs);
      break;
    case "rollback":
      writeKeys(w, c.keys);
      w.uint(c.startTs);
      break;
    case "checkTxnStatus":
      w.bytes(c.primary)
        .uint(c.startTs)
        .u8(c.rollbackIfNotExist ? 1 : 0);
      break;
    case "resolveLock":
      writeKeys(w, c.keys);
      w.uint(c.startTs).uint(c.commitTs);
      break;
    case "txnHeartbeat":
      w.bytes(c.primary).uint(c.startTs).uint(c.lockTtlMs);
      break;
    case "rawPut":
      w.bytes(c.key).bytes(c.value).uint(c.ttlMs);
      break;
    case "rawDelete":
      w.bytes(c.key);
      break;
    case "rawCas":
      w.bytes(c.key).optBytes(c.expected).optBytes(c.value).uint(c.ttlMs);
      break;
    case "gc":
      w.uint(c.safePoint).bytes(c.start).optBytes(c.end).uint(c.limit);
      break;
  }
  return w.finish();
}

function decodeRaw(b: Uint8Array): unknown {
  const r = new BinaryReader(b);
  const version = r.u8();
  if (version !== COMMAND_CODEC_VERSION)
    throw new CodecError(`command codec version ${version}, expected ${COMMAND_CODEC_VERSION}`);
  const type = TYPES[r.u8()];
  let out: Record<string, unknown>;
  switch (type) {
    case "prewrite": {
      const primary = r.bytes();
      const startTs = r.uint();
      const lockTtlMs = r.uint();
      const n = r.uint();
      if (n > MAX_KEYS_PER_COMMAND) throw new CodecError(`${n} mutations exceeds ${MAX_KEYS_PER_COMMAND}`);
      const mutations: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const op = MUTATION_OPS[r.u8()];
        if (!op) throw new CodecError("bad mutation op");
        const key = r.bytes();
        mutations.push(op === "put" ? { op, key, value: r.bytes() } : { op, key });
      }
      out = { type, primary, startTs, lockTtlMs, mutations };
      break;
    }
    case "commit":
      out = { type, keys: readKeys(r), startTs: r.uint(), commitTs: r.uint() };
      break;
    case "rollback":
      out = { type, keys: readKeys(r), startTs: r.uint() };
      break;
    case "checkTxnStatus":
      out = { type, primary: r.bytes(), startTs: r.uint(), rollbackIfNotExist: r.bool() };
      break;
    case "resolveLock":
      out = { type, keys: readKeys(r), startTs: r.uint(), commitTs: r.uint() };
      break;
    case "txnHeartbeat":
      out = { type, primary: r.bytes(), startTs: r.uint(), lockTtlMs: r.uint() };
      break;
    case "rawPut":
      out = { type, key: r.bytes(), value: r.bytes(), ttlMs: r.uint() };
      break;
    case "rawDelete":
      out = { type, key: r.bytes() };
      break;
    case "rawCas":
      out = { type, key: r.bytes(), expected: r.optBytes(), value: r.optBytes(), ttlMs: r.uint() };
      break;
    case "gc":
      out = { type, safePoint: r.uint(), start: r.bytes(), end: r.optBytes(), limit: r.uint() };
      break;
    default:
      throw new CodecError("unknown command type");
  }
  r.end();
  return out;
}

/** Decodes and validates; throws CodecError with the reason on anything malformed. */
export function decodeCommand(b: Uint8Array): Command {
  const raw = decodeRaw(b) as { type?: unknown };
  const schema = typeof raw.type === "string" ? schemaByType[raw.type] : undefined;
  const parsed = (schema ?? commandSchema).safeParse(raw);
  if (!parsed.success) throw new CodecError(`invalid command: ${parsed.error.issues[0]?.message}`);
  return parsed.data as Command;
}

/**
 * Decodes bytes that already passed `decodeCommand` (a replicated log entry the leader validated
 * before proposing): the binary structure is still checked, the schema is not run again.
 */
export function decodeValidatedCommand(b: Uint8Array): Command {
  return decodeRaw(b) as Command;
}

/** Validates a command built in memory (e.g. from an API request); throws CodecError. */
export function parseCommand(input: unknown): Command {
  const parsed = commandSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CodecError(`invalid command at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The user keys a command touches: the router uses them to check the region still owns them. */
export function commandKeys(c: Command): Uint8Array[] {
  switch (c.type) {
    case "prewrite":
      return c.mutations.map((m) => m.key);
    case "commit":
    case "rollback":
    case "resolveLock":
      return c.keys;
    case "checkTxnStatus":
    case "txnHeartbeat":
      return [c.primary];
    case "rawPut":
    case "rawDelete":
    case "rawCas":
      return [c.key];
    case "gc":
      return [];
  }
}
