// The store's binding to the transaction engine (src/flaredb/engine): commands arrive as the
// engine's binary codec (base64), are validated by decoding them, replicated as those bytes
// (command-entry.ts) and applied with applyCommand (region-peer.ts); reads run txnGet/txnBatchGet/txnScan (snapshot at a timestamp) or
// the raw reads. The physical key layout maps a region's user range to one physical range.
import { z } from "zod";
import { ApiError } from "../../core/errors.ts";
import { MAX_BATCH_KEYS, MAX_SCAN_LIMIT } from "../api.ts";
import { type Command, commandKeys, decodeCommand } from "../engine/commands.ts";
import { decodeUserKey, parseKey, physicalRange } from "../engine/keys.ts";
import type { KvReader } from "../engine/kv.ts";
import { rawGet, rawScan, txnBatchGet, txnGet, txnScan } from "../engine/read.ts";
import { fromWire, toWire } from "../wire-codec.ts";

export interface ParsedCommand {
  command: Command;
  bytes: Uint8Array;
  keys: Uint8Array[];
}

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, {
  message: "expected {$b: base64} bytes",
});
const tsOpts = {
  ts: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  ignoreLocksOf: z.array(z.number().int()).max(1024).optional(),
};
const scanShape = {
  start: bytes,
  end: bytes.optional(),
  limit: z.number().int().min(1).max(MAX_SCAN_LIMIT),
  reverse: z.boolean().default(false),
};
export const storeReadSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("get"), key: bytes, ...tsOpts }),
  z.object({ op: z.literal("batchGet"), keys: z.array(bytes).max(MAX_BATCH_KEYS), ...tsOpts }),
  z.object({ op: z.literal("scan"), ...scanShape, ...tsOpts }),
  z.object({ op: z.literal("rawGet"), key: bytes }),
  z.object({ op: z.literal("rawBatchGet"), keys: z.array(bytes).max(MAX_BATCH_KEYS) }),
  z.object({ op: z.literal("rawScan"), ...scanShape }),
]);
export type StoreRead = z.infer<typeof storeReadSchema>;

export function parseCommandBytes(b64: unknown): ParsedCommand {
  if (typeof b64 !== "string")
    throw new ApiError("InvalidArgument", "cmd: expected the engine's command codec as base64");
  const b = new Uint8Array(Buffer.from(b64, "base64"));
  let command: Command;
  try {
    command = decodeCommand(b);
  } catch (err) {
    throw new ApiError("InvalidArgument", `cmd: ${(err as Error).message}`);
  }
  return { command, bytes: b, keys: commandKeys(command) };
}

export function parseRead(wire: unknown): StoreRead {
  const r = storeReadSchema.safeParse(fromWire(wire));
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new ApiError("InvalidArgument", `read.${i?.path.join(".") ?? ""}: ${i?.message ?? "invalid"}`);
}

/** The user keys (and scan start) a read touches, for the region check. */
export function readKeys(q: StoreRead): Uint8Array[] {
  if ("key" in q) return [q.key];
  if ("keys" in q) return q.keys;
  return [];
}

/** Runs a read on the region's data; snapshot reads below the region's GC safe point are refused. */
export function runRead(kv: KvReader, q: StoreRead, nowMs: number, safePoint = 0): unknown {
  const o = {
    ...("ignoreLocksOf" in q && q.ignoreLocksOf ? { ignoreLocksOf: q.ignoreLocksOf } : {}),
    ...(safePoint ? { safePoint } : {}),
  };
  switch (q.op) {
    case "get":
      return toWire(txnGet(kv, q.key, q.ts, o));
    case "batchGet":
      return toWire(txnBatchGet(kv, q.keys, q.ts, o));
    case "scan":
      return toWire(txnScan(kv, { start: q.start, end: q.end, limit: q.limit, reverse: q.reverse }, q.ts, o));
    case "rawGet":
      return toWire({ ok: true, value: rawGet(kv, q.key, nowMs) });
    case "rawBatchGet":
      return toWire({ ok: true, values: q.keys.map((k) => rawGet(kv, k, nowMs)) });
    case "rawScan":
      return toWire(rawScan(kv, { start: q.start, end: q.end, limit: q.limit, reverse: q.reverse }, nowMs));
  }
}

/** The physical range [start, end) holding user keys [start, end); an empty start is unbounded. */
export function storageRange(
  start: Uint8Array,
  end: Uint8Array | undefined,
): [Uint8Array | undefined, Uint8Array | undefined] {
  const r = physicalRange(start, end);
  return [r.start.length ? r.start : undefined, r.end];
}

/** The user key of a physical key (for split keys found by scanning storage). */
export function userKeyOf(physical: Uint8Array): Uint8Array | undefined {
  return parseKey(physical)?.key ?? decodeUserKey(physical)?.key;
}
