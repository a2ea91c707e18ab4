// Bit-level writer and reader for the Gorilla chunk codec. Values are written most significant
// bit first; a JS number carries at most 32 bits per call so that bitwise operators stay exact.

export class BitWriter {
  private buf: Uint8Array;
  private byteLen = 0;
  /** Bits still free in the last byte (0 = the last byte is full or there is none). */
  private free = 0;

  constructor(initialBytes = 64) {
    this.buf = new Uint8Array(initialBytes);
  }

  get bitLength(): number {
    return this.byteLen * 8 - this.free;
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }

  writeBit(bit: number): void {
    if (this.free === 0) {
      if (this.byteLen === this.buf.length) this.grow();
      this.buf[this.byteLen++] = 0;
      this.free = 8;
    }
    this.free--;
    if (bit) this.buf[this.byteLen - 1]! |= 1 << this.free;
  }

  /** Writes the low `n` bits (n ≤ 32) of `value`. */
  writeBits(value: number, n: number): void {
    // Fast path: the bits fit in the current byte (tags and small payloads mostly do).
    if (n <= this.free) {
      this.free -= n;
      this.buf[this.byteLen - 1]! |= (value & ((1 << n) - 1)) << this.free;
      return;
    }
    // Otherwise: top up the current byte, then whole bytes, then the start of a new one.
    let remaining = n;
    if (this.free > 0) {
      remaining -= this.free;
      this.buf[this.byteLen - 1]! |= (value >>> remaining) & ((1 << this.free) - 1);
      this.free = 0;
    }
    while (remaining >= 8) {
      if (this.byteLen === this.buf.length) this.grow();
      remaining -= 8;
      this.buf[this.byteLen++] = (value >>> remaining) & 0xff;
    }
    if (remaining > 0) {
      if (this.byteLen === this.buf.length) this.grow();
      this.free = 8 - remaining;
      this.buf[this.byteLen++] = (value & ((1 << remaining) - 1)) << this.free;
    }
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.byteLen);
  }
}

export class BitReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get bitPosition(): number {
    return this.pos;
  }

  readBit(): number {
    const byte = this.buf[this.pos >>> 3];
    if (byte === undefined) throw new RangeError("chunk truncated");
    const bit = (byte >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return bit;
  }

  /** Reads `n` (≤ 32) bits as an unsigned number. */
  readBits(n: number): number {
    let out = 0;
    let remaining = n;
    while (remaining > 0) {
      const byte = this.buf[this.pos >>> 3];
      if (byte === undefined) throw new RangeError("chunk truncated");
      const avail = 8 - (this.pos & 7);
      const take = Math.min(avail, remaining);
      const bits = (byte >>> (avail - take)) & ((1 << take) - 1);
      out = out * (1 << take) + bits;
      this.pos += take;
      remaining -= take;
    }
    return out;
  }
}
