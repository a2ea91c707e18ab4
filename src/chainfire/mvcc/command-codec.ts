// Commands travel through the replicated log as bytes. A put, the hot path, is binary:
//   0x01 | u8 present | u8 flags | u32 key length | key | [u32 value length | value] | [f64 lease]
// Every other command is JSON (its first byte is "{"), with byte strings as base64 under a
// "$b" marker so keys and values that are not UTF-8 survive the round trip.
import type { Command, PutRequest } from "./types.ts";

const BINARY_PUT = 0x01;
// Which optional fields of the PutRequest are present, and the values of the boolean ones.
const P_VALUE = 1;
const P_LEASE = 2;
const P_PREV_KV = 4;
const P_IGNORE_VALUE = 8;
const P_IGNORE_LEASE = 16;

function encodePut(req: PutRequest): Uint8Array {
  const present =
    (req.value !== undefined ? P_VALUE : 0) |
    (req.lease !== undefined ? P_LEASE : 0) |
    (req.prevKv !== undefined ? P_PREV_KV : 0) |
    (req.ignoreValue !== undefined ? P_IGNORE_VALUE : 0) |
    (req.ignoreLease !== undefined ? P_IGNORE_LEASE : 0);
  const flags =
    (req.prevKv ? P_PREV_KV : 0) |
    (req.ignoreValue ? P_IGNORE_VALUE : 0) |
    (req.ignoreLease ? P_IGNORE_LEASE : 0);
  const size =
    3 +
    4 +
    req.key.length +
    (req.value !== undefined ? 4 + req.value.length : 0) +
    (req.lease !== undefined ? 8 : 0);
  const b = Buffer.allocUnsafe(size);
  b[0] = BINARY_PUT;
  b[1] = present;
  b[2] = flags;
  b.writeUInt32LE(req.key.length, 3);
  req.key.copy(b, 7);
  let pos = 7 + req.key.length;
  if (req.value !== undefined) {
    b.writeUInt32LE(req.value.length, pos);
    req.value.copy(b, pos + 4);
    pos += 4 + req.value.length;
  }
  if (req.lease !== undefined) b.writeDoubleLE(req.lease, pos);
  return b;
}

function decodePut(d: Uint8Array): Command {
  const b = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  const present = b[1]!;
  const flags = b[2]!;
  const keyLen = b.readUInt32LE(3);
  let pos = 7 + keyLen;
  // Copies: the state keeps keys and values long after the log entry is gone.
  const req: PutRequest = { key: Buffer.from(b.subarray(7, pos)) };
  if (present & P_VALUE) {
    const n = b.readUInt32LE(pos);
    req.value = Buffer.from(b.subarray(pos + 4, pos + 4 + n));
    pos += 4 + n;
  }
  if (present & P_LEASE) req.lease = b.readDoubleLE(pos);
  if (present & P_PREV_KV) req.prevKv = (flags & P_PREV_KV) !== 0;
  if (present & P_IGNORE_VALUE) req.ignoreValue = (flags & P_IGNORE_VALUE) !== 0;
  if (present & P_IGNORE_LEASE) req.ignoreLease = (flags & P_IGNORE_LEASE) !== 0;
  return { op: "put", req };
}

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
  if (cmd.op === "put") return encodePut(cmd.req);
  return Buffer.from(JSON.stringify(encodeValue(cmd)), "utf8");
}

export function decodeCommand(data: Uint8Array): Command {
  if (data[0] === BINARY_PUT) return decodePut(data);
  return decodeValue(JSON.parse(Buffer.from(data).toString("utf8"))) as Command;
}
