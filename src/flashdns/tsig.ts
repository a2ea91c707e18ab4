// TSIG (RFC 8945) with HMAC-SHA256: verifying signed requests and signing responses,
// including the chained MACs of a multi-message zone transfer (every message is signed).
import { createHmac, timingSafeEqual } from "node:crypto";
import { RRType, TsigError } from "./wire/constants.ts";
import { WireWriter } from "./wire/encode.ts";
import type { Message } from "./wire/message.ts";
import { lowerLabel, type Name, nameFromText, nameKey, nameToText } from "./wire/name.ts";

export interface TsigKey {
  name: Name;
  secret: Buffer;
}

export const hmacSha256: Name = ["hmac-sha256"];
/** Allowed clock difference between signer and verifier, in seconds (RFC 8945 §10 suggests 300). */
export const tsigFudgeSeconds = 300;
/** Room a TSIG record needs at the end of a message (name ≤ 255, algorithm, 32-byte MAC…). */
export const tsigReserveBytes = 255 + 10 + 13 + 16 + 32 + 6;

/** Parses "name:hmac-sha256:base64,…"; throws with the bad entry named. */
export function parseTsigKeys(text: string): Map<string, TsigKey> {
  const keys = new Map<string, TsigKey>();
  for (const entry of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, alg, secret] = entry.split(":");
    if (!name || !secret || alg?.toLowerCase() !== "hmac-sha256")
      throw new Error(`TSIG key "${name ?? entry}" must be written name:hmac-sha256:base64secret`);
    const s = Buffer.from(secret, "base64");
    if (s.length < 16) throw new Error(`TSIG key "${name}" has a secret shorter than 16 bytes`);
    const n = nameFromText(name.endsWith(".") ? name : `${name}.`);
    keys.set(nameKey(n), { name: n, secret: s });
  }
  return keys;
}

function canonicalName(name: Name): Uint8Array {
  const w = new WireWriter(256);
  w.name(
    name.map((l) => lowerLabel(l)),
    false,
  );
  return w.result();
}

interface TsigFields {
  keyName: Name;
  timeSigned: number;
  fudge: number;
  error: number;
  other: Uint8Array;
}

/** The TSIG variables that go into the MAC (RFC 8945 §4.3.3); `timersOnly` for later messages. */
function variables(f: TsigFields, timersOnly: boolean): Uint8Array {
  const w = new WireWriter(600);
  if (!timersOnly) {
    w.bytes(canonicalName(f.keyName));
    w.u16(255);
    w.u32(0);
    w.bytes(canonicalName(hmacSha256));
  }
  w.u16(Math.floor(f.timeSigned / 2 ** 32));
  w.u32(f.timeSigned >>> 0);
  w.u16(f.fudge);
  if (!timersOnly) {
    w.u16(f.error);
    w.u16(f.other.length);
    w.bytes(f.other);
  }
  return w.result();
}

function macOf(key: TsigKey, parts: Uint8Array[]): Uint8Array {
  const h = createHmac("sha256", key.secret);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);

/** The message as it was before the TSIG record was added: ARCOUNT one less, the original id. */
function unsignedBytes(bytes: Uint8Array, tsigOffset: number, originalId: number): Uint8Array {
  const b = Uint8Array.from(bytes.subarray(0, tsigOffset));
  const ar = ((b[10] as number) << 8) | (b[11] as number);
  b[10] = ((ar - 1) >> 8) & 0xff;
  b[11] = (ar - 1) & 0xff;
  b[0] = originalId >> 8;
  b[1] = originalId & 0xff;
  return b;
}

export type TsigCheck =
  | { ok: true; key: TsigKey; mac: Uint8Array }
  | { ok: false; error: number; keyName: Name | undefined; mac?: Uint8Array };

/** Verifies a signed request; `undefined` when it carries no TSIG. */
export function verifyRequest(
  bytes: Uint8Array,
  msg: Message,
  keys: Map<string, TsigKey>,
  nowSeconds: number,
): TsigCheck | undefined {
  const rr = msg.tsig;
  if (!rr || msg.tsigOffset === undefined || rr.data.type !== 250) return undefined;
  const d = rr.data;
  const key = keys.get(nameKey(rr.name));
  if (!key || nameKey(d.algorithm) !== nameKey(hmacSha256))
    return { ok: false, error: TsigError.BADKEY, keyName: rr.name };
  const expected = macOf(key, [
    unsignedBytes(bytes, msg.tsigOffset, d.originalId),
    variables(
      { keyName: key.name, timeSigned: d.timeSigned, fudge: d.fudge, error: d.error, other: d.other },
      false,
    ),
  ]);
  if (d.mac.length !== expected.length || !timingSafeEqual(d.mac, expected))
    return { ok: false, error: TsigError.BADSIG, keyName: rr.name };
  if (Math.abs(nowSeconds - d.timeSigned) > d.fudge)
    return { ok: false, error: TsigError.BADTIME, keyName: rr.name, mac: d.mac };
  return { ok: true, key, mac: d.mac };
}

/** Appends a TSIG record to an encoded message (ARCOUNT bumped). */
function appendTsig(
  bytes: Uint8Array,
  key: Name,
  f: TsigFields,
  mac: Uint8Array,
  originalId: number,
): Uint8Array {
  const w = new WireWriter(bytes.length + tsigReserveBytes + mac.length);
  w.bytes(bytes);
  const ar = (((bytes[10] as number) << 8) | (bytes[11] as number)) + 1;
  w.setU16(10, ar);
  w.name(key, false);
  w.u16(RRType.TSIG);
  w.u16(255);
  w.u32(0);
  const at = w.len;
  w.u16(0);
  w.name(hmacSha256, false);
  w.u16(Math.floor(f.timeSigned / 2 ** 32));
  w.u32(f.timeSigned >>> 0);
  w.u16(f.fudge);
  w.u16(mac.length);
  w.bytes(mac);
  w.u16(originalId);
  w.u16(f.error);
  w.u16(f.other.length);
  w.bytes(f.other);
  w.setU16(at, w.len - at - 2);
  return w.result();
}

/**
 * Signs the messages of one response in order: the first MAC covers the request's MAC, each
 * later one the MAC before it (RFC 8945 §5.3.1).
 */
export class TsigSigner {
  private prior: Uint8Array;
  private first = true;
  constructor(
    private readonly key: TsigKey,
    requestMac: Uint8Array,
    private readonly clockSeconds: () => number,
    private readonly error = 0,
  ) {
    this.prior = requestMac;
  }

  sign(message: Uint8Array): Uint8Array {
    const f: TsigFields = {
      keyName: this.key.name,
      timeSigned: this.clockSeconds(),
      fudge: tsigFudgeSeconds,
      error: this.error,
      other: new Uint8Array(0),
    };
    const parts = this.prior.length > 0 ? [u16(this.prior.length), this.prior] : [];
    const mac = macOf(this.key, [...parts, message, variables(f, !this.first)]);
    this.first = false;
    this.prior = mac;
    const id = ((message[0] as number) << 8) | (message[1] as number);
    return appendTsig(message, this.key.name, f, mac, id);
  }
}

/** Signs a request (e.g. a NOTIFY) and returns the bytes and the MAC to verify the reply with. */
export function signRequest(
  key: TsigKey,
  message: Uint8Array,
  nowSeconds: number,
): { bytes: Uint8Array; mac: Uint8Array } {
  const f: TsigFields = {
    keyName: key.name,
    timeSigned: nowSeconds,
    fudge: tsigFudgeSeconds,
    error: 0,
    other: new Uint8Array(0),
  };
  const mac = macOf(key, [message, variables(f, false)]);
  const id = ((message[0] as number) << 8) | (message[1] as number);
  return { bytes: appendTsig(message, key.name, f, mac, id), mac };
}

/** An unsigned TSIG error record for a request that failed verification (BADKEY, BADSIG). */
export function tsigErrorRecord(
  bytes: Uint8Array,
  keyName: Name,
  error: number,
  nowSeconds: number,
): Uint8Array {
  const id = ((bytes[0] as number) << 8) | (bytes[1] as number);
  return appendTsig(
    bytes,
    keyName,
    { keyName, timeSigned: nowSeconds, fudge: tsigFudgeSeconds, error, other: new Uint8Array(0) },
    new Uint8Array(0),
    id,
  );
}

export const describeKey = (k: TsigKey) => nameToText(k.name);
