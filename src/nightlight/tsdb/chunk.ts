// Gorilla-style chunk codec (Pelkonen et al., VLDB 2015): timestamps as delta-of-delta in
// variable-width buckets, values as XOR against the previous value with a leading/trailing zero
// window. Pure: bytes in, samples out. A chunk's sample count travels beside it, not inside.
import { BitReader, BitWriter } from "./bit-stream.ts";
import { wordsFloat } from "./stale.ts";

/** Samples per chunk before the head cuts a new one (Prometheus uses 120). */
export const samplesPerChunk = 120;

const TWO32 = 4294967296;
const staleWords: [number, number] = [0x7ff00000, 2];
const scratchF64 = new Float64Array(1);
const scratchU32 = new Uint32Array(scratchF64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const wordHi = littleEndian ? 1 : 0;
const wordLo = littleEndian ? 0 : 1;

/** Buckets for delta-of-delta: tag bits, tag value, payload bits (two's complement). */
const dodBuckets = [
  { tagBits: 2, tag: 0b10, bits: 14, lim: 2 ** 13, span: 2 ** 14 },
  { tagBits: 3, tag: 0b110, bits: 17, lim: 2 ** 16, span: 2 ** 17 },
  { tagBits: 4, tag: 0b1110, bits: 20, lim: 2 ** 19, span: 2 ** 20 },
] as const;

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  if (x === 0) return 32;
  return 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Writes the 64-bit value (hi, lo) >>> shift, keeping its low `n` bits. */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  let h = hi;
  let l = lo;
  if (shift >= 32) {
    l = h >>> (shift - 32);
    h = 0;
  } else if (shift > 0) {
    l = ((l >>> shift) | (h << (32 - shift))) >>> 0;
    h = h >>> shift;
  }
  if (n > 32) {
    w.writeBits(h, n - 32);
    w.writeBits(l, 32);
  } else {
    w.writeBits(n === 32 ? l : l & ((1 << n) - 1), n);
  }
}

/** Zigzag varint in whole bytes: the first timestamp costs ~6 bytes instead of 8. */
function writeVarint(w: BitWriter, x: number): void {
  let zz = x >= 0 ? 2 * x : -2 * x - 1;
  while (zz >= 128) {
    w.writeBits((zz % 128) | 128, 8);
    zz = Math.floor(zz / 128);
  }
  w.writeBits(zz, 8);
}

function readVarint(r: BitReader): number {
  let zz = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    const b = r.readBits(8);
    zz += (b & 127) * mul;
    if (b < 128) break;
    mul *= 128;
  }
  return zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
}

function writeZigzag64(w: BitWriter, x: number): void {
  const zz = x >= 0 ? 2 * x : -2 * x - 1;
  w.writeBits(Math.floor(zz / TWO32) >>> 0, 32);
  w.writeBits((zz % TWO32) >>> 0, 32);
}

function readZigzag64(r: BitReader): number {
  const zz = r.readBits(32) * TWO32 + r.readBits(32);
  return zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
}

export class ChunkAppender {
  private readonly w = new BitWriter(128);
  count = 0;
  mint = 0;
  maxt = 0;
  private prevDelta = 0;
  private prevHi = 0;
  private prevLo = 0;
  private leading = -1;
  private trailing = 0;

  /**
   * Timestamps must rise strictly; the head checks that before appending. A stale marker is
   * passed as a flag, not as a NaN payload, because V8 may rewrite NaN bits in plain arrays.
   */
  append(t: number, v: number, stale = false): void {
    // The float's words through a shared scratch buffer (no [hi, lo] array per sample).
    let hi = staleWords[0];
    let lo = staleWords[1];
    if (!stale) {
      scratchF64[0] = v;
      hi = scratchU32[wordHi]!;
      lo = scratchU32[wordLo]!;
    }
    const w = this.w;
    if (this.count === 0) {
      writeVarint(w, t);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
      this.mint = t;
    } else {
      const delta = t - this.maxt;
      const dod = delta - this.prevDelta;
      this.prevDelta = delta;
      if (dod === 0) w.writeBit(0);
      else {
        let done = false;
        for (const b of dodBuckets) {
          if (dod >= -b.lim && dod < b.lim) {
            w.writeBits(b.tag, b.tagBits);
            w.writeBits(dod < 0 ? dod + b.span : dod, b.bits);
            done = true;
            break;
          }
        }
        if (!done) {
          w.writeBits(0b1111, 4);
          writeZigzag64(w, dod);
        }
      }
      const xh = (hi ^ this.prevHi) >>> 0;
      const xl = (lo ^ this.prevLo) >>> 0;
      if (xh === 0 && xl === 0) w.writeBit(0);
      else {
        w.writeBit(1);
        let lead = clz64(xh, xl);
        const trail = ctz64(xh, xl);
        if (lead > 31) lead = 31;
        if (this.leading >= 0 && lead >= this.leading && trail >= this.trailing) {
          w.writeBit(0);
          writeShifted(w, xh, xl, this.trailing, 64 - this.leading - this.trailing);
        } else {
          w.writeBit(1);
          const sig = 64 - lead - trail;
          w.writeBits(lead, 5);
          w.writeBits(sig === 64 ? 0 : sig, 6);
          writeShifted(w, xh, xl, trail, sig);
          this.leading = lead;
          this.trailing = trail;
        }
      }
    }
    this.prevHi = hi;
    this.prevLo = lo;
    this.maxt = t;
    this.count++;
  }

  bytes(): Uint8Array {
    return this.w.bytes();
  }
}

/** Decodes `count` samples into the given arrays starting at `offset`; returns the new offset. */
export function decodeChunkInto(
  bytes: Uint8Array,
  count: number,
  ts: Float64Array | number[],
  vs: Float64Array | number[],
  offset: number,
  stale?: Uint8Array,
): number {
  if (count === 0) return offset;
  const r = new BitReader(bytes);
  let t = readVarint(r);
  let hi = r.readBits(32);
  let lo = r.readBits(32);
  let o = offset;
  ts[o] = t;
  vs[o] = wordsFloat(hi, lo);
  if (stale) stale[o] = isStaleWords(hi, lo);
  o++;
  let delta = 0;
  let leading = 0;
  let trailing = 0;
  for (let i = 1; i < count; i++) {
    let dod = 0;
    if (r.readBit() === 1) {
      // The prefix 10, 110, 1110 or 1111 selects the bucket width.
      let ones = 1;
      while (ones < 4 && r.readBit() === 1) ones++;
      if (ones === 1) dod = signed(r.readBits(14), 14);
      else if (ones === 2) dod = signed(r.readBits(17), 17);
      else if (ones === 3) dod = signed(r.readBits(20), 20);
      else dod = readZigzag64(r);
    }
    delta += dod;
    t += delta;
    if (r.readBit() === 1) {
      if (r.readBit() === 1) {
        leading = r.readBits(5);
        let sig = r.readBits(6);
        if (sig === 0) sig = 64;
        trailing = 64 - leading - sig;
      }
      const n = 64 - leading - trailing;
      let xh: number;
      let xl: number;
      if (n > 32) {
        xh = r.readBits(n - 32);
        xl = r.readBits(32);
      } else {
        xh = 0;
        xl = r.readBits(n);
      }
      // Shift the meaningful bits back left by `trailing`.
      if (trailing >= 32) {
        xh = trailing === 64 ? 0 : (xl << (trailing - 32)) >>> 0;
        xl = 0;
      } else if (trailing > 0) {
        xh = ((xh << trailing) | (xl >>> (32 - trailing))) >>> 0;
        xl = (xl << trailing) >>> 0;
      }
      hi = (hi ^ xh) >>> 0;
      lo = (lo ^ xl) >>> 0;
    }
    ts[o] = t;
    vs[o] = wordsFloat(hi, lo);
    if (stale) stale[o] = isStaleWords(hi, lo);
    o++;
  }
  return o;
}

function isStaleWords(hi: number, lo: number): number {
  return lo === 2 && (hi & 0x7ff7ffff) === 0x7ff00000 ? 1 : 0;
}

function signed(v: number, bits: number): number {
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}

export interface DecodedSamples {
  ts: Float64Array;
  vs: Float64Array;
  /** 1 where the sample is a staleness marker. */
  stale: Uint8Array;
}

export function decodeChunk(bytes: Uint8Array, count: number): DecodedSamples {
  const ts = new Float64Array(count);
  const vs = new Float64Array(count);
  const stale = new Uint8Array(count);
  decodeChunkInto(bytes, count, ts, vs, 0, stale);
  return { ts, vs, stale };
}
