// A small append-only binary writer and a bounds-checked reader: the wire form of commands,
// locks and write records. Integers are unsigned LEB128 varints up to 2^53.

export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CodecError";
  }
}

const INITIAL_BYTES = 64;

export class BinaryWriter {
  private buf = new Uint8Array(INITIAL_BYTES);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  uint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new CodecError(`not an unsigned safe integer: ${v}`);
    this.reserve(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.uint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  optBytes(b: Uint8Array | null | undefined): this {
    if (b == null) return this.u8(0);
    return this.u8(1).bytes(b);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class BinaryReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length)
      throw new CodecError(`truncated at byte ${this.pos} (need ${n} more)`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  uint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      v += (b & 0x7f) * mul;
      if (b < 0x80) {
        if (!Number.isSafeInteger(v)) throw new CodecError("varint beyond 2^53");
        return v;
      }
      mul *= 0x80;
    }
    throw new CodecError("varint longer than 8 bytes");
  }

  bytes(): Uint8Array {
    const n = this.uint();
    this.need(n);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  optBytes(): Uint8Array | null {
    const flag = this.u8();
    if (flag === 0) return null;
    if (flag !== 1) throw new CodecError(`bad optional flag ${flag}`);
    return this.bytes();
  }

  bool(): boolean {
    const b = this.u8();
    if (b > 1) throw new CodecError(`bad boolean ${b}`);
    return b === 1;
  }

  end(): void {
    if (this.pos !== this.buf.length) throw new CodecError(`${this.buf.length - this.pos} trailing bytes`);
  }
}
