// A protobuf wire-format reader for the hand-written codecs of the hot messages: no reflection,
// no per-field objects. Anything truncated or out of range throws an etcd INVALID_ARGUMENT
// ("malformed request"), so bad input never reaches the state machine or crashes the member.
import { etcdErrors } from "../etcd-errors.ts";

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

const EMPTY = Buffer.alloc(0);

export class ProtoReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's tag: field number * 8 + wire type. */
  tag(): number {
    const t = this.varint();
    if (t < 8) throw etcdErrors.malformed("field number 0");
    return t;
  }

  /**
   * An int64/uint64/int32/enum/bool varint as a JS number. Values beyond 2^53 (or below -2^53)
   * are refused rather than rounded; negative int64s (ten bytes) decode exactly.
   */
  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw truncated();
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    let mul = 128;
    // Seven bytes carry 49 bits: exact in a double. Longer ones take the BigInt path.
    for (let i = 1; i < 7; i++) {
      if (pos >= this.end) throw truncated();
      b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      mul *= 128;
    }
    return this.longVarint();
  }

  private longVarint(): number {
    let v = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw truncated();
      const b = this.buf[this.pos++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        const n = Number(BigInt.asIntN(64, v));
        if (!Number.isSafeInteger(n))
          throw etcdErrors.malformed(`integer ${BigInt.asIntN(64, v)} is out of range`);
        return n;
      }
      shift += 7n;
    }
    throw etcdErrors.malformed("varint longer than ten bytes");
  }

  /** A length-delimited field's bytes, as a view into the request (no copy). */
  bytes(): Buffer {
    const len = this.varint();
    if (len === 0) return EMPTY;
    if (len < 0 || this.pos + len > this.end) throw truncated();
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** A nested message: returns its end offset; the caller reads fields until pos reaches it. */
  nested(): number {
    const len = this.varint();
    if (len < 0 || this.pos + len > this.end) throw truncated();
    return this.pos + len;
  }

  /** Skips a field this codec does not read (unknown fields are legal in protobuf). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.advance(this.varint());
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      default:
        throw etcdErrors.malformed(`wire type ${wireType} is not supported`);
    }
  }

  private advance(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw truncated();
    this.pos += n;
  }
}

function truncated() {
  return etcdErrors.malformed("protobuf message is truncated");
}
