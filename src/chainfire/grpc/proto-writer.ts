// A protobuf wire-format writer for the hand-written response codecs: the caller computes the
// exact size first (the *Size functions), allocates once, and writes fields in order. proto3
// leaves zero values and empty bytes out, and so does every helper here.

/** Bytes of a varint holding a non-negative safe integer; negative int64s take ten. */
export function varintSize(n: number): number {
  if (n < 0) return 10;
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  if (n < 2 ** 35) return 5;
  if (n < 2 ** 42) return 6;
  if (n < 2 ** 49) return 7;
  if (n < 2 ** 56) return 8;
  return 9;
}

/** Size of a varint field (tag < 128, i.e. field numbers up to 15), 0 when the value is 0. */
export function uintFieldSize(n: number): number {
  return n === 0 ? 0 : 1 + varintSize(n);
}

/** Size of a length-delimited field of `len` bytes (tag < 128), 0 when empty and optional. */
export function lenFieldSize(len: number): number {
  return len === 0 ? 0 : 1 + varintSize(len) + len;
}

/** Size of an embedded message field, present even when empty. */
export function messageFieldSize(len: number): number {
  return 1 + varintSize(len) + len;
}

export class ProtoWriter {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
  ) {
    this.pos = start;
  }

  varint(n: number): void {
    const buf = this.buf;
    if (n < 0) {
      this.negative(n);
      return;
    }
    while (n >= 0x80) {
      buf[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[this.pos++] = n;
  }

  /** A negative int64 as its 64-bit two's complement (ten bytes), as protobuf requires. */
  private negative(n: number): void {
    let v = BigInt.asUintN(64, BigInt(n));
    for (let i = 0; i < 9; i++) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  /** A varint field; nothing for 0 (proto3 default). */
  uint(tag: number, n: number): void {
    if (n === 0) return;
    this.buf[this.pos++] = tag;
    this.varint(n);
  }

  bool(tag: number, v: boolean): void {
    if (!v) return;
    this.buf[this.pos++] = tag;
    this.buf[this.pos++] = 1;
  }

  /** A bytes field; nothing when empty (proto3 default). */
  bytes(tag: number, b: Buffer): void {
    if (b.length === 0) return;
    this.buf[this.pos++] = tag;
    this.varint(b.length);
    this.pos += b.copy(this.buf, this.pos);
  }

  /** The tag and length of an embedded message whose body the caller writes next. */
  message(tag: number, len: number): void {
    this.buf[this.pos++] = tag;
    this.varint(len);
  }

  raw(b: Buffer): void {
    this.pos += b.copy(this.buf, this.pos);
  }
}
