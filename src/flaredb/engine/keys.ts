// The physical key layout of one user key's data in the store-wide ordered keyspace:
//
//   enc(k) ++ 0x00                      raw (non-transactional) value, with its TTL
//   enc(k) ++ 0x01                      the Percolator lock column (at most one lock per key)
//   enc(k) ++ 0x02 ++ be64(MAX_TS - c)  write records, newest commit timestamp first
//
// enc() is an order-preserving, prefix-free escape (0x00 → 0x00 0xFF, then 0x00 0x01), so all
// columns of one user key are contiguous and the physical order of user keys is their byte
// order. A region holding user keys [start, end) therefore holds exactly the physical range
// [regionBound(start), regionBound(end)) — splits and size estimates need nothing else.
// Values are inlined in write records (there is no separate data column): LMDB is a B-tree,
// so the write-amplification reason TiKV has for a separate column does not apply.

import { MAX_TS } from "./limits.ts";

export const COL_RAW = 0x00;
export const COL_LOCK = 0x01;
export const COL_WRITE = 0x02;
const TS_BYTES = 8;

/** The order-preserving escape of a user key. */
export function encodeUserKey(key: Uint8Array): Uint8Array {
  let zeros = 0;
  for (const b of key) if (b === 0) zeros++;
  const out = new Uint8Array(key.length + zeros + 2);
  let o = 0;
  for (const b of key) {
    out[o++] = b;
    if (b === 0) out[o++] = 0xff;
  }
  out[o++] = 0x00;
  out[o] = 0x01;
  return out;
}

/**
 * Splits a physical key into its user key and the offset of the column byte; undefined when the
 * bytes are not an engine key (the caller's keyspace may hold other things).
 */
export function decodeUserKey(physical: Uint8Array): { key: Uint8Array; columnAt: number } | undefined {
  const out: number[] = [];
  for (let i = 0; i < physical.length; i++) {
    const b = physical[i]!;
    if (b !== 0) {
      out.push(b);
      continue;
    }
    const next = physical[i + 1];
    if (next === 0xff) {
      out.push(0);
      i++;
    } else if (next === 0x01) {
      return { key: Uint8Array.from(out), columnAt: i + 2 };
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** The physical bound of a region edge: user keys ≥ k sort at or after it. */
export function regionBound(userKey: Uint8Array): Uint8Array {
  return encodeUserKey(userKey);
}

/** Physical range bounds for user range [start, end); an empty start means "from the beginning". */
export function physicalRange(
  start: Uint8Array,
  end: Uint8Array | undefined,
): { start: Uint8Array; end: Uint8Array | undefined } {
  return {
    start: start.length === 0 ? new Uint8Array(0) : encodeUserKey(start),
    end: end === undefined ? undefined : encodeUserKey(end),
  };
}

function withColumn(enc: Uint8Array, col: number, extra = 0): Uint8Array {
  const out = new Uint8Array(enc.length + 1 + extra);
  out.set(enc);
  out[enc.length] = col;
  return out;
}

export function rawKey(key: Uint8Array): Uint8Array {
  return withColumn(encodeUserKey(key), COL_RAW);
}

export function lockKey(key: Uint8Array): Uint8Array {
  return withColumn(encodeUserKey(key), COL_LOCK);
}

function putTsDesc(out: Uint8Array, at: number, ts: number): void {
  const inv = MAX_TS - ts;
  const hi = Math.floor(inv / 0x1_0000_0000);
  const lo = inv % 0x1_0000_0000;
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint32(at, hi);
  dv.setUint32(at + 4, lo);
}

export function readTsDesc(physical: Uint8Array, at: number): number {
  const dv = new DataView(physical.buffer, physical.byteOffset, physical.byteLength);
  return MAX_TS - (dv.getUint32(at) * 0x1_0000_0000 + dv.getUint32(at + 4));
}

/** The write record of `key` committed at `commitTs`. */
export function writeKey(key: Uint8Array, commitTs: number): Uint8Array {
  const enc = encodeUserKey(key);
  const out = withColumn(enc, COL_WRITE, TS_BYTES);
  putTsDesc(out, enc.length + 1, commitTs);
  return out;
}

/** First physical key of the write records of `key` visible at `ts` (commit ts ≤ ts). */
export function writeSeekKey(key: Uint8Array, ts: number): Uint8Array {
  return writeKey(key, ts);
}

/** The end (exclusive) of every column of `key`. */
export function keyEnd(key: Uint8Array): Uint8Array {
  return withColumn(encodeUserKey(key), COL_WRITE + 1);
}

/** The start of every column of `key`. */
export function keyStart(key: Uint8Array): Uint8Array {
  return encodeUserKey(key);
}

export type ParsedKey =
  | { col: "raw"; key: Uint8Array }
  | { col: "lock"; key: Uint8Array }
  | { col: "write"; key: Uint8Array; commitTs: number };

export function parseKey(physical: Uint8Array): ParsedKey | undefined {
  const d = decodeUserKey(physical);
  return d ? parseColumn(physical, d.columnAt, d.key) : undefined;
}

/**
 * parseKey for a sorted stream of physical keys: consecutive keys of one user key share its
 * encoded prefix, so only the first of them is decoded (scans visit many versions per key).
 */
export class KeyParser {
  private prefix: Uint8Array | undefined;
  private key: Uint8Array | undefined;

  parse(physical: Uint8Array): ParsedKey | undefined {
    const pre = this.prefix;
    if (pre !== undefined && physical.length > pre.length && startsWith(physical, pre)) {
      return parseColumn(physical, pre.length, this.key!);
    }
    const d = decodeUserKey(physical);
    if (!d) return undefined;
    this.prefix = physical.slice(0, d.columnAt);
    this.key = d.key;
    return parseColumn(physical, d.columnAt, d.key);
  }
}

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = prefix.length - 1; i >= 0; i--) if (b[i] !== prefix[i]) return false;
  return true;
}

function parseColumn(physical: Uint8Array, columnAt: number, key: Uint8Array): ParsedKey | undefined {
  const col = physical[columnAt];
  const rest = physical.length - columnAt - 1;
  if (col === COL_RAW && rest === 0) return { col: "raw", key };
  if (col === COL_LOCK && rest === 0) return { col: "lock", key };
  if (col === COL_WRITE && rest === TS_BYTES)
    return { col: "write", key, commitTs: readTsDesc(physical, columnAt + 1) };
  return undefined;
}

/** The physical range of the write records of `key` with commit ts ≤ maxTs, and where their ts sits. */
export function writeRange(
  key: Uint8Array,
  maxTs: number,
): { start: Uint8Array; end: Uint8Array; tsAt: number } {
  const enc = encodeUserKey(key);
  const start = withColumn(enc, COL_WRITE, TS_BYTES);
  putTsDesc(start, enc.length + 1, maxTs);
  return { start, end: withColumn(enc, COL_WRITE + 1), tsAt: enc.length + 1 };
}
