// The values stored in the lock and write columns and the raw column, in binary.

import { BinaryReader, BinaryWriter, CodecError } from "./binary-codec.ts";

export type MutationOp = "put" | "delete" | "lock";
const OPS: readonly MutationOp[] = ["put", "delete", "lock"];

/** A Percolator lock: the key is being written by the transaction that started at startTs. */
export interface Lock {
  readonly op: MutationOp;
  readonly primary: Uint8Array;
  readonly startTs: number;
  readonly ttlMs: number;
  /** Apply time (the proposer's clock, carried in the entry) of the prewrite: TTL runs from here. */
  readonly createdAtMs: number;
  /** The value a put will commit; inlined so commit needs no second lookup. */
  readonly value: Uint8Array | null;
}

export type WriteKind = "put" | "delete" | "lock" | "rollback";
const KINDS: readonly WriteKind[] = ["put", "delete", "lock", "rollback"];

/** A write record: at its commit ts, the txn that started at startTs wrote (or rolled back). */
export interface WriteRecord {
  readonly kind: WriteKind;
  readonly startTs: number;
  readonly value: Uint8Array | null;
}

export function encodeLock(l: Lock): Uint8Array {
  return new BinaryWriter()
    .u8(OPS.indexOf(l.op))
    .bytes(l.primary)
    .uint(l.startTs)
    .uint(l.ttlMs)
    .uint(l.createdAtMs)
    .optBytes(l.value)
    .finish();
}

export function decodeLock(b: Uint8Array): Lock {
  const r = new BinaryReader(b);
  const op = OPS[r.u8()];
  if (!op) throw new CodecError("bad lock op");
  const lock: Lock = {
    op,
    primary: r.bytes(),
    startTs: r.uint(),
    ttlMs: r.uint(),
    createdAtMs: r.uint(),
    value: r.optBytes(),
  };
  r.end();
  return lock;
}

export function encodeWrite(w: WriteRecord): Uint8Array {
  return new BinaryWriter().u8(KINDS.indexOf(w.kind)).uint(w.startTs).optBytes(w.value).finish();
}

export function decodeWrite(b: Uint8Array): WriteRecord {
  const r = new BinaryReader(b);
  const kind = KINDS[r.u8()];
  if (!kind) throw new CodecError("bad write kind");
  const w: WriteRecord = { kind, startTs: r.uint(), value: r.optBytes() };
  r.end();
  return w;
}

/** A raw value and when it expires (0: never). */
export interface RawValue {
  readonly expiresAtMs: number;
  readonly value: Uint8Array;
}

export function encodeRaw(v: RawValue): Uint8Array {
  return new BinaryWriter().uint(v.expiresAtMs).bytes(v.value).finish();
}

export function decodeRaw(b: Uint8Array): RawValue {
  const r = new BinaryReader(b);
  const v = { expiresAtMs: r.uint(), value: r.bytes() };
  r.end();
  return v;
}

export function rawLive(v: RawValue, nowMs: number): boolean {
  return v.expiresAtMs === 0 || nowMs < v.expiresAtMs;
}
