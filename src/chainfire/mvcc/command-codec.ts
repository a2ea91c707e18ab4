// Commands travel through the replicated log as bytes: JSON, with byte strings as base64
// under a "$b" marker so keys and values that are not UTF-8 survive the round trip.
import type { Command } from "./types.ts";

function encodeValue(v: unknown): unknown {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { $b: Buffer.from(v).toString("base64") };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encodeValue(x);
    return out;
  }
  return v;
}

function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.$b === "string" && Object.keys(o).length === 1) return Buffer.from(o.$b, "base64");
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x);
    return out;
  }
  return v;
}

export function encodeCommand(cmd: Command): Uint8Array {
  return Buffer.from(JSON.stringify(encodeValue(cmd)), "utf8");
}

export function decodeCommand(data: Uint8Array): Command {
  return decodeValue(JSON.parse(Buffer.from(data).toString("utf8"))) as Command;
}
